"""The dashboard security table's things and routes: what Frailty pathway (Margaret's
cohort) holds, and every GET and POST route with a valid request for it (test_security.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from bot.db import Database
from bot.domain import broadcasts, concerns
from bot.domain.briefings import ask
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import Concern
from bot.web.pages_broadcasts import correction_check, draft_check
from tests.web.agenda_things import agenda_posts, make_agenda_items
from tests.web.attendance_things import attendance_posts
from tests.web.booking_things import booking_posts, make_slot
from tests.web.champion_things import champion_posts, make_champion
from tests.web.claim_things import claim_gets, claim_posts, make_claims
from tests.web.conftest import World, make_reflection


@dataclass
class Ids:
    """Things in the Frailty pathway cohort (Margaret's), to ask for by id."""

    reflection: int
    partner: int
    question: int
    broadcast: int
    concern: int = 0
    meeting: int = 0  # Frailty pathway's next meeting
    items: tuple[int, ...] = (0, 0, 0, 0)  # agenda items: open, open, open, accepted and held
    slot: int = 0  # issue 18: a one-to-one time Margaret offers Frailty pathway
    held: int = 0  # issue 18: the meeting held an hour ago (its attendance sheet)
    champion: int = 0  # issue 18: Carl, a champion of Frailty pathway
    newcomer: int = 0  # Dina, a new partner of Frailty pathway without a mentor
    claims: tuple[int, ...] = (0, 0, 0, 0)  # issue 18: three sent for review, one approved
    receipt: int = 0  # the receipt on the first claim


def frailty_things(db: Database, clock: FakeClock, world: World) -> Ids:
    reflection = make_reflection(
        db, clock, world.partner, {"learned": "The letters are written by three teams."}
    )
    with db.transaction() as session:
        question = ask(session, person_id=world.partner, clock=clock, text="Who sets budgets?")
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text="Papers are out.",
            person_ids=[world.partner],
            clock=clock,
            author_id=world.facilitator,
        )
        match = default_rules().check("I want to end my life")
        assert match is not None
        concerns.raise_concern(
            session, person_id=world.partner, text="I want to end my life", match=match, clock=clock
        )
        concern = session.exec(select(Concern)).one()
    slot = make_slot(db, clock, world)
    meeting, items, held = make_agenda_items(db, clock, world)
    champion, newcomer = make_champion(db, clock, world)
    claims, receipt = make_claims(db, clock, world)
    return Ids(
        reflection,
        world.partner,
        question.id or 0,
        broadcast.id or 0,
        concern.id or 0,
        meeting=meeting,
        items=items,
        slot=slot,
        held=held,
        champion=champion,
        newcomer=newcomer,
        claims=claims,
        receipt=receipt,
    )


def get_paths(ids: Ids) -> dict[str, str]:
    """Every GET route, with a Frailty pathway object where the route takes an id."""
    return {
        "/dashboard": "/dashboard",
        "/dashboard/reflections": "/dashboard/reflections",
        "/dashboard/reflections/export.csv": "/dashboard/reflections/export.csv",
        "/dashboard/reflections/export.xlsx": "/dashboard/reflections/export.xlsx",
        "/dashboard/reflections/{reflection_id:int}": f"/dashboard/reflections/{ids.reflection}",
        "/dashboard/partners/{person_id:int}": f"/dashboard/partners/{ids.partner}",
        "/dashboard/participation": "/dashboard/participation",
        "/dashboard/questions": "/dashboard/questions",
        "/dashboard/broadcasts": "/dashboard/broadcasts",
        "/dashboard/broadcasts/new": "/dashboard/broadcasts/new",
        "/dashboard/broadcasts/{broadcast_id:int}": f"/dashboard/broadcasts/{ids.broadcast}",
        "/dashboard/meetings": "/dashboard/meetings",
        "/dashboard/meetings/{meeting_id:int}/summary": (
            f"/dashboard/meetings/{ids.meeting}/summary"
        ),
        "/dashboard/outcomes": "/dashboard/outcomes",
        "/dashboard/learnings": "/dashboard/learnings",  # issue 17
        "/dashboard/safeguarding": "/dashboard/safeguarding",
        "/dashboard/agenda": "/dashboard/agenda",
        "/dashboard/measures": "/dashboard/measures",
        "/dashboard/measures/export.csv": "/dashboard/measures/export.csv",
        "/dashboard/bookings": "/dashboard/bookings",  # issue 18
        "/dashboard/measures/export.xlsx": "/dashboard/measures/export.xlsx",
        "/dashboard/measures/summary": "/dashboard/measures/summary",
        # issue 18: attendance, and a held meeting's sheet
        "/dashboard/attendance": "/dashboard/attendance",
        "/dashboard/attendance/{meeting_id:int}": f"/dashboard/attendance/{ids.held}",
        "/dashboard/champions": "/dashboard/champions",  # issue 18
        "/dashboard/audit": "/dashboard/audit",
        "/dashboard/audit/export.csv": "/dashboard/audit/export.csv?action=dashboard.export",
    } | claim_gets(ids.claims, ids.receipt)  # issue 18


def post_paths(ids: Ids, world: World) -> dict[str, tuple[str, dict[str, str]]]:
    """Every POST route with a valid form for a Frailty pathway object."""
    r, b = f"/dashboard/reflections/{ids.reflection}", f"/dashboard/broadcasts/{ids.broadcast}"
    draft = {"audience": f"cohort.{world.frailty}", "text": "Room 3B on Thursday."}
    draft["version_pl"] = "Sala 3B w czwartek."  # issue 19: the words in Polish too
    draft["check"] = draft_check(
        audience=draft["audience"],
        text=draft["text"],
        send_at="",
        versions={"pl": draft["version_pl"]},
    )
    return {
        "/dashboard/reflections/{reflection_id:int}/flag": (f"{r}/flag", {}),
        "/dashboard/reflections/{reflection_id:int}/reply": (f"{r}/reply", {"text": "Thanks"}),
        "/dashboard/reflections/{reflection_id:int}/outcome": (
            f"{r}/outcome",
            {"text": "The letters are being rewritten."},
        ),
        "/dashboard/questions/{question_id:int}/answer": (
            f"/dashboard/questions/{ids.question}/answer",
            {"text": "The board does."},
        ),
        "/dashboard/questions/{question_id:int}/outcome": (
            f"/dashboard/questions/{ids.question}/outcome",
            {"text": "The budget paper is now on the agenda."},
        ),
        "/dashboard/broadcasts/preview": ("/dashboard/broadcasts/preview", draft),
        "/dashboard/broadcasts/send": ("/dashboard/broadcasts/send", draft),
        "/dashboard/broadcasts/{broadcast_id:int}/correct": (
            f"{b}/correct",
            {
                "text": "Room 4",
                "check": correction_check(broadcast_id=ids.broadcast, text="Room 4"),
            },
        ),
        "/dashboard/broadcasts/{broadcast_id:int}/withdraw": (f"{b}/withdraw", {}),
        "/dashboard/safeguarding/{concern_id:int}/acknowledge": (
            f"/dashboard/safeguarding/{ids.concern}/acknowledge",
            {"contacted": "1"},
        ),
    } | (
        agenda_posts(ids.items, ids.meeting)
        | attendance_posts(ids.held, ids.partner)  # issue 18 from here on
        | booking_posts(ids.slot, world.frailty)
        | champion_posts(ids.champion, ids.newcomer, world.frailty, world.partner)
        | claim_posts(ids.claims, world.frailty)
    )
