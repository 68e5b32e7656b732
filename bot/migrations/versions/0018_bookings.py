"""one-to-one briefings: slots hosts publish, and partners' bookings (issue 18)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'bookingslot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('host_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('join_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('status', sa.Enum('open', 'cancelled', name='slotstatus', native_enum=False, length=32), nullable=False),
        sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['host_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('bookingslot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookingslot_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookingslot_host_id'), ['host_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookingslot_starts_at'), ['starts_at'], unique=False)

    op.create_table(
        'booking',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slot_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('held_slot_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('booked', 'cancelled', name='bookingstatus', native_enum=False, length=32), nullable=False),
        sa.Column('booked_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['held_slot_id'], ['bookingslot.id']),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.ForeignKeyConstraint(['slot_id'], ['bookingslot.id']),
        sa.PrimaryKeyConstraint('id'),
        # Two partners can never hold one slot (issue 18): the database refuses the second.
        sa.UniqueConstraint('held_slot_id'),
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_slot_id'), ['slot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_slot_id'))
        batch_op.drop_index(batch_op.f('ix_booking_person_id'))
    op.drop_table('booking')
    with op.batch_alter_table('bookingslot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookingslot_starts_at'))
        batch_op.drop_index(batch_op.f('ix_bookingslot_host_id'))
        batch_op.drop_index(batch_op.f('ix_bookingslot_cohort_id'))
    op.drop_table('bookingslot')
