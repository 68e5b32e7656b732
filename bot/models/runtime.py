"""What the bot keeps for itself: where each conversation is, which updates it has processed,
and small facts such as the last update id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class ConversationState(SQLModel, table=True):
    """Where a person is in a multi-step conversation, so a restart resumes there."""

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: str = Field(default="{}")
    updated_at: datetime = _ts(nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled, so a redelivered update is processed once."""

    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    processed_at: datetime = _ts(nullable=False, index=True)


class BotState(SQLModel, table=True):
    """Small facts about the bot kept across restarts (last update id, username)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)
