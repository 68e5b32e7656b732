"""The shipped translations (issue 19): each renders as Telegram HTML with real-world values
and says what the English says in the shape the code needs; `tandem content check` names
the file, key and fault when a copy is broken (a placeholder lost, a tag left open, a plural
form missing, a question's value changed, a page lost, a crisis number dropped)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from jinja2 import meta

from bot.library import languages
from bot.library.catalogue import Library
from bot.library.messages import Texts, make_environment
from bot.library.paths import CONTENT_DIR, PROMPTS_DIR
from bot.library.translations import message_translation_problems, unreviewed
from bot.library.validate import check_all
from tests.library.template_values import ROUNDS, telegram_html_problems, values_for

TEXTS = Texts.load()
SHIPPED = ("pl", "ar")
_ENVIRONMENT = make_environment()
_KEYS = [(code, key) for code in SHIPPED for key in sorted(TEXTS.translated(code))]


def test_polish_and_arabic_are_shipped_complete_and_marked_unreviewed() -> None:
    assert set(SHIPPED) <= TEXTS.known_languages()
    assert TEXTS.languages["ar"].right_to_left and not TEXTS.languages["pl"].right_to_left
    for code in SHIPPED:
        assert set(TEXTS.translated(code)) == TEXTS.keys(), code  # every string a person reads
    assert message_translation_problems(PROMPTS_DIR) == []
    waiting = unreviewed(PROMPTS_DIR, CONTENT_DIR)
    for code in SHIPPED:  # nobody is recorded as having reviewed them yet
        assert "prompts/messages.yaml" in waiting[code]
        assert "content/glossary.yaml" in waiting[code]


def test_the_first_briefings_question_sets_glossary_and_signposts_are_translated() -> None:
    library = Library.load_or_fail()
    first = (
        "your-role-and-what-to-expect",
        "co-production-vs-engagement",
        "how-the-nhs-is-organised",
        "working-in-pairs",
        "looking-after-yourself",
    )
    for code in SHIPPED:
        with languages.speaking(code):
            assert all(library.briefings[b].language == code for b in first), code
            assert all(not library.set_in_english_only(s) for s in library.english.prompt_sets)
            terms = library.glossary.terms
            assert all(term.language == code for term in terms), code
            icb = library.glossary.lookup("ICB")  # still found by its English abbreviation
            assert icb is not None and icb.english == "Integrated care board"
            assert library.glossary.lookup(icb.term) == icb  # and by its name in the language


@pytest.mark.parametrize(("code", "key"), _KEYS, ids=lambda value: str(value))
def test_every_translated_message_renders_as_telegram_html(code: str, key: str) -> None:
    source = TEXTS.translated(code)[key]
    variables = set(meta.find_undeclared_variables(_ENVIRONMENT.parse(source)))
    for round_ in range(ROUNDS):
        values = values_for(key, variables, round_)
        with languages.speaking(code):
            rendered = TEXTS.render(key, **values)
        assert telegram_html_problems(rendered) == [], (key, rendered)
        assert "None" not in re.sub(r"<[^>]+>", "", rendered), (key, rendered)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of content/ and prompts/ to break; the folder holding both."""
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    shutil.copytree(PROMPTS_DIR, tmp_path / "prompts")
    return tmp_path


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(copy: Path) -> list[str]:
    return [str(problem) for problem in check_all(copy / "content", copy / "prompts").problems]


def test_the_shipped_copy_is_clean(copy: Path) -> None:
    assert _problems(copy) == []


def test_a_lost_placeholder_is_caught(copy: Path) -> None:
    polish = copy / "prompts" / "translations" / "pl" / "messages.yaml"
    source = TEXTS.translated("pl")["start.rejoined"]
    assert "{{ name }}" in source
    _break(polish, source.splitlines()[0], source.splitlines()[0].replace("{{ name }}", "Ola"))
    problems = _problems(copy)
    assert any(
        p.startswith(f"{polish}:") and "start.rejoined: placeholder(s) missing: name" in p
        for p in problems
    ), problems


