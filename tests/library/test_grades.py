"""Each partner-facing text is graded on its own: over grade 8 fails, naming file, line, grade."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.library.check import GradeSummary, text_grade_problems, text_grades
from bot.library.grading import Text, TextGrade, grade_of
from bot.library.paths import CONTENT_DIR, PROMPTS_DIR
from bot.library.validate import check_all

HARD = (
    "Notwithstanding considerable organisational complexity, multidisciplinary stakeholders "
    "collaboratively operationalise transformational commissioning arrangements."
)


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of content/ and prompts/ to edit."""
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


def _shown(content: Path, prompts: Path) -> str:
    problems = text_grade_problems(text_grades(content, prompts))
    return "\n".join(str(problem) for problem in problems)


def test_a_hard_message_or_question_fails_naming_its_file_line_and_grade(
    copy: tuple[Path, Path],
) -> None:
    content, prompts = copy
    messages = prompts / "messages.yaml"
    _replace(messages, "\nstart:\n", f'\nstart:\n  hard: "Hello {{{{ name }}}}. {HARD}"\n')
    monthly = prompts / "sets" / "monthly-check-in.yaml"
    _replace(monthly, "text: Which of these have you grown in this month?", f"text: {HARD}")

    shown = "\n".join(str(problem) for problem in check_all(content, prompts).problems)

    found = re.search(
        rf"{re.escape(str(messages))}:{_line_of(messages, 'hard:')}: start.hard: "
        r"grade (\d+\.\d) \(limit 8\)",
        shown,
    )
    assert found, shown
    assert float(found.group(1)) > 8
    assert f"{monthly}:{_line_of(monthly, HARD)}: questions.1.text: grade " in shown


def test_an_exception_with_a_reason_passes(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    messages = prompts / "messages.yaml"
    _replace(
        messages,
        "\nstart:\n",
        f'\nstart:\n  hard: "{HARD}"  # grade: the board\'s own words, quoted exactly\n'
        "  # grade: the legal name of the scheme, which partners will see on forms\n"
        f'  above: "{HARD}"\n',
    )
    assert "start.hard" not in _shown(content, prompts)
    assert "start.above" not in _shown(content, prompts)


def test_an_exception_without_a_reason_fails(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    messages = prompts / "messages.yaml"
    _replace(messages, "\nstart:\n", f'\nstart:\n  hard: "{HARD}"  # grade:\n')
    line = _line_of(messages, "hard:")
    assert f"{messages}:{line}: start.hard: the grade exception gives no reason" in _shown(
        content, prompts
    )


def test_staff_only_sections_are_not_graded(copy: tuple[Path, Path]) -> None:
    content, prompts = copy
    messages = prompts / "messages.yaml"
    _replace(messages, "\nbroadcast:\n", f'\nbroadcast:\n  hard: "{HARD}"\n')
    assert _shown(content, prompts) == ""


def test_content_fails_above_grade_8_and_an_exception_needs_a_reason(
    copy: tuple[Path, Path],
) -> None:
    content, prompts = copy
    glossary = content / "glossary.yaml"
    glossary.write_text(glossary.read_text() + f"\n- term: Hard words\n  explanation: {HARD}\n")
    briefing = content / "briefings" / "working-in-pairs.md"
    _replace(briefing, "\nsummary: ", f"\nsummary: {HARD} ")
    where = f"{glossary}:{_line_of(glossary, HARD)}: glossary: Hard words: grade"
    summary = f"{briefing}:{_line_of(briefing, 'summary:')}: working-in-pairs summary: grade"

    shown = _shown(content, prompts)
    assert where in shown and summary in shown
    grades = {str(g.text.path): g for g in text_grades(content, prompts) if g.grade > 8}
    assert str(glossary) in grades  # reported by `tandem content grades` too

    _replace(briefing, "\nsummary: ", '\nreading_grade: ""\nsummary: ')
    assert "working-in-pairs page 1: the grade exception gives no reason" in _shown(
        content, prompts
    )
    _replace(briefing, 'reading_grade: ""', 'reading_grade: "quotes the law word for word"')
    assert "working-in-pairs" not in _shown(content, prompts)


def _graded(*values: float) -> list[TextGrade]:
    return [
        TextGrade(Text(Path("prompts/messages.yaml"), n, f"key{n}", "messages", "words"), value)
        for n, value in enumerate(values, start=1)
    ]


def test_the_figures_are_count_median_90th_percentile_and_max() -> None:
    summary = GradeSummary.of(_graded(*range(1, 11)))
    assert summary is not None
    assert (summary.count, summary.median, summary.max, summary.over) == (10, 5.5, 10, 2)
    assert summary.p90 == pytest.approx(9.9)
    assert str(summary) == "10 texts, median 5.5, 90th percentile 9.9, max 10.0, 2 over 8"
    assert GradeSummary.of([]) is None


def test_the_grades_command_prints_the_figures_and_the_ten_hardest(
    copy: tuple[Path, Path],
) -> None:
    content, prompts = copy
    messages = prompts / "messages.yaml"
    _replace(messages, "\nstart:\n", f'\nstart:\n  hard: "{HARD}"\n')
    result = CliRunner().invoke(
        main, ["content", "grades", "--content", str(content), "--prompts", str(prompts)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"all: \d+ texts, median \d+\.\d, 90th percentile \d+\.\d, max", result.output)
    assert re.search(r"  messages: \d+ texts, median", result.output)
    hardest = result.output.split("The ten hardest:\n")[1].splitlines()
    assert len(hardest) == 10
    assert all(re.match(r"\s*-?\d+\.\d  \S+:\d+ ", line) for line in hardest), hardest
    assert f"{messages}:{_line_of(messages, 'hard:')} start.hard" in result.output


def test_the_shipped_prompts_read_at_grade_8_or_below() -> None:
    grades = text_grades(CONTENT_DIR, PROMPTS_DIR)
    assert text_grade_problems(grades) == []
    messages = [g for g in grades if g.text.area == "messages"]
    sets = [g for g in grades if g.text.area == "sets"]
    assert len(messages) > 100 and len(sets) > 20  # the grader really reads them
    for graded in messages + sets:
        assert "{{" not in graded.text.plain and "<b>" not in graded.text.plain
        assert graded.grade <= 8 or graded.text.reason, graded
    joined = next(g.text.plain for g in messages if g.text.key == "start.joined")
    assert "You've joined Frailty board as a lay partner." in joined


def test_each_line_reads_as_a_sentence_but_a_wrapped_sentence_stays_one() -> None:
    listed = (
        "What we ask:\n• Read the papers when you can\n• Come to the meetings\n• Say if you can't"
    )
    assert grade_of(listed) == grade_of(
        "What we ask: Read the papers when you can. Come to the meetings. Say if you can't."
    )
    wrapped = "The board agreed that the\ntransformation programme would continue\nnext year"
    assert grade_of(wrapped) == grade_of(wrapped.replace("\n", " ") + ".")
    assert grade_of(wrapped) > 8
