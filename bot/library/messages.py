"""Message templates: every word a person reads, kept as data in prompts/messages.yaml.

Templates are Jinja2 in a sandboxed environment with StrictUndefined (a missing value is an
error, never a blank) and HTML autoescape (Telegram's HTML parse mode, so a name like
"<b>Sam</b>" is shown as typed, not as formatting).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateAssertionError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from bot.library import languages, yamlio
from bot.library.languages import ENGLISH, Language, load_languages, translation_dirs
from bot.library.paths import configured
from bot.library.problems import Problem

MESSAGES_FILE = "messages.yaml"

# A value that ends a sentence itself ("Grace O.", "Is it paid?") is not followed by the
# template's own full stop ("Thank you, Grace O.." reads wrong). Each such value is marked
# where it ends, and a full stop right after the mark is dropped once rendered.
_VALUE_END = "\x1f"
_DOUBLED_STOP = re.compile("([.!?…])" + _VALUE_END + r"((?:</[a-z]+>)*)\.(?!\.)")


class TextsError(Exception):
    """Templates failed to load; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def make_environment() -> SandboxedEnvironment:
    """The Jinja2 environment for every template Tandem renders for Telegram."""
    environment = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=mark_sentence_end,
    )
    environment.filters["plural"] = _plural
    return environment


def mark_sentence_end(value: Any) -> Any:
    """Mark the end of a value that ends with its own stop (see _VALUE_END)."""
    if isinstance(value, str) and value.endswith((".", "!", "?", "…")):
        return value + Markup(_VALUE_END)  # noqa: S704 (a constant control character)
    return value


def finish(rendered: str) -> str:
    """A rendered text without doubled stops after values, and without the marks."""
    return _DOUBLED_STOP.sub(r"\1\2", rendered).replace(_VALUE_END, "").strip()


def _plural(
    count: int, singular: str | None = None, plural: str | None = None, **forms: str
) -> str:
    """English `{{ n | plural("hour") }}` -> "1 hour", "8 hours"; a translation gives a form
    for each of its language's plural categories (CLDR's), by name:
    `{{ n | plural(one="godzina", few="godziny", many="godzin", other="godziny") }}`.
    A form with "#" in it has the number there instead of before it."""
    if singular is not None:
        word = singular if count == 1 else (plural or singular + "s")
    else:
        category = languages.plural_category(languages.current(), count)
        word = forms.get(category) or forms.get("other") or next(iter(forms.values()), "")
    if "#" in word:
        return word.replace("#", str(count))
    return f"{count} {word}"


