"""account changes: what a person changed (pause, settings, consent...), for /mydata

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('accountchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('old', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('new', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('about', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accountchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountchange_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('accountchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountchange_person_id'))

    op.drop_table('accountchange')
