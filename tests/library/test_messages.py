"""Every message key the code names exists in prompts/messages.yaml, so no person ever meets
a missing text (which would be an error at the worst moment, e.g. a safeguarding answer)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.library.messages import Texts, TextsError
from bot.library.paths import PROJECT_ROOT

TEXTS = Texts.load()
CODE = sorted((PROJECT_ROOT / "bot").rglob("*.py"))
KEY = r"\"([a-z_]+(?:\.[a-z_]+)+)\""
PATTERNS = (
    # texts.render("key", ...) and friends
    re.compile(r"\.(?:render|markup)\(\s*" + KEY),
    # notices: notify(..., key="notify.x"), and key="notify.x" if ... else "notify.y"
    re.compile(r"\bkey=" + KEY),
    re.compile(r"\bkey=\"[a-z_.]+\" if [^\n]+ else " + KEY),
    # buttons queued with a notice: ("pairs.buttons.reply", "pair.write", ())
    re.compile(r"\(\s*" + KEY + r",\s*\"[a-z]+\.[a-z_]+\",\s*\("),
)
ERRORS = re.compile(r"\b(?:InvalidInput|NotFound|NotAllowed|Conflict|InviteError)\(\s*" + KEY)


def _named(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    keys = [m.group(1) for pattern in PATTERNS for m in pattern.finditer(source)]
    return keys + [f"errors.{m.group(1)}" for m in ERRORS.finditer(source)]


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_named_message_exists(path: Path) -> None:
    missing = [key for key in _named(path) if not TEXTS.has(key)]
    assert missing == [], f"{path.name} names messages that are not in messages.yaml"


def test_the_scan_finds_the_keys_it_should() -> None:
    """The scan itself works: it sees keys in each form used in the code."""
    named = {key for path in CODE for key in _named(path)}
    assert {"safeguarding.signpost", "notify.safeguarding", "pairs.buttons.reply"} <= named
    assert "errors.broadcast.empty" in named


def test_a_template_problem_is_found_at_load_with_its_line(tmp_path: Path) -> None:
    # Templates are checked when loaded and compiled only when first used (issue 16), so a
    # mistake must still stop the start, naming its line, not wait for a person to meet it.
    (tmp_path / "messages.yaml").write_text(
        'start:\n  hello: "Hello {{ name }}"\n  shout: "{{ name | loud }}"\n'
        '  broken: "{% if name %}Hi"\n',
        encoding="utf-8",
    )
    with pytest.raises(TextsError) as raised:
        Texts.load(tmp_path)
    found = [(problem.line, problem.message) for problem in raised.value.problems]
    assert found == [
        (3, "start.shout: No filter named 'loud'."),
        (
            4,
            "start.broken: Unexpected end of template. Jinja was looking for the following "
            "tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed "
            "is 'if'.",
        ),
    ]


def test_a_template_is_rendered_the_same_when_compiled_on_first_use(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text(
        "a:\n  count: \"{{ n | plural('hour') }} for {{ name }}\"\n", encoding="utf-8"
    )
    texts = Texts.load(tmp_path)
    assert texts.render("a.count", n=2, name="<b>Sam</b>") == "2 hours for &lt;b&gt;Sam&lt;/b&gt;"
    assert texts.render("a.count", n=1, name="Jo") == "1 hour for Jo"