class Texts:
    """The loaded message catalogue: `render("start.stranger", name=...)`, in the language
    being written now (bot.library.languages), falling back to English key by key."""

    def __init__(
        self,
        templates: dict[str, str],
        sources: dict[str, tuple[Path, int]],
        translations: dict[str, dict[str, str]] | None = None,
        spoken: list[Language] | None = None,
    ):
        self._templates = templates  # checked sources; each compiled when first rendered
        self._translated = translations or {}
        self._compiled: dict[tuple[str, str], Template] = {}
        self._sources = sources
        self._strings: dict[str, Template] = {}
        self._environment = make_environment()
        self.languages: dict[str, Language] = {
            language.code: language for language in (spoken or [languages.ENGLISH_LANGUAGE])
        }

    @classmethod
    def load(cls, directory: Path | None = None) -> Texts:
        """Check every template (default: the configured prompts), or raise TextsError."""
        directory = directory or configured().prompts
        templates, sources, problems = compile_file(directory / MESSAGES_FILE)
        spoken, language_problems = load_languages(directory)
        problems += language_problems
        translations: dict[str, dict[str, str]] = {}
        for folder in translation_dirs(directory):
            path = folder / MESSAGES_FILE
            if not path.is_file():
                continue
            # Checked by `tandem content check`, not at every start (issue 16); a translated
            # template that does not compile is shown in English instead (see render).
            translated, _, trouble = compile_file(path, check=False)
            problems += trouble
            translations[folder.name] = translated
        if problems:
            raise TextsError(problems)
        return cls(templates, sources, translations, spoken)

    def known_languages(self) -> frozenset[str]:
        """Codes of every language spoken (English and each translation)."""
        return frozenset(self.languages)

    def translated(self, code: str) -> dict[str, str]:
        """A translation's own templates by key (empty for English or an unknown code)."""
        return self._translated.get(code, {})

    def keys(self) -> frozenset[str]:
        """Every template key."""
        return frozenset(self._templates)

    def has(self, key: str) -> bool:
        """True when the key exists."""
        return key in self._templates

    def render(self, key: str, **context: Any) -> str:
        """The rendered text of `key` (HTML-safe), stripped of surrounding blank lines."""
        code = languages.current()
        template = self._compiled.get((code, key))
        if template is None:
            source = self._translated[code].get(key) if code in self._translated else None
            template = self._compiled_or_none(source) if source is not None else None
            if template is None:
                try:
                    source = self._templates[key]
                except KeyError:
                    raise KeyError(f"no message template {key!r} in {MESSAGES_FILE}") from None
                template = self._environment.from_string(source)
            self._compiled[(code, key)] = template
        return finish(template.render(**context))

    def _compiled_or_none(self, source: str) -> Template | None:
        """A translated template, compiled; None (so the English is shown) when it does not
        compile, which `tandem content check` reports."""
        try:
            return self._environment.from_string(source)
        except TemplateSyntaxError:
            return None

    def english(self, key: str, **context: Any) -> str:
        """The English text of `key`, whatever language is being written."""
        with languages.speaking(ENGLISH):
            return self.render(key, **context)

    def markup(self, key: str, **context: Any) -> Markup:
        """Rendered text marked safe, for including one template inside another."""
        return Markup(self.render(key, **context))  # noqa: S704 (already escaped by autoescape)

    def render_string(self, template: str, **context: Any) -> str:
        """Render a template kept elsewhere (a prompt's question, say) like the catalogue's."""
        compiled = self._strings.get(template)
        if compiled is None:
            compiled = self._strings[template] = self._environment.from_string(template)
        return finish(compiled.render(**context))

    def markup_string(self, template: str, **context: Any) -> Markup:
        """A rendered template marked safe, for including in a catalogue message."""
        return Markup(self.render_string(template, **context))  # noqa: S704 (autoescaped)

    def source(self, key: str) -> str:
        """Where a key is defined, for error messages."""
        path, line = self._sources[key]
        return f"{path}:{line}"


def compile_file(
    path: Path, *, check: bool = True
) -> tuple[dict[str, str], dict[str, tuple[Path, int]], list[Problem]]:
    templates: dict[str, str] = {}
    sources: dict[str, tuple[Path, int]] = {}
    problems: list[Problem] = []
    try:
        root = yamlio.compose(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, {}, [Problem(path, 0, "file is missing")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return {}, {}, [Problem(path, line, f"not valid YAML: {exc}")]
    environment = make_environment()
    for key, node in _leaves(root, "", path, problems):
        line = node.start_mark.line + 1
        if key in sources:
            problems.append(Problem(path, line, f"{key}: defined twice"))
        sources[key] = (path, line)
        try:
            templates[key] = _checked(environment, str(node.value)) if check else str(node.value)
        except TemplateSyntaxError as exc:
            problems.append(Problem(path, line + (exc.lineno or 1) - 1, f"{key}: {exc.message}"))
    return templates, sources, problems


def _leaves(
    node: yaml.Node | None, prefix: str, path: Path, problems: list[Problem]
) -> list[tuple[str, yaml.ScalarNode]]:
    """Flatten nested mappings into dotted keys with their scalar nodes."""
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [(prefix, node)]
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, node.start_mark.line + 1, f"{prefix}: expected text"))
        return []
    found: list[tuple[str, yaml.ScalarNode]] = []
    for key_node, value_node in node.value:
        key = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
        found.extend(_leaves(value_node, key, path, problems))
    return found


def _checked(environment: SandboxedEnvironment, source: str) -> str:
    """The source, once it parses and names only known filters and tests: the errors
    compiling it would raise, without the cost of compiling ~500 templates at every start
    (issue 16); each is compiled when first rendered."""
    tree = environment.parse(source)
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        is_filter = isinstance(node, nodes.Filter)
        if node.name not in (environment.filters if is_filter else environment.tests):
            kind = "filter" if is_filter else "test"
            raise TemplateAssertionError(f"No {kind} named {node.name!r}.", node.lineno)
    return source
