"""Who may press each attendance and record button in the role table (issue 18)."""

from __future__ import annotations

from bot.telegram import callbacks
from tests.e2e.role_sets import OURS, PARTNERS, STAFF
from tests.e2e.role_world import World


def attendance_buttons(w: World) -> dict[str, frozenset[str]]:
    """Attendance sheets for the cohort's staff (another cohort's facilitator finds nothing);
    endorsing one of its partners; a partner's own record, where Amina's achievement and
    endorsement are hers alone."""
    return {
        callbacks.ATTENDANCE(): STAFF,
        callbacks.ATTENDANCE_SHEET(w.held): OURS,
        callbacks.ATTENDANCE_TICK(w.held, w.unpaired): OURS,
        callbacks.ATTENDANCE_CONFIRM(w.held): OURS,
        callbacks.ENDORSE_LIST(): STAFF,
        callbacks.ENDORSE(w.unpaired): OURS,
        callbacks.RECORD(): PARTNERS,
        callbacks.RECORD_PDF(): PARTNERS,
        callbacks.RECORD_ADD(): PARTNERS,
        callbacks.RECORD_SKIP(): PARTNERS,
        callbacks.RECORD_MINE(): PARTNERS,
        callbacks.RECORD_REMOVE(w.achievement): frozenset(),
        callbacks.RECORD_ENDORSEMENT(w.endorsement, "yes"): frozenset(),
        callbacks.RECORD_ENDORSEMENT(w.endorsement, "no"): frozenset(),
    }
