"""`tandem cohort payments NAME`: show or set a cohort's payment rules (issue 18)."""

from __future__ import annotations

import click

from bot.cli.people import cohort
from bot.cli.support import load, open_db, operator_errors


def _amount(value: object) -> str | None:
    return None if value is None else str(value)


@cohort.command("payments")
@click.argument("name")
@click.option("--hourly", help="Involvement payment per hour, in pounds, e.g. 25.00.")
@click.option("--per-session", help="Or a payment per meeting, in pounds, e.g. 75.00.")
@click.option("--expenses-only", is_flag=True, help="No payment for time: expenses only.")
@click.option("--expenses", help='Expenses covered, e.g. "travel, parking, care cover, meals".')
@click.option("--receipts-over", help="A receipt is needed above this amount, e.g. 10.00.")
@click.option("--no-receipts", is_flag=True, help="Receipts are never required.")
@operator_errors
def cohort_payments(
    name: str,
    hourly: str | None,
    per_session: str | None,
    expenses_only: bool,
    expenses: str | None,
    receipts_over: str | None,
    no_receipts: bool,
) -> None:
    """Show the payment rules of cohort NAME, or change them (options not given stay)."""
    from bot.domain.claims import rules_for, set_rules
    from bot.domain.clock import SystemClock
    from bot.domain.cohorts import get_cohort

    database = open_db(load())
    with database.transaction() as session:
        found = get_cohort(session, name=name)
        rules = rules_for(session, cohort_id=found.id or 0)
        changing = hourly, per_session, expenses, receipts_over
        if any(v is not None for v in changing) or expenses_only or no_receipts:
            keep_rates = hourly is None and per_session is None and not expenses_only
            rules = set_rules(
                session,
                cohort_id=found.id or 0,
                hourly=_amount(rules.hourly_rate) if keep_rates else hourly,
                per_session=_amount(rules.session_rate) if keep_rates else per_session,
                expenses=", ".join(rules.expenses) if expenses is None else expenses,
                receipt_over=None if no_receipts else receipts_over or _amount(rules.receipt_over),
                clock=SystemClock(),
            )
    if rules.hourly_rate is not None:
        time = f"£{rules.hourly_rate} an hour"
    elif rules.session_rate is not None:
        time = f"£{rules.session_rate} a meeting"
    else:
        time = "expenses only"
    click.echo(f"{name}: {time} (GBP)")
    click.echo(f"expenses covered: {', '.join(rules.expenses) or 'none'}")
    receipts = f"above £{rules.receipt_over}" if rules.receipt_over is not None else "never"
    click.echo(f"receipts needed: {receipts}")
