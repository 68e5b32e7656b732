"""champions and mentoring: partners who accept to mentor new ones (issue 18)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'champion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('asked', 'active', 'declined', 'ended', name='championstatus', native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column('asked_by', sa.Integer(), nullable=True),
        sa.Column('asked_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('answered_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('started_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['asked_by'], ['person.id']),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cohort_id', 'person_id'),
    )
    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_champion_person_id'), ['person_id'], unique=False)

    op.create_table(
        'mentorship',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('champion_id', sa.Integer(), nullable=False),
        sa.Column('mentee_id', sa.Integer(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('offered', 'active', 'declined', 'ended', name='mentorshipstatus', native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column('offered_by', sa.Integer(), nullable=True),
        sa.Column('offered_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('ends_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column('champion_stopped_relay', sa.Boolean(), nullable=False),
        sa.Column('mentee_stopped_relay', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['champion_id'], ['person.id']),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['mentee_id'], ['person.id']),
        sa.ForeignKeyConstraint(['offered_by'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorship_champion_id'), ['champion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_mentee_id'), ['mentee_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentorship_mentee_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_champion_id'))
    op.drop_table('mentorship')
    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_person_id'))
        batch_op.drop_index(batch_op.f('ix_champion_cohort_id'))
    op.drop_table('champion')
