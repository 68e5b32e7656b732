"""Reflection prompt sets: YAML files in prompts/sets/, validated, with their line numbers.

id: after-meeting
title: After the meeting
summary: How today went, what you learned, what to raise next time.
minutes: 5
when: after_meeting            # after_meeting | before_meeting | monthly | follow_up | any
intro: How did today go? ...   # Jinja2; may use the variables in TEMPLATE_VARIABLES
questions:
  - id: equal_partner          # lower case, digits, _ ; at most 24 characters
    kind: scale                # text | scale | single | multi | yes_no
    text: Did you feel an equal partner today?
    scale: {min: 1, max: 5, low: Not at all, high: Completely}
    optional: false            # optional questions get a Skip button
  - id: get_in_touch
    kind: yes_no
    text: Would you like a facilitator to get in touch?
    only_if: {question: equal_partner, at_most: 2}
    contact_request: true      # "yes" asks the cohort's facilitators to get in touch
thanks: Thank you ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.library import yamlio
from bot.library.problems import Problem

# Variables a prompt's intro, question text and thanks may use.
TEMPLATE_VARIABLES = frozenset({"name", "meeting", "cohort", "pair"})

QuestionKind = Literal["text", "scale", "single", "multi", "yes_no"]
YES, NO = "yes", "no"
DONT_KNOW = "dont_know"  # the stored choice of a measure's "don't know" button


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """The ends of a scale question."""

    min: int = Field(default=1, ge=0, le=10)
    max: int = Field(default=5, ge=1, le=10)
    low: str = Field(min_length=1, max_length=40)
    high: str = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max or self.max - self.min > 9:
            raise ValueError("a scale needs min < max and at most 10 points")
        return self


class Choice(_Strict):
    """One option of a single- or multiple-choice question."""

    value: str = Field(pattern=r"^[a-z0-9_]{1,16}$")
    label: str = Field(min_length=1, max_length=60)


class Condition(_Strict):
    """Ask a question only if an earlier answer says so."""

    question: str
    at_most: int | None = None
    at_least: int | None = None
    equals: str | None = None
    any_of: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.at_most, self.at_least, self.equals, self.any_of]
        if sum(test is not None for test in tests) == 0:
            raise ValueError("only_if needs at_most, at_least, equals or any_of")
        return self

    def holds(self, answer: AnswerValue | None) -> bool:
        """Whether the earlier answer meets this condition (a skipped one never does)."""
        if answer is None or answer.skipped:
            return False
        if self.at_most is not None and (answer.number is None or answer.number > self.at_most):
            return False
        if self.at_least is not None and (answer.number is None or answer.number < self.at_least):
            return False
        if self.equals is not None and answer.choice_values != (self.equals,):
            return False
        return not (self.any_of is not None and not set(answer.choice_values) & set(self.any_of))


class AnswerValue(BaseModel):
    """What a condition needs to know about an answer."""

    number: int | None = None
    choice_values: tuple[str, ...] = ()
    skipped: bool = False


class PromptQuestion(_Strict):
    """One question in a prompt set."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    kind: QuestionKind
    text: str = Field(min_length=1, max_length=1000)
    hint: str | None = Field(default=None, max_length=300)
    optional: bool = False
    voice: bool = True
    scale: Scale | None = None
    choices: tuple[Choice, ...] | None = None
    only_if: Condition | None = None
    contact_request: bool = False
    # Set only on questions made from a cohort's adopted measures (see MeasureWording).
    measure_id: int | None = None
    dont_know: str | None = Field(default=None, max_length=40)  # a "Don't know" button

    @model_validator(mode="after")
    def _fits_kind(self) -> PromptQuestion:
        if self.kind == "scale" and self.scale is None:
            raise ValueError("a scale question needs `scale`")
        if self.kind in ("single", "multi") and not self.choices:
            raise ValueError(f"a {self.kind} question needs `choices`")
        if self.kind not in ("single", "multi") and self.choices:
            raise ValueError(f"a {self.kind} question cannot have `choices`")
        if self.contact_request and self.kind != "yes_no":
            raise ValueError("contact_request only fits a yes_no question")
        if self.choices and len({c.value for c in self.choices}) != len(self.choices):
            raise ValueError("choice values must be unique")
        return self

    def choice_label(self, value: str) -> str:
        """The label of one of this question's choices."""
        for choice in self.choices or ():
            if choice.value == value:
                return choice.label
        return value


class MeasureWording(_Strict):
    """How a set asks about each measure its cohort adopted (issue 17): a rating on
    `scale` with a "don't know" button, then an optional comment. `{{ measure }}` in `text`
    and `comment` stands for the measure's own words."""

    text: str = Field(min_length=1, max_length=300, pattern=r"\{\{ measure \}\}")
    hint: str | None = Field(default=None, max_length=300)
    scale: Scale
    dont_know: str = Field(min_length=1, max_length=40)
    comment: str = Field(min_length=1, max_length=300, pattern=r"\{\{ measure \}\}")
    comment_hint: str | None = Field(default=None, max_length=300)


class PromptSet(_Strict):
    """A named set of reflection questions."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")
    title: str = Field(min_length=1, max_length=80)
    summary: str = Field(min_length=1, max_length=200)
    minutes: int = Field(ge=1, le=60)
    when: Literal["after_meeting", "before_meeting", "monthly", "follow_up", "any"] = "any"
    listed: bool = True
    intro: str = Field(min_length=1)
    questions: tuple[PromptQuestion, ...] = Field(min_length=1)
    thanks: str = Field(min_length=1)
    # The cohort's adopted measures are asked after the questions (monthly check-in).
    measures: MeasureWording | None = None

    @model_validator(mode="after")
    def _references(self) -> PromptSet:
        seen: dict[str, PromptQuestion] = {}
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} is used twice")
            condition = question.only_if
            if condition is not None:
                earlier = seen.get(condition.question)
                if earlier is None:
                    raise ValueError(
                        f"{question.id}: only_if names {condition.question!r}, "
                        "which is not an earlier question"
                    )
                if (condition.at_most is not None or condition.at_least is not None) and (
                    earlier.kind != "scale"
                ):
                    raise ValueError(f"{question.id}: at_most/at_least need a scale question")
            seen[question.id] = question
        return self

    def question(self, question_id: str) -> PromptQuestion | None:
        """The question with this id, if the set has it."""
        return next((q for q in self.questions if q.id == question_id), None)


def load_prompt_sets(directory: Path) -> tuple[dict[str, PromptSet], list[Problem]]:
    """Every prompt set in `directory` (*.yaml), and every problem found, with its line."""
    sets: dict[str, PromptSet] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        loaded = _load_one(path, problems)
        if loaded is None:
            continue
        if loaded.id != path.stem:
            problems.append(Problem(path, 1, f"id {loaded.id!r} must match the file name"))
        elif loaded.id in sets:
            problems.append(Problem(path, 1, f"prompt set {loaded.id!r} is defined twice"))
        else:
            sets[loaded.id] = loaded
    if not sets and not problems:
        problems.append(Problem(directory, 0, "no prompt sets found"))
    return sets, problems


def _load_one(path: Path, problems: list[Problem]) -> PromptSet | None:
    text = path.read_text(encoding="utf-8")
    try:
        node, data = yamlio.compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(path, mark.line + 1 if mark else 0, f"not valid YAML: {exc}"))
        return None
    try:
        return PromptSet.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            location = ".".join(str(part) for part in error["loc"])
            line = line_of(node, error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(Problem(path, line, f"{location or 'prompt set'}: {message}"))
        return None


def line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node at `location` (or of its nearest parent)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in location:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
