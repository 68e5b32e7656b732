"""Claims in the domain (issue 18): money is exact (parsed from what people type, summed
without floats, rounded as stated), rules decide what is offered, a partner can only touch
their own claims, and staff only their own cohorts'."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import attendance, claims
from bot.domain.claims import ClaimFilter
from bot.domain.claims.money import fee_for, meeting_hours
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.privacy import export_personal_data
from bot.library import languages
from bot.models import Delivery, Role
from tests.factories import make_cohort, make_meeting, make_person


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12.50", "12.50"),
        ("£12.50", "12.50"),
        ("£ 12", "12.00"),
        ("12,5", "12.50"),
        ("3 pounds", "3.00"),
    ],
)
def test_amounts_are_read_exactly_from_what_people_type(typed: str, amount: str) -> None:
    assert claims.parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["12.505", "-3", "twelve", "", "1e3", "0", "£20000"])
def test_amounts_that_are_not_whole_pennies_or_out_of_range_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        claims.parse_amount(typed)


def test_sums_are_exact_and_rounding_is_half_up_to_the_penny() -> None:
    assert claims.total([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")
    assert claims.total([claims.parse_amount("0.10")] * 3) == Decimal("0.30")
    assert meeting_hours(timedelta(minutes=80)) == Decimal("1.33")
    assert fee_for(Decimal("1.33"), Decimal("25.00")) == Decimal("33.25")
    assert fee_for(Decimal("0.50"), Decimal("0.05")) == Decimal("0.03")  # 0.025 rounds up
    assert claims.pounds(Decimal("1234.5")) == "£1,234.50"


def test_amounts_are_written_as_each_language_writes_numbers() -> None:
    with languages.speaking("pl"):  # issue 19: CLDR's separators ("£1 234,50")
        assert claims.pounds(Decimal("1234.5")) == "£1\xa0234,50"
        assert claims.parse_amount("12,50") == Decimal("12.50")
    with languages.speaking("ar"):
        assert claims.pounds(Decimal("12.5")) == "£12.50"


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    frailty = make_cohort(db, clock)
    maternity = make_cohort(db, clock, "Maternity voices")
    people = {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "frailty": frailty.id or 0,
    }
    with db.transaction() as session:
        claims.set_rules(
            session, cohort_id=frailty.id or 0, hourly="25", per_session=None,
            expenses="Travel, parking; travel", receipt_over="10.00", clock=clock,
        )  # fmt: skip
    meeting = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=4))
    with db.transaction() as session:
        attendance.confirm_attendance(
            session, meeting_id=meeting.id or 0, person_id=people["margaret"],
            attended=[people["amina"]], clock=clock,
        )  # fmt: skip
    people["meeting"] = meeting.id or 0
    return people


def test_an_attended_meeting_is_offered_once_and_expenses_add_up_exactly(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        assert claims.rules_for(session, cohort_id=cast["frailty"]).expenses == (
            "travel",
            "parking",
        )
        assert claims.offer_claims(session, clock=clock) == 1
        assert claims.offer_claims(session, clock=clock) == 0  # Bill was not there
        [shown] = claims.my_claims(session, person_id=cast["amina"]).claims
        assert (shown.claim.hours, shown.claim.fee) == (Decimal("2.00"), Decimal("50.00"))
        for amount in ("0.10", "0.20"):
            claims.add_expense(
                session, person_id=cast["amina"], claim_id=shown.id, category=1, amount=amount,
                clock=clock,
            )  # fmt: skip
        again = claims.view(session, person_id=cast["amina"], claim_id=shown.id)
    assert again.expenses_total == Decimal("0.30") and again.total == Decimal("50.30")


def test_a_receipt_is_needed_above_the_cohorts_amount_before_sending(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    with db.transaction() as session:
        shown = claims.start_claim(
            session, person_id=amina, meeting_id=cast["meeting"], clock=clock
        )
        expense = claims.add_expense(
            session, person_id=amina, claim_id=shown.id, category=0, amount="10.01", clock=clock
        )
        with pytest.raises(Conflict):
            claims.submit(session, person_id=amina, claim_id=shown.id, clock=clock)
        claims.attach_receipt(
            session,
            person_id=amina,
            expense_id=expense.id or 0,
            data=b"x",
            content_type="image/jpeg",
        )
        with pytest.raises(InvalidInput):
            claims.attach_receipt(
                session, person_id=amina, expense_id=expense.id or 0,
                data=b"x" * (claims.RECEIPT_LIMIT + 1), content_type="image/jpeg",
            )  # fmt: skip
        sent = claims.submit(session, person_id=amina, claim_id=shown.id, clock=clock)
    assert sent.claim.status.value == "submitted"


def test_opting_out_of_payment_leaves_expenses_only(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    with db.transaction() as session:
        claims.offer_claims(session, clock=clock)
        [shown] = claims.my_claims(session, person_id=amina).claims
        claims.answer_offer(
            session, person_id=amina, claim_id=shown.id, choice="nopay", clock=clock
        )
        after = claims.view(session, person_id=amina, claim_id=shown.id)
        assert claims.opted_out(session, person_id=amina)
    assert (after.claim.basis, after.claim.fee) == ("none", Decimal("0"))


def test_nobody_touches_anothers_claim(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        shown = claims.start_claim(
            session, person_id=cast["amina"], meeting_id=cast["meeting"], clock=clock
        )
        with pytest.raises(NotFound):
            claims.start_claim(
                session, person_id=cast["bill"], meeting_id=cast["meeting"], clock=clock
            )
        with pytest.raises(NotFound):
            claims.answer_offer(
                session, person_id=cast["bill"], claim_id=shown.id, choice="yes", clock=clock
            )
        claims.add_expense(
            session, person_id=cast["amina"], claim_id=shown.id, category=1, amount="2", clock=clock
        )
        claims.submit(session, person_id=cast["amina"], claim_id=shown.id, clock=clock)
        with pytest.raises(NotFound):
            claims.approve(session, viewer_id=cast["nia"], claim_id=shown.id, clock=clock)
        claims.approve(session, viewer_id=cast["margaret"], claim_id=shown.id, clock=clock)
        with pytest.raises(Conflict):
            claims.add_expense(
                session, person_id=cast["amina"], claim_id=shown.id, category=1, amount="2",
                clock=clock,
            )  # fmt: skip


def test_an_unclaimed_offer_is_reminded_once_after_a_few_days(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        claims.offer_claims(session, clock=clock)
        assert claims.remind_unclaimed(session, clock=clock) == 0  # too soon
    clock.advance(timedelta(days=5))
    with db.transaction() as session:
        assert claims.remind_unclaimed(session, clock=clock) == 1
        assert claims.remind_unclaimed(session, clock=clock) == 0
        keys = session.exec(select(Delivery.dedupe_key)).all()
    assert sum("claims.reminder" in k for k in keys) == 1
    assert sum("claims.offer" in k for k in keys) == 1


def test_staff_filter_by_month_and_mydata_says_a_receipt_was_attached(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    with db.transaction() as session:
        shown = claims.start_claim(
            session, person_id=amina, meeting_id=cast["meeting"], clock=clock
        )
        expense = claims.add_expense(
            session, person_id=amina, claim_id=shown.id, category=0, amount="12", clock=clock
        )
        claims.attach_receipt(
            session, person_id=amina, expense_id=expense.id or 0, data=b"PHOTO-BYTES",
            content_type="image/jpeg",
        )  # fmt: skip
        claims.submit(session, person_id=amina, claim_id=shown.id, clock=clock)
        month = claims.claim_list(session, viewer_id=cast["margaret"], wanted=ClaimFilter())[
            0
        ].month
        chosen = ClaimFilter(month=month)
        assert len(claims.claim_list(session, viewer_id=cast["margaret"], wanted=chosen)) == 1
        other = ClaimFilter(month="1999-01")
        assert claims.claim_list(session, viewer_id=cast["margaret"], wanted=other) == []
        assert claims.claim_list(session, viewer_id=cast["nia"], wanted=ClaimFilter()) == []
        exported = json.dumps(export_personal_data(session, person_id=amina, clock=clock))
    assert "a receipt photo was attached" in exported and "PHOTO-BYTES" not in exported
    assert '"amount_gbp": "12.00"' in exported