def test_an_unbalanced_tag_is_caught(copy: Path) -> None:
    arabic = copy / "prompts" / "translations" / "ar" / "messages.yaml"
    source = TEXTS.translated("ar")["language.changed_short"]
    assert "</b>" in source
    _break(arabic, source, source.replace("</b>", "", 1))
    problems = _problems(copy)
    assert any(
        p.startswith(f"{arabic}:") and "language.changed_short: HTML tags differ" in p
        for p in problems
    ), problems
    assert any("language.changed_short: unbalanced HTML" in p for p in problems), problems


def test_a_missing_plural_form_is_caught(copy: Path) -> None:
    polish = copy / "prompts" / "translations" / "pl" / "messages.yaml"
    line = next(line for line in polish.read_text(encoding="utf-8").splitlines() if "many=" in line)
    broken = re.sub(r',\s*many="[^"]*"', "", line)
    assert broken != line
    _break(polish, line, broken)
    problems = _problems(copy)
    assert any(
        "plural needs a form for each of Polish's categories (few, many, one, other); "
        "missing: many" in p
        for p in problems
    ), problems


def test_arabic_needs_all_six_plural_forms() -> None:
    assert languages.plural_categories("ar") == {"zero", "one", "two", "few", "many", "other"}
    assert languages.plural_categories("pl") == {"one", "few", "many", "other"}
    with languages.speaking("pl"):
        forms = {"one": "godzina", "few": "godziny", "many": "godzin", "other": "godziny"}
        rendered = [TEXTS.render_string("{{ n | plural(**f) }}", n=n, f=forms) for n in (1, 3, 5)]
    assert rendered == ["1 godzina", "3 godziny", "5 godzin"]


def test_a_missing_key_and_an_unknown_key_are_caught(copy: Path) -> None:
    polish = copy / "prompts" / "translations" / "pl" / "messages.yaml"
    _break(polish, "\nbuttons:\n", "\nbuttonz:\n")
    problems = _problems(copy)
    assert any("buttons.help: not translated" in p for p in problems), problems
    assert any("buttonz.help: no such key in the English" in p for p in problems), problems


def test_a_question_set_that_changes_a_value_is_caught_and_not_used(copy: Path) -> None:
    sets = copy / "prompts" / "translations" / "ar" / "sets"
    _break(sets / "before-meeting.yaml", "value: some", "value: somee")
    problems = _problems(copy)
    assert any(
        p.startswith(f"{sets / 'before-meeting.yaml'}:") and "keep the English's ids" in p
        for p in problems
    ), problems
    library, _ = Library.load(copy / "content", copy / "prompts")
    with languages.speaking("ar"):
        assert library.set_in_english_only("before-meeting")  # the English is used instead


def test_a_briefing_that_loses_a_page_is_caught(copy: Path) -> None:
    briefing = copy / "content" / "translations" / "pl" / "briefings" / "working-in-pairs.md"
    text = briefing.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    _break(briefing, f"\n{headings[1]}\n", "\n")
    problems = _problems(copy)
    assert any(p.startswith(f"{briefing}:") and "but the English has" in p for p in problems), (
        problems
    )


def test_a_signpost_that_drops_a_crisis_number_is_caught(copy: Path) -> None:
    signposts = copy / "prompts" / "translations" / "pl" / "signposts.yaml"
    _break(signposts, "116 123", "116 132")
    problems = _problems(copy)
    assert any(
        p.startswith(f"{signposts}:") and "lacks the number(s) the English lists: 116 123" in p
        for p in problems
    ), problems


def test_a_language_that_does_not_exist_is_caught(copy: Path) -> None:
    folder = copy / "prompts" / "translations" / "xx"
    folder.mkdir()
    (folder / "language.yaml").write_text("name: X\nenglish_name: X\n", encoding="utf-8")
    assert any("'xx' is not a language code CLDR knows" in p for p in _problems(copy))


def test_a_translated_template_that_does_not_compile_is_shown_in_english(copy: Path) -> None:
    polish = copy / "prompts" / "translations" / "pl" / "messages.yaml"
    source = TEXTS.translated("pl")["start.active"]
    _break(polish, source.splitlines()[0], source.splitlines()[0] + " {% if %}")
    texts = Texts.load(copy / "prompts")  # the bot still starts
    with languages.speaking("pl"):
        assert texts.render("start.active", name="Ola") == TEXTS.english("start.active", name="Ola")
    assert any("start.active" in p and "pl" in p for p in _problems(copy))  # and CI says why
