"""The demo programme: one cohort, its people, and their history so far.

People join through the real chat flows (the sandbox's control API taps the buttons), so the
demo's chats and database look exactly like those of a live programme. As features land,
the seed grows with them. The scripts people follow in the chat are in joining.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from bot.db import Database
from bot.demo.clock import DEMO_ZONE, next_board_meeting
from bot.demo.coproduction_story import BOARD
from bot.demo.growth_book import seed_bookings  # issue 18: one-to-one briefings
from bot.demo.joining import PARTNERS, join_as_board, join_as_partner, join_as_staff
from bot.demo.speakers import SPEAKERS, join_speaking
from bot.domain import broadcasts
from bot.domain.clock import Clock
from bot.domain.cohorts import create_cohort, get_cohort
from bot.domain.invites import create_invite, deep_link
from bot.domain.meetings import add_meeting
from bot.domain.outcomes import record_outcome
from bot.domain.pairs import make_pair
from bot.domain.questions import answer_question
from bot.domain.review import flag
from bot.library.messages import Texts
from bot.library.timetable import Timetable
from bot.models import (
    PartnerQuestion,
    Person,
    Reflection,
    Role,
)
from bot.sandbox import SandboxClient

COHORT = "Frailty pathway"


@dataclass(frozen=True)
class DemoPerson:
    """Someone in the demo, as the web chat lists them."""

    user_id: int
    name: str
    role: str
    note: str


@dataclass(frozen=True)
class Codes:
    """Invite codes made for the demo (codes are shown once; the database keeps hashes)."""

    facilitator: str
    coordinator: str
    partners: tuple[str, ...]
    board: tuple[str, ...]
    newcomer: str
    speakers: tuple[str, ...] = ()  # issue 19: partners who read in another language


def seed_meeting(db: Database, timetable: Timetable, clock: Clock) -> None:
    """A board meeting tomorrow at 14:00: its briefing and papers go out at once, and the
    day-before reminder at 14:00 today (five minutes in, when the demo starts at 13:55)."""
    start = next_board_meeting(clock.now())
    with db.transaction() as session:
        add_meeting(
            session,
            cohort=get_cohort(session, name=COHORT),
            title="Frailty pathway board",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            clock=clock,
            timetable=timetable,
            place="Room 3B, Civic Centre",
            join_url="https://meet.example.nhs.uk/frailty-board",
            papers=["how-the-nhs-is-organised", "reading-a-board-paper"],
        )


PAIRS = (("Amina", "Grace"), ("Priya", "Kwame"), ("Dev", "Tomasz"))


def seed_cohort_tools(db: Database, timetable: Timetable, clock: Clock) -> None:
    """What a facilitator has done by now: three pairs introduced, Amina's question answered,
    her debrief flagged with a "you said, we did", and a welcome broadcast to the cohort."""
    with db.transaction() as session:
        found = by_first_name(session)
        margaret, amina = found["Margaret"].id or 0, found["Amina"].id
        cohort = get_cohort(session, name=COHORT).id or 0
        for first, second in PAIRS:
            make_pair(
                session,
                viewer_id=margaret,
                cohort_id=cohort,
                first_id=found[first].id or 0,
                second_id=found[second].id or 0,
                clock=clock,
                timetable=timetable,
            )
        debrief_id = _flag_debrief(session, author_id=amina, viewer_id=margaret, clock=clock)
        _welcome(session, viewer_id=margaret, cohort_id=cohort, clock=clock)
    # (Through the domain rather than Margaret's chat, to keep the seed short.)
    with db.transaction() as session:
        _answer_question(session, asker_id=amina, viewer_id=margaret, clock=clock)
    if debrief_id is not None:
        with db.transaction() as session:
            record_outcome(
                session,
                viewer_id=margaret,
                clock=clock,
                text="We raised the discharge letters at the board. One team will now write "
                "them, from next month.",
                prompt_sets={},
                reflection_id=debrief_id,
            )
    seed_bookings(db, clock)  # issue 18: Margaret's one-to-one times, one booked by Grace


def _flag_debrief(
    session: Session, *, author_id: int | None, viewer_id: int, clock: Clock
) -> int | None:
    """Flag the author's after-meeting debrief; its id, or None when they have none."""
    debrief = session.exec(
        select(Reflection).where(
            Reflection.person_id == author_id, Reflection.prompt_set == "after-meeting"
        )
    ).first()
    if debrief is None or debrief.id is None:
        return None
    flag(session, viewer_id=viewer_id, reflection_id=debrief.id, clock=clock)
    return debrief.id


def _welcome(session: Session, *, viewer_id: int, cohort_id: int, clock: Clock) -> None:
    """A welcome broadcast from the facilitator to everyone in the cohort."""
    partners = broadcasts.recipients(
        session, viewer_id=viewer_id, audience=broadcasts.Audience("cohort", cohort_id)
    )
    broadcasts.create_broadcast(
        session,
        text="Hello {{ name }}. Thank you for joining the Frailty pathway group. "
        "Our next meeting: {{ next_meeting }}.",
        person_ids=partners,
        clock=clock,
        author_id=viewer_id,
        audience="everyone in Frailty pathway",
    )


def _answer_question(
    session: Session, *, asker_id: int | None, viewer_id: int, clock: Clock
) -> None:
    """The facilitator answers the partner's question about the budget, if they asked one."""
    asked = session.exec(
        select(PartnerQuestion).where(PartnerQuestion.person_id == asker_id)
    ).first()
    if asked is not None and asked.id is not None:
        answer_question(
            session,
            viewer_id=viewer_id,
            question_id=asked.id,
            text="The integrated care board sets the budget for our area each spring. "
            "I'll bring the paper on Thursday.",
            clock=clock,
        )


