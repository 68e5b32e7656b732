"""Signposts by kind of risk, through the sandbox (issue 15): "my husband hits me" gets the
domestic abuse helpline, not the suicide signpost; whatever was waiting for the words keeps
them but says nothing, so the signpost is the whole answer; and the signpost's buttons let
the partner say "I'm safe now" or ask to be contacted."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Answer, AuditEvent, Concern, PartnerQuestion, Role
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person
from tests.factories import make_cohort, make_invite

DOMESTIC_ABUSE_HELPLINE = "0808 2000 247"


async def _said_in_answer(user: ChatUser, text: str, marked: str = "/settings") -> list[str]:
    """Every message the bot sends in answer to `text`: a marker command sent after it is
    answered after it (each person's updates are handled in order)."""
    before = len(await user.bot_messages())
    await user.send(text)
    await user.send("/help")
    await user.expect(marked)  # the marker's answer
    said = [m.get("text") or "" for m in (await user.bot_messages())[before:]]
    return said[:-1]


async def _amina_and_margaret(
    telegram: SandboxClient, db: Database, clock: FakeClock
) -> tuple[ChatUser, ChatUser]:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    return amina, margaret


async def test_my_husband_hits_me_gets_the_domestic_abuse_helpline_and_nothing_else(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, margaret = await _amina_and_margaret(telegram, db, clock)

    said = await _said_in_answer(amina, "my husband hits me")

    assert len(said) == 1, f"the signpost is the whole answer, but the bot said: {said}"
    [signpost] = said
    assert "National Domestic Abuse Helpline" in signpost and DOMESTIC_ABUSE_HELPLINE in signpost
    assert "Refuge" in signpost and "999" in signpost and "press 55" in signpost
    assert "text SHOUT" not in signpost, "not the suicide signpost"
    alert = await margaret.expect("Safeguarding alert")
    assert "being harmed or abused" in alert["text"]
    assert "National Domestic Abuse Helpline" in alert["text"], "staff know what she was given"


@pytest.mark.parametrize(
    ("step", "waiting_for", "words"),
    [
        ("/ask", "What would you like to ask", "my partner hurts me, who can I ask?"),
        ("/reflect", "What would you like to reflect on?", "he hit me last night"),
    ],
)
async def test_whatever_was_waiting_keeps_the_words_but_only_the_signpost_is_sent(
    step: str,
    waiting_for: str,
    words: str,
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
) -> None:
    amina, _ = await _amina_and_margaret(telegram, db, clock)
    await amina.send(step)
    await amina.expect(waiting_for)
    if step == "/reflect":
        await amina.press("Write in my journal")
        await amina.expect("What's on your mind")

    said = await _said_in_answer(amina, words)

    assert len(said) == 1 and DOMESTIC_ABUSE_HELPLINE in said[0], said
    with db.transaction() as session:
        kept = [q.text for q in session.exec(select(PartnerQuestion)).all()]
        kept += list(session.exec(select(Answer.text)).all())
    assert words in kept, "nothing the partner said is lost"


async def test_i_am_scared_of_him_gets_the_domestic_abuse_signpost(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, _ = await _amina_and_margaret(telegram, db, clock)
    said = await _said_in_answer(amina, "I'm scared of him")
    assert len(said) == 1 and DOMESTIC_ABUSE_HELPLINE in said[0], said


async def test_a_suicide_phrase_still_gets_the_suicide_signpost(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, _ = await _amina_and_margaret(telegram, db, clock)
    said = await _said_in_answer(amina, "I want to end my life")
    assert len(said) == 1, said
    for help_now in ("999", "Samaritans", "116 123", "option 2", "SHOUT to 85258"):
        assert help_now in said[0]
    assert "Domestic Abuse" not in said[0]


async def test_i_am_safe_now_is_noted_and_answered_warmly(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, _ = await _amina_and_margaret(telegram, db, clock)
    await amina.send("my husband hits me")
    await amina.expect(DOMESTIC_ABUSE_HELPLINE)

    await amina.press("I'm safe now")

    answer = await amina.expect("I'm glad you're safe")
    labels = [b["text"] for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    assert "Please contact me" in labels, "a next step: she can still ask to be contacted"
    signpost = (await amina.bot_messages())[-2]
    assert DOMESTIC_ABUSE_HELPLINE in signpost["text"], "the numbers stay on the screen"
    assert "✓ I'm safe now" in signpost["text"] and not signpost.get("reply_markup")
    with db.transaction() as session:
        [concern] = session.exec(select(Concern)).all()
        events = session.exec(select(AuditEvent.action)).all()
    assert concern.safe_at is not None and concern.contact_asked_at is None
    assert "safeguarding.safe" in events


async def test_please_contact_me_tells_the_facilitators_urgently_and_says_who_will_call(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, margaret = await _amina_and_margaret(telegram, db, clock)
    clock.set(NOW.replace(hour=23))  # Margaret's quiet hours do not hold this back
    cosmo = await person(telegram, db, clock, None, "Cosmo", Role.COORDINATOR)
    await amina.send("my husband hits me")
    await amina.expect(DOMESTIC_ABUSE_HELPLINE)
    for staff in (margaret, cosmo):
        await staff.expect("Safeguarding alert")

    await amina.press("Please contact me")

    answer = await amina.expect("to contact you")
    assert "your facilitator, Margaret," in answer["text"]
    assert DOMESTIC_ABUSE_HELPLINE in answer["text"], "what to do meanwhile"
    for staff in (margaret, cosmo):
        asked = await staff.expect("please contact Amina")
        assert "Please contact me" in asked["text"]
        labels = [b["text"] for row in asked["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["I've seen this", "I've contacted them"]
    with db.transaction() as session:
        [concern] = session.exec(select(Concern)).all()
    assert concern.contact_asked_at is not None

    # A second tap (an old copy of the button) asks nobody twice.
    await amina.forge_press(f"sg:call:{concern.id}")
    await amina.expect("to contact you")
    await margaret.expect_silence(0.5)
    await margaret.press("I've contacted them")
    await margaret.expect("noted that you have contacted them")


async def test_someone_elses_signpost_buttons_do_nothing(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina, margaret = await _amina_and_margaret(telegram, db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    chloe = await person(telegram, db, clock, other, "Chloe")
    await amina.send("my husband hits me")
    await amina.expect(DOMESTIC_ABUSE_HELPLINE)
    await margaret.expect("Safeguarding alert")
    with db.transaction() as session:
        [concern] = session.exec(select(Concern)).all()

    await chloe.send("/help")  # a message of the bot's for the forged presses to be on
    await chloe.expect("/settings")
    for forged in (f"sg:safe:{concern.id}", f"sg:call:{concern.id}", "sg:safe:999999"):
        await chloe.forge_press(forged)
        await chloe.expect("I can't find that message")
    await margaret.forge_press(f"sg:call:{concern.id}")
    await margaret.expect("only for lay partners")

    await margaret.expect_silence(0.5)
    with db.transaction() as session:
        [after] = session.exec(select(Concern)).all()
    assert after.safe_at is None and after.contact_asked_at is None


async def test_someone_still_joining_carries_on_where_they_were_once_safe(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    grace = await telegram.create_user("Grace")
    await grace.send(f"/start {make_invite(db, clock, cohort, Role.PARTNER)}")
    await grace.expect("welcome to Tandem")

    said = await _said_in_answer(grace, "I want to end my life", "middle of setting you up")
    assert len(said) == 1 and "116 123" in said[0], said
    assert said[0].startswith("Grace, thank you for telling me")

    await grace.press("I'm safe now")
    await grace.expect("I'm glad you're safe")
    step = await grace.expect("welcome to Tandem")
    labels = [b["text"] for row in step["reply_markup"]["inline_keyboard"] for b in row]
    assert "Tell me more" in labels
