"""Screens for reflections: the menu, each question, sharing, thanks, and the journal."""

from __future__ import annotations

import functools
import json
from html import unescape as plain_text
from typing import Any

from markupsafe import Markup

from bot.domain import review
from bot.domain.reflections import Position
from bot.domain.review import ReflectionView, describe
from bot.domain.when import local_time_label
from bot.library import languages
from bot.library.messages import Texts
from bot.library.prompts import DONT_KNOW, NO, YES, PromptQuestion, PromptSet
from bot.models import Note, Reflection, Sharing
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.screens.library import timed_label
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked

SHARING_ORDER = (Sharing.FACILITATORS, Sharing.PRIVATE, Sharing.ANONYMISED)


def sharing_of(sharing: Sharing | None) -> str:
    """The sharing level's value (an unfinished reflection counts as private)."""
    return (sharing or Sharing.PRIVATE).value


def prompt_context(name: str, cohort: str = "") -> dict[str, Any]:
    """What prompt texts may use (meetings and pairs arrive with their own features)."""
    return {"name": name, "cohort": cohort, "meeting": None, "pair": None}


def answer_words(services: Services) -> review.AnswerWords:
    """How an answer is summed up ("4 out of 5", "Skipped"), in the language being written:
    made once per language, since every tap on a question confirms its answer in them."""
    return _answer_words(services.texts, languages.current())


@functools.lru_cache(maxsize=16)
def _answer_words(texts: Texts, language: str) -> review.AnswerWords:
    return review.AnswerWords(
        skipped=plain_text(texts.render("answers.skipped")),
        voice=plain_text(texts.render("answers.voice", length="{length}")),
        out_of=plain_text(texts.render("answers.out_of", number="{number}", top="{top}")),
        yes=plain_text(texts.render("answers.yes")),
        no=plain_text(texts.render("answers.no")),
        dont_know=plain_text(texts.render("answers.dont_know")),
        none_chosen=plain_text(texts.render("answers.none_chosen")),
    )


def menu_screen(services: Services) -> Screen:
    """/reflect: choose a prompt set, or write a free journal entry."""
    texts = services.texts
    buttons = [
        Button(timed_label(services, s.title, s.minutes), callbacks.REFLECT(s.id))
        for s in services.library.listed_prompt_sets()
    ]
    if "journal" in services.library.prompt_sets:
        buttons.append(
            Button(texts.render("reflect.buttons.journal"), callbacks.REFLECT("journal"))
        )
    return Screen(texts.render("reflect.menu"), stacked(buttons))


def unfinished_screen(services: Services, position: Position) -> Screen:
    """There is a reflection in progress: carry on, start again, or throw it away."""
    texts = services.texts
    rid = position.reflection.id or 0
    return Screen(
        texts.render(
            "reflect.unfinished",
            title=position.reflection.title,
            number=position.number,
            total=position.total,
        ),
        stacked(
            [
                Button(
                    texts.render("reflect.buttons.carry_on"), callbacks.UNFINISHED(rid, "carry")
                ),
                Button(texts.render("reflect.buttons.new"), callbacks.UNFINISHED(rid, "new")),
                Button(
                    texts.render("reflect.buttons.discard"), callbacks.UNFINISHED(rid, "discard")
                ),
            ]
        ),
    )


def no_consent_screen(services: Services) -> Screen:
    """The person chose not to have answers kept: explain, and offer to change that."""
    texts = services.texts
    return Screen(
        texts.render("reflect.no_consent"),
        rows(
            Button(texts.render("settings.buttons.keep"), callbacks.SETTINGS("keep")),
            help_button(services),
        ),
    )


def intro_screen(services: Services, prompt_set: PromptSet, context: dict[str, Any]) -> Screen:
    """The words before the first question."""
    text = services.texts.render_string(prompt_set.intro, **context)
    if services.library.set_in_english_only(prompt_set.id):
        text = f"{services.texts.render('language.english_only')}\n\n{text}"
    return Screen(text)


def question_screen(services: Services, position: Position, context: dict[str, Any]) -> Screen:
    """The current question with its answer buttons and Back / Skip / Finish later."""
    question = position.question
    assert question is not None and position.reflection.id is not None
    texts = services.texts
    rid, qid = position.reflection.id, question.id
    text = texts.render(
        "reflect.question",
        title=position.prompt_set.title,
        number=position.number,
        total=position.total,
        question=_question_words(services, question, context),
        hint=question.hint,
        optional=question.optional,
        kind=question.kind,
        low=question.scale.low if question.scale else "",
        high=question.scale.high if question.scale else "",
        low_number=question.scale.min if question.scale else 1,
        high_number=question.scale.max if question.scale else 5,
        voice=question.voice,
        current=describe(position.answer, position.prompt_set, answer_words(services)).answer
        if position.answer and not position.answer.skipped
        else None,
    )
    navigation = []
    if position.number > 1:
        navigation.append(
            Button(texts.render("reflect.buttons.back"), callbacks.ANSWER(rid, qid, "back"))
        )
    if question.optional:
        navigation.append(
            Button(texts.render("reflect.buttons.skip"), callbacks.ANSWER(rid, qid, "skip"))
        )
    navigation.append(
        Button(texts.render("reflect.buttons.later"), callbacks.ANSWER(rid, qid, "later"))
    )
    return Screen(text, (*_answer_rows(services, question, position), tuple(navigation)))


