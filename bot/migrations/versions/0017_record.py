"""a partner's record of contribution: achievements and endorsements (issue 18)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'achievement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_achievement_person_id'), ['person_id'], unique=False)
    op.create_table(
        'endorsement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='endorsementstatus', native_enum=False, length=32), nullable=False),
        sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['person.id']),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsement_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsement_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsement_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsement_person_id'))
        batch_op.drop_index(batch_op.f('ix_endorsement_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_endorsement_author_id'))
    op.drop_table('endorsement')
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_achievement_person_id'))
    op.drop_table('achievement')
