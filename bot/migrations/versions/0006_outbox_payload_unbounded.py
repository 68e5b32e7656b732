"""outbox payloads without a length limit: a notice can carry a partner's longest message

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 07:30:00
"""

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # On PostgreSQL a 4,096-character question failed as "value too long for type character
    # varying(4000)" and was lost; SQLite never enforced the length.
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.alter_column(
            'payload',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=4000),
            type_=sqlmodel.sql.sqltypes.AutoString(),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.alter_column(
            'payload',
            existing_type=sqlmodel.sql.sqltypes.AutoString(),
            type_=sqlmodel.sql.sqltypes.AutoString(length=4000),
            existing_nullable=False,
        )
