"""measures: what matters to us, proposed and voted by partners, adopted by facilitators

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'adopted', 'retired', 'withdrawn', name='measurestatus', native_enum=False, length=32), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('votes_at_adoption', sa.Integer(), nullable=True),
    sa.Column('adopted_by', sa.Integer(), nullable=True),
    sa.Column('adopted_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retired_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['adopted_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ),
    sa.ForeignKeyConstraint(['proposed_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_proposed_by'), ['proposed_by'], unique=False)

    op.create_table('measurevote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('cast_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('measure_id', 'person_id')
    )
    with op.batch_alter_table('measurevote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurevote_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurevote_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('measurevote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurevote_person_id'))
        batch_op.drop_index(batch_op.f('ix_measurevote_measure_id'))
    op.drop_table('measurevote')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_proposed_by'))
        batch_op.drop_index(batch_op.f('ix_measure_cohort_id'))
    op.drop_table('measure')
