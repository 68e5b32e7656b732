"""Safeguarding: spotting distress or danger in what partners write (prompts/safeguarding.yaml,
and its translations in prompts/translations/*/safeguarding.yaml, checked on every message
whatever its language: issue 19).

The phrases are data that a clinical safety officer reviews; this package tidies a message
(case, quotes, "I'm" and "im" as "i am", "can't" as "can not", accents and Arabic
diacritics) and matches it. Each phrase is
one compiled pattern that is only tried when the message has the words it needs, and is then
searched for from its rarest word. A category's `exclude` wording ("suicide prevention
strategy") is blanked out before its phrases are looked for again, so talk about services
stays quiet while a personal statement in the same message still alerts.

tidy.py      text as the rules see it
phrases.py   a phrase compiled into a regex and the words it needs
matching.py  Rules.check: which category, if any, a message sets off
loading.py   reading and checking the files (load_rules, default_rules)
"""

from bot.domain.safeguarding.loading import RULES_FILE, RULES_PATH, default_rules, load_rules
from bot.domain.safeguarding.matching import Category, Match, Rule, Rules
from bot.domain.safeguarding.tidy import normalise

__all__ = [
    "RULES_FILE",
    "RULES_PATH",
    "Category",
    "Match",
    "Rule",
    "Rules",
    "default_rules",
    "load_rules",
    "normalise",
]
