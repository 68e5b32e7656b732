"""/champions for facilitators and coordinators (issue 18): each cohort's champions and
their mentees, asking a partner (chosen by how long they have been in and how many meetings
they attended) to be a champion, ending a champion's role, and offering a new partner a
champion as their mentor. Only cohorts the viewer runs; everything is audited."""

from __future__ import annotations

from bot.db import Session
from bot.domain import champions
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs
from bot.models import Cohort
from bot.telegram import callbacks
from bot.telegram.common import STAFF, Caller
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens.champions import (
    back_screen,
    candidates_screen,
    end_check_screen,
    mentors_screen,
    staff_screen,
)
from bot.telegram.services import Services
from bot.telegram.ui import Screen, edit


def staff_overview(session: Session, services: Services, caller: Caller) -> Screen:
    """Each cohort the viewer runs, with its champions, invitations and new partners."""
    assert caller.person is not None
    groups = champions.desk(session, viewer_id=caller.person_id, clock=services.clock)
    return staff_screen(services, groups, caller.person)


def _group(
    session: Session, viewer_id: int, cohort_id: int, clock: Clock
) -> champions.CohortChampions:
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    cohort = session.get(Cohort, cohort_id)
    assert cohort is not None  # require_runs found it run by the viewer
    return champions.cohort_view(session, cohort=cohort, now=clock.now())


async def _show(tap: Tap, screen: Screen) -> None:
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.CHAMPIONS_STAFF, roles=STAFF)
async def overview_button(tap: Tap) -> None:
    """Back to the champions of one's cohorts."""
    with tap.services.db.transaction() as session:
        screen = staff_overview(session, tap.services, tap.caller)
    await _show(tap, screen)


@on_button(callbacks.CHAMPION_CANDIDATES, roles=STAFF)
async def candidates_button(tap: Tap) -> None:
    """A cohort's partners, with how long each has been in and meetings attended."""
    services, (cohort_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        group = _group(session, tap.caller.person_id, cohort_id, services.clock)
    await _show(tap, candidates_screen(services, group))


@on_button(callbacks.CHAMPION_ASK, roles=STAFF)
async def ask_button(tap: Tap) -> None:
    """Ask a partner to be a champion; they are told what it means and can say yes or not
    now."""
    services, (cohort_id, person_id) = tap.services, tap.values
    with services.db.transaction() as session:
        row = champions.ask(
            session,
            viewer_id=tap.caller.person_id,
            cohort_id=cohort_id,
            person_id=person_id,
            clock=services.clock,
        )
        name = champions.name_of(session, person_id=row.person_id)
    await _show(tap, back_screen(services, "champions.asked", name=name))


@on_button(callbacks.CHAMPION_END, roles=STAFF)
async def end_button(tap: Tap) -> None:
    """End a champion's role: asked first, then done (they and their mentees are told)."""
    services, (champion_id, choice) = tap.services, tap.values
    viewer = tap.caller.person_id
    with services.db.transaction() as session:
        row = champions.managed(session, viewer_id=viewer, champion_id=champion_id)
        name = champions.name_of(session, person_id=row.person_id)
        if choice == "ask":
            mentees = champions.mentee_count(session, champion=row)
            screen = end_check_screen(services, champion_id, name, mentees)
        else:
            champions.end_champion(
                session, viewer_id=viewer, champion_id=champion_id, clock=services.clock
            )
            screen = back_screen(services, "champions.ended", name=name)
    await _show(tap, screen)


@on_button(callbacks.MENTOR_CHOOSE, roles=STAFF)
async def choose_mentor_button(tap: Tap) -> None:
    """Which champion to offer a new partner as their mentor."""
    services, (cohort_id, mentee_id) = tap.services, tap.values
    with services.db.transaction() as session:
        found = champions.free_champions(
            session, viewer_id=tap.caller.person_id, mentee_id=mentee_id, cohort_id=cohort_id
        )
        mentee = champions.name_of(session, person_id=mentee_id)
    choices = [(row.id or 0, name) for row, name in found]
    await _show(tap, mentors_screen(services, mentee, mentee_id, choices))


@on_button(callbacks.MENTOR_OFFER, roles=STAFF)
async def offer_button(tap: Tap) -> None:
    """Offer the chosen champion to the new partner, who can say yes or no thanks."""
    services, (mentee_id, champion_id) = tap.services, tap.values
    with services.db.transaction() as session:
        mentorship = champions.offer(
            session,
            viewer_id=tap.caller.person_id,
            mentee_id=mentee_id,
            champion_id=champion_id,
            clock=services.clock,
        )
        mentee = champions.name_of(session, person_id=mentorship.mentee_id)
        mentor = champions.name_of(session, person_id=mentorship.champion_id)
    await _show(tap, back_screen(services, "champions.offered", name=mentee, mentor=mentor))
