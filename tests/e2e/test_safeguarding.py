"""Safeguarding through the sandbox: words of distress get an immediate, kind answer with
where to get help now, and an urgent alert (quiet hours or not) to the partner's
facilitators and the coordinators, audited; ordinary messages never do. Nothing the partner
said is lost: the message still reaches whatever was waiting for it, which stays silent.
(Signposts by kind, and their buttons: test_signposts.py.)"""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Answer, AuditEvent, Concern, PartnerQuestion, Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, texts_of
from tests.factories import make_cohort, make_person

ORDINARY = (
    "The meeting was killing me, it went on for hours!",
    "Suicide prevention strategy is on the agenda next month.",
    "Can we talk about the self-harm services waiting list?",
    "I'd kill for a cup of tea before the board.",
    "I'm dying to hear what they decided.",
)


async def test_distress_gets_help_at_once_and_alerts_the_people_who_can_help(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW.replace(hour=23))  # late at night: quiet hours hold back nothing urgent
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    margaret = await telegram.create_user("Margaret", started=True)
    make_person(
        db, clock, cohort, role=Role.FACILITATOR, name="Margaret", telegram_user_id=margaret.id
    )  # with quiet hours 21:00 to 08:00
    cosmo = await person(telegram, db, clock, None, "Cosmo", Role.COORDINATOR)
    priya = await person(telegram, db, clock, other, "Priya", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await amina.send("/ask")
    await amina.expect("What would you like to ask")
    await amina.send("I can't cope any more and I don't know who to ask about the papers")
    signpost = await amina.expect("thank you for telling me")
    for help_now in ("999", "Samaritans", "116 123", "NHS 111"):
        assert help_now in signpost["text"]
    assert "I've let your facilitator and coordinator know" in signpost["text"]
    # Nothing is lost: the question still reaches Margaret (the signpost is the only answer).
    with db.transaction() as session:
        [question] = session.exec(select(PartnerQuestion)).all()
    assert "who to ask about the papers" in (question.text or "")

    for staff in (margaret, cosmo):
        alert = await staff.expect("Safeguarding alert")
        assert "Amina (Frailty pathway)" in alert["text"]
        assert "I can't cope any more" in alert["text"]
    await priya.expect_silence(0.5)
    with db.transaction() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "safeguarding.alert")
        ).all()
    assert len(events) == 1
    assert "cope" not in (events[0].detail or ""), "the audit never holds a partner's words"


async def test_ordinary_messages_never_raise_an_alarm(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    for text in ORDINARY:
        await amina.send(text)
        reply = await amina.expect("I've saved your message")
        assert "Samaritans" not in reply["text"]
    await margaret.expect_silence(0.5)
    assert await texts_of(amina, "Samaritans") == []
    with db.transaction() as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.alert")).all()
            == []
        )


async def test_a_private_entry_alerts_without_its_words_and_the_partner_is_told(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    words = "Some nights I want to end my life and nobody at the board knows"

    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    await amina.expect("What's on your mind")
    await amina.send(words)
    signpost = await amina.expect("thank you for telling me")
    assert "Your words stay private" in signpost["text"]
    assert "without sharing what you wrote" in signpost["text"]
    with db.transaction() as session:  # the entry is kept: nothing is lost
        kept = session.exec(select(Answer.text)).all()
    assert words in kept

    alert = await margaret.expect("Safeguarding alert")
    assert "Amina (Frailty pathway)" in alert["text"] and "private reflection" in alert["text"]
    everything = "\n".join(m.get("text") or "" for m in await margaret.bot_messages())
    assert "end my life" not in everything and "nobody at the board" not in everything
    with db.transaction() as session:
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.action == "safeguarding.alert")
        ).all()
    assert "private entry" in (event.detail or "") and "life" not in (event.detail or "")


async def test_staff_acknowledge_an_alert_from_its_buttons(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await amina.send("I can't cope any more")
    await amina.expect("thank you for telling me")
    await margaret.expect("Safeguarding alert")
    await margaret.press("I've seen this")
    await margaret.expect("noted that you have seen this alert")
    await margaret.press("I've contacted them")
    await margaret.expect("noted that you have contacted them")
    with db.transaction() as session:
        [concern] = session.exec(select(Concern)).all()
    assert concern.acknowledged_at is not None and concern.contacted_at is not None
