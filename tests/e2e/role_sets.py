"""Who the role table (test_roles.py) acts as, and the sets of them that may use a command
or a button."""

from __future__ import annotations

STRANGER, PARTNER, OTHER, FACILITATOR, COORDINATOR, BOARD = (
    "stranger",
    "partner",
    "facilitator of another cohort",
    "facilitator",
    "coordinator",
    "board member",
)
ROLES = (STRANGER, PARTNER, OTHER, FACILITATOR, COORDINATOR, BOARD)
JOINED = frozenset({PARTNER, OTHER, FACILITATOR, COORDINATOR})
EVERYONE = JOINED | {BOARD}  # their own account: board members too (issue 17)
BOARDS = frozenset({BOARD})
STAFF = frozenset({OTHER, FACILITATOR, COORDINATOR})
OURS = frozenset({FACILITATOR, COORDINATOR})
PARTNERS = frozenset({PARTNER})
