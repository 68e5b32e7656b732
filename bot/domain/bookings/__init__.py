"""One-to-one briefings (issue 18, part 2): hosts publish slots, partners book them.

A facilitator or coordinator (later also a champion: see `may_host`) publishes slots for a
cohort; its partners book one by buttons, get a calendar file and reminders, and can move
or cancel it; hosts are told of each booking, move and cancellation. Two partners can
never hold one slot (a unique column, see bot/models/bookings.py). The monthly check-in's
"A one-to-one briefing" answer offers the next free slots straight away.

    slots.py      who may host (`may_host`), free slots, a slot with its names
    booking.py    a partner's /book: book, move, cancel, the .ics file
    hosting.py    a host's side: publish a slot, their slots, cancel one
    telling.py    reminders and notices, through the outbox
    checkin.py    the check-in's offer
    desk.py       the dashboard's list
    privacy.py    /mydata and /forget
"""

from bot.domain.bookings.booking import (
    Booked,
    Offer,
    PartnerView,
    book,
    booking_file,
    cancel,
    give_up,
    ics_of,
    looked_at,
    move,
    move_choices,
    offered,
    partner_cohort,
    partner_view,
)
from bot.domain.bookings.checkin import BriefingOffer, offer_after_check_in
from bot.domain.bookings.desk import Desk, desk
from bot.domain.bookings.hosting import (
    HOURS,
    LENGTHS,
    Cancelled,
    Step,
    cancel_slot,
    days_for,
    hosted,
    managed,
    publish,
    require_host,
    step,
)
from bot.domain.bookings.slots import SlotView, hostable_cohorts, may_host, require_hosting

__all__ = [
    "HOURS",
    "LENGTHS",
    "Booked",
    "BriefingOffer",
    "Cancelled",
    "Desk",
    "Offer",
    "PartnerView",
    "SlotView",
    "Step",
    "book",
    "booking_file",
    "cancel",
    "cancel_slot",
    "days_for",
    "desk",
    "give_up",
    "hostable_cohorts",
    "hosted",
    "ics_of",
    "looked_at",
    "managed",
    "may_host",
    "move",
    "move_choices",
    "offer_after_check_in",
    "offered",
    "partner_cohort",
    "partner_view",
    "publish",
    "require_host",
    "require_hosting",
    "step",
]
