"""An item is never left unanswered: one still open 7 days before its meeting is raised to
every coordinator, once (the planner's follow-ups run this; it is idempotent)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.clock import Clock
from bot.domain.when import day_label
from bot.models import AgendaItem, AgendaStatus, Cohort, Meeting

TRIAGE_BEFORE = timedelta(days=7)


def escalate_untriaged(session: Session, *, clock: Clock) -> int:
    """Raise each open item whose meeting is within 7 days to the coordinators (no names,
    no words beyond the title); returns how many were raised."""
    now = clock.now()
    rows = session.exec(
        select(AgendaItem, Meeting, Cohort)
        .join(Meeting, col(Meeting.id) == col(AgendaItem.meeting_id))
        .join(Cohort, col(Cohort.id) == col(AgendaItem.cohort_id))
        .where(
            AgendaItem.status == AgendaStatus.OPEN,
            col(AgendaItem.escalated_at).is_(None),
            col(Meeting.starts_at) <= now + TRIAGE_BEFORE,
        )
    ).all()
    for item, meeting, cohort in rows:
        notices.notify(
            session,
            person_ids=notices.coordinator_ids(session),
            key="agenda_staff.notify.untriaged",
            clock=clock,
            params={
                "title": item.title,
                "cohort": cohort.name,
                "meeting": meeting.title,
                "meeting_date": day_label(meeting.starts_at, "dd MMMM y"),
            },
            buttons=[[("agenda_staff.buttons.open", "agenda.list", ())]],
            about=item.proposer_id,
            dedupe=f"agenda{item.id}untriaged",
        )
        item.escalated_at = now
        session.add(item)
    return len(rows)
