"""The role table: every command and every button action, against every role.

Roles: a stranger, a partner, a facilitator of another cohort, the cohort's facilitator, a
coordinator and a board member of the cohort (issue 17: refused everything but their own
account and their own buttons). Allowed actions work; the rest are refused plainly and
change nothing. Button actions are sent as forged callback data (a tampered client can
send any), with the ids of real things in the cohort. Nobody but the cohort's facilitator
and coordinators ever sees a partner's shared words, and nobody at all sees a private
reflection.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import ConversationState, Person, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.role_attendance import attendance_buttons
from tests.e2e.role_bookings import booking_buttons
from tests.e2e.role_champions import champion_buttons
from tests.e2e.role_claims import claim_buttons
from tests.e2e.role_sets import (
    BOARD,
    BOARDS,
    COORDINATOR,
    EVERYONE,
    FACILITATOR,
    JOINED,
    OTHER,
    OURS,
    PARTNER,
    PARTNERS,
    ROLES,
    STAFF,
    STRANGER,
)
from tests.e2e.role_state import state_of
from tests.e2e.role_world import (
    PRIVATE_WORDS,
    QUESTION_WORDS,
    SHARED_WORDS,
    World,
    build_world,
)
from tests.e2e.test_facilitator_tools import NOW, person
from tests.factories import make_cohort

# What a refusal says (each is a plain sentence with a way on; see prompts/messages.yaml).
REFUSALS = (
    "To join, you need an invite link",  # a stranger
    "only for facilitators and coordinators",  # a partner asking for staff tools
    "only champions and staff can do that",  # issue 18: hosting one-to-ones
    "only for lay partners",  # staff asking for partners' tools
    "isn't one of yours",  # another cohort's things
    "I can't find",
    "doesn't exist any more",
    "isn't in the calendar any more",
    "Only coordinators can send to every group",
    "isn't available any more",
    "I don't hold any information about you",  # a stranger asking for their data
    "not open to board members",  # issue 17: a board member asking for anything else
    "only for board members",  # a board member's own buttons, pressed by anyone else
)

# Commands: who may use each. Strangers are only told how to join.
COMMANDS: dict[str, frozenset[str]] = {
    "/help": EVERYONE,
    "/settings": EVERYONE,
    "/language": EVERYONE,  # issue 19: their own account's language
    "/pause": EVERYONE,
    "/mydata": EVERYONE,
    "/library": JOINED,
    "/explain ICB": JOINED,
    "/calendar": JOINED,
    "/reflect": JOINED,
    "/journal": JOINED,
    "/meetings": JOINED,
    "/ask": PARTNERS,
    "/pair": PARTNERS,
    "/invite": STAFF,
    "/broadcast": STAFF,
    "/broadcasts": STAFF,
    "/questions": STAFF,
    "/review": STAFF,
    "/newmeeting": STAFF,
    "/pairs": STAFF,
    "/dashboard": STAFF,
    # Agenda items from partners (issue 17)
    "/propose": PARTNERS,
    "/agenda": JOINED,
    "/measures": JOINED,  # issue 17: partners vote, staff adopt (each sees their own cohorts)
    "/claim": PARTNERS,  # issue 18: a partner's own claims
    "/champions": JOINED,  # issue 18: a partner's mentor or mentees; staff's cohorts
    # Lay partners grow (issue 18)
    "/attendance": STAFF,
    "/record": PARTNERS,
    "/book": JOINED,  # issue 18: partners book one-to-ones, staff see the times they host
}


def _buttons(w: World) -> dict[str, frozenset[str]]:
    """Button actions with real ids: who may use each."""
    return {
        callbacks.BROADCAST_TO(f"cohort.{w.cohort}"): OURS,
        callbacks.BROADCAST_TO("everyone.0"): frozenset({COORDINATOR}),
        callbacks.BROADCAST_TO(f"board.{w.cohort}"): OURS,  # issue 17: audiences by role
        callbacks.BROADCAST_TO(f"together.{w.cohort}"): OURS,
        callbacks.BROADCAST_WITHDRAW(w.broadcast): OURS,
        # Issue 19: a broadcast's words in another language; with no draft being written,
        # staff are told the button is stale (a code Tandem does not speak, the same).
        callbacks.BROADCAST_VERSION("pl"): STAFF,
        callbacks.BROADCAST_VERSION("xx"): STAFF,
        callbacks.BROADCAST_VERSION_DROP("pl"): STAFF,
        callbacks.BROADCAST_VERSIONS(): STAFF,
        callbacks.MEETING_WHO(w.meeting): OURS,
        callbacks.MEETING_SUMMARY(w.meeting): OURS,  # issue 17 part 4
        callbacks.MEETING_CANCEL(w.meeting): OURS,
        callbacks.NEW_MEETING_COHORT(w.cohort): OURS,
        callbacks.PAIR_NEW(w.cohort): OURS,
        # Another cohort's pair or partner, by forged id, shows no names.
        callbacks.PAIR_END_ASK(w.pair): OURS,
        callbacks.PAIR_FIRST(w.cohort, w.unpaired): OURS,
        callbacks.PAIR_END(w.pair): OURS,
        callbacks.MEETING_MOVE(w.meeting): OURS,
        callbacks.MEETING_CANCEL_ASK(w.meeting): OURS,
        callbacks.BROADCAST_CORRECT(w.broadcast): OURS,
        callbacks.BROADCAST_CORRECT_SEND(w.broadcast): OURS,
        callbacks.MEETING_MOVE_CONFIRM(w.meeting, int((NOW + timedelta(days=4)).timestamp())): OURS,
        callbacks.BROADCAST_WITHDRAW_ASK(w.broadcast): OURS,
        callbacks.INVITE_AS(w.cohort, "facilitator"): OURS,
        callbacks.INVITE(w.cohort): OURS,
        callbacks.INVITE_IN(w.cohort, "partner", "pl"): OURS,  # issue 19: for a Polish reader
        callbacks.QUESTION_REPLY(w.question): OURS,
        callbacks.OUTCOME_FOR_QUESTION(w.question): OURS,
        callbacks.REVIEW_FLAG(w.reflection, 0, "a"): OURS,
        callbacks.REVIEW_REPLY(w.reflection): OURS,
        callbacks.OUTCOME_FOR_REFLECTION(w.reflection): OURS,
        callbacks.REVIEW_REPLY(w.private): frozenset(),
        callbacks.REVIEW_FLAG(w.private, 0, "a"): frozenset(),
        callbacks.REVIEW_PAGE(0, "a"): STAFF,
        callbacks.RSVP(w.meeting, "yes"): frozenset({PARTNER, FACILITATOR, COORDINATOR}),
        callbacks.CALENDAR(w.meeting): frozenset({PARTNER, FACILITATOR, COORDINATOR}),
        callbacks.PAIR_STOP(): PARTNERS,
        callbacks.PAIR_WRITE(): PARTNERS,
        callbacks.REJOIN(): EVERYONE,
        # Issue 19: choosing one's own language (English keeps the table's words English);
        # a code Tandem does not speak is answered kindly with the list, and changes nothing.
        callbacks.LANGUAGE("menu"): EVERYONE,
        callbacks.LANGUAGE("en"): EVERYONE,
        callbacks.LANGUAGE("xx"): EVERYONE,
        # Only its author may file a note; anyone else's forged tap finds nothing.
        callbacks.NOTE(w.note, "journal"): PARTNERS,
        # A signpost's buttons are for the partner it was sent to, and no one else.
        callbacks.SIGNPOST_SAFE(w.own_concern): PARTNERS,
        callbacks.SIGNPOST_CONTACT(w.own_concern): PARTNERS,
        callbacks.SIGNPOST_SAFE(w.concern): frozenset(),
        callbacks.SIGNPOST_CONTACT(w.concern): frozenset(),
        # Agenda items (issue 17): partners of the cohort support others' items and share
        # or take back their own; only the cohort's staff decide; in this order.
        callbacks.AGENDA_LIST(): JOINED,
        callbacks.AGENDA_PROPOSE(): PARTNERS,
        callbacks.AGENDA_SUPPORT(w.item): PARTNERS,
        callbacks.AGENDA_COMMENT(w.item): PARTNERS,
        callbacks.AGENDA_WITHDRAW(w.item): frozenset(),
        callbacks.AGENDA_LINK(w.draft, 0): PARTNERS,
        callbacks.AGENDA_SHARE(w.draft): PARTNERS,
        callbacks.AGENDA_WITHDRAW(w.draft): PARTNERS,
        callbacks.AGENDA_ACCEPT(w.item): OURS,
        callbacks.AGENDA_ACCEPT_FOR(w.item, w.meeting): OURS,
        callbacks.AGENDA_MERGE(w.item): OURS,
        callbacks.AGENDA_DECLINE(w.item): OURS,
        callbacks.AGENDA_OUTCOME(w.accepted): OURS,
        callbacks.AGENDA_MERGE_INTO(w.item, w.accepted): OURS,
        # A pair proposes together: only Amina may ask her pair, only Bill (her pair) may
        # join, say no or leave; nobody else, whatever their role.
        callbacks.AGENDA_PAIR(w.item, "ask"): frozenset(),
        callbacks.AGENDA_PAIR(w.item, "join"): frozenset(),
        callbacks.AGENDA_PAIR(w.item, "no"): frozenset(),
        callbacks.AGENDA_PAIR(w.item, "leave"): frozenset(),
        # What matters to us (issue 17): votes for the cohort's partners, adoption for its
        # staff; another cohort's facilitator finds nothing.
        callbacks.MEASURES(): JOINED,
        callbacks.MEASURE_NEW(): PARTNERS,
        callbacks.MEASURE_VOTE(w.measure, "yes"): PARTNERS,
        callbacks.MEASURE_VOTE(w.measure, "no"): PARTNERS,
        callbacks.MEASURE_RUN(w.measure, "adopt"): OURS,
        callbacks.MEASURE_RUN(w.measure, "Adopt"): OURS,
        # Issue 17 part 4: once adopted, its staff record what changed (the flow asks).
        callbacks.MEASURE_OUTCOME(w.measure): OURS,
        callbacks.MEASURE_RUN(w.measure, "retire"): OURS,
        callbacks.MEASURE_RUN(w.measure, "Retire"): OURS,
        callbacks.TIME_ZONE_CHANGE(): EVERYONE,
        callbacks.TIME_ZONE_PLACE("Manchester, UK"): EVERYONE,
        # Issue 17: a board member answers after a meeting (this one has not happened yet:
        # told so, kindly); another board member's learning is theirs alone to send; the
        # cohort's partners react to a shared one.
        callbacks.BOARD_DIGEST(w.meeting): BOARDS,
        callbacks.BOARD_LEARNING(w.learning, "send"): frozenset(),
        callbacks.BOARD_LEARNING(w.learning, "drop"): frozenset(),
        callbacks.BOARD_REACT(w.learning, "helps"): PARTNERS,
        callbacks.BOARD_REACT(w.learning, "talk"): PARTNERS,
        **claim_buttons(w),
        **champion_buttons(w),
        **attendance_buttons(w),
        **booking_buttons(w),
    }


async def _answer(user: ChatUser, number: int) -> str:
    """Everything the bot says or toasts in answer to the last action. A marker command sent
    after it is answered after it too (each person's updates are handled in order), so
    everything before the marker's answer belongs to the action."""
    marker = f"/zz{number}"
    await user.send(marker)
    said: list[str] = []
    while True:
        event = await user.next_event(types=("message", "edit", "callback_answer"), timeout=10.0)
        if event["type"] == "callback_answer":
            said.append(str((event.get("callback_answer") or {}).get("text") or ""))
            continue
        message = event["message"]
        document = (message.get("document") or {}).get("file_name")
        text = str(message.get("text") or message.get("caption") or f"[file {document}]")
        if marker in text:
            return "\n".join(said)
        said.append(text)


def _judge(role: str, action: str, allowed: frozenset[str], said: str, changed: bool) -> list[str]:
    """What is wrong with the answer to one action (nothing, if it is right)."""
    if role in allowed:
        if _refused(said) or not said.strip():
            return [f"{action} should work for a {role}, but: {said[:200]!r}"]
        return []
    wrong = []
    if not _refused(said):
        wrong.append(f"{action} should be refused for a {role}, but: {said[:200]!r}")
    if changed:
        wrong.append(f"{action} was refused for a {role} but changed something")
    return wrong


def _end_conversations(db: Database) -> None:
    with db.transaction() as session:
        for state in session.exec(select(ConversationState)).all():
            if state.flow != "onboarding":
                session.delete(state)


def _refused(text: str) -> bool:
    return any(fragment in text for fragment in REFUSALS)


async def _cast(
    telegram: SandboxClient, db: Database, clock: FakeClock
) -> tuple[dict[str, ChatUser], dict[str, int | None], World]:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    users = {
        FACILITATOR: await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR),
        OTHER: await person(telegram, db, clock, other, "Priya", Role.FACILITATOR),
        COORDINATOR: await person(telegram, db, clock, None, "Cosmo", Role.COORDINATOR),
        PARTNER: await person(telegram, db, clock, cohort, "Chloe"),
        STRANGER: await telegram.create_user("Stan", started=True),
        BOARD: await person(telegram, db, clock, cohort, "Helen", Role.BOARD),
    }
    await person(telegram, db, clock, cohort, "Olu", Role.BOARD)
    await person(telegram, db, clock, cohort, "Amina")
    await person(telegram, db, clock, cohort, "Bill")
    with db.transaction() as session:
        found = {p.preferred_name: p.id for p in session.exec(select(Person))}
    ids = {
        "cohort": cohort.id or 0,
        "other": other.id or 0,
        "margaret": found["Margaret"] or 0,
        "amina": found["Amina"] or 0,
        "bill": found["Bill"] or 0,
        "chloe": found["Chloe"] or 0,
        "olu": found["Olu"] or 0,
    }
    person_of = {
        FACILITATOR: found["Margaret"],
        OTHER: found["Priya"],
        COORDINATOR: found["Cosmo"],
        PARTNER: found["Chloe"],
        STRANGER: None,
        BOARD: found["Helen"],
    }
    return users, person_of, build_world(db, clock, ids)


