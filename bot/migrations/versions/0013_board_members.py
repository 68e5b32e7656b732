"""board members: role labels, learnings after each meeting, partners' reactions (issue 17)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LABEL = sa.Enum('clinician', 'manager', 'other', name='boardlabel', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('boardmember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('label', _LABEL, nullable=False),
    sa.Column('chosen_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('boardmember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boardmember_person_id'), ['person_id'], unique=True)

    op.create_table('boardlearning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('label', _LABEL, nullable=False),
    sa.Column('learned', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('learned_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('differently', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('differently_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sa.Enum('draft', 'shared', 'held', 'dropped', name='learningstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shared_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'meeting_id')
    )
    with op.batch_alter_table('boardlearning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boardlearning_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_boardlearning_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_boardlearning_person_id'), ['person_id'], unique=False)

    op.create_table('learningreaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learning_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('helps', 'talk', name='reactionkind', native_enum=False, length=32), nullable=False),
    sa.Column('reacted_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learning_id'], ['boardlearning.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learning_id', 'person_id', 'kind')
    )
    with op.batch_alter_table('learningreaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learningreaction_learning_id'), ['learning_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learningreaction_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('learningreaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learningreaction_person_id'))
        batch_op.drop_index(batch_op.f('ix_learningreaction_learning_id'))
    op.drop_table('learningreaction')
    with op.batch_alter_table('boardlearning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boardlearning_person_id'))
        batch_op.drop_index(batch_op.f('ix_boardlearning_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_boardlearning_cohort_id'))
    op.drop_table('boardlearning')
    with op.batch_alter_table('boardmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boardmember_person_id'))
    op.drop_table('boardmember')
