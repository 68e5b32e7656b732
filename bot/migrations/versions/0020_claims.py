"""involvement payments and expenses: payment rules, choices, claims (issue 18)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ('draft', 'submitted', 'queried', 'approved', 'rejected', 'paid')


def upgrade() -> None:
    op.create_table(
        'paymentrules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('hourly_rate', sa.Numeric(10, 2), nullable=True),
        sa.Column('session_rate', sa.Numeric(10, 2), nullable=True),
        sa.Column('expenses', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('receipt_over', sa.Numeric(10, 2), nullable=True),
        sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cohort_id'),
    )
    op.create_table(
        'paymentchoice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('opted_out', sa.Boolean(), nullable=False),
        sa.Column('decided_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id'),
    )
    op.create_table(
        'claim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='claimstatus', native_enum=False, length=32), nullable=False),
        sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('hours', sa.Numeric(6, 2), nullable=False),
        sa.Column('fee', sa.Numeric(10, 2), nullable=False),
        sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('paid_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('question', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('reminded_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['decided_by'], ['person.id']),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id']),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meeting_id', 'person_id'),
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_status'), ['status'], unique=False)
    op.create_table(
        'claimexpense',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('amount', sa.Numeric(10, 2), nullable=False),
        sa.Column('receipt', sa.LargeBinary(), nullable=True),
        sa.Column('receipt_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('added_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('claimexpense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claimexpense_claim_id'), ['claim_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claimexpense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claimexpense_claim_id'))
    op.drop_table('claimexpense')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_status'))
        batch_op.drop_index(batch_op.f('ix_claim_person_id'))
        batch_op.drop_index(batch_op.f('ix_claim_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_claim_cohort_id'))
    op.drop_table('claim')
    op.drop_table('paymentchoice')
    op.drop_table('paymentrules')
