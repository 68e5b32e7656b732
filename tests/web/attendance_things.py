"""Attendance in the security table's Frailty pathway (issue 18): confirming who came to the
meeting held an hour ago, and writing about a partner for their record."""

from __future__ import annotations


def attendance_posts(held: int, partner: int) -> dict[str, tuple[str, dict[str, str]]]:
    """The held meeting's sheet confirmed with Amina there; an endorsement of Amina."""
    return {
        "/dashboard/attendance/{meeting_id:int}": (
            f"/dashboard/attendance/{held}",
            {"there": str(partner)},
        ),
        "/dashboard/attendance/endorse": (
            "/dashboard/attendance/endorse",
            {"partner": str(partner), "text": "Amina spoke up for carers at every board."},
        ),
    }
