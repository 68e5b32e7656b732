"""Champions and mentoring through the sandbox (issue 18): a facilitator asks an experienced
partner to be a champion and they accept; a new partner who joins is offered them as a
mentor and both are introduced; they message each other through the bot; after the new
partner's first meeting the champion gets a gentle check-in prompt; the champion sees their
mentee's first name and attendance, and can never read what the mentee wrote."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain import champions
from bot.domain.attendance import confirm_attendance
from bot.domain.clock import FakeClock
from bot.models import Champion, ChampionStatus, Cohort, Mentorship, Reflection, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, partner_joins, person, settle_outbox, stored_person
from tests.factories import make_cohort, make_meeting, make_reflection

SHARED = "I felt nobody listened to me about the stairs"
PRIVATE = "I cried in the car park afterwards"


async def _told(user: ChatUser, marker: str) -> str:
    """Everything the bot says in answer to the last action (up to a marker command's
    answer: each person's updates are handled in order)."""
    await user.send(marker)
    said = []
    while True:
        event = await user.next_event(types=("message", "edit", "callback_answer"))
        if event["type"] == "callback_answer":
            said.append(str((event.get("callback_answer") or {}).get("text") or ""))
            continue
        text = str(event["message"].get("text") or "")
        if marker in text:
            return "\n".join(said)
        said.append(text)


async def _amina_becomes_a_champion(
    bot: BotHarness, db: Database, clock: FakeClock, margaret: ChatUser, amina: ChatUser
) -> None:
    await margaret.send("/champions")
    await margaret.expect("No champions yet")
    await margaret.press("Ask a partner in Frailty pathway")
    listed = await margaret.expect("Longest in the group first")
    assert "Amina: in the group 6 months, 1 meeting" in listed["text"]
    await margaret.press("Ask Amina")
    await margaret.expect("I've asked Amina")
    await settle_outbox(bot, db)
    asked = await amina.expect("Would you like to be a champion?")
    assert "first three months" in asked["text"]
    assert "never see their reflections" in asked["text"]
    await amina.press("Yes, I'd like to")
    await amina.expect("You're now a champion")
    await settle_outbox(bot, db)
    await margaret.expect("Amina said yes to being a champion")


async def test_a_champion_mentors_a_new_partner_and_never_reads_their_reflections(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW - timedelta(days=190))
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    _an_attended_meeting(db, clock, cohort, stored_person(db, name="Margaret").id or 0)
    clock.set(NOW)
    await _amina_becomes_a_champion(bot, db, clock, margaret, amina)

    # Dev joins through the chat: the group has exactly one free champion, so Dev is
    # offered Amina as a mentor straight away.
    dev = await partner_joins(telegram, db, clock, cohort, "Dev")
    await settle_outbox(bot, db)
    offer = await dev.expect("Would you like a mentor?")
    assert "Amina is a champion" in offer["text"]
    await dev.press("Yes, please")
    await dev.expect("Meet your mentor: Amina")
    await settle_outbox(bot, db)
    await amina.expect("Meet Dev, the new partner you'll mentor")

    await _they_message_each_other(bot, db, amina, dev)

    # Dev's first meeting: afterwards Amina is asked, gently, to check in.
    dev_id = stored_person(db, name="Dev").id or 0
    meeting = make_meeting(
        db, clock, cohort, title="Frailty board", starts_at=NOW + timedelta(days=1)
    )
    make_reflection(
        db, clock, dev_id, {"how_it_went": 2, "raise_next": SHARED}, meeting_id=meeting.id
    )
    make_reflection(db, clock, dev_id, {"how_it_went": 2, "troubling": PRIVATE}, sharing="private")
    clock.set(NOW + timedelta(days=1, hours=4))
    await settle_outbox(bot, db)
    prompt = await amina.expect("A quick check-in")
    assert "Dev has just had their first meeting, Frailty board" in prompt["text"]
    await settle_outbox(bot, db)  # planning again queues nothing twice
    assert len([m for m in await amina.bot_messages() if "A quick check-in" in m["text"]]) == 1
    await amina.press("All good")
    await amina.expect("Thank you for checking on Dev")

    # Amina sees Dev's first name and whether Dev came: nothing Dev wrote.
    margaret_id = stored_person(db, name="Margaret").id or 0
    with db.transaction() as session:
        confirm_attendance(
            session,
            meeting_id=meeting.id or 0,
            person_id=margaret_id,
            attended=[dev_id],
            clock=clock,
        )
    await amina.send("/champions")
    mine = await amina.expect("You're a champion")
    assert "Dev" in mine["text"] and "Frailty board" in mine["text"] and "came" in mine["text"]
    await _nothing_of_devs_words_by_any_button(amina, db, dev_id)


async def _they_message_each_other(
    bot: BotHarness, db: Database, amina: ChatUser, dev: ChatUser
) -> None:
    """Messages go through the bot, with first names only."""
    await amina.press("Send them a message")
    await amina.expect("Type your message for Dev")
    await amina.send("Hello Dev! Ask me anything about the board.")
    await amina.expect("Sent to Dev")
    await settle_outbox(bot, db)
    relayed = await dev.expect("Message from Amina, your mentor")
    assert "Ask me anything about the board." in relayed["text"]
    assert str(amina.id) not in relayed["html"] and "@" not in relayed["html"]
    await dev.press("Reply")
    await dev.expect("Type your message for Amina")
    await dev.send("Thank you, what should I read first?")
    await settle_outbox(bot, db)
    back = await amina.expect("Message from Dev, your mentee")
    assert "what should I read first?" in back["text"]


def _an_attended_meeting(db: Database, clock: FakeClock, cohort: Cohort, margaret: int) -> None:
    """A meeting Amina came to, a while ago, confirmed by Margaret."""
    held = make_meeting(
        db, clock, cohort, title="Spring board", starts_at=clock.now() + timedelta(hours=1)
    )
    amina = stored_person(db, name="Amina").id or 0
    clock.advance(timedelta(days=1))
    with db.transaction() as session:
        confirm_attendance(
            session, meeting_id=held.id or 0, person_id=margaret, attended=[amina], clock=clock
        )


async def _nothing_of_devs_words_by_any_button(amina: ChatUser, db: Database, dev: int) -> None:
    """Every command and button a partner has, with Dev's reflections' ids forged in: Amina
    never sees a word Dev wrote."""
    with db.transaction() as session:
        mentorship = session.exec(select(Mentorship)).one().id or 0
        reflections = [r.id or 0 for r in session.exec(select(Reflection)) if r.person_id == dev]
    presses = [callbacks.CHAMPIONS(), callbacks.MENTOR_WRITE(mentorship)]
    for reflection in reflections:
        presses += [
            callbacks.JOURNAL_SHARING(reflection),
            callbacks.JOURNAL_SHARE(reflection, "facilitators"),
            callbacks.REVIEW_REPLY(reflection),
            callbacks.REVIEW_FLAG(reflection, 0, "a"),
            callbacks.OUTCOME_FOR_REFLECTION(reflection),
            callbacks.UNFINISHED(reflection, "carry"),
            callbacks.AGENDA_LINK(1, reflection),
        ]
    said = []
    for number, data in enumerate(presses):
        await amina.forge_press(data)
        said.append(await _told(amina, f"/zz{number}"))
    for command in ("/journal", "/review", "/champions", "/pair", "/mydata", "/agenda"):
        await amina.send(command)
        said.append(await _told(amina, f"/zz{command[1:]}"))
    transcript = "\n".join(said) + await amina.transcript()
    assert SHARED not in transcript and PRIVATE not in transcript


async def test_outsiders_cannot_ask_or_answer_for_a_cohorts_partners(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    priya = await person(telegram, db, clock, other, "Priya", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    helen = await person(telegram, db, clock, cohort, "Helen", Role.BOARD)
    ids = {p: stored_person(db, name=p).id or 0 for p in ("Amina", "Bill")}
    for user in (priya, bill, helen, amina):
        await user.send("/help")  # a message of the bot's for forged presses to be on
        await user.next_event(types=("message",))

    # Another cohort's facilitator cannot ask Amina; a partner cannot ask anyone.
    await priya.forge_press(callbacks.CHAMPION_ASK(cohort.id or 0, ids["Amina"]))
    assert "isn't one of yours" in await _told(priya, "/zz1")
    await bill.forge_press(callbacks.CHAMPION_ASK(cohort.id or 0, ids["Bill"]))
    assert "only for facilitators" in await _told(bill, "/zz2")
    await helen.send("/champions")
    assert "not open to board members" in await _told(helen, "/zz3")
    with db.transaction() as session:
        assert session.exec(select(Champion)).all() == []

    # Margaret asks Amina: Bill cannot answer for her, nor make himself a champion.
    await margaret.send("/champions")
    await margaret.expect("No champions yet")
    await margaret.press("Ask a partner in Frailty pathway")
    await margaret.expect("Longest in the group first")
    await margaret.press("Ask Amina")
    await margaret.expect("I've asked Amina")
    with db.transaction() as session:
        row = session.exec(select(Champion)).one().id or 0
    await bill.forge_press(callbacks.CHAMPION_ANSWER(row, "yes"))
    assert "I can't find" in await _told(bill, "/zz4")
    await priya.forge_press(callbacks.CHAMPION_END(row, "yes"))
    assert "isn't one of yours" in await _told(priya, "/zz5")
    with db.transaction() as session:
        assert session.exec(select(Champion.status)).one() == ChampionStatus.ASKED

    # Amina says not now: final until she is asked again.
    await settle_outbox(bot, db)
    await amina.press("Not now")
    await amina.expect("That's fine")
    await amina.forge_press(callbacks.CHAMPION_ANSWER(row, "yes"))
    assert "isn't open any more" in await _told(amina, "/zz6")
    with db.transaction() as session:
        assert session.exec(select(Champion.status)).one() == ChampionStatus.DECLINED
        assert session.exec(select(Mentorship)).all() == []


async def test_a_facilitator_pairs_a_mentor_who_later_steps_down_kindly(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    ids = {p: stored_person(db, name=p).id or 0 for p in ("Margaret", "Amina")}
    with db.transaction() as session:
        row = champions.ask(
            session, viewer_id=ids["Margaret"], cohort_id=cohort.id or 0,
            person_id=ids["Amina"], clock=clock,
        )  # fmt: skip
        champions.answer(
            session, person_id=ids["Amina"], champion_id=row.id or 0, accept=True, clock=clock
        )

    await margaret.send("/champions")
    await margaret.expect("New partners without a mentor: Bill")
    await margaret.press("Find a mentor for Bill")
    await margaret.expect("Which champion would you like to offer Bill")
    await margaret.press("Amina")
    await margaret.expect("I've offered Amina to Bill as a mentor")
    await bill.send("/champions")  # the offer waits in /champions too
    await bill.expect("Would you like a mentor?")
    await bill.press("Yes, please")
    await bill.expect("Meet your mentor: Amina")

    # Bill stops Amina's messages: she is told kindly, and nothing reaches him.
    await bill.send("/champions")
    await bill.expect("Your mentor is Amina")
    await bill.press("Stop messages")
    await bill.expect("You won't get messages from Amina")
    await amina.send("/champions")
    await amina.expect("You're a champion")
    await amina.press("Message Bill")
    await amina.expect("Type your message for Bill")
    await amina.send("How was your first week?")
    await amina.expect("Bill isn't taking messages through Tandem")

    # Amina steps down: Bill and Margaret are told, and the mentoring ends.
    await amina.send("/champions")
    await amina.expect("You're a champion")
    await amina.press("Step down as a champion")
    await amina.expect("Step down as a champion?")
    await amina.press("Yes, step down")
    await amina.expect("You're not a champion now")
    await settle_outbox(bot, db)
    await bill.expect("Your mentoring has ended, because your mentor has stepped back")
    await margaret.expect("Amina has stepped down as a champion")
    assert not [m for m in await bill.bot_messages() if "How was your first week?" in m["text"]]
    with db.transaction() as session:
        assert not champions.is_champion(session, person_id=ids["Amina"], cohort_id=cohort.id or 0)
