"""`tandem content check`: every problem in prompts/ and content/, with its file and line."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.onboarding import CHOICES, Step
from bot.domain.safeguarding import RULES_FILE, load_rules
from bot.library.catalogue import Library
from bot.library.check import (
    Grade,
    grade_problems,
    median_briefing_grade,
    reading_grades,
    template_problems,
    text_grade_problems,
    text_grades,
)
from bot.library.grading import TextGrade
from bot.library.messages import Texts, TextsError
from bot.library.paths import PACKAGE_DIR, chosen, configured
from bot.library.problems import Problem
from bot.library.signposts import SIGNPOSTS_FILE, load_signposts
from bot.library.translations import message_translation_problems, unreviewed


def literal_text_keys(directory: Path = PACKAGE_DIR) -> dict[str, tuple[Path, int]]:
    """Every `.render("key")` / `.has("key")` literal in the package, with where it is used."""
    found: dict[str, tuple[Path, int]] = {}
    for path in sorted(directory.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"render", "markup"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, (path, node.lineno))
    return found


def _domain_error_keys(directory: Path = PACKAGE_DIR / "domain") -> dict[str, tuple[Path, int]]:
    """Keys of every error the domain raises (each needs an `errors.<key>` text)."""
    error_names = {"InvalidInput", "InviteError", "NotAllowed", "NotFound", "Conflict"}
    found: dict[str, tuple[Path, int]] = {}
    for path in sorted(directory.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in error_names
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(f"errors.{node.args[0].value}", (path, node.lineno))
    return found


def _composed_keys() -> set[str]:
    """Keys the code builds from parts (step screens, button labels, menus, roles)."""
    keys = {f"onboarding.{step}.text" for step in Step}
    for step, choices in CHOICES.items():
        for choice in choices:
            if step == Step.TIME_ZONE:
                keys.add("onboarding.tz.other" if choice == "other" else "onboarding.tz.london")
            else:
                keys.add(f"onboarding.{step}.{choice}")
    keys |= {
        f"onboarding.notes.{note}"
        for note in ("agree.question", "agree.later", "tz.type", "use_buttons")
    }
    keys |= {f"roles.{role}" for role in ("partner", "facilitator", "coordinator")}
    keys |= {f"help.{role}" for role in ("partner", "facilitator", "coordinator")}
    keys |= {f"invite.for.{role}" for role in ("partner", "facilitator")}
    keys |= {f"pause.buttons.{c}" for c in ("1w", "2w", "4w", "open", "cancel", "resume", "keep")}
    keys |= {f"pause.{c}" for c in ("kept", "cancelled")}
    keys |= {f"stop.buttons.{c}" for c in ("yes", "no")} | {"stop.ask"}
    keys |= {f"forget.buttons.{c}" for c in ("yes", "copy", "no")} | {"forget.ask"}
    keys |= {f"settings.buttons.{c}" for c in ("name", "tz", "quiet", "keep", "drop")}
    keys |= {f"settings.consent.{c}" for c in ("keep", "drop")}
    keys |= {
        f"fallback.{kind}"
        for kind in (
            "sticker",
            "photo",
            "voice",
            "video",
            "document",
            "location",
            "contact",
            "other",
        )
    }
    keys |= {
        f"reflect.sharing.{part}.{level}"
        for part in ("buttons", "said")
        for level in ("facilitators", "private", "anonymised")
    }
    keys |= {
        f"fallback.kinds.{kind}"
        for kind in (
            "sticker",
            "photo",
            "voice",
            "video",
            "document",
            "location",
            "contact",
            "other",
        )
    }
    from bot.telegram.menus import EVERYONE_COMMANDS, ROLE_COMMANDS, STRANGER_COMMANDS

    for _, key in STRANGER_COMMANDS + EVERYONE_COMMANDS:
        keys.add(key)
    for extra in ROLE_COMMANDS.values():
        keys.update(key for _, key in extra)
    return keys


def required_text_keys() -> dict[str, tuple[Path, int] | None]:
    """Every text key the code can ask for, with where it is used when known."""
    required: dict[str, tuple[Path, int] | None] = dict.fromkeys(_composed_keys())
    required.update(literal_text_keys())
    required.update(_domain_error_keys())
    return required


def check_messages(directory: Path | None = None) -> list[Problem]:
    """Problems in prompts/messages.yaml: syntax, and keys the code needs but the file lacks."""
    directory = directory or configured().prompts
    try:
        texts = Texts.load(directory)
    except TextsError as exc:
        return exc.problems
    problems = []
    messages = directory / "messages.yaml"
    required = required_text_keys()
    if not any(required.values()):
        # An install without the .py files (compiled only) would otherwise pass unchecked.
        problems.append(Problem(PACKAGE_DIR, 0, "no Python sources to find the text keys in"))
    for key, used_at in sorted(required.items()):
        if not texts.has(key):
            where = f" (used at {used_at[0].name}:{used_at[1]})" if used_at else ""
            problems.append(Problem(messages, 0, f"missing text {key!r}{where}"))
    return problems


@dataclass(frozen=True)
class CheckReport:
    """What `tandem content check` found: problems, and reading grades to print."""

    problems: list[Problem]
    grades: list[Grade]
    median_grade: float | None
    text_grades: list[TextGrade]
    # Each translation's files no native speaker is recorded as having reviewed.
    unreviewed: dict[str, list[str]] = field(default_factory=dict)


def check_all(content_dir: Path | None = None, prompts_dir: Path | None = None) -> CheckReport:
    """Every problem in content/ and prompts/ (default: the configured), and reading grades."""
    dirs = chosen(content_dir, prompts_dir)
    library, problems = Library.load(dirs.content, dirs.prompts)
    problems = [*check_messages(dirs.prompts), *problems, *template_problems(dirs.prompts)]
    # Each translation against the English: keys, placeholders, tags, plurals, lengths.
    problems += message_translation_problems(dirs.prompts)
    grades = reading_grades(library)
    problems += grade_problems(grades, dirs.content / "briefings")
    per_text = text_grades(dirs.content, dirs.prompts)
    problems += text_grade_problems(per_text)
    # The safeguarding phrases (prompts/safeguarding.yaml) are content too: reviewed and
    # edited by people, so checked here with the rest.
    rules, safeguarding = load_rules(dirs.prompts / RULES_FILE)
    problems += safeguarding
    # Each kind of risk a phrase can show has its signpost (prompts/signposts.yaml).
    signposts, signpost_problems = load_signposts(dirs.prompts / SIGNPOSTS_FILE)
    problems += signpost_problems
    problems += [
        Problem(dirs.prompts / RULES_FILE, 0, f"kind {kind!r} has no signpost in {SIGNPOSTS_FILE}")
        for kind in signposts.missing(c.kind or c.name for c in rules.categories)
    ]
    return CheckReport(
        problems=problems,
        grades=grades,
        median_grade=median_briefing_grade(grades),
        text_grades=per_text,
        unreviewed=unreviewed(dirs.prompts, dirs.content),
    )
