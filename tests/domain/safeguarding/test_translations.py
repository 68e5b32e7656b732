"""Polish and Arabic phrases (prompts/translations/*/safeguarding.yaml, issue 19): loaded
with the English into the same categories and checked on every message, whatever its
language; what alerts and what stays quiet in each; and a broken translation reported with
its file and line, as `tandem content check` shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.safeguarding import (
    RULES_FILE,
    RULES_PATH,
    Rules,
    default_rules,
    load_rules,
    normalise,
)
from bot.library.paths import CONTENT_DIR, PROMPTS_DIR
from bot.library.validate import check_all
from tests.domain.safeguarding.rule_files import (
    CATEGORIES,
    LANGUAGES,
    TRANSLATED_ALERTS,
    TRANSLATED_QUIET,
    write,
)

TRANSLATIONS = PROMPTS_DIR / "translations"
# One plain statement per language, to put beside talk about services.
STATEMENTS = {
    "pl": ("Chcę się zabić", "Mąż mnie bije", "Wzięłam za dużo tabletek"),
    "ar": ("أريد أن أموت", "زوجي يضربني", "أخذت جرعة زائدة"),
}


def test_every_language_has_plenty_of_examples_of_every_category() -> None:
    for language in LANGUAGES:
        alerts = [category for lang, category, _ in TRANSLATED_ALERTS if lang == language]
        assert set(alerts) == set(CATEGORIES), language
        assert len(alerts) >= 25, language
        assert sum(1 for lang, _ in TRANSLATED_QUIET if lang == language) >= 20, language


def test_each_translation_awaits_sign_off_and_says_so(rules: Rules) -> None:
    for language in LANGUAGES:
        header = (TRANSLATIONS / language / RULES_FILE).read_text(encoding="utf-8")[:1500]
        assert "CLINICAL SIGN-OFF NEEDED" in header, language
        assert "native" in header and "clinical safety officer" in header, language
    assert rules.reviewed == load_rules(RULES_PATH)[0].reviewed  # the English file's


@pytest.mark.parametrize(
    ("language", "category", "text"), TRANSLATED_ALERTS, ids=[t for _, _, t in TRANSLATED_ALERTS]
)
def test_these_alert(rules: Rules, language: str, category: str, text: str) -> None:
    match = rules.check(text)
    assert match is not None, text
    assert (match.category, match.language) == (category, language), (match.phrase, match.rule)
    assert match.phrase in " ".join(normalise(text).split())


@pytest.mark.parametrize(
    ("language", "text"), TRANSLATED_QUIET, ids=[t for _, t in TRANSLATED_QUIET]
)
def test_these_stay_quiet(rules: Rules, language: str, text: str) -> None:
    match = rules.check(text)
    assert match is None, (match.category, match.phrase, match.rule) if match else None


@pytest.mark.parametrize(
    ("language", "text"), TRANSLATED_QUIET, ids=[t for _, t in TRANSLATED_QUIET]
)
def test_talk_about_services_never_hides_a_statement_beside_it(
    rules: Rules, language: str, text: str
) -> None:
    for statement in STATEMENTS[language]:
        assert rules.check(f"{text}\n{statement}") is not None, statement
        assert rules.check(f"{statement}. {text}") is not None, statement


def test_a_match_names_its_language_and_its_line_in_that_file(rules: Rules) -> None:
    for language, text in (("pl", "Szczerze? Chcę się ZABIĆ."), ("ar", "وَسَأَنْتَحِرُ اللّيلةَ")):
        match = rules.check(text)
        assert match is not None and match.language == language, text
        lines = (TRANSLATIONS / language / RULES_FILE).read_text(encoding="utf-8").splitlines()
        assert lines[match.line - 1].strip() == f"- {match.rule}"
    match = rules.check("I want to end my life")
    assert match is not None and match.language == "en"


def test_every_language_is_checked_on_every_message(rules: Rules) -> None:
    for text, category, language in (
        ("Thanks for the papers. Ale szczerze: nie chcę już żyć", "suicide", "pl"),
        ("See you on Thursday. زوجي يضربني", "abuse", "ar"),
        ("Dziękuję! I can't cope any more", "not_coping", "en"),
    ):
        match = rules.check(text)
        assert match is not None, text
        assert (match.category, match.language) == (category, language)


def test_the_english_order_of_categories_decides(rules: Rules) -> None:
    assert [category.name for category in rules.categories] == CATEGORIES
    for text in (
        "Chcę umrzeć. Wzięłam za dużo tabletek",
        "أريد أن أموت. I've taken an overdose",
        "I want to die. أخذت جرعة زائدة",
    ):
        match = rules.check(text)
        assert match is not None and match.category == "emergency", text


ENGLISH = """
    reviewed: 2026-11-27
    reviewed_by: Tester
    categories:
      suicide:
        label: thoughts of suicide
        kind: suicide
        phrases: [I want to die]
      abuse:
        label: being harmed or abused
        kind: abuse
        phrases: [he hits me]
    """


def _translation(tmp_path: Path, language: str, text: str) -> Path:
    folder = tmp_path / "translations" / language
    folder.mkdir(parents=True)
    return write(folder, text)


def test_a_translation_has_the_english_categories_labels_and_kinds(tmp_path: Path) -> None:
    english = write(tmp_path, ENGLISH)
    polish = _translation(
        tmp_path,
        "pl",
        """
        categories:
          abuse:
            label: przemoc
            kind: abuse
            phrases: [on mnie bije]
          suicide:
            label: thoughts of suicide
            kind: crisis
            phrases: [chcę umrzeć]
          colour:
            label: colour
            phrases: [niebieski]
        """,
    )
    rules, problems = load_rules(english)
    assert [(p.path, p.line) for p in problems] == [(polish, 2), (polish, 6), (polish, 10)]
    assert "must have the English label 'being harmed or abused'" in problems[0].message
    assert "and kind 'suicide', not 'thoughts of suicide' and 'crisis'" in problems[1].message
    assert "category colour is not in English; use suicide, abuse" in problems[2].message
    assert [category.name for category in rules.categories] == ["suicide", "abuse"]
    match = rules.check("Chcę umrzeć. On mnie bije")
    assert match is not None and (match.category, match.language) == ("suicide", "pl")
    assert rules.check("niebieski") is None


def test_a_translation_that_leaves_out_a_category_is_a_problem(tmp_path: Path) -> None:
    english = write(tmp_path, ENGLISH)
    arabic = _translation(
        tmp_path,
        "ar",
        """
        lists:
          want: [أريد/بدي]
        categories:
          suicide:
            label: thoughts of suicide
            kind: suicide
            phrases: [<want> أموت]
        """,
    )
    rules, problems = load_rules(english)
    assert [str(problem) for problem in problems] == [
        f"{arabic}:4: the English categories abuse are missing"
    ]
    match = rules.check("بدي أموت")
    assert match is not None and match.language == "ar"


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the shipped English and Polish phrases to break; the English file."""
    shutil.copy(RULES_PATH, tmp_path / RULES_FILE)
    (tmp_path / "translations" / "pl").mkdir(parents=True)
    shutil.copy(TRANSLATIONS / "pl" / RULES_FILE, tmp_path / "translations" / "pl" / RULES_FILE)
    return tmp_path / RULES_FILE


