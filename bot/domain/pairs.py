"""Pairs: two partners of one cohort who support each other between meetings.

A facilitator pairs and unpairs partners; both are introduced by preferred name. Paired
partners get the preparation prompt before each meeting (the `pairs_only` timetable rules),
can send each other messages through the bot (no phone numbers or usernames are shared),
can stop those messages and report a problem to their facilitator, and get a gentle
"would you like to check in?" when their pair has gone quiet (each can turn that off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from bot.domain import audit, changes, notices, outbox
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.people import get_person
from bot.domain.planning import plan_meeting, upcoming_meetings
from bot.library.timetable import Timetable
from bot.models import Cohort, Membership, Pair, Person, PersonStatus, Role

RELAY_LIMIT = 2000
SILENCE = timedelta(days=10)  # how long a partner may be quiet before their pair is nudged


@dataclass(frozen=True)
class PairView:
    """A pair as a facilitator sees it."""

    pair: Pair
    first: Person
    second: Person

    @property
    def names(self) -> str:
        """ "Amira & Bill"."""
        return f"{self.first.preferred_name} & {self.second.preferred_name}"


def pair_of(session: Session, *, person_id: int) -> Pair | None:
    """The person's current pair, if they have one."""
    return session.exec(
        select(Pair).where(
            or_(Pair.first_id == person_id, Pair.second_id == person_id),
            col(Pair.ended_at).is_(None),
        )
    ).first()


def other_of(pair: Pair, person_id: int) -> int:
    """The other partner of a pair."""
    return pair.second_id if pair.first_id == person_id else pair.first_id


def buddy_of(session: Session, *, person_id: int) -> Person | None:
    """The active partner paired with this person, if any."""
    pair = pair_of(session, person_id=person_id)
    if pair is None:
        return None
    other = session.get(Person, other_of(pair, person_id))
    return other if other is not None and other.status == PersonStatus.ACTIVE else None


