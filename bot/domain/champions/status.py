"""Being a champion: a facilitator asks an experienced partner, who says yes or not now; a
champion can step down and a facilitator can end it. Champion is a status a partner accepts,
never an invite role (design.md)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.domain import audit, notices
from bot.domain.champions.common import end_mentorship, live_mentorships, partner_in
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs
from bot.domain.errors import Conflict, NotFound
from bot.domain.people import get_person
from bot.models import Champion, ChampionStatus, Cohort, MentorshipStatus


def is_champion(session: Session, *, person_id: int, cohort_id: int) -> bool:
    """Whether the person is an active champion of the cohort (one-to-one hosting asks)."""
    return (
        session.exec(
            select(Champion.id).where(
                Champion.person_id == person_id,
                Champion.cohort_id == cohort_id,
                Champion.status == ChampionStatus.ACTIVE,
            )
        ).first()
        is not None
    )


def row_of(session: Session, *, person_id: int, cohort_id: int) -> Champion | None:
    """The partner's champion row in the cohort, whatever its state."""
    return session.exec(
        select(Champion).where(Champion.person_id == person_id, Champion.cohort_id == cohort_id)
    ).first()


def managed(session: Session, *, viewer_id: int, champion_id: int) -> Champion:
    """A champion row of a cohort the viewer runs; any other gets NotFound."""
    row = session.get(Champion, champion_id)
    if row is None:
        raise NotFound("champions.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=row.cohort_id)
    return row


def ask(
    session: Session, *, viewer_id: int, cohort_id: int, person_id: int, clock: Clock
) -> Champion:
    """Ask a partner of a cohort the viewer runs to be its champion; they are asked kindly
    (through the outbox) and can say yes or not now."""
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    person = partner_in(session, person_id=person_id, cohort_id=cohort_id)
    row = row_of(session, person_id=person_id, cohort_id=cohort_id)
    name = person.preferred_name or ""
    if row is not None and row.status == ChampionStatus.ACTIVE:
        raise Conflict("champions.already", name=name)
    if row is not None and row.status == ChampionStatus.ASKED:
        raise Conflict("champions.already_asked", name=name)
    now = clock.now()
    row = row or Champion(cohort_id=cohort_id, person_id=person_id, asked_at=now)
    row.status, row.asked_by, row.asked_at = ChampionStatus.ASKED, viewer_id, now
    row.answered_at = row.started_at = row.ended_at = None
    session.add(row)
    session.flush()
    cohort = session.get(Cohort, cohort_id)
    notices.notify(
        session,
        person_ids=[person_id],
        key="champions.notify.asked",
        clock=clock,
        params={
            "by": get_person(session, person_id=viewer_id).preferred_name or "",
            "cohort": cohort.name if cohort else "",
        },
        buttons=[
            [
                ("champions.buttons.yes", "champion.answer", (row.id or 0, "yes")),
                ("champions.buttons.not_now", "champion.answer", (row.id or 0, "no")),
            ]
        ],
        about=viewer_id,
    )
    audit.record(
        session,
        clock=clock,
        action="champion.asked",
        actor_id=viewer_id,
        subject_id=person_id,
        detail=f"champion {row.id} in cohort {cohort_id}",
    )
    return row


def answer(
    session: Session, *, person_id: int, champion_id: int, accept: bool, clock: Clock
) -> Champion:
    """The partner's answer to being asked; the cohort's facilitators are told."""
    row = session.get(Champion, champion_id)
    if row is None or row.person_id != person_id:
        raise NotFound("champions.not_found")
    if row.status != ChampionStatus.ASKED:
        raise Conflict("champions.not_asked")
    now = clock.now()
    row.status = ChampionStatus.ACTIVE if accept else ChampionStatus.DECLINED
    row.answered_at = now
    row.started_at = now if accept else None
    session.add(row)
    _tell_staff(
        session,
        row,
        "champions.notify.accepted" if accept else "champions.notify.declined",
        clock,
    )
    return row


def own(session: Session, *, person_id: int, champion_id: int) -> tuple[Champion, int]:
    """The person's own active champion row, and how many people they mentor now."""
    row = session.get(Champion, champion_id)
    if row is None or row.person_id != person_id or row.status != ChampionStatus.ACTIVE:
        raise NotFound("champions.not_found")
    return row, mentee_count(session, champion=row)


def mentee_count(session: Session, *, champion: Champion) -> int:
    """How many partners this champion mentors now."""
    return sum(
        1
        for m in live_mentorships(session, champion_id=champion.person_id)
        if m.cohort_id == champion.cohort_id and m.status == MentorshipStatus.ACTIVE
    )


def name_of(session: Session, *, person_id: int) -> str:
    """A person's first name, as champions and mentees know each other."""
    return get_person(session, person_id=person_id).preferred_name or ""


def step_down(session: Session, *, person_id: int, champion_id: int, clock: Clock) -> Champion:
    """A champion stops being one: their mentoring ends, mentees and facilitators are told."""
    row, _ = own(session, person_id=person_id, champion_id=champion_id)
    _end(session, row, "stepped_down", clock)
    _tell_staff(session, row, "champions.notify.stepped_down", clock)
    return row


def end_champion(session: Session, *, viewer_id: int, champion_id: int, clock: Clock) -> Champion:
    """A facilitator ends a champion's role (or withdraws an open invitation); the partner and
    any mentees are told kindly."""
    row = managed(session, viewer_id=viewer_id, champion_id=champion_id)
    if row.status not in (ChampionStatus.ACTIVE, ChampionStatus.ASKED):
        raise NotFound("champions.not_found")
    was_active = row.status == ChampionStatus.ACTIVE
    _end(session, row, "ended_by_staff", clock)
    if was_active:
        notices.notify(
            session, person_ids=[row.person_id], key="champions.notify.ended", clock=clock
        )
    audit.record(
        session,
        clock=clock,
        action="champion.ended",
        actor_id=viewer_id,
        subject_id=row.person_id,
        detail=f"champion {row.id}",
    )
    return row


def _end(session: Session, row: Champion, reason: str, clock: Clock) -> None:
    row.status, row.ended_at = ChampionStatus.ENDED, clock.now()
    session.add(row)
    for mentorship in live_mentorships(session, champion_id=row.person_id):
        if mentorship.cohort_id == row.cohort_id:
            end_mentorship(session, mentorship=mentorship, reason=reason, clock=clock)


def _tell_staff(session: Session, row: Champion, key: str, clock: Clock) -> None:
    person = get_person(session, person_id=row.person_id)
    notices.notify(
        session,
        person_ids=notices.facilitator_ids(session, cohort_ids=[row.cohort_id])
        or notices.coordinator_ids(session),
        key=key,
        clock=clock,
        params={"name": person.preferred_name or ""},
        about=row.person_id,
    )
