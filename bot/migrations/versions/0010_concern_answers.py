"""safeguarding concerns: the partner's answer to their signpost (safe now, or contact me)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.models


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('safe_at', bot.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('contact_asked_at', bot.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('contact_escalated_at', bot.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_column('contact_escalated_at')
        batch_op.drop_column('contact_asked_at')
        batch_op.drop_column('safe_at')
