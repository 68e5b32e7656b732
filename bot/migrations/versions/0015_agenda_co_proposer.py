"""an agenda item can be proposed by a pair together: the co-proposer (issue 17)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.models


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agendaitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('co_proposer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('co_joined_at', bot.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_agendaitem_co_proposer_id'), ['co_proposer_id'], unique=False)
        batch_op.create_foreign_key('fk_agendaitem_co_proposer_id', 'person', ['co_proposer_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('agendaitem', schema=None) as batch_op:
        batch_op.drop_constraint('fk_agendaitem_co_proposer_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_agendaitem_co_proposer_id'))
        batch_op.drop_column('co_joined_at')
        batch_op.drop_column('co_proposer_id')
