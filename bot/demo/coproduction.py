"""The demo's co-production (issue 17): agenda items in every state, three adopted measures
with four months of ratings and an idea being voted on, and what two board members learned
from the last meeting, with partners' reactions.

Everything goes through the domain with a clock set to when it happened (story in
coproduction_story.py). The notices those calls queue (a decision told to a proposer, an
adoption told to the cohort...) are of things that happened days or weeks ago: they are
cancelled, so partners' chats are not flooded when the demo starts. Only the newest board
learning (Dr Okafor's, shared yesterday evening) reaches partners, so they can react to it.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.db import Database
from bot.demo.coproduction_story import (
    AGENDA,
    CHECK_IN_SHARING,
    COMMENTS,
    LEARNINGS,
    MEASURES,
    OPEN_IDEA,
    RATINGS,
    REACTIONS,
    Item,
    When,
)
from bot.demo.history import finished_reflection, local
from bot.demo.seed import COHORT, by_first_name
from bot.domain import agenda, board, measures
from bot.domain.clock import Clock, FakeClock
from bot.domain.cohorts import get_cohort
from bot.domain.outbox import cancel_pending
from bot.domain.safeguarding import Rules
from bot.library.catalogue import Library
from bot.library.timetable import local_to_utc
from bot.models import (
    Cohort,
    Delivery,
    Measure,
    MeasureStatus,
    Meeting,
    Person,
    ReactionKind,
)

CHECK_IN_DAY, CHECK_IN_AT = 12, "18:30"  # each month's check-in: the 12th, in the evening


class _Story:
    """The demo's people by first name and its moments, resolved to UTC."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self.cohort: Cohort = get_cohort(session, name=COHORT)
        self.people: dict[str, Person] = by_first_name(session)
        self.meetings: list[Meeting] = list(
            session.exec(
                select(Meeting)
                .where(Meeting.cohort_id == self.cohort.id)
                .order_by(col(Meeting.starts_at))
            ).all()
        )
        self.now = clock.now()

    def id(self, name: str) -> int:
        """A demo person's id, by first name."""
        return self.people[name].id or 0

    def at(self, when: When) -> FakeClock:
        """A clock reading the story's moment (anchored on a past meeting, or on today)."""
        anchor, days, time_of_day = when
        moment = self.now if anchor == "today" else self.meetings[int(anchor)].starts_at
        return FakeClock(local(self.cohort, moment, days, time_of_day))

    def meeting_id(self, which: int | str) -> int:
        """A past meeting's id (0 or 1), or the next one's ("next")."""
        return (self.meetings[-1] if which == "next" else self.meetings[int(which)]).id or 0


def seed_coproduction(
    db: Database, clock: Clock, *, rules: Rules, votes_each: int, library: Library
) -> None:
    """Agenda items, measures with their ratings, and board learnings, as they happened."""
    with db.transaction() as session:
        story = _Story(session, clock)
        before = session.exec(select(func.max(Delivery.id))).one() or 0
        for item in AGENDA:
            _agenda_item(session, story, item)
        _measures(session, story, rules=rules, votes_each=votes_each)
        _check_ins(session, story, library)
        _learning(session, story, *LEARNINGS[0], rules=rules, reactions=REACTIONS)
        cancel_pending(
            session,
            clock=clock,
            after_id=before,
            reason="told of something that happened before the demo began (demo history)",
        )
        _learning(session, story, *LEARNINGS[1], rules=rules, reactions=())


def _agenda_item(session: Session, story: _Story, item: Item) -> None:
    """An item proposed, supported and decided through the partners' and Margaret's steps."""
    proposer, margaret = story.id(item.by), story.id("Margaret")
    when = story.at(item.proposed)
    found = agenda.propose(session, person_id=proposer, title=item.title, clock=when)
    item_id = found.id or 0
    agenda.set_why(session, person_id=proposer, item_id=item_id, clock=when, text=item.why)
    agenda.confirm(session, person_id=proposer, item_id=item_id, clock=when)
    for name, supported, words in item.supporters:
        agenda.support(
            session, person_id=story.id(name), item_id=item_id, clock=story.at(supported)
        )
        if words is not None:
            agenda.comment(session, person_id=story.id(name), item_id=item_id, text=words)
    if item.accepted is not None:
        which, accepted = item.accepted
        agenda.accept(
            session,
            viewer_id=margaret,
            item_id=item_id,
            meeting_id=story.meeting_id(which),
            clock=story.at(accepted),
        )
    if item.outcome is not None:
        text, recorded = item.outcome
        agenda.record_outcome(
            session, viewer_id=margaret, item_id=item_id, text=text, clock=story.at(recorded)
        )
    if item.declined is not None:
        reason, declined = item.declined
        agenda.decline(
            session, viewer_id=margaret, item_id=item_id, reason=reason, clock=story.at(declined)
        )