def _break(path: Path, old: str, new: str) -> int:
    """Replaces old with new in a file; the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_broken_polish_phrase_is_reported_with_its_file_and_line(shipped_copy: Path) -> None:
    polish = shipped_copy.parent / "translations" / "pl" / RULES_FILE
    line = _break(polish, "      - duszę się <end>\n", "      - duszę się <end> teraz\n")
    rules, problems = load_rules(shipped_copy)
    assert [(p.path, p.line) for p in problems] == [(polish, line)]
    assert "<end> goes at the very end" in problems[0].message
    match = rules.check("Chcę się zabić")  # the rest of the file still works
    assert match is not None and match.language == "pl"
    with pytest.raises(ValueError, match=f"{polish}:{line}: "):
        default_rules(shipped_copy)


def test_a_polish_file_that_is_not_yaml_is_reported_with_its_line(shipped_copy: Path) -> None:
    polish = shipped_copy.parent / "translations" / "pl" / RULES_FILE
    line = _break(polish, "  emergency:\n", "  emergency: [\n")
    rules, problems = load_rules(shipped_copy)
    assert len(problems) == 1 and problems[0].path == polish
    assert problems[0].line >= line and "not valid YAML" in problems[0].message
    assert rules.check("I want to end my life") is not None  # English still loads
    assert rules.check("Chcę się zabić") is None


def test_content_check_reports_a_broken_translation(tmp_path: Path) -> None:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    shutil.copytree(PROMPTS_DIR, tmp_path / "prompts")
    arabic = tmp_path / "prompts" / "translations" / "ar" / RULES_FILE
    line = _break(arabic, "      - حياتي بلا/مالها معنى\n", "      - حياتي بلا/مالها معنى)\n")
    problems = [str(p) for p in check_all(tmp_path / "content", tmp_path / "prompts").problems]
    assert [p for p in problems if RULES_FILE in p] == [
        f"{arabic}:{line}: phrases: 'حياتي بلا/مالها معنى)': ')' has no partner; "
        "brackets come in pairs, like (so/really)"
    ]