def pairs_in(session: Session, *, cohort_ids: list[int] | None) -> list[PairView]:
    """Current pairs in these cohorts (all cohorts for None), by cohort then names."""
    query = select(Pair).where(col(Pair.ended_at).is_(None))
    if cohort_ids is not None:
        query = query.where(col(Pair.cohort_id).in_(cohort_ids))
    pairs = list(session.exec(query.order_by(col(Pair.cohort_id), col(Pair.id))).all())
    ids = {p.first_id for p in pairs} | {p.second_id for p in pairs}
    people = (
        {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
        if ids
        else {}
    )
    return [PairView(p, people[p.first_id], people[p.second_id]) for p in pairs]


def view_of(session: Session, *, pair_id: int) -> PairView | None:
    """One current pair with both people, or None."""
    pair = session.get(Pair, pair_id)
    if pair is None or pair.ended_at is not None:
        return None
    first, second = session.get(Person, pair.first_id), session.get(Person, pair.second_id)
    return PairView(pair, first, second) if first and second else None


def managed_pair(session: Session, *, viewer_id: int, pair_id: int) -> PairView:
    """A current pair in a cohort the viewer runs; any other gets NotFound."""
    view = view_of(session, pair_id=pair_id)
    if view is None:
        raise NotFound("pairs.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=view.pair.cohort_id)
    return view


def candidates(
    session: Session, *, viewer_id: int, cohort_id: int, first_id: int | None = None
) -> tuple[Person | None, list[Person]]:
    """Partners of a cohort the viewer runs who could be paired: the first one chosen (if
    any, and only from these), and the others."""
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    free = unpaired_partners(session, cohort_id=cohort_id)
    if first_id is None:
        return None, free
    first = next((p for p in free if p.id == first_id), None)
    if first is None:
        raise NotFound("pairs.not_in_cohort")
    return first, [p for p in free if p.id != first_id]


@dataclass(frozen=True)
class MyPair:
    """A partner's own pair, as they see it."""

    buddy: Person
    stopped: bool  # they stopped messages from their pair
    nudges: bool  # they get "would you like to check in?" when their pair is quiet


def mine(session: Session, *, person_id: int) -> MyPair | None:
    """The person's pair and their choices about it (None: no pair, or the other left)."""
    pair = pair_of(session, person_id=person_id)
    buddy = buddy_of(session, person_id=person_id)
    if pair is None or buddy is None:
        return None
    first = pair.first_id == person_id
    stopped = pair.first_stopped_relay if first else pair.second_stopped_relay
    return MyPair(buddy, stopped, get_person(session, person_id=person_id).buddy_nudges)


def unpaired_partners(session: Session, *, cohort_id: int) -> list[Person]:
    """Active partners of a cohort who have no pair, by name."""
    paired = {
        person
        for pair in session.exec(
            select(Pair).where(Pair.cohort_id == cohort_id, col(Pair.ended_at).is_(None))
        )
        for person in (pair.first_id, pair.second_id)
    }
    members = session.exec(
        select(Person)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .order_by(col(Person.preferred_name))
    ).all()
    return [p for p in members if p.id not in paired]


def _partner_in(session: Session, person_id: int, cohort_id: int) -> Person:
    person = session.get(Person, person_id)
    member = session.exec(
        select(Membership).where(
            Membership.person_id == person_id,
            Membership.cohort_id == cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
        )
    ).first()
    if person is None or member is None or person.status != PersonStatus.ACTIVE:
        raise NotFound("pairs.not_in_cohort")
    return person


def make_pair(
    session: Session,
    *,
    viewer_id: int,
    cohort_id: int,
    first_id: int,
    second_id: int,
    clock: Clock,
    timetable: Timetable,
) -> Pair:
    """Pair two partners of a cohort the viewer runs; both are introduced to each other,
    and their preparation prompts for upcoming meetings are planned."""
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    if first_id == second_id:
        raise InvalidInput("pairs.same_person")
    first = _partner_in(session, first_id, cohort_id)
    second = _partner_in(session, second_id, cohort_id)
    for person in (first, second):
        if pair_of(session, person_id=person.id or 0) is not None:
            raise Conflict("pairs.already_paired", name=person.preferred_name or "")
    now = clock.now()
    pair = Pair(cohort_id=cohort_id, first_id=first_id, second_id=second_id, created_at=now)
    session.add(pair)
    session.flush()
    cohort = session.get(Cohort, cohort_id)
    for person, other in ((first, second), (second, first)):
        notices.notify(
            session,
            person_ids=[person.id or 0],
            key="notify.pair_intro",
            clock=clock,
            params={"pair": other.preferred_name or "", "cohort": cohort.name if cohort else ""},
            buttons=[[("pairs.buttons.message", "pair.write", ())]],
            about=other.id,
        )
    for meeting in upcoming_meetings(session, cohort_ids=[cohort_id], now=now):
        plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
    audit.record(
        session,
        clock=clock,
        action="pair.made",
        actor_id=viewer_id,
        detail=f"pair {pair.id} in cohort {cohort_id}",
    )
    return pair


def end_pair(session: Session, *, viewer_id: int, pair_id: int, clock: Clock) -> Pair:
    """Unpair: relays stop and the pair's pending preparation prompts are cancelled."""
    pair = session.get(Pair, pair_id)
    if pair is None or pair.ended_at is not None:
        raise NotFound("pairs.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=pair.cohort_id)
    pair.ended_at = clock.now()
    session.add(pair)
    for person_id in (pair.first_id, pair.second_id):
        outbox.cancel_pending(
            session,
            person_id=person_id,
            purposes=PAIR_PURPOSES,
            reason="unpaired",
            clock=clock,
        )
    audit.record(
        session, clock=clock, action="pair.ended", actor_id=viewer_id, detail=f"pair {pair.id}"
    )
    return pair


PAIR_PURPOSES = ("pair_prep",)


@dataclass(frozen=True)
class Relay:
    """A message on its way to a pair, or why it cannot go."""

    to: Person | None
    refused: str | None = None


def relay(session: Session, *, sender_id: int, text: str, clock: Clock) -> Relay:
    """Pass a partner's words to their pair, under the sender's preferred name only."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("pairs.empty")
    if len(cleaned) > RELAY_LIMIT:
        raise InvalidInput("pairs.too_long", limit=RELAY_LIMIT, length=len(cleaned))
    pair = pair_of(session, person_id=sender_id)
    if pair is None:
        raise NotFound("pairs.none")
    other = session.get(Person, other_of(pair, sender_id))
    if other is None or other.status != PersonStatus.ACTIVE:
        return Relay(None, "pairs.unavailable")
    receiver_stopped = (
        pair.first_stopped_relay if other.id == pair.first_id else (pair.second_stopped_relay)
    )
    if receiver_stopped:
        return Relay(other, "pairs.not_taking")
    sender = get_person(session, person_id=sender_id)
    notices.notify(
        session,
        person_ids=[other.id or 0],
        key="notify.relay",
        clock=clock,
        params={"name": sender.preferred_name or "", "text": cleaned},
        buttons=[
            [("pairs.buttons.reply", "pair.write", ())],
            [("pairs.buttons.stop", "pair.stop", ()), ("pairs.buttons.report", "pair.report", ())],
        ],
        about=sender_id,
    )
    return Relay(other)


def set_relay_stopped(session: Session, *, person_id: int, stopped: bool, clock: Clock) -> Pair:
    """Stop (or restart) messages relayed from this person's pair."""
    pair = pair_of(session, person_id=person_id)
    if pair is None:
        raise NotFound("pairs.none")
    if pair.first_id == person_id:
        was, pair.first_stopped_relay = pair.first_stopped_relay, stopped
    else:
        was, pair.second_stopped_relay = pair.second_stopped_relay, stopped
    session.add(pair)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.PAIR_MESSAGES,
        old=changes.on_off(not was),
        new=changes.on_off(not stopped),
        clock=clock,
    )
    return pair


def report_problem(session: Session, *, person_id: int, text: str, clock: Clock) -> list[int]:
    """Tell the cohort's facilitators that a partner has a problem with their pair."""
    pair = pair_of(session, person_id=person_id)
    if pair is None:
        raise NotFound("pairs.none")
    reporter = get_person(session, person_id=person_id)
    other = get_person(session, person_id=other_of(pair, person_id))
    staff = notices.facilitator_ids(session, cohort_ids=[pair.cohort_id]) or (
        notices.coordinator_ids(session)
    )
    notices.notify(
        session,
        person_ids=staff,
        key="notify.pair_problem",
        clock=clock,
        params={
            "name": reporter.preferred_name or "",
            "pair": other.preferred_name or "",
            "text": text.strip(),  # whole: at most one Telegram message, 4,096 characters
        },
        about=person_id,
    )
    audit.record(
        session,
        clock=clock,
        action="pair.problem_reported",
        actor_id=person_id,
        subject_id=other.id,
        detail=f"pair {pair.id}",
    )
    return staff


def set_buddy_nudges(session: Session, *, person_id: int, on: bool, clock: Clock) -> Person:
    """Whether this person is told when their pair has gone quiet."""
    person = get_person(session, person_id=person_id)
    was, person.buddy_nudges = person.buddy_nudges, on
    session.add(person)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.BUDDY_REMINDERS,
        old=changes.on_off(was),
        new=changes.on_off(on),
        clock=clock,
    )
    return person


def nudge_quiet_pairs(session: Session, *, clock: Clock, silence: timedelta = SILENCE) -> int:
    """For each pair where one partner has been silent for `silence`, ask the other (if they
    have not turned this off) whether they would like to check in. Once per silence."""
    now = clock.now()
    sent = 0
    for view in pairs_in(session, cohort_ids=None):
        for quiet, other in ((view.first, view.second), (view.second, view.first)):
            since = _last_heard(quiet, view.pair)
            if since is None or now - since < silence:
                continue
            if not other.buddy_nudges or other.status != PersonStatus.ACTIVE:
                continue
            if quiet.status != PersonStatus.ACTIVE:
                continue
            sent += notices.notify(
                session,
                person_ids=[other.id or 0],
                key="notify.buddy_nudge",
                clock=clock,
                params={"pair": quiet.preferred_name or "", "days": (now - since).days},
                buttons=[
                    [("pairs.buttons.check_in", "pair.write", ())],
                    [("pairs.buttons.nudges_off", "pair.nudges", ("off",))],
                ],
                dedupe=f"buddy{view.pair.id}.{since:%Y%m%d%H}",
                about=quiet.id,
            )
    return sent


def _last_heard(person: Person, pair: Pair) -> datetime | None:
    """When we last heard from the person (never before the pair was formed)."""
    moments = [m for m in (person.last_seen_at, person.onboarded_at, pair.created_at) if m]
    return max(moments) if moments else None
