"""Every message template reads right with real-world values (issue 15, point 4).

Each template in prompts/messages.yaml (and each prompt set's texts) is rendered through the
project's own Texts, once per round of values from template_values: names with "&", "<",
quotes, a trailing full stop and an emoji, counts 0, 1 and 2, empty and absent values. A
rendered text fails on a value shown as "None", double escaping, two sentences or fields run
together, doubled punctuation, a wrong plural, or HTML that Telegram's Bot API would refuse.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from jinja2 import meta

from bot.library.messages import MESSAGES_FILE, Texts, _leaves, make_environment
from bot.library.paths import PROMPTS_DIR
from bot.library.prompts import TEMPLATE_VARIABLES, PromptSet, load_prompt_sets
from tests.library.template_values import (
    NAMES,
    ROUNDS,
    TITLES,
    reads_wrong,
    telegram_html_problems,
    values_for,
)

TEXTS = Texts.load()
_ENVIRONMENT = make_environment()


def _sources() -> dict[str, str]:
    path = PROMPTS_DIR / MESSAGES_FILE
    root = yaml.compose(path.read_text(encoding="utf-8"))
    return {key: str(node.value) for key, node in _leaves(root, "", path, [])}


SOURCES = _sources()
PROMPT_SETS = load_prompt_sets(Path(PROMPTS_DIR) / "sets")[0]


def _variables(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENVIRONMENT.parse(source)))


def _problems(rendered: str) -> list[str]:
    return reads_wrong(rendered) + telegram_html_problems(rendered)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_message_reads_right(key: str) -> None:
    variables = _variables(SOURCES[key])
    found: dict[str, list[str]] = {}
    for round_ in range(ROUNDS):
        try:
            values = values_for(key, variables, round_)
        except KeyError as exc:
            pytest.fail(f"{key} uses {exc}: add its kind of value to template_values.VALUES")
        rendered = TEXTS.render(key, **values)
        for problem in _problems(rendered):
            found.setdefault(problem, []).append(rendered)
    assert not found, f"{key} ({TEXTS.source(key)}) reads wrong:\n" + "\n".join(
        f"- {problem}\n  in: {texts[0]!r}" for problem, texts in found.items()
    )


def _prompt_texts() -> list[tuple[str, str]]:
    texts = []
    for prompt_set in PROMPT_SETS.values():
        texts += [(f"{prompt_set.id}.intro", prompt_set.intro)]
        texts += [(f"{prompt_set.id}.thanks", prompt_set.thanks)]
        for question in prompt_set.questions:
            texts += [(f"{prompt_set.id}.{question.id}", question.text)]
    return texts


@pytest.mark.parametrize(("where", "source"), _prompt_texts(), ids=lambda x: str(x)[:40])
def test_every_prompt_text_reads_right(where: str, source: str) -> None:
    assert _variables(source) <= TEMPLATE_VARIABLES
    for round_ in range(ROUNDS):
        values = {
            "name": NAMES[round_ % len(NAMES)],
            "meeting": (*TITLES, None)[round_ % (len(TITLES) + 1)],
            "cohort": "Heart & Lungs <North>",
            "pair": NAMES[(round_ + 1) % len(NAMES)],
        }
        rendered = TEXTS.render_string(source, **values)
        assert _problems(rendered) == [], f"{where}: {rendered!r}"


def test_the_checks_catch_what_the_issue_saw() -> None:
    """The checks themselves work: each thing a partner saw in the issue is caught."""
    seen = [
        "<b>Quiet hours:</b> none<b>Keep my reflections:</b> yes",
        "Priya &amp;amp; Kwame",
        "· by Margaret“Hi…”",
        "Tue 3 Mar, 03:48<i>Reflection 1</i>",
        "<b>Board</b> · None",
        "Thank you, Grace O.. You're all set.",
        "Your next 1 meeting:",
        "You answered 1 questions.",
        "Is that OK?.",
    ]
    for text in seen:
        assert reads_wrong(text), text
    assert reads_wrong("Thank you, Grace O. You're all set. Call 999 (or 111).") == []


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold",
        "<div>x</div>",
        "<b><i>x</b></i>",
        "Tom & Jerry",
        "1 < 2",
        "&nbsp;",
        '<a href="javascript:x">x</a>',
        '<span class="red">x</span>',
    ],
)
def test_telegram_html_that_the_api_refuses_is_caught(text: str) -> None:
    assert telegram_html_problems(text)


def test_telegram_html_the_api_accepts_passes() -> None:
    text = '<b>Hi</b> &amp; <i>you</i> &lt;3 <a href="https://x.org/?a=1&amp;b=2">link</a>'
    assert telegram_html_problems(text + '<span class="tg-spoiler">s</span>') == []


@pytest.mark.parametrize(
    ("key", "values", "start"),
    [
        ("start.active", {"name": "Grace O."}, "Welcome back, Grace O. You're"),
        ("pairs.sent", {"pair": "Sam?"}, "Sent to Sam? If they reply"),
        ("outbox.rsvp.yes", {"meeting": "Café day."}, "Thanks, noted: you'll be at Café day."),
        ("errors.invite.already_member", {"cohort": "Board."}, "You're already part of Board.,"),
    ],
)
def test_a_value_ending_in_a_stop_is_not_followed_by_another(
    key: str, values: dict[str, str], start: str
) -> None:
    """ "Grace O.." read wrong (issue 15); a comma after "Board." is kept."""
    rendered = TEXTS.render(key, **values)
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).startswith(start)
    assert "\x1f" not in rendered


@pytest.mark.parametrize("prompt_set", PROMPT_SETS.values(), ids=lambda s: s.id)
def test_a_set_speaks_of_optional_questions_only_when_it_has_some(prompt_set: PromptSet) -> None:
    if "optional" in prompt_set.intro.lower():
        assert any(question.optional for question in prompt_set.questions)


@pytest.mark.parametrize("prompt_set", PROMPT_SETS.values(), ids=lambda s: s.id)
def test_no_question_repeats_how_to_answer_it(prompt_set: PromptSet) -> None:
    """reflect.question already says "Type your answer, or send a voice note"."""
    for question in prompt_set.questions:
        if question.kind == "text":
            assert "voice note" not in question.text.lower(), question.id
            assert "type it" not in question.text.lower(), question.id
