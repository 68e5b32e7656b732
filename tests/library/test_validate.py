"""`tandem content check` on the shipped folders and on deliberately broken copies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.library.paths import CONTENT_DIR, PROMPTS_DIR
from bot.library.validate import check_all


def test_the_shipped_content_is_valid_and_readable() -> None:
    report = check_all()
    assert report.problems == []
    assert report.median_grade is not None and report.median_grade <= 9
    briefings = [g for g in report.grades if g.path.suffix == ".md"]
    assert len(briefings) >= 14


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of content/ and prompts/ to break."""
    content, prompts = tmp_path / "content", tmp_path / "prompts"
    shutil.copytree(CONTENT_DIR, content)
    shutil.copytree(PROMPTS_DIR, prompts)
    return content, prompts


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_broken_copies_are_reported_with_file_and_line(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    briefing = content / "briefings" / "working-in-pairs.md"
    _replace(briefing, "minutes: ", "minutes: lots # ")
    long_page = content / "briefings" / "self-reflection.md"
    _replace(
        long_page, "\n## ", "\n## A very long page\n\n" + "Words go on and on. " * 80 + "\n\n## "
    )
    after = prompts / "sets" / "after-meeting.yaml"
    _replace(after, "Thank you, {{ name }}.", "Thank you, {{ nickname }}.")
    monthly = prompts / "sets" / "monthly-check-in.yaml"
    _replace(monthly, "only_if: {question: support,", "only_if: {question: nowhere,")
    glossary = content / "glossary.yaml"
    glossary.write_text(
        glossary.read_text() + "\n- term: Integrated care boards\n"
        "  explanation: The same thing again, twice.\n"
    )

    report = check_all(content, prompts)
    shown = "\n".join(str(problem) for problem in report.problems)
    assert f"{briefing}:{_line_of(briefing, 'minutes: lots')}: minutes:" in shown
    assert f"{long_page}:{_line_of(long_page, '## A very long page')}: page is" in shown
    assert f"{after}:{_line_of(after, 'thanks:')}: thanks: unknown variable 'nickname'" in shown
    assert f"{monthly}:" in shown and "nowhere" in shown
    duplicate = len(glossary.read_text().splitlines()) - 1
    assert f"{glossary}:{duplicate}: 'Integrated care boards' is the same as" in shown
    assert len(report.problems) >= 5


def test_the_command_exits_1_and_prints_each_problem(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    broken = content / "briefings" / "data-and-evidence.md"
    _replace(broken, "---\nid: ", "---\nid: Not An Id\nold_id: ")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "content",
            "check",
            "--content",
            str(content),
            "--prompts",
            str(prompts),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"{broken}:2: id:" in result.stdout
    assert "reading grade" in result.stdout


def test_a_broken_safeguarding_file_is_reported(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    shutil.copy(Path(__file__).parent.parent / "fixtures/safeguarding/broken.yaml", prompts)
    (prompts / "broken.yaml").replace(prompts / "safeguarding.yaml")
    problems = [str(p) for p in check_all(content, prompts).problems]
    assert any(p.startswith(f"{prompts / 'safeguarding.yaml'}:") for p in problems), problems