def _month_day(today: date, months_back: int, day: int) -> date:
    """That day of the month `months_back` months before today's."""
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, day)


def _in_month(story: _Story, months_back: int, day: int, at: str) -> FakeClock:
    """A clock at a local time on a day of an earlier month (0: this month)."""
    zone = story.cohort.time_zone
    today = story.now.astimezone(ZoneInfo(zone)).date()
    hour, minute = (int(part) for part in at.split(":"))
    return FakeClock(local_to_utc(_month_day(today, months_back, day), time(hour, minute), zone))


def _measures(session: Session, story: _Story, *, rules: Rules, votes_each: int) -> None:
    """Four months ago partners proposed and voted, and Margaret adopted the three; a new
    idea is being voted on now."""
    proposed = [
        _proposed(
            session,
            story,
            measure,
            clock=_in_month(story, 4, 1 + n, "10:00"),
            rules=rules,
            votes_each=votes_each,
        )
        for n, measure in enumerate(MEASURES)
    ]
    adopted_at = _in_month(story, 4, 5, "11:00")
    for measure_id in proposed:
        measures.adopt(
            session, viewer_id=story.id("Margaret"), measure_id=measure_id, clock=adopted_at
        )
    now = story.at(("today", -6, "10:00"))
    _proposed(session, story, OPEN_IDEA, clock=now, rules=rules, votes_each=votes_each)


def _proposed(
    session: Session,
    story: _Story,
    measure_told: tuple[str, str, tuple[str, ...]],
    *,
    clock: FakeClock,
    rules: Rules,
    votes_each: int,
) -> int:
    """A measure proposed, then voted for, a few hours apart; its id."""
    by, text, voters = measure_told
    measure = measures.propose(session, person_id=story.id(by), text=text, clock=clock, rules=rules)
    for voter in voters:
        clock.advance(timedelta(hours=5))
        measures.vote(
            session,
            person_id=story.id(voter),
            measure_id=measure.id or 0,
            votes_each=votes_each,
            clock=clock,
        )
    return measure.id or 0


def _check_ins(session: Session, story: _Story, library: Library) -> None:
    """Each partner's monthly check-in over the four months before this one, rating each
    adopted measure (and a couple of comments)."""
    prompt_sets = library.prompt_sets
    adopted = [
        f"measure_{measure_id}"
        for measure_id in session.exec(
            select(Measure.id)
            .where(Measure.cohort_id == story.cohort.id, Measure.status == MeasureStatus.ADOPTED)
            .order_by(col(Measure.id))
        ).all()
    ]
    for name, ratings in RATINGS.items():
        for month in range(4):
            answers: dict[str, str | int] = {
                "confidence": min(5, 2 + month // 2),
                "support": "none",
                "wellbeing": 4,
            }
            for question, by_month in zip(adopted, ratings, strict=True):
                answers[question] = by_month[month]
            for who, when, which, words in COMMENTS:
                if who == name and when == month:
                    answers[f"{adopted[which]}_note"] = words
            finished_reflection(
                session,
                person_id=story.id(name),
                prompt_set=prompt_sets["monthly-check-in"],
                meeting_id=None,
                finished=_in_month(story, 4 - month, CHECK_IN_DAY, CHECK_IN_AT).now(),
                sharing=CHECK_IN_SHARING[name],
                answers=answers,
                prompt_sets=prompt_sets,
            )


def _learning(
    session: Session,
    story: _Story,
    name: str,
    learned: str,
    differently: str,
    when: When,
    *,
    rules: Rules,
    reactions: tuple[tuple[str, str, When], ...],
) -> None:
    """A board member's learning from the last meeting, shared with partners (by role
    only), and partners' reactions to it."""
    person, clock = story.id(name), story.at(when)
    found = board.begin(session, person_id=person, meeting_id=story.meeting_id(1), clock=clock)
    learning_id = found.id or 0
    for question, words in zip(board.QUESTIONS, (learned, differently), strict=True):
        board.answer(
            session, person_id=person, learning_id=learning_id, question=question, text=words
        )
    flagged = any(rules.check(words) is not None for words in (learned, differently))
    board.decide(
        session, person_id=person, learning_id=learning_id, send=True, flagged=flagged, clock=clock
    )
    for partner, kind, reacted in reactions:
        board.react(
            session,
            person_id=story.id(partner),
            learning_id=learning_id,
            kind=ReactionKind(kind),
            clock=story.at(reacted),
        )
