"""The jargon buster: content/glossary.yaml, checked line by line, looked up the way people type.

Every term, abbreviation and alias is indexed by a normalised key (case, punctuation, spacing
and dotted abbreviations folded away), so a lookup is a few dictionary probes however many
terms there are. Names may not collide under that key, so a lookup never has to guess.

keys.py     the normalised keys that names and queries are folded into
terms.py    Term and Glossary: lookup and did-you-mean suggestions
loading.py  reading and checking the file (load_glossary)
"""

from bot.library.glossary.loading import MAX_WORDS, load_glossary
from bot.library.glossary.terms import Glossary, Term

__all__ = ["MAX_WORDS", "Glossary", "Term", "load_glossary"]
