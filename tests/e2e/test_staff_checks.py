"""Staff see a change before it goes, and see at once what it did (issue 15, point 8): a
withdrawn broadcast stops waiting at once, a correction is previewed before partners get
it, and a meeting moves only once the old and new times have been confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.broadcasts import create_broadcast
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Broadcast, Cohort, Delivery, DeliveryStatus, Meeting, Role
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person, texts_of
from tests.factories import make_cohort, make_meeting


def _broadcast(db: Database, clock: FakeClock, text: str, *, due: datetime | None = None) -> int:
    """Margaret's broadcast to Amina and Bill, sent now or due later."""
    ids = [stored_person(db, name=n).id or 0 for n in ("Amina", "Bill")]
    author = stored_person(db, name="Margaret").id
    with db.transaction() as session:
        broadcast, _ = create_broadcast(
            session, text=text, person_ids=ids, clock=clock, author_id=author, send_at=due
        )
        return broadcast.id or 0


def _audited(db: Database, action: str) -> int:
    with db.transaction() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


async def _people(
    telegram: SandboxClient, db: Database, clock: FakeClock
) -> tuple[ChatUser, ChatUser, ChatUser]:
    """Margaret runs Frailty pathway; Amina and Bill are its partners."""
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    return margaret, amina, bill


