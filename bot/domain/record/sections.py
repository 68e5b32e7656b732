"""The sections of a partner's record of contribution (issue 18), one provider each.

A provider takes the facts (`RecordFacts`) and returns its `RecordSection`: a key (its
heading is the text record.pdf.headings.<key>) and lines, each a text key under
record.lines.<kind> with its values. Only what a partner would show an employer belongs
here: titles, dates and outcomes, never reflections, notes, questions' words or pair
messages.

`SECTION_PROVIDERS` lists the providers in the order the record shows them; a feature
adds a provider function and its texts under record.pdf.headings and record.lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, or_, select

from bot.domain.attendance import meetings_attended
from bot.domain.record.achievements import achievements_of
from bot.domain.record.endorsements import endorsements_of
from bot.domain.when import day_label
from bot.models import (
    AgendaItem,
    AgendaStatus,
    Booking,
    BookingSlot,
    BookingStatus,
    BriefingRead,
    Champion,
    ChampionStatus,
    Cohort,
    ContributionOutcome,
    EndorsementStatus,
    Measure,
    MeasureStatus,
    Meeting,
    Mentorship,
    Person,
    SlotStatus,
)


@dataclass(frozen=True)
class RecordLine:
    """One line of a section: the text record.lines.<kind>, rendered with `values`."""

    kind: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class RecordSection:
    """One part of the record: its heading's key and its lines (empty: left out)."""

    key: str
    lines: list[RecordLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many lines it has."""
        return len(self.lines)


@dataclass(frozen=True)
class RecordFacts:
    """What every provider may need: the session, the partner, their zone, and the titles of
    the library's briefings (the domain does not read the library itself)."""

    session: Session
    person: Person
    briefing_titles: Mapping[str, str]
    now: datetime | None = None  # when the record is made (what has happened by then)

    @property
    def person_id(self) -> int:
        """The partner's id."""
        return self.person.id or 0

    def day(self, moment: datetime | None) -> str:
        """A date as the partner reads it: "3 March 2026"."""
        if moment is None:
            return ""
        local = moment.astimezone(ZoneInfo(self.person.time_zone))
        return day_label(local, "d MMMM y")


SectionProvider = Callable[[RecordFacts], RecordSection]


def meetings(facts: RecordFacts) -> RecordSection:
    """Meetings a facilitator confirmed the partner attended."""
    found = meetings_attended(facts.session, person_id=facts.person_id)
    lines = [
        RecordLine("meeting", {"title": m.title, "date": facts.day(m.starts_at)}) for m in found
    ]
    return RecordSection("meetings", lines)


def briefings(facts: RecordFacts) -> RecordSection:
    """Briefings the partner read to the end ("Got it")."""
    reads = facts.session.exec(
        select(BriefingRead)
        .where(BriefingRead.person_id == facts.person_id)
        .order_by(col(BriefingRead.read_at))
    ).all()
    lines = [
        RecordLine(
            "briefing",
            {
                "title": facts.briefing_titles.get(r.briefing_id, r.briefing_id),
                "date": facts.day(r.read_at),
            },
        )
        for r in reads
    ]
    return RecordSection("briefings", lines)


_SHOWN_ITEMS = (
    AgendaStatus.OPEN,
    AgendaStatus.ACCEPTED,
    AgendaStatus.MERGED,
    AgendaStatus.DECLINED,
    AgendaStatus.DONE,
)


def agenda_items(facts: RecordFacts) -> RecordSection:
    """Agenda items the partner proposed (alone or with their pair), and what came of them."""
    session = facts.session
    rows = session.exec(
        select(AgendaItem, Meeting.title)
        .join(Meeting, col(Meeting.id) == col(AgendaItem.meeting_id), isouter=True)
        .where(
            or_(
                col(AgendaItem.proposer_id) == facts.person_id,
                (col(AgendaItem.co_proposer_id) == facts.person_id)
                & col(AgendaItem.co_joined_at).is_not(None),
            ),
            col(AgendaItem.status).in_(_SHOWN_ITEMS),
        )
        .order_by(col(AgendaItem.created_at))
    ).all()
    ids = [item.id for item, _ in rows]
    outcomes = {
        o.agenda_item_id: o.text
        for o in session.exec(
            select(ContributionOutcome).where(col(ContributionOutcome.agenda_item_id).in_(ids))
        ).all()
    }
    lines = [
        RecordLine(
            "agenda_item",
            {
                "title": item.title,
                "status": str(item.status),
                "meeting": meeting or "",
                "date": facts.day(item.confirmed_at or item.created_at),
                "outcome": outcomes.get(item.id, ""),
            },
        )
        for item, meeting in rows
    ]
    return RecordSection("agenda", lines)


def outcomes(facts: RecordFacts) -> RecordSection:
    """ "You said, we did": what the team did after something the partner said (the
    outcomes of agenda items show with the items)."""
    found = facts.session.exec(
        select(ContributionOutcome)
        .where(
            ContributionOutcome.person_id == facts.person_id,
            col(ContributionOutcome.agenda_item_id).is_(None),
        )
        .order_by(col(ContributionOutcome.recorded_at))
    ).all()
    lines = [
        RecordLine("outcome", {"text": o.text, "date": facts.day(o.recorded_at)}) for o in found
    ]
    return RecordSection("outcomes", lines)


def measures(facts: RecordFacts) -> RecordSection:
    """Measures of good care the partner suggested that their group adopted."""
    found = facts.session.exec(
        select(Measure, Cohort.name)
        .join(Cohort, col(Cohort.id) == col(Measure.cohort_id))
        .where(
            Measure.proposed_by == facts.person_id,
            col(Measure.status).in_((MeasureStatus.ADOPTED, MeasureStatus.RETIRED)),
            col(Measure.adopted_at).is_not(None),
        )
        .order_by(col(Measure.adopted_at))
    ).all()
    lines = [
        RecordLine("measure", {"text": m.text, "cohort": name, "date": facts.day(m.adopted_at)})
        for m, name in found
    ]
    return RecordSection("measures", lines)


def achievements(facts: RecordFacts) -> RecordSection:
    """What the partner added themselves."""
    found = achievements_of(facts.session, person_id=facts.person_id)
    lines = [
        RecordLine(
            "achievement",
            {"title": a.title, "detail": a.detail or "", "date": facts.day(a.created_at)},
        )
        for a in found
    ]
    return RecordSection("achievements", lines)


def endorsements(facts: RecordFacts) -> RecordSection:
    """Endorsements the partner approved (signed, unless the author has since left Tandem
    and erased their data)."""
    session = facts.session
    found = endorsements_of(session, person_id=facts.person_id, status=EndorsementStatus.APPROVED)
    lines = []
    for e in found:
        cohort = session.get(Cohort, e.cohort_id)
        lines.append(
            RecordLine(
                "endorsement",
                {
                    "text": e.text,
                    "author": e.signature or "",
                    "programme": (cohort.programme or cohort.name) if cohort else "",
                    "date": facts.day(e.created_at),
                },
            )
        )
    return RecordSection("endorsements", lines)


# The record, in order. EXTENSION POINT (see the module docstring): one-to-ones and the
# champion role join here.
def one_to_ones(facts: RecordFacts) -> RecordSection:
    """One-to-one briefings the partner had, and those they hosted as a champion (by date
    only: the other person's name is theirs to give)."""
    session, now = facts.session, facts.now
    had = session.exec(
        select(BookingSlot.starts_at, Person.preferred_name)
        .join(Booking, col(Booking.slot_id) == col(BookingSlot.id))
        .join(Person, col(Person.id) == col(BookingSlot.host_id))
        .where(Booking.person_id == facts.person_id, Booking.status == BookingStatus.BOOKED)
        .order_by(col(BookingSlot.starts_at))
    ).all()
    hosted = session.exec(
        select(BookingSlot.starts_at)
        .join(Booking, col(Booking.slot_id) == col(BookingSlot.id))
        .where(
            BookingSlot.host_id == facts.person_id,
            Booking.status == BookingStatus.BOOKED,
            BookingSlot.status == SlotStatus.OPEN,
        )
        .order_by(col(BookingSlot.starts_at))
    ).all()
    lines = [
        RecordLine("one_to_one", {"host": host or "", "date": facts.day(starts)})
        for starts, host in had
        if now is None or starts <= now
    ] + [
        RecordLine("one_to_one_hosted", {"date": facts.day(starts)})
        for starts in hosted
        if now is None or starts <= now
    ]
    return RecordSection("one_to_ones", lines)


def champion(facts: RecordFacts) -> RecordSection:
    """The champion role, for each group, with how many new partners they mentored."""
    session = facts.session
    rows = session.exec(
        select(Champion, Cohort.name)
        .join(Cohort, col(Cohort.id) == col(Champion.cohort_id))
        .where(
            Champion.person_id == facts.person_id,
            col(Champion.status).in_([ChampionStatus.ACTIVE, ChampionStatus.ENDED]),
            col(Champion.started_at).is_not(None),
        )
        .order_by(col(Champion.started_at))
    ).all()
    lines = []
    for row, cohort in rows:
        mentored = session.exec(
            select(func.count()).where(
                Mentorship.champion_id == facts.person_id,
                Mentorship.cohort_id == row.cohort_id,
                col(Mentorship.started_at).is_not(None),
            )
        ).one()
        values = {
            "cohort": cohort,
            "since": facts.day(row.started_at),
            "until": facts.day(row.ended_at) if row.status == ChampionStatus.ENDED else "",
            "mentored": int(mentored),
        }
        lines.append(RecordLine("champion", values))
    return RecordSection("champion", lines)


SECTION_PROVIDERS: list[SectionProvider] = [
    meetings,
    briefings,
    one_to_ones,
    agenda_items,
    outcomes,
    measures,
    champion,
    endorsements,
    achievements,
]