@pytest.mark.parametrize("role", ROLES)
async def test_the_role_table(
    role: str, bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    # One person sends about eighty updates here, and there are six roles.
    await bot.restart_for_a_flood()
    users, person_of, world = await _cast(telegram, db, clock)
    user, actor = users[role], person_of[role]
    failures: list[str] = []
    markers = itertools.count(1)

    actions: list[tuple[str, str, frozenset[str]]] = [
        ("send", command, allowed) for command, allowed in COMMANDS.items()
    ]
    actions += [("forge_press", data, allowed) for data, allowed in _buttons(world).items()]
    for how, action, allowed in actions:
        before = state_of(db, actor)
        await getattr(user, how)(action)
        said = await _answer(user, next(markers))
        failures += _judge(role, action, allowed, said, changed=state_of(db, actor) != before)
        _end_conversations(db)  # leave nothing waiting for typed text before the next one

    transcript = await user.transcript()
    assert PRIVATE_WORDS not in transcript, "a private reflection was shown"
    if role not in OURS:
        assert SHARED_WORDS not in transcript, f"a {role} saw another partner's reflection"
        assert QUESTION_WORDS not in transcript, f"a {role} saw another partner's question"
        assert "Amina" not in transcript, f"a {role} saw the name of another cohort's partner"
    else:
        assert SHARED_WORDS in transcript, "review shows the cohort's shared reflections"
    assert not failures, "\n".join(failures)
