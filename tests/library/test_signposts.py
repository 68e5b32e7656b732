"""The signposts (prompts/signposts.yaml): one for every kind of risk a safeguarding phrase
can show, each reviewed, with its numbers in its words, at reading grade 8 or below; and
`tandem content check` says what is wrong with a broken copy, with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.safeguarding import default_rules
from bot.library.paths import CONTENT_DIR, PROMPTS_DIR
from bot.library.signposts import GRADE_LIMIT, grade, load_signposts, plain
from bot.library.validate import check_all

SIGNPOSTS = PROMPTS_DIR / "signposts.yaml"


def test_every_kind_of_risk_has_a_reviewed_signpost_with_its_numbers() -> None:
    signposts, problems = load_signposts(SIGNPOSTS)
    assert problems == []
    kinds = {category.kind for category in default_rules().categories}
    assert kinds == {"emergency", "suicide", "abuse", "at_risk", "crisis"}
    assert signposts.missing(kinds) == []
    for signpost in signposts.by_kind.values():
        assert signpost.reviewed_by and signpost.reviewed_on is not None, signpost.kind
        assert "999" in signpost.help, f"{signpost.kind}: every signpost says when to call 999"
        for text in (plain(signpost.help), signpost.meanwhile):
            assert grade(text) <= GRADE_LIMIT, (signpost.kind, text)
    abuse = signposts.for_kind("abuse").help
    for number in ("0808 2000 247", "0808 8010 327", "55"):
        assert number in abuse
    assert "Refuge" in abuse
    for kind in ("suicide", "crisis"):
        assert "116 123" in signposts.for_kind(kind).help
        assert "option 2" in signposts.for_kind(kind).help
    assert "social care" in signposts.for_kind("at_risk").help


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    """A copy of content/ and prompts/ to break; the prompts folder."""
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    shutil.copytree(PROMPTS_DIR, tmp_path / "prompts")
    return tmp_path / "prompts"


def _problems(prompts: Path) -> list[str]:
    return [str(p) for p in check_all(prompts.parent / "content", prompts).problems]


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_wrong_number_is_caught(prompts: Path) -> None:
    _break(prompts / "signposts.yaml", "call 0808 2000 247", "call 0808 2000 274")
    problems = _problems(prompts)
    assert any("abuse: the number 0808 2000 247 is not in help" in p for p in problems), problems
    assert all(p.startswith(f"{prompts / 'signposts.yaml'}:") for p in problems), problems


def test_hard_words_and_a_missing_review_are_caught(prompts: Path) -> None:
    _break(
        prompts / "signposts.yaml",
        'meanwhile: "If anyone is in danger, call 999."',
        'meanwhile: "Notwithstanding organisational considerations, immediately telephone '
        'emergency services whenever circumstances necessitate intervention by 999."',
    )
    _break(prompts / "signposts.yaml", 'reviewed_by: "(safeguarding lead', 'reviewed_bx: "(')
    problems = _problems(prompts)
    assert any("at_risk: meanwhile reads at grade" in p for p in problems), problems
    assert any("abuse: reviewed_by is missing" in p for p in problems), problems


def test_a_kind_without_a_signpost_is_caught(prompts: Path) -> None:
    _break(prompts / "safeguarding.yaml", "kind: at_risk", "kind: homeless")
    problems = _problems(prompts)
    assert any("kind 'homeless' has no signpost in signposts.yaml" in p for p in problems)
