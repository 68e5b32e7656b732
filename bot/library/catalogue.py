"""The library as the bot uses it: briefings, the glossary and prompt sets, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.library import languages
from bot.library.briefings import Briefing, load_briefings
from bot.library.glossary import Glossary, load_glossary
from bot.library.languages import load_languages
from bot.library.paths import chosen
from bot.library.problems import Problem
from bot.library.prompts import PromptSet, load_prompt_sets
from bot.library.timetable import Timetable, load_timetable
from bot.library.translated import Content, translate


class ContentError(Exception):
    """Content or prompts have problems; the bot will not start with them."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = "; ".join(str(problem) for problem in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(
            f"content has {len(problems)} problem(s): {shown}{more}. "
            "Run `tandem content check` to see them all."
        )
        self.problems = problems


@dataclass(frozen=True)
class Library:
    """Everything partners read: briefings, glossary terms and reflection prompt sets, in
    the language being written now (bot.library.languages), English where a text has no
    translation."""

    english: Content
    timetable: Timetable
    translations: dict[str, Content] = field(default_factory=dict)

    @property
    def content(self) -> Content:
        """The library in the language being written now."""
        return self.translations.get(languages.current(), self.english)

    def set_in_english_only(self, set_id: str) -> bool:
        """True when a question set is shown in English to someone reading another language."""
        code = languages.current()
        return code != languages.ENGLISH and set_id not in self.content.own_sets

    @property
    def briefings(self) -> dict[str, Briefing]:
        """Briefings by id."""
        return self.content.briefings

    @property
    def glossary(self) -> Glossary:
        """The jargon buster."""
        return self.content.glossary

    @property
    def prompt_sets(self) -> dict[str, PromptSet]:
        """Question sets by id."""
        return self.content.prompt_sets

    @classmethod
    def load(
        cls, content_dir: Path | None = None, prompts_dir: Path | None = None
    ) -> tuple[Library, list[Problem]]:
        """Load everything (default: the configured folders), collecting every problem."""
        dirs = chosen(content_dir, prompts_dir)
        briefings, problems = load_briefings(dirs.content / "briefings")
        glossary, glossary_problems = load_glossary(dirs.content / "glossary.yaml")
        prompt_sets, prompt_problems = load_prompt_sets(dirs.prompts / "sets")
        timetable, timetable_problems = load_timetable(
            dirs.prompts / "timetable.yaml", known_prompt_sets=set(prompt_sets)
        )
        english = Content(briefings=briefings, glossary=glossary, prompt_sets=prompt_sets)
        problems = [*problems, *glossary_problems, *prompt_problems, *timetable_problems]
        spoken, language_problems = load_languages(dirs.prompts)
        problems += language_problems
        translations = {}
        for language in spoken[1:]:
            translations[language.code], trouble = translate(
                english, language, dirs.content, dirs.prompts
            )
            problems += trouble
        return cls(english=english, timetable=timetable, translations=translations), problems

    @classmethod
    def load_or_fail(
        cls, content_dir: Path | None = None, prompts_dir: Path | None = None
    ) -> Library:
        """Load everything, or raise ContentError listing the problems."""
        library, problems = cls.load(content_dir, prompts_dir)
        if problems:
            raise ContentError(problems)
        return library

    def topics(self, audience: str = "partner") -> list[tuple[str, list[Briefing]]]:
        """Briefings for an audience grouped by tag, tags in first-seen order of title."""
        grouped: dict[str, list[Briefing]] = {}
        for briefing in sorted(self.briefings.values(), key=lambda b: b.meta.title):
            if briefing.meta.audience not in (audience, "everyone"):
                continue
            for tag in briefing.meta.tags:
                grouped.setdefault(tag, []).append(briefing)
        return sorted(grouped.items())

    def listed_prompt_sets(self) -> list[PromptSet]:
        """Prompt sets a partner may choose in /reflect."""
        return [s for s in self.prompt_sets.values() if s.listed]
