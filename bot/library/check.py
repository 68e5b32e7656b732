"""Checks over the library beyond loading it: template variables and reading grades."""

from __future__ import annotations

import html
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import textstat
import yaml
from jinja2 import TemplateSyntaxError, meta

from bot.library import yamlio
from bot.library.catalogue import Library
from bot.library.grading import TextGrade, grade_texts, partner_texts
from bot.library.messages import make_environment
from bot.library.problems import Problem
from bot.library.prompts import TEMPLATE_VARIABLES, line_of

# Flesch-Kincaid grade: the median briefing must read at about age 14-15 or easier.
MEDIAN_GRADE_LIMIT = 9.0
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Grade:
    """How hard a file is to read (Flesch-Kincaid grade level)."""

    path: Path
    grade: float


def template_problems(prompts_dir: Path) -> list[Problem]:
    """Jinja2 syntax errors and unknown variables in every prompt set's texts."""
    environment = make_environment()
    problems = []
    for path in sorted((prompts_dir / "sets").glob("*.yaml")):
        try:
            root = yamlio.compose(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue  # reported by the loader
        for location, source in _template_fields(root):
            line = line_of(root, location)
            try:
                parsed = environment.parse(source)
            except TemplateSyntaxError as exc:
                problems.append(
                    Problem(
                        path,
                        line + (exc.lineno or 1) - 1,
                        f"{'.'.join(map(str, location))}: {exc.message}",
                    )
                )
                continue
            unknown = meta.find_undeclared_variables(parsed) - TEMPLATE_VARIABLES
            for name in sorted(unknown):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"{'.'.join(map(str, location))}: unknown variable {name!r} "
                        f"(prompts may use {', '.join(sorted(TEMPLATE_VARIABLES))})",
                    )
                )
    return problems


def _template_fields(root: yaml.Node | None) -> list[tuple[tuple[object, ...], str]]:
    """(location, text) of every field rendered as a template: intro, thanks, question text."""
    if not isinstance(root, yaml.MappingNode):
        return []
    found: list[tuple[tuple[object, ...], str]] = []
    for key, value in root.value:
        if key.value in ("intro", "thanks") and isinstance(value, yaml.ScalarNode):
            found.append(((key.value,), str(value.value)))
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                if not isinstance(item, yaml.MappingNode):
                    continue
                for field, text in item.value:
                    if field.value == "text" and isinstance(text, yaml.ScalarNode):
                        found.append((("questions", index, "text"), str(text.value)))
    return found


def _plain(markup: str) -> str:
    return html.unescape(_TAGS.sub(" ", markup))


def reading_grades(library: Library) -> list[Grade]:
    """A Flesch-Kincaid grade for each briefing, prompt set and the glossary."""
    grades = [
        Grade(
            b.path,
            float(
                textstat.flesch_kincaid_grade(_plain("\n\n".join(page.html for page in b.pages)))
            ),
        )
        for b in sorted(library.briefings.values(), key=lambda b: b.path)
    ]
    for prompt_set in sorted(library.prompt_sets.values(), key=lambda s: s.id):
        words = " ".join(
            [prompt_set.intro, *(q.text for q in prompt_set.questions), prompt_set.thanks]
        )
        plain = re.sub(r"{[{%].*?[%}]}", " ", words)
        grades.append(
            Grade(
                Path("prompts/sets") / f"{prompt_set.id}.yaml",
                float(textstat.flesch_kincaid_grade(plain)),
            )
        )
    if library.glossary.terms:
        glossary = " ".join(term.explanation for term in library.glossary.terms)
        grades.append(
            Grade(Path("content/glossary.yaml"), float(textstat.flesch_kincaid_grade(glossary)))
        )
    return grades


def median_briefing_grade(grades: list[Grade]) -> float | None:
    """The median grade of the briefings (None if there are none)."""
    values = [g.grade for g in grades if g.path.suffix == ".md"]
    return statistics.median(values) if values else None


def grade_problems(grades: list[Grade], briefings_dir: Path) -> list[Problem]:
    """The house limit on how hard briefings are to read, as a whole."""
    median = median_briefing_grade(grades)
    if median is not None and median > MEDIAN_GRADE_LIMIT:
        return [
            Problem(
                briefings_dir,
                0,
                f"median reading grade of briefings is {median:.1f}; "
                f"keep it at most {MEDIAN_GRADE_LIMIT:.0f} (shorter sentences and words)",
            )
        ]
    return []


# Every partner-facing text of ten words or more must read at grade 8 or below (issue 15).
GRADE_LIMIT = 8.0


def text_grades(content_dir: Path, prompts_dir: Path) -> list[TextGrade]:
    """Each partner-facing text's grade, the hardest rendering of each template."""
    hardest: dict[tuple[Path, int, str], TextGrade] = {}
    for graded in grade_texts(partner_texts(content_dir, prompts_dir)):
        where = (graded.text.path, graded.text.line, graded.text.key)
        if where not in hardest or graded.grade > hardest[where].grade:
            hardest[where] = graded
    return list(hardest.values())


def text_grade_problems(grades: list[TextGrade]) -> list[Problem]:
    """Texts above the limit without a written reason, and exceptions without one."""
    problems = []
    for graded in grades:
        text = graded.text
        if text.reason == "":
            problems.append(
                Problem(
                    text.path,
                    text.line,
                    f"{text.key}: the grade exception gives no reason; write why this "
                    f"text may read at grade {graded.grade:.1f}",
                )
            )
        elif text.reason is None and graded.grade > GRADE_LIMIT:
            problems.append(
                Problem(
                    text.path,
                    text.line,
                    f"{text.key}: grade {graded.grade:.1f} (limit {GRADE_LIMIT:.0f})",
                )
            )
    return problems


@dataclass(frozen=True)
class GradeSummary:
    """Figures over a set of graded texts: how many, median, 90th percentile, max."""

    count: int
    median: float
    p90: float
    max: float
    over: int

    @classmethod
    def of(cls, grades: list[TextGrade]) -> GradeSummary | None:
        """The figures, or None when nothing was graded."""
        values = sorted(g.grade for g in grades)
        if not values:
            return None
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        return cls(
            count=len(values),
            median=statistics.median(values),
            p90=p90,
            max=values[-1],
            over=sum(value > GRADE_LIMIT for value in values),
        )

    def __str__(self) -> str:
        return (
            f"{self.count} texts, median {self.median:.1f}, 90th percentile {self.p90:.1f}, "
            f"max {self.max:.1f}, {self.over} over {GRADE_LIMIT:.0f}"
        )


def worst(grades: list[TextGrade], count: int = 10) -> list[TextGrade]:
    """The hardest texts, hardest first."""
    return sorted(grades, key=lambda g: (-g.grade, str(g.text.path), g.text.line))[:count]
