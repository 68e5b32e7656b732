"""Money as people type it and as Tandem keeps it: exact decimals in pounds sterling (GBP),
never floats.

Rounding rules (stated once, used everywhere):
- a typed amount must already be whole pennies ("12.50", "£12.50", "12"); "12.505" is
  refused rather than rounded, so what the partner typed is what they claim;
- hours claimed are the meeting's length in hours, to two decimal places, half up;
- a fee is hours times the hourly rate, rounded half up to the penny;
- totals are sums of pennies, so they are exact (0.10 + 0.20 is 0.30).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal

from bot.domain.errors import InvalidInput
from bot.library import languages

CURRENCY = "GBP"
PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
LARGEST = Decimal("10000.00")  # one expense or rate; larger is surely a typing slip
_TYPED = re.compile(r"^£?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:gbp|pounds?)?$", re.IGNORECASE)


def parse_amount(text: str, *, allow_zero: bool = False) -> Decimal:
    """ "12.50", "£12.50", "£12", "12,50" as Decimal("12.50"); anything else is refused."""
    typed = " ".join(text.split())
    found = _TYPED.match(typed)
    if found is None:
        raise InvalidInput("claims.amount_unclear", typed=typed[:40])
    try:
        amount = Decimal(found.group(1).replace(",", ".")).quantize(PENNY)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidInput("claims.amount_unclear", typed=typed[:40]) from None
    if amount > LARGEST or (amount == ZERO and not allow_zero):
        raise InvalidInput("claims.amount_range", largest=pounds(LARGEST))
    return amount


def pounds(amount: Decimal) -> str:
    """£12.50 (always two places, with thousands separated), written the way the language
    being written writes numbers (CLDR): "£1 234,50" in Polish."""
    code = languages.current()
    if code == languages.ENGLISH:
        return f"£{amount.quantize(PENNY):,}"
    return f"£{format_decimal(amount.quantize(PENNY), format='#,##0.00', locale=code)}"


def meeting_hours(length: timedelta) -> Decimal:
    """A meeting's length in hours, to two places, half up (1h 20m is 1.33)."""
    minutes = Decimal(int(length.total_seconds() // 60))
    return (minutes / Decimal(60)).quantize(PENNY, rounding=ROUND_HALF_UP)


def fee_for(hours: Decimal, rate: Decimal) -> Decimal:
    """Hours at an hourly rate, rounded half up to the penny."""
    return (hours * rate).quantize(PENNY, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """An exact sum of amounts, in pennies."""
    return sum((a.quantize(PENNY) for a in amounts), ZERO)
