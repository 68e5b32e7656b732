"""Broadcasts, writing one: who an audience means (only within the cohorts the writer runs;
everyone only for coordinators), the preview as the first recipient will read it, words
refused with a reason, queueing now or later, and the audiences offered to choose from.
Reports, corrections and withdrawals are in test_broadcasts_changes.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.db import Database
from bot.domain import broadcasts, outbox, people
from bot.domain.broadcasts import Audience
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import Broadcast, Cohort, Delivery, Role
from tests.factories import make_cohort, make_meeting, make_pair, make_person, make_reflection


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def maternity(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock, "Maternity voices")


@pytest.fixture
def cast(db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort) -> dict[str, int]:
    """Margaret runs Frailty pathway (Amina, Bill, Chloe); Nia runs Maternity voices (Bola,
    Dee); Tom coordinates."""
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill", telegram_user_id=821),
        "chloe": make_person(db, clock, frailty, name="Chloe"),
        "bola": make_person(db, clock, maternity, name="Bola"),
        "dee": make_person(db, clock, maternity, name="Dee"),
    }


def _recipients(db: Database, viewer: int, kind: str, target: int = 0) -> list[int]:
    with db.reading() as session:
        return broadcasts.recipients(session, viewer_id=viewer, audience=Audience(kind, target))


def _preview(db: Database, clock: FakeClock, viewer: int, audience: Audience, text: str) -> object:
    with db.reading() as session:
        return broadcasts.preview(
            session, viewer_id=viewer, audience=audience, text=text, clock=clock
        )


def test_a_cohort_means_its_partners_still_there_even_those_who_blocked_the_bot(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        people.leave(session, person_id=cast["chloe"], clock=clock)
        people.mark_unreachable(session, telegram_user_id=821, reason="403", clock=clock)
    # Bill stays a recipient, so the delivery report can show he could not be reached.
    assert _recipients(db, cast["margaret"], "cohort", frailty.id or 0) == [
        cast["amina"],
        cast["bill"],
    ]


def test_a_pair_one_person_or_a_meetings_silent_partners(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    pair = make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    meeting = make_meeting(db, clock, frailty)
    clock.set(meeting.ends_at + timedelta(hours=4))
    make_reflection(db, clock, cast["amina"], {}, meeting_id=meeting.id)
    margaret = cast["margaret"]
    assert _recipients(db, margaret, "pair", pair) == [cast["amina"], cast["bill"]]
    assert _recipients(db, margaret, "person", cast["chloe"]) == [cast["chloe"]]
    assert _recipients(db, margaret, "unanswered", meeting.id or 0) == [cast["bill"], cast["chloe"]]
    with db.transaction() as session:
        people.leave(session, person_id=cast["bill"], clock=clock)
    assert _recipients(db, margaret, "pair", pair) == [cast["amina"]]


def test_another_cohorts_audiences_are_not_found_for_a_facilitator(
    db: Database, clock: FakeClock, maternity: Cohort, cast: dict[str, int]
) -> None:
    theirs = make_pair(db, clock, cast["nia"], maternity, cast["bola"], cast["dee"])
    their_meeting = make_meeting(db, clock, maternity)
    for kind, target in [
        ("cohort", maternity.id or 0),
        ("pair", theirs),
        ("person", cast["bola"]),
        ("person", cast["nia"]),  # staff are not broadcast to one by one
        ("unanswered", their_meeting.id or 0),
        ("pair", 999_999),
        ("unanswered", 999_999),
    ]:
        with pytest.raises(NotFound):
            _recipients(db, cast["margaret"], kind, target)
    assert _recipients(db, cast["nia"], "pair", theirs) == [cast["bola"], cast["dee"]]


def test_only_coordinators_may_write_to_everyone_and_partners_to_no_one(
    db: Database, frailty: Cohort, cast: dict[str, int]
) -> None:
    with pytest.raises(NotAllowed):
        _recipients(db, cast["margaret"], "everyone")
    with pytest.raises(NotAllowed):
        _recipients(db, cast["amina"], "cohort", frailty.id or 0)
    partners = ("amina", "bill", "chloe", "bola", "dee")
    assert _recipients(db, cast["tom"], "everyone") == sorted(cast[n] for n in partners)
    assert _recipients(db, cast["tom"], "person", cast["bola"]) == [cast["bola"]]


def test_an_audience_survives_being_written_down_and_a_garbled_one_is_refused() -> None:
    audience = Audience("pair", 12)
    assert Audience.parse(audience.token()) == audience
    for garbled in ("pair", "pair.x", "planet.3", ""):
        with pytest.raises(InvalidInput):
            Audience.parse(garbled)


def test_the_preview_shows_the_first_recipients_words_exactly_as_they_will_get_them(
    db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort, cast: dict[str, int]
) -> None:
    make_meeting(db, clock, frailty, title="Frailty board")  # Monday 9 March, 09:00
    text = "  Hi {{ name }}, next: {{ next_meeting }} ({{ cohort }})  "
    draft = _preview(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), text)
    assert isinstance(draft, broadcasts.Preview)
    assert draft.people == [cast["amina"], cast["bill"], cast["chloe"]]
    assert draft.first_name == "Amina" and draft.text == text.strip()
    assert draft.words == "Hi Amina, next: Frailty board, Mon 9 Mar, 09:00 (Frailty pathway)"
    with db.reading() as session:
        amina = people.get_person(session, person_id=cast["amina"])
        copies = broadcasts.personal_copies(
            session, copies={0: (amina, draft.text)}, now=clock.now()
        )
    assert copies[0] == draft.words  # what the dispatcher will send her
    nothing_booked = _preview(db, clock, cast["tom"], Audience("person", cast["bola"]), text)
    assert isinstance(nothing_booked, broadcasts.Preview)
    assert nothing_booked.words == "Hi Bola, next: not booked yet (Maternity voices)"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hi {{ nmae }}", "broadcast.unknown_placeholder"),
        ("Hi {{ ''.__class__.__mro__ }}", "broadcast.bad_template"),  # the sandbox says no
        ("Hi {{ name", "broadcast.bad_template"),
        ("   ", "broadcast.empty"),
        ("x" * (broadcasts.TEXT_LIMIT + 1), "broadcast.too_long"),
    ],
)
def test_words_that_cannot_be_sent_are_refused_with_the_reason(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int], text: str, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _preview(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), text)
    assert refused.value.key == key
    if key == "broadcast.unknown_placeholder":
        assert refused.value.params == {
            "placeholders": "{{ name }}, {{ next_meeting }}, {{ cohort }}"
        }


def test_words_that_grow_too_long_once_filled_in_are_refused(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_meeting(db, clock, frailty, title="Frailty board")
    text = "{{ next_meeting }} " * 180  # about 3,400 characters typed, twice that filled in
    assert len(text.strip()) <= broadcasts.TEXT_LIMIT
    with pytest.raises(InvalidInput) as refused:
        _preview(db, clock, cast["margaret"], Audience("cohort", frailty.id or 0), text)
    assert refused.value.key == "broadcast.too_long"
    assert refused.value.params["length"] > broadcasts.TEXT_LIMIT


def _rows(db: Database) -> list[Delivery]:
    with db.reading() as session:
        return list(session.exec(select(Delivery).where(Delivery.purpose == "broadcast")))


def test_a_send_time_already_past_means_now_and_a_later_one_waits(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    audience = Audience("person", cast["amina"])
    with db.transaction() as session:
        late, queued = broadcasts.send(
            session,
            viewer_id=cast["margaret"],
            audience=audience,
            text="Papers are out",
            label="Amina",
            clock=clock,
            send_at=clock.now() - timedelta(hours=1),
        )
        later, _ = broadcasts.send(
            session,
            viewer_id=cast["margaret"],
            audience=Audience("cohort", frailty.id or 0),
            text="See you Thursday",
            label="Frailty pathway",
            clock=clock,
            send_at=clock.now() + timedelta(days=1),
        )
    assert queued == 1 and late.send_at == clock.now() and late.author_id == cast["margaret"]
    due = {(r.broadcast_id, r.person_id): r.due_at for r in _rows(db)}
    assert due[late.id, cast["amina"]] == clock.now()
    assert due[later.id, cast["chloe"]] == clock.now() + timedelta(days=1)
    assert {r.priority for r in _rows(db)} == {outbox.BROADCAST_PRIORITY}
    with db.transaction() as session:
        claimed = outbox.claim_due(session, worker="one", clock=clock)
    assert [(r["broadcast_id"], r["person_id"]) for r in claimed] == [(late.id, cast["amina"])]


def test_a_broadcast_needs_words_and_someone_to_read_them(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    empty = make_cohort(db, clock, "Empty")
    for text, ids in (("  ", [cast["amina"]]), ("Hello", [])):
        with pytest.raises(InvalidInput), db.transaction() as session:
            broadcasts.create_broadcast(session, text=text, person_ids=ids, clock=clock)
    with pytest.raises(InvalidInput) as nobody:
        _preview(db, clock, cast["tom"], Audience("cohort", empty.id or 0), "Hello")
    assert nobody.value.key == "broadcast.nobody"
    with db.reading() as session:
        assert session.exec(select(func.count()).select_from(Broadcast)).one() == 0
    with db.transaction() as session:
        _, rows = broadcasts.create_broadcast(
            session, text="Hello", person_ids=[cast["amina"], cast["amina"]], clock=clock
        )
    assert rows == 1 and [r.person_id for r in _rows(db)] == [cast["amina"]]


def test_a_facilitator_is_offered_their_own_cohorts_pairs_partners_and_ended_meetings(
    db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    make_pair(db, clock, cast["nia"], maternity, cast["bola"], cast["dee"])
    ended = make_meeting(db, clock, frailty, title="Ended", starts_at=clock.now() + timedelta(1))
    make_meeting(db, clock, frailty, title="Ahead", starts_at=clock.now() + timedelta(days=9))
    make_meeting(db, clock, maternity, title="Theirs", starts_at=clock.now() + timedelta(1))
    clock.advance(timedelta(days=2))
    with db.reading() as session:
        mine = broadcasts.choices(session, viewer_id=cast["margaret"], now=clock.now())
        all_of_it = broadcasts.choices(session, viewer_id=cast["tom"], now=clock.now())
    assert not mine.everyone and all_of_it.everyone
    assert [c.name for c in mine.cohorts] == ["Frailty pathway"]
    assert [(c.name, c.starts_at) for c in mine.meetings] == [("Ended", ended.starts_at)]
    assert [c.name for c in mine.pairs] == ["Amina & Bill"]
    assert mine.partners is not None
    assert [c.name for c in mine.partners] == ["Amina", "Bill", "Chloe"]
    assert [c.name for c in all_of_it.cohorts] == ["Frailty pathway", "Maternity voices"]
    assert sorted(c.name for c in all_of_it.meetings) == ["Ended", "Theirs"]


def test_partners_are_listed_one_by_one_only_up_to_the_limit(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    margaret = cast["margaret"]
    with db.reading() as session:
        listed = broadcasts.choices(session, viewer_id=margaret, now=clock.now(), partners=3)
        too_many = broadcasts.choices(session, viewer_id=margaret, now=clock.now(), partners=2)
        first = broadcasts.partners_page(session, viewer_id=margaret, page=0, size=2)
        second = broadcasts.partners_page(session, viewer_id=margaret, page=1, size=2)
    assert listed.partners is not None and len(listed.partners) == 3
    assert too_many.partners is None
    assert first == ([(cast["amina"], "Amina"), (cast["bill"], "Bill")], True)
    assert second == ([(cast["chloe"], "Chloe")], False)


def test_an_audience_is_described_by_name(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    pair = make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    meeting = make_meeting(db, clock, frailty, title="Frailty board")
    with db.reading() as session:
        named = [
            broadcasts.describe(session, audience=Audience(kind, target))
            for kind, target in [
                ("cohort", frailty.id or 0),
                ("pair", pair),
                ("person", cast["chloe"]),
                ("unanswered", meeting.id or 0),
                ("everyone", 0),
            ]
        ]
    assert named == ["Frailty pathway", "Amina & Bill", "Chloe", "Frailty board", ""]
