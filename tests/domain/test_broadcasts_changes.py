"""Broadcasts after sending: the delivery report, who sees which broadcasts, and corrections
and withdrawals (only by the author or a coordinator, within Telegram's 48 hours, reaching
each copy already sent)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import account, broadcasts, outbox, people
from bot.domain.broadcasts import Audience
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.outbox import DeliveryResult, Due
from bot.domain.outbox.contents import prepare
from bot.models import Broadcast, Cohort, Delivery, DeliveryStatus, Role
from tests.factories import make_cohort, make_person

Outcome = Callable[[dict[str, Any]], DeliveryResult]


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def cast(db: Database, clock: FakeClock, frailty: Cohort) -> dict[str, int]:
    """Margaret and Olu run Frailty pathway (Amina, Bill, Chloe); Nia runs Maternity voices;
    Tom coordinates."""
    maternity = make_cohort(db, clock, "Maternity voices")
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "olu": make_person(db, clock, frailty, Role.FACILITATOR, "Olu"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill"),
        "chloe": make_person(db, clock, frailty, name="Chloe", telegram_user_id=831),
    }


def _send(db: Database, clock: FakeClock, viewer: int, audience: Audience, text: str) -> int:
    with db.transaction() as session:
        cast, _ = broadcasts.send(
            session, viewer_id=viewer, audience=audience, text=text, label="", clock=clock
        )
    return cast.id or 0


def _sent(message_id: int) -> Outcome:
    return lambda row: outbox.sent(row, now=row["due_at"], message_id=message_id)


def _dispatch(
    db: Database, clock: FakeClock, outcomes: dict[int, Outcome] | None = None
) -> list[Due]:
    """One dispatcher tick: what goes now gets its outcome (sent, unless told otherwise)."""
    outcomes = outcomes or {}
    with db.transaction() as session:
        rows = outbox.claim_due(session, worker="dispatcher", clock=clock)
        due, held = prepare(session, rows, clock.now())
        results = [
            outcomes.get(d.person.id or 0, _sent(900 + (d.person.id or 0)))(d.row) for d in due
        ]
        outbox.record(session, held + results, clock=clock)
    return due


def _report(db: Database, broadcast_id: int) -> broadcasts.DeliveryReport:
    with db.reading() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        assert broadcast is not None
        return broadcasts.report(session, broadcast=broadcast)


def test_the_report_counts_each_copy_by_what_became_of_it(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_person(db, clock, frailty, name="Dan", telegram_user_id=832)  # blocked us earlier
    eve = make_person(db, clock, frailty, name="Eve")
    with db.transaction() as session:
        people.mark_unreachable(session, telegram_user_id=832, reason="403", clock=clock)
        people.pause(session, person_id=eve, choice="2w", clock=clock)
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Hello all")
    assert _report(db, sent).queued == 5
    _dispatch(
        db,
        clock,
        {
            cast["bill"]: lambda row: outbox.after_failure(
                row, "400 chat not found", now=clock.now(), retry=False
            ),
            cast["chloe"]: lambda row: outbox.refused(row, "403 Forbidden: bot was blocked"),
        },
    )
    report = _report(db, sent)
    assert (report.queued, report.sent, report.failed) == (1, 1, 1)  # Eve paused; Amina; Bill
    assert (report.unreachable, report.cancelled) == (2, 0)  # Chloe blocked us; Dan had
    assert report.author == "Margaret"


def test_a_facilitator_sees_only_their_own_broadcasts_and_a_coordinator_all(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    everyone = Audience("cohort", frailty.id or 0)
    written = {}
    for author, text in [("margaret", "One"), ("olu", "Two"), ("margaret", "Three")]:
        written[text] = _send(db, clock, cast[author], everyone, text)
        clock.advance(timedelta(minutes=5))
    with db.reading() as session:
        mine = broadcasts.recent(session, viewer_id=cast["margaret"])
        all_of_them = broadcasts.recent(session, viewer_id=cast["tom"], limit=2)
        reports = broadcasts.recent_reports(session, viewer_id=cast["olu"])
        for viewer in ("olu", "nia"):
            with pytest.raises(NotFound):
                broadcasts.visible(session, viewer_id=cast[viewer], broadcast_id=written["One"])
        with pytest.raises(NotFound):
            broadcasts.visible(session, viewer_id=cast["tom"], broadcast_id=999_999)
        seen = broadcasts.visible(session, viewer_id=cast["tom"], broadcast_id=written["One"])
    assert [b.text for b in mine] == ["Three", "One"]
    assert [b.text for b in all_of_them] == ["Three", "Two"]
    assert [(r.broadcast.text, r.author, r.queued) for r in reports] == [("Two", "Olu", 3)]
    assert seen.text == "One"


def _pending(db: Database, purpose: str) -> dict[int, Delivery]:
    with db.reading() as session:
        return {
            r.person_id: r
            for r in session.exec(select(Delivery).where(Delivery.purpose == purpose))
        }


def test_a_correction_edits_the_copies_sent_and_the_others_go_with_the_new_words(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    amina, bill = cast["amina"], cast["bill"]
    with db.transaction() as session:
        people.pause(session, person_id=bill, choice="1w", clock=clock)
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Room B12")
    _dispatch(db, clock, {amina: _sent(51)})
    clock.advance(timedelta(hours=1))
    with db.transaction() as session:
        edits = broadcasts.correct(
            session, viewer_id=cast["margaret"], broadcast_id=sent, text="Room C3", clock=clock
        )
    assert edits == 2  # Amina's and Chloe's copies were sent; Bill's is still waiting
    assert {p: json.loads(r.payload) for p, r in _pending(db, "broadcast_edit").items()} == {
        amina: {"message_id": 51},
        cast["chloe"]: {"message_id": 900 + cast["chloe"]},
    }
    with db.transaction() as session:
        account.resume(session, person_id=bill, clock=clock)
    going = {(d.person.id, d.action): d for d in _dispatch(db, clock)}
    assert going[amina, "edit"].message_id == 51
    assert going[amina, "edit"].extra["words"] == "Room C3"
    assert going[bill, "send"].extra["words"] == "Room C3"
    assert _report(db, sent).sent == 3  # edits are not counted as more copies


def test_a_withdrawal_deletes_only_the_copies_that_were_sent(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Oops")
    _dispatch(
        db,
        clock,
        {
            cast["chloe"]: lambda row: outbox.after_failure(
                row, "400 chat not found", now=clock.now(), retry=False
            )
        },
    )
    with db.transaction() as session:
        deletions = broadcasts.withdraw(
            session, viewer_id=cast["tom"], broadcast_id=sent, clock=clock
        )
    assert deletions == 2
    assert {
        p: json.loads(r.payload)["message_id"] for p, r in _pending(db, "broadcast_delete").items()
    } == {
        cast["amina"]: 900 + cast["amina"],
        cast["bill"]: 900 + cast["bill"],
    }


def _change(
    db: Database, clock: FakeClock, viewer: int, broadcast_id: int, text: str | None
) -> int:
    """Correct (with text) or withdraw (without) a broadcast."""
    with db.transaction() as session:
        if text is None:
            return broadcasts.withdraw(
                session, viewer_id=viewer, broadcast_id=broadcast_id, clock=clock
            )
        return broadcasts.correct(
            session, viewer_id=viewer, broadcast_id=broadcast_id, text=text, clock=clock
        )


def test_only_the_author_or_a_coordinator_may_change_a_broadcast(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Hello")
    for other in ("olu", "nia"):  # even a facilitator of the same cohort
        for text in ("Hi", None):
            with pytest.raises(NotFound):
                _change(db, clock, cast[other], sent, text)
    _change(db, clock, cast["tom"], sent, "Hello, all")
    with pytest.raises(InvalidInput) as misspelt:
        _change(db, clock, cast["margaret"], sent, "Hello {{ nmae }}")
    assert misspelt.value.key == "broadcast.unknown_placeholder"
    with db.reading() as session:
        broadcast = session.get(Broadcast, sent)
    assert broadcast is not None and broadcast.text == "Hello, all"
    assert broadcast.edited_at == clock.now() and broadcast.withdrawn_at is None


def test_changes_are_refused_after_48_hours_or_once_withdrawn(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    everyone = Audience("cohort", frailty.id or 0)
    margaret = cast["margaret"]
    old = _send(db, clock, margaret, everyone, "Old news")
    taken_back = _send(db, clock, margaret, everyone, "Wrong group")
    _change(db, clock, margaret, taken_back, None)
    for text in ("Right group", None):
        with pytest.raises(InvalidInput) as refused:
            _change(db, clock, margaret, taken_back, text)
        assert refused.value.key == "broadcast.withdrawn"
    clock.advance(broadcasts.EDIT_WINDOW)
    _change(db, clock, margaret, old, "Old news, corrected")  # the last moment Telegram allows
    clock.advance(timedelta(seconds=1))
    for text in ("Too late", None):
        with pytest.raises(InvalidInput) as refused:
            _change(db, clock, margaret, old, text)
        assert refused.value.key == "broadcast.too_old"
    with db.reading() as session:
        stored = [session.get(Broadcast, b) for b in (old, taken_back)]
    assert [broadcasts.changeable(b, clock.now()) for b in stored if b] == [False, False]


def test_a_withdrawal_cancels_what_is_still_waiting_at_once(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Room 3B")
    _dispatch(db, clock, {cast["chloe"]: lambda row: outbox.put_back(row)})  # Chloe: waiting
    _change(db, clock, cast["margaret"], sent, "Room 4")  # edits queued for Amina and Bill
    assert _report(db, sent).queued == 1
    assert _change(db, clock, cast["margaret"], sent, None) == 2
    found = _report(db, sent)
    assert (found.queued, found.sent, found.cancelled) == (0, 2, 1)
    assert _pending(db, "broadcast")[cast["chloe"]].status == DeliveryStatus.CANCELLED
    edits = _pending(db, "broadcast_edit")
    assert set(edits) == {cast["amina"], cast["bill"]}
    assert {r.status for r in edits.values()} == {DeliveryStatus.CANCELLED}
    assert set(_pending(db, "broadcast_delete")) == {cast["amina"], cast["bill"]}


def test_a_correction_preview_shows_the_new_words_and_changes_nothing(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    sent = _send(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), "Room 3B")
    _dispatch(db, clock, {cast["chloe"]: lambda row: outbox.put_back(row)})
    with db.transaction() as session:
        draft = broadcasts.preview_correction(
            session,
            viewer_id=cast["margaret"],
            broadcast_id=sent,
            text="  Hi {{ name }}, Room 4 ",
            clock=clock,
        )
    assert (draft.text, draft.words, draft.first_name) == (
        "Hi {{ name }}, Room 4",
        "Hi Amina, Room 4",
        "Amina",
    )
    assert (draft.sent, draft.waiting, draft.author) == (2, 1, "Margaret")
    with db.reading() as session:
        unchanged = session.get(Broadcast, sent)
        assert unchanged is not None and unchanged.text == "Room 3B"
        assert unchanged.edited_at is None
    assert _pending(db, "broadcast_edit") == {}
    for viewer, text, refusal in [
        (cast["nia"], "Room 4", NotFound),
        (cast["margaret"], "Hi {{ nmae }}", InvalidInput),
    ]:
        with db.reading() as session, pytest.raises(refusal):
            broadcasts.preview_correction(
                session, viewer_id=viewer, broadcast_id=sent, text=text, clock=clock
            )
