"""A person's change history: each change they make to their own account (a pause, a new
time zone, a consent decision, leaving...), kept so /mydata can show it (issue 15, point 7).

The domain functions that make a change call `record` in the same transaction; the history is
the person's own data, so /forget erases it with the rest.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import AccountChange

VALUE_MAX = 200
ABOUT_MAX = 120


class ChangeKind(StrEnum):
    """What was changed; `old` and `new` hold the values as short plain text."""

    PAUSE = "pause"  # new: paused until (ISO time), or "" until they start again
    RESUME = "resume"
    NAME = "name"
    TIME_ZONE = "time_zone"
    QUIET_HOURS = "quiet_hours"  # "21:00-08:00", or "" for none
    EXPECTATIONS = "expectations"  # "yes": agreed to what Tandem expects, and offers
    REFLECTIONS_CONSENT = "reflections_consent"  # "yes" / "no": keep reflection answers
    SHARING = "sharing"  # a reflection's Sharing value; `about` is its title
    PAIR_MESSAGES = "pair_messages"  # "on" / "off": messages from their pair
    BUDDY_REMINDERS = "buddy_reminders"  # "on" / "off": told when their pair goes quiet
    STOP = "stop"
    REJOIN = "rejoin"


def on_off(value: bool) -> str:
    """A switch as the history keeps it."""
    return "on" if value else "off"


def record(
    session: Session,
    *,
    person_id: int,
    kind: ChangeKind,
    old: str = "",
    new: str = "",
    about: str = "",
    clock: Clock,
) -> AccountChange | None:
    """Keep one change (nothing when the value stays the same)."""
    if old == new and kind not in _EVENTS:
        return None
    change = AccountChange(
        person_id=person_id,
        at=clock.now(),
        kind=kind.value,
        old=old[:VALUE_MAX],
        new=new[:VALUE_MAX],
        about=about[:ABOUT_MAX],
    )
    session.add(change)
    return change


# Changes that are events rather than values: kept even with nothing before or after.
_EVENTS = frozenset({ChangeKind.RESUME, ChangeKind.STOP, ChangeKind.REJOIN, ChangeKind.PAUSE})


def history_of(session: Session, *, person_id: int) -> list[AccountChange]:
    """Every change the person made, oldest first."""
    return list(
        session.exec(
            select(AccountChange)
            .where(AccountChange.person_id == person_id)
            .order_by(col(AccountChange.at), col(AccountChange.id))
        ).all()
    )


def iso(moment: datetime | None) -> str:
    """A time as the history keeps it ("" for none)."""
    return moment.isoformat() if moment else ""
