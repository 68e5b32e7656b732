"""Dashboard sign-in: single-use login links and server-side sessions.

Only SHA-256 hashes of link and session tokens are stored, so a copy of the database cannot
be used to sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class LoginLink(SQLModel, table=True):
    """A link sent in Telegram by /dashboard: valid once, for at most 15 minutes."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = _ts(nullable=False)
    expires_at: datetime = _ts(nullable=False)
    used_at: datetime | None = _ts()


class WebSession(SQLModel, table=True):
    """A signed-in browser; ends on logout, after idling, or at its absolute expiry."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = _ts(nullable=False)
    last_seen_at: datetime = _ts(nullable=False)
    expires_at: datetime = _ts(nullable=False)
    ended_at: datetime | None = _ts()
