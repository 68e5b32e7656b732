"""The screens of the onboarding and settings conversations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, overload
from zoneinfo import ZoneInfo

from bot.db import Session
from bot.domain import onboarding, people
from bot.domain.onboarding import Progress, Step
from bot.domain.places import Place
from bot.domain.when import zone_label
from bot.library import languages
from bot.models import Person, Role
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.screens.language import language_buttons, language_name
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked

ROLE_KEYS = {
    Role.PARTNER: "roles.partner",
    Role.FACILITATOR: "roles.facilitator",
    Role.COORDINATOR: "roles.coordinator",
    Role.BOARD: "roles.board",
}


class _Later(Sequence[str]):
    """A list worked out only if a template uses it (few screens name the facilitators)."""

    def __init__(self, load: Callable[[], list[str]]) -> None:
        self._load = load
        self._items: list[str] | None = None

    def _all(self) -> list[str]:
        if self._items is None:
            self._items = self._load()
        return self._items

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


def cohort_context(session: Session, services: Services, person: Person) -> dict[str, Any]:
    """What onboarding texts say about the person's programme: names, hours, contacts."""
    assert person.id is not None
    facts = people.programme_of(session, person_id=person.id)
    first = facts.cohort_ids[0] if facts.cohort_ids else None
    return {
        "cohort": facts.cohort_names[0] if facts.cohort_names else "",
        "cohorts": list(facts.cohort_names),
        "programme": facts.programme,
        "hours": facts.hours_per_month,
        "meetings": facts.meetings_note,
        "contact": facts.contact,
        "facilitators": _Later(
            lambda: (
                people.facilitator_names(session, cohort_id=first, besides=person.id)
                if first is not None
                else []
            )
        ),
        "role_label": services.texts.render(ROLE_KEYS[person.role]),
        "role": person.role.value,
    }


def step_screen(
    session: Session, services: Services, person: Person, progress: Progress, first_name: str
) -> Screen:
    """The screen for the step a conversation is on."""
    assert progress.step is not None
    texts, step, flow = services.texts, progress.step, progress.flow
    context = cohort_context(session, services, person) | {
        "first_name": first_name,
        "name": person.preferred_name or first_name,
        "in_settings": flow == onboarding.SETTINGS,
    }
    text = texts.render(f"onboarding.{step}.text", **context)
    buttons = [
        Button(
            texts.render(_label_key(step, choice), **context),
            callbacks.FLOW_CHOICE(flow, step, choice),
        )
        for choice in onboarding.CHOICES[step]
        if not (step == Step.NAME and choice == "keep" and not first_name.strip())
    ]
    if flow == onboarding.SETTINGS:
        buttons.append(Button(texts.render("buttons.cancel"), callbacks.SETTINGS("done")))
    screen = Screen(text, _layout(step, buttons))
    if flow == onboarding.ONBOARDING and step == onboarding.path_for(flow, person, step)[0]:
        screen = _offer_languages(services, screen)
    if progress.note:
        screen = screen.with_text_before(
            texts.render(f"onboarding.notes.{progress.note}", **context)
        )
    return screen


def _offer_languages(services: Services, screen: Screen) -> Screen:
    """On the first screen, when the person's Telegram is not in English (or says no
    language): the languages Tandem writes in, one tap to switch ("Polski ✓ / English")."""
    if languages.english_app() or len(services.texts.languages) < 2:
        return screen
    offer = services.texts.render("language.offer", language=language_name(services))
    return Screen(f"{screen.text}\n\n{offer}", (*screen.rows, tuple(language_buttons(services))))


def _label_key(step: Step, choice: str) -> str:
    if step == Step.TIME_ZONE:
        return "onboarding.tz.other" if choice == "other" else "onboarding.tz.london"
    return f"onboarding.{step}.{choice}"


def _layout(step: Step, buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    if step == Step.AGREE:
        return rows(buttons[0], buttons[1:])
    return stacked(buttons)


def current_screen(session: Session, services: Services, person: Person, first_name: str) -> Screen:
    """The screen of whatever conversation step the person is on, or help if none."""
    assert person.id is not None
    progress = onboarding.current(session, person_id=person.id)
    if progress is None or progress.step is None:
        return Screen(services.texts.render("flow.nothing_pending"), rows(help_button(services)))
    return step_screen(session, services, person, progress, first_name)


def finished_screen(session: Session, services: Services, person: Person) -> Screen:
    """What a person sees when onboarding is complete."""
    context = cohort_context(session, services, person) | {"name": person.preferred_name}
    key = {Role.PARTNER: "onboarding.done.partner", Role.BOARD: "onboarding.done.board"}.get(
        person.role, "onboarding.done.staff"
    )
    return Screen(
        services.texts.render(key, **context),
        rows(
            help_button(services),
            Button(services.texts.render("buttons.settings"), "settings:show"),
        ),
    )


def said_back(services: Services, place: Place, change: str) -> str:
    """The place and time zone just chosen, and the time there now ("Got it: Manchester,
    UK. UK time: it's 10:15 there now."), saying which button (`change`) changes it."""
    local = services.clock.now().astimezone(ZoneInfo(place.zone))
    return services.texts.render(
        "places.chosen",
        place=place.name,
        several=place.several_zones,
        elsewhere=place.elsewhere,
        uk=place.zone == "Europe/London",
        city=zone_label(place.zone),
        local_time=f"{local:%H:%M}",
        change=change,
    )


def place_screen(services: Services, place: Place) -> Screen:
    """The place just chosen said back, with a button to change it."""
    label = services.texts.render("places.change")
    return Screen(
        said_back(services, place, label), rows(Button(label, callbacks.TIME_ZONE_CHANGE()))
    )


def suggestion_buttons(suggestions: Sequence[str]) -> list[Button]:
    """One button for each place suggested after a misspelling ("Manchester, UK")."""
    return [Button(name, callbacks.TIME_ZONE_PLACE(name)) for name in suggestions]