def _question_words(
    services: Services, question: PromptQuestion, context: dict[str, Any]
) -> Markup:
    """A question's words: a template from the set, or (a measure's question) plain words
    that hold a partner's own sentence, shown exactly as typed."""
    if question.measure_id is not None:
        return Markup.escape(question.text)
    return services.texts.markup_string(question.text, **context)


def _answer_rows(
    services: Services, question: PromptQuestion, position: Position
) -> tuple[tuple[Button, ...], ...]:
    texts = services.texts
    rid = position.reflection.id or 0

    def data(action: str) -> str:
        return callbacks.ANSWER(rid, question.id, action)

    if question.kind == "scale" and question.scale is not None:
        numbers = range(question.scale.min, question.scale.max + 1)
        scale = tuple(Button(str(n), data(f"n:{n}")) for n in numbers)
        if question.dont_know:  # a measure's rating (issue 17)
            return (scale, (Button(question.dont_know, data(f"c:{DONT_KNOW}")),))
        return (scale,)
    if question.kind == "yes_no":
        return (
            (
                Button(texts.render("reflect.buttons.yes"), data(f"c:{YES}")),
                Button(texts.render("reflect.buttons.no"), data(f"c:{NO}")),
            ),
        )
    if question.kind == "single":
        return stacked(Button(c.label, data(f"c:{c.value}")) for c in question.choices or ())
    if question.kind == "multi":
        answer = position.answer
        ticked = set(json.loads(answer.choices)) if answer and answer.choices else set()
        choices = [
            Button(f"{'☑' if c.value in ticked else '☐'} {c.label}", data(f"t:{c.value}"))
            for c in question.choices or ()
        ]
        return (*stacked(choices), (Button(texts.render("reflect.buttons.done"), data("done")),))
    return ()


def sharing_screen(services: Services, position: Position) -> Screen:
    """Every question answered: who may read this reflection?"""
    texts = services.texts
    rid = position.reflection.id or 0
    buttons = [
        Button(
            texts.render(f"reflect.sharing.buttons.{level.value}"),
            callbacks.ANSWER(rid, "-", f"share:{level.value}"),
        )
        for level in SHARING_ORDER
    ]
    back = Button(texts.render("reflect.buttons.back"), callbacks.ANSWER(rid, "-", "back"))
    return Screen(texts.render("reflect.sharing.ask"), (*stacked(buttons), (back,)))


def finished_screen(services: Services, position: Position, context: dict[str, Any]) -> Screen:
    """Thanks, a short summary, and what to do next."""
    texts = services.texts
    reflection = position.reflection
    thanks = texts.render_string(position.prompt_set.thanks, **context)
    text = texts.render(
        "reflect.finished",
        thanks=Markup(thanks),  # noqa: S704 (rendered with autoescape)
        sharing=texts.markup(
            f"reflect.sharing.said.{(reflection.sharing or Sharing.PRIVATE).value}"
        ),
        answered=position.answered,
        contact=reflection.wants_contact,
    )
    return Screen(
        text,
        rows(
            Button(texts.render("reflect.buttons.journal_read"), callbacks.JOURNAL(0)),
            help_button(services),
        ),
    )


def journal_screen(
    services: Services, view: ReflectionView | Note | None, index: int, total: int, zone: str
) -> Screen:
    """One entry of the person's journal (a reflection or a note), newest first, with Older
    / Newer."""
    texts = services.texts
    if view is None:
        return Screen(
            texts.render("journal.empty"),
            rows(
                Button(texts.render("journal.buttons.reflect"), callbacks.REFLECT("menu")),
                help_button(services),
            ),
        )
    navigation = _journal_navigation(services, index, total)
    if isinstance(view, Note):
        text = texts.render(
            "journal.note",
            number=index + 1,
            total=total,
            when=local_time_label(view.created_at, zone, now=services.clock.now()),
            text=view.text or "",
            voice=view.voice_file_id is not None,
            status=view.status.value,
        )
        return Screen(text, rows(navigation, help_button(services)))
    text = texts.render(
        "journal.entry",
        title=view.title,
        number=index + 1,
        total=total,
        when=local_time_label(view.finished_at, zone, now=services.clock.now())
        if view.finished_at
        else "",
        sharing=texts.markup(f"reflect.sharing.said.{sharing_of(view.sharing)}"),
        answers=[(a.question, a.answer) for a in view.answers],
    )
    return Screen(
        text,
        rows(
            navigation,
            Button(texts.render("journal.buttons.sharing"), callbacks.JOURNAL_SHARING(view.id)),
            help_button(services),
        ),
    )


def change_sharing_screen(services: Services, reflection: Reflection) -> Screen:
    """Choose again who may read a finished reflection."""
    texts = services.texts
    buttons = [
        Button(
            texts.render(f"reflect.sharing.buttons.{level.value}"),
            callbacks.JOURNAL_SHARE(reflection.id or 0, level.value),
        )
        for level in SHARING_ORDER
    ]
    return Screen(texts.render("journal.sharing", title=reflection.title), stacked(buttons))


def _journal_navigation(services: Services, index: int, total: int) -> list[Button]:
    texts = services.texts
    navigation = []
    if index + 1 < total:
        navigation.append(
            Button(texts.render("journal.buttons.older"), callbacks.JOURNAL(index + 1))
        )
    if index > 0:
        navigation.append(
            Button(texts.render("journal.buttons.newer"), callbacks.JOURNAL(index - 1))
        )
    return navigation
