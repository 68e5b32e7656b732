"""Who may press each one-to-one button in the role table (issue 18)."""

from __future__ import annotations

from bot.telegram import callbacks
from tests.e2e.role_sets import OURS, PARTNERS, STAFF
from tests.e2e.role_world import BOOKING_DAY, World


def booking_buttons(w: World) -> dict[str, frozenset[str]]:
    """The cohort's partners book its free times; nobody but Amina touches her booking;
    only those who may host for the cohort add or cancel its times."""
    day = BOOKING_DAY.toordinal()
    return {
        callbacks.BOOK_LIST(): PARTNERS,
        callbacks.BOOK_PICK(w.free_slot): PARTNERS,
        callbacks.BOOK_CONFIRM(w.free_slot): PARTNERS,
        callbacks.BOOK_FILE(w.booking): frozenset(),
        callbacks.BOOK_MOVE(w.booking): frozenset(),
        callbacks.BOOK_MOVE_TO(w.booking, w.spare_slot): frozenset(),
        callbacks.BOOK_CANCEL_ASK(w.booking): frozenset(),
        callbacks.BOOK_CANCEL(w.booking): frozenset(),
        callbacks.HOST_LIST(): STAFF,
        callbacks.HOST_NEW(0): STAFF,
        callbacks.HOST_NEW(w.cohort): OURS,
        callbacks.HOST_DAY(w.cohort, day): OURS,
        callbacks.HOST_TIME(w.cohort, day, 600): OURS,
        callbacks.HOST_LENGTH(w.cohort, day, 600, 30): OURS,
        callbacks.HOST_CANCEL_ASK(w.spare_slot): OURS,
        callbacks.HOST_CANCEL(w.spare_slot): OURS,
    }