async def test_a_withdrawn_scheduled_broadcast_shows_nothing_waiting_at_once_and_never_goes(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    margaret, amina, bill = await _people(telegram, db, clock)
    _broadcast(db, clock, "Papers for Thursday are out", due=NOW + timedelta(days=1))

    await margaret.send("/broadcasts")
    card = await margaret.expect("Papers for Thursday")
    assert "Waiting 2" in card["text"]
    await margaret.press("Withdraw")
    await margaret.expect("Withdraw this broadcast?")
    await margaret.press("Yes, withdraw it")
    await margaret.expect("Withdrawn.")

    # Straight away, long before the time it was due: withdrawn, and nothing waiting.
    await margaret.send("/broadcasts")
    card = await margaret.expect("Papers for Thursday")
    assert "Withdrawn" in card["text"]
    assert "Waiting 0" in card["text"] and "Sent 0" in card["text"]
    with db.transaction() as session:
        statuses = session.exec(select(Delivery.status).where(Delivery.purpose == "broadcast"))
        assert set(statuses.all()) == {DeliveryStatus.CANCELLED}

    clock.advance(timedelta(days=2))
    await settle_outbox(bot, db)
    assert await texts_of(amina, "Papers for Thursday") == []
    assert await texts_of(bill, "Papers for Thursday") == []


async def test_a_correction_is_previewed_and_goes_only_when_confirmed(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    margaret, amina, bill = await _people(telegram, db, clock)
    broadcast_id = _broadcast(db, clock, "Hello {{ name }}, we meet in Room 3B")
    await settle_outbox(bot, db)
    assert await texts_of(amina, "Room") == ["From Margaret:\n\nHello Amina, we meet in Room 3B"]

    await margaret.send("/broadcasts")
    await margaret.expect("we meet in Room 3B")
    await margaret.press("Correct it")
    await margaret.expect("Type the corrected message")
    await margaret.send("Hello {{ name }}, we meet in Room 4")
    await margaret.expect("exactly what Amina will see once it's corrected")
    shown = await margaret.expect("Room 4")
    assert shown["text"] == "From Margaret:\n\nHello Amina, we meet in Room 4"
    ready = await margaret.expect("Send this correction?")
    assert "2 copies already sent will change in place" in ready["text"]

    # Nothing has changed yet: not the stored words, not the partners' chats.
    await settle_outbox(bot, db)
    with db.transaction() as session:
        stored = session.get(Broadcast, broadcast_id)
        assert stored is not None and stored.edited_at is None and "3B" in stored.text
    assert await texts_of(bill, "Room") == ["From Margaret:\n\nHello Bill, we meet in Room 3B"]

    # "Change it" asks again; typing shows a new preview; Cancel sends nothing.
    await margaret.press("Change it")
    await margaret.expect("Type the corrected message")
    await margaret.send("Hello {{ name }}, we meet in Room 5")
    await margaret.expect("Room 5")
    await margaret.expect("Send this correction?")
    await margaret.press("Cancel")
    await settle_outbox(bot, db)
    assert await texts_of(bill, "Room 5") == []

    # Previewed again, then sent: each partner's copy changes in place.
    await margaret.send("/broadcasts")
    await margaret.expect("we meet in Room 3B")
    await margaret.press("Correct it")
    await margaret.send("Hello {{ name }}, we meet in Room 4")
    await margaret.expect("Send this correction?")
    await margaret.press("Send correction")
    await margaret.expect("2 sent copies will be corrected")
    await settle_outbox(bot, db)
    assert await texts_of(amina, "Room") == ["From Margaret:\n\nHello Amina, we meet in Room 4"]
    assert await texts_of(bill, "Room") == ["From Margaret:\n\nHello Bill, we meet in Room 4"]
    assert _audited(db, "chat.broadcast_correct_send") == 1

    # The same confirmation tapped again (a forged or replayed tap) changes nothing more.
    await margaret.forge_press(f"bx:E:{broadcast_id}")
    await margaret.expect("no correction waiting")


async def test_a_meeting_moves_only_after_its_old_and_new_times_are_confirmed(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    margaret, amina, bill = await _people(telegram, db, clock)
    start = datetime(2026, 3, 19, 14, 0, tzinfo=UTC)
    make_meeting(db, clock, _cohort(db), starts_at=start)

    await margaret.send("/meetings")
    await margaret.expect("Frailty board · Frailty pathway")
    await margaret.press("Move")
    await margaret.expect("When should Frailty board start now?")
    await margaret.send("26 Mar 15:00")
    check = await margaret.expect("Move Frailty board?")
    assert "Old time: Thu 19 Mar, 14:00" in check["text"]
    assert "New time: Thu 26 Mar, 15:00" in check["text"]
    assert "2 partners will be told" in check["text"]
    assert _starts(db) == start  # not moved yet, and nobody told
    await settle_outbox(bot, db)
    assert await texts_of(amina, "has moved") == []

    # "Keep the old time" leaves it; what is typed next is not taken as a time.
    await margaret.press("Keep the old time")
    await margaret.expect("stays as it is")
    assert _starts(db) == start

    # "Change the time" asks again; the new time is checked, then confirmed.
    await margaret.send("/meetings")
    await margaret.expect("Frailty board · Frailty pathway")
    await margaret.press("Move")
    await margaret.send("25 Mar 10:00")
    await margaret.expect("New time: Wed 25 Mar, 10:00")
    await margaret.press("Change the time")
    await margaret.expect("When should Frailty board start now?")
    await margaret.send("26 Mar 15:00")
    await margaret.expect("New time: Thu 26 Mar, 15:00")
    await margaret.press("Yes, move it")
    await margaret.expect("Moved: Frailty board now starts Thu 26 Mar, 15:00")
    assert _starts(db) == datetime(2026, 3, 26, 15, 0, tzinfo=UTC)
    assert _audited(db, "chat.meeting_move_confirm") == 1
    await settle_outbox(bot, db)
    assert len(await texts_of(amina, "has moved")) == 1
    assert len(await texts_of(bill, "has moved")) == 1

    # A second tap on the same confirmation tells nobody again.
    stamp = int(datetime(2026, 3, 26, 15, 0, tzinfo=UTC).timestamp())
    meeting_id = _meeting_id(db)
    await margaret.forge_press(f"mt:M:{meeting_id}:{stamp}")
    await margaret.expect("already starts Thu 26 Mar, 15:00")
    await settle_outbox(bot, db)
    assert len(await texts_of(amina, "has moved")) == 1


def _cohort(db: Database) -> Cohort:
    with db.transaction() as session:
        return session.exec(select(Cohort)).one()


def _starts(db: Database) -> datetime:
    with db.transaction() as session:
        return session.exec(select(Meeting.starts_at)).one()


def _meeting_id(db: Database) -> int:
    with db.transaction() as session:
        return session.exec(select(Meeting.id)).one() or 0
