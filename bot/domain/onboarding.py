"""Onboarding and settings conversations: the steps, what each accepts, and where it leads.

The state lives in the database (bot.domain.conversation), so a restart mid-way resumes at
the same step. Two flows share the steps:

    onboarding (partner):  welcome > role > rules > support > agree > consent
                           > name > tz > quiet > (active)
    onboarding (staff):    staff > name > tz > quiet > (active)
    onboarding (board):    board > board_label > board_consent > name > tz > quiet > (active)
    settings:              one of name | tz | quiet, then back to the settings menu
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from bot.domain import board, champions, conversation, notices, places, planning
from bot.domain.clock import Clock
from bot.domain.consent import record_consent
from bot.domain.errors import InvalidInput
from bot.domain.people import get_person, set_name, set_quiet_hours, set_time_zone
from bot.domain.places import Place
from bot.domain.timezones import QuietHours, find_time_zone, parse_quiet_hours
from bot.library.timetable import Timetable
from bot.models import BoardLabel, ConsentKind, Person, PersonStatus, Role

ONBOARDING = "onboarding"
SETTINGS = "settings"


class Step(StrEnum):
    """One screen of a conversation."""

    WELCOME = "welcome"
    ROLE = "role"
    RULES = "rules"
    SUPPORT = "support"
    AGREE = "agree"
    CONSENT = "consent"
    STAFF = "staff"
    BOARD = "board"  # issue 17: expectations on the board's side
    BOARD_LABEL = "board_label"
    BOARD_CONSENT = "board_consent"
    NAME = "name"
    TIME_ZONE = "tz"
    QUIET = "quiet"


PARTNER_PATH = (
    Step.WELCOME,
    Step.ROLE,
    Step.RULES,
    Step.SUPPORT,
    Step.AGREE,
    Step.CONSENT,
    Step.NAME,
    Step.TIME_ZONE,
    Step.QUIET,
)
STAFF_PATH = (Step.STAFF, Step.NAME, Step.TIME_ZONE, Step.QUIET)
BOARD_PATH = (
    Step.BOARD,
    Step.BOARD_LABEL,
    Step.BOARD_CONSENT,
    Step.NAME,
    Step.TIME_ZONE,
    Step.QUIET,
)
SETTINGS_STEPS = (Step.NAME, Step.TIME_ZONE, Step.QUIET)

TIME_ZONE_BUTTONS = ("Europe/London", "other")
QUIET_BUTTONS = ("21-8", "22-7", "20-9", "none")

CHOICES: dict[Step, tuple[str, ...]] = {
    Step.WELCOME: ("next",),
    Step.ROLE: ("next",),
    Step.RULES: ("next",),
    Step.SUPPORT: ("next",),
    Step.AGREE: ("agree", "question", "later"),
    Step.CONSENT: ("yes", "no"),
    Step.STAFF: ("next",),
    Step.BOARD: ("agree", "later"),
    Step.BOARD_LABEL: tuple(label.value for label in BoardLabel),
    Step.BOARD_CONSENT: ("yes", "no"),
    Step.NAME: ("keep",),
    Step.TIME_ZONE: TIME_ZONE_BUTTONS,
    Step.QUIET: QUIET_BUTTONS,
}
TEXT_STEPS = frozenset({Step.NAME, Step.TIME_ZONE, Step.QUIET})


@dataclass(frozen=True)
class Progress:
    """Where a conversation stands after an answer.

    `step` is the screen to show now (None once the flow has finished); `note` names a
    message to show before it (for example why a typed answer was not understood);
    `place` is the time zone just chosen, to say back to the person.
    """

    flow: str
    step: Step | None
    note: str | None = None
    finished: bool = False
    stale: bool = False
    place: Place | None = None


def path_for(flow: str, person: Person, step: Step) -> tuple[Step, ...]:
    """The steps of `flow` for this person (settings changes are a single step)."""
    if flow == SETTINGS:
        return (step,)
    if person.role == Role.BOARD:
        return BOARD_PATH
    return PARTNER_PATH if person.role == Role.PARTNER else STAFF_PATH


def start_onboarding(session: Session, *, person: Person, clock: Clock) -> Progress:
    """Put a newly enrolled person at the first onboarding step for their role."""
    assert person.id is not None
    first = path_for(ONBOARDING, person, Step.WELCOME)[0]
    conversation.set_state(session, person_id=person.id, flow=ONBOARDING, step=first, clock=clock)
    return Progress(flow=ONBOARDING, step=first)


def start_change(session: Session, *, person_id: int, step: Step, clock: Clock) -> Progress:
    """Begin changing one setting (name, time zone or quiet hours)."""
    if step not in SETTINGS_STEPS:
        raise InvalidInput("settings.unknown")
    if step == Step.TIME_ZONE:
        places.load_soon()
    conversation.set_state(session, person_id=person_id, flow=SETTINGS, step=step, clock=clock)
    return Progress(flow=SETTINGS, step=step)


def change_time_zone(session: Session, *, person_id: int, clock: Clock) -> Progress:
    """Ask for the time zone again (a "Change time zone" tap after it was said back):
    during onboarding as its own step again, once onboarded as a settings change."""
    now = current(session, person_id=person_id)
    if now is not None and now.flow == ONBOARDING and now.step is not None:
        person = get_person(session, person_id=person_id)
        path = path_for(ONBOARDING, person, now.step)
        if now.step not in path or path.index(now.step) < path.index(Step.TIME_ZONE):
            return Progress(flow=now.flow, step=now.step, stale=True)  # not asked yet
        conversation.set_state(
            session, person_id=person_id, flow=ONBOARDING, step=Step.TIME_ZONE, clock=clock
        )
        places.load_soon()
        return Progress(flow=ONBOARDING, step=Step.TIME_ZONE)
    return start_change(session, person_id=person_id, step=Step.TIME_ZONE, clock=clock)


def current(session: Session, *, person_id: int) -> Progress | None:
    """The conversation the person is in, if it is one of these flows."""
    state = conversation.get_state(session, person_id=person_id)
    if state is None or state.flow not in (ONBOARDING, SETTINGS):
        return None
    return Progress(flow=state.flow, step=Step(state.step))


def cancel_settings_change(session: Session, *, person_id: int) -> None:
    """Drop a half-done settings change (onboarding is never dropped this way)."""
    state = conversation.get_state(session, person_id=person_id)
    if state is not None and state.flow == SETTINGS:
        conversation.clear_state(session, person_id=person_id)


def press(
    session: Session,
    *,
    person_id: int,
    flow: str,
    step: str,
    choice: str,
    clock: Clock,
    statement: str = "",
    first_name: str = "",
) -> Progress:
    """Apply a button choice made on screen `flow`/`step`; a button from an older screen is
    reported as stale with the current step."""
    now = current(session, person_id=person_id)
    if now is None or now.flow != flow or now.step != step or choice not in CHOICES[now.step]:
        return Progress(flow=now.flow, step=now.step, stale=True) if now else _no_flow(stale=True)
    person = get_person(session, person_id=person_id)
    note, place = _apply(
        session, person, now.step, clock, choice=choice, statement=statement, first_name=first_name
    )
    if note is not None:
        return Progress(flow=now.flow, step=now.step, note=note)
    return _advance(session, person, now, clock, place)


def type_text(session: Session, *, person_id: int, text: str, clock: Clock) -> Progress | None:
    """Apply typed text to the current step; None when no conversation is waiting for it."""
    now = current(session, person_id=person_id)
    if now is None or now.step is None:
        return None
    if now.step not in TEXT_STEPS:
        return Progress(flow=now.flow, step=now.step, note="use_buttons")
    person = get_person(session, person_id=person_id)
    _, place = _apply(session, person, now.step, clock, text=text)
    return _advance(session, person, now, clock, place)


def type_place(session: Session, *, person_id: int, text: str, clock: Clock) -> Progress:
    """A place suggested after a misspelling, tapped: as if typed on the time zone step
    (stale when that step has passed)."""
    now = current(session, person_id=person_id)
    if now is None or now.step != Step.TIME_ZONE:
        return Progress(flow=now.flow, step=now.step, stale=True) if now else _no_flow(stale=True)
    progress = type_text(session, person_id=person_id, text=text, clock=clock)
    assert progress is not None  # the step is waiting for text
    return progress


def _no_flow(*, stale: bool) -> Progress:
    return Progress(flow="", step=None, stale=stale)


def _apply(
    session: Session,
    person: Person,
    step: Step,
    clock: Clock,
    *,
    choice: str | None = None,
    text: str | None = None,
    statement: str = "",
    first_name: str = "",
) -> tuple[str | None, Place | None]:
    """Store the answer. Return a note key when the person stays on this step, and the
    place chosen on the time zone step."""
    assert person.id is not None
    pid = person.id
    if step == Step.AGREE and choice in ("question", "later"):
        return f"agree.{choice}", None
    if step == Step.BOARD and choice == "later":
        return "board.later", None
    if step == Step.BOARD_LABEL:
        board.set_label(session, person_id=pid, label=BoardLabel(choice or "other"), clock=clock)
    if step in _CONSENTS:
        kind, default_statement = _CONSENTS[step]
        record_consent(
            session,
            person_id=pid,
            kind=kind,
            statement=statement or default_statement,
            granted=step not in (Step.CONSENT, Step.BOARD_CONSENT) or choice == "yes",
            clock=clock,
        )
    elif step == Step.NAME:
        set_name(session, person_id=pid, name=text if text is not None else first_name, clock=clock)
    elif step == Step.TIME_ZONE:
        if choice == "other":
            places.load_soon()  # while they type
            return "tz.type", None
        place = Place(choice) if choice else find_time_zone(text or "")
        set_time_zone(session, person_id=pid, time_zone=place.zone, clock=clock)
        return None, place
    elif step == Step.QUIET:
        quiet = _quiet_from_choice(choice) if choice else parse_quiet_hours(text or "")
        set_quiet_hours(session, person_id=pid, quiet=quiet, clock=clock)
    return None, None


# Steps whose answer is a consent decision: its kind, and the words kept if the screen's own
# words are not known.
_CONSENTS = {
    Step.AGREE: (ConsentKind.EXPECTATIONS, "expectations"),
    Step.STAFF: (ConsentKind.EXPECTATIONS, "staff responsibilities"),
    Step.CONSENT: (ConsentKind.REFLECTIONS, "reflections"),
    Step.BOARD: (ConsentKind.EXPECTATIONS, "board expectations"),
    Step.BOARD_CONSENT: (ConsentKind.REFLECTIONS, "board learnings"),
}


def records_consent(step: str) -> bool:
    """Whether an answer on this step is a consent decision (the words shown are kept)."""
    return step in {s.value for s in _CONSENTS}


def _quiet_from_choice(choice: str) -> QuietHours | None:
    if choice == "none":
        return None
    start, end = (int(part) * 60 for part in choice.split("-"))
    return QuietHours(start, end)


def _advance(
    session: Session, person: Person, now: Progress, clock: Clock, place: Place | None = None
) -> Progress:
    assert person.id is not None and now.step is not None
    path = path_for(now.flow, person, now.step)
    # A role change mid-way (a second invite) can leave the step off this path: start it over.
    position = path.index(now.step) if now.step in path else -1
    if position + 1 < len(path):
        following = path[position + 1]
        if following == Step.TIME_ZONE:
            places.load_soon()  # read while the person decides, should they type a place
        conversation.set_state(
            session, person_id=person.id, flow=now.flow, step=following, clock=clock
        )
        return Progress(flow=now.flow, step=following, place=place)
    conversation.clear_state(session, person_id=person.id)
    if now.flow == ONBOARDING:
        person.status = PersonStatus.ACTIVE
        person.onboarded_at = clock.now()
        session.add(person)
    return Progress(flow=now.flow, step=None, finished=True, place=place)


def complete(
    session: Session, *, person_id: int, flow: str, timetable: Timetable, clock: Clock
) -> None:
    """After onboarding or a settings change has finished: plan what the person should get
    (joining, or a new time zone, changes what is due and when) and, when a partner has just
    joined, tell their cohort's facilitators (through the outbox); a board member's too."""
    planning.plan_person(session, person_id=person_id, timetable=timetable, clock=clock)
    role = get_person(session, person_id=person_id).role
    if flow == ONBOARDING and role in (Role.PARTNER, Role.BOARD):
        key = "notify.board_joined" if role == Role.BOARD else "notify.partner_joined"
        notices.tell_each_cohort(session, person_id=person_id, key=key, clock=clock)
    if flow == ONBOARDING and role == Role.PARTNER:  # issue 18: a champion as their mentor
        champions.offer_after_joining(session, person_id=person_id, clock=clock)
