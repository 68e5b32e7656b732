"""a broadcast's words in other languages (issue 19, step 6)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'broadcastversion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('broadcast_id', sa.Integer(), nullable=False),
        sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('broadcast_id', 'language'),
    )
    with op.batch_alter_table('broadcastversion', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_broadcastversion_broadcast_id'), ['broadcast_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('broadcastversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcastversion_broadcast_id'))
    op.drop_table('broadcastversion')