def by_first_name(session: Session) -> dict[str, Person]:
    """Everyone by first name (Grace typed "Grace O." when she joined)."""
    return {(p.preferred_name or "").split()[0]: p for p in session.exec(select(Person))}


def seed_database(db: Database, clock: Clock) -> Codes:
    """Create the demo cohort and one invite per demo person (plus one for newcomers)."""
    with db.transaction() as session:
        cohort = create_cohort(
            session,
            name=COHORT,
            clock=clock,
            programme="North West London integrated care",
            hours_per_month=8,
            meetings_note="monthly, on Thursday afternoons",
            contact="Margaret Evans, engagement lead, on 020 7946 0321",
        )

        def code(role: Role, uses: int = 1, days: int = 14) -> str:
            return create_invite(
                session,
                role=role,
                cohort=cohort,
                clock=clock,
                uses=uses,
                expires_in=timedelta(days=days),
            ).code

        return Codes(
            facilitator=code(Role.FACILITATOR),
            coordinator=create_invite(
                session, role=Role.COORDINATOR, cohort=None, clock=clock
            ).code,
            partners=tuple(code(Role.PARTNER) for _ in PARTNERS),
            board=tuple(code(Role.BOARD) for _ in BOARD),
            newcomer=code(Role.PARTNER, uses=1000, days=365),
            speakers=tuple(code(Role.PARTNER) for _ in SPEAKERS),
        )


async def seed_people(client: SandboxClient, codes: Codes, bot_username: str) -> list[DemoPerson]:
    """Everyone joins through the chat, staff first so partners' welcomes name them."""
    margaret = await client.create_user("Margaret", last_name="Evans")
    tom = await client.create_user("Tom", last_name="Hughes")
    await join_as_staff(margaret, codes.facilitator)
    await join_as_staff(tom, codes.coordinator)
    partners = [await client.create_user(name) for name, _, _ in PARTNERS]
    await asyncio.gather(
        *(
            join_as_partner(user, code, how)
            for user, code, (_, _, how) in zip(partners, codes.partners, PARTNERS, strict=True)
        )
    )
    people = [
        DemoPerson(
            margaret.id,
            "Margaret",
            "facilitator",
            f"Runs {COHORT}; try /invite and watch the joins arrive",
        ),
        DemoPerson(tom.id, "Tom", "coordinator", "Programme manager across cohorts"),
    ] + [
        DemoPerson(user.id, name, "partner", note)
        for user, (name, note, _) in zip(partners, PARTNERS, strict=True)
    ]
    people += await _seed_speakers(client, codes)
    people += await _seed_board(client, codes)
    await register(client, people, codes.newcomer, bot_username)
    return people


async def _seed_speakers(client: SandboxClient, codes: Codes) -> list[DemoPerson]:
    """Zofia and Layla join from phones set to Polish and Arabic (issue 19)."""
    texts = Texts.load()
    joined = []
    for (name, language, note), code in zip(SPEAKERS, codes.speakers, strict=True):
        user = await client.create_user(name, language_code=language)
        await join_speaking(user, code, language, texts)
        joined.append(DemoPerson(user.id, name, "partner", note))
    return joined


async def _seed_board(client: SandboxClient, codes: Codes) -> list[DemoPerson]:
    """Two board members join through the chat, each choosing the role label partners see."""
    joined = []
    for (first, last, name, label, note), code in zip(BOARD, codes.board, strict=True):
        user = await client.create_user(first, last_name=last)
        await join_as_board(user, code, f"A {label.value}")
        joined.append(DemoPerson(user.id, name, "board", note))
    return joined


async def welcome_back(
    client: SandboxClient, people: list[DemoPerson], newcomer_code: str, bot_username: str
) -> None:
    """A kept demo restarted: the sandbox is new, so its users are made again, same ids."""
    for person in people:
        await client.create_user(person.name, id=person.user_id)
    await register(client, people, newcomer_code, bot_username)


async def register(
    client: SandboxClient, people: list[DemoPerson], newcomer_code: str, bot_username: str
) -> None:
    """Tell the web chat who is who and which link a new person can join with."""
    await client.set_directory(
        {
            "title": "Tandem demo",
            "people": [
                {
                    "user_id": p.user_id,
                    "label": f"{p.name} ({_ROLE_LABELS[p.role]})",
                    "role": p.role,
                    "note": p.note,
                }
                for p in people
            ],
            "invite": {"code": newcomer_code, "link": deep_link(bot_username, newcomer_code)},
            "time_zone": DEMO_ZONE,
            "hints": [
                "Try it as a new lay partner: '+ A new person', then open the invite link.",
                "Partners have /reflect, /journal, /library and /explain (try /explain ICB).",
                "Everyone has /help, /settings, /pause, /mydata, /stop and /forget.",
                "Margaret is a facilitator: /invite makes a link a new person can open.",
                "The board meets tomorrow at 2pm: partners have its briefing and papers, and "
                "the day-before reminder (RSVP, Add to calendar) arrives at 2pm today.",
                "Margaret runs the group from her phone: /broadcast, /broadcasts, /meetings, "
                "/newmeeting, /pairs, /questions and /review.",
                "Partners are in pairs: try /pair as Amina to message Grace through the bot.",
                "Amina got an answer to her question and a 'You said, we did'.",
                "Co-production: try /agenda and /propose as Amina, /agenda as Margaret to "
                "decide on Dev's item, and /measures as anyone.",
                "Dr Okafor and Sam Patel are on the board: partners have what Dr Okafor "
                "learned from the last meeting (tap This helps).",
            ],
        },
    )


_ROLE_LABELS = {
    "partner": "lay partner",
    "facilitator": "facilitator",
    "coordinator": "coordinator",
    "board": "board member",
}
