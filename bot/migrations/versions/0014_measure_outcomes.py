"""an outcome can name a measure: "you said, we did" about what matters to partners (issue 17)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contributionoutcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contributionoutcome_measure_id'), ['measure_id'], unique=False)
        batch_op.create_foreign_key('fk_contributionoutcome_measure_id', 'measure', ['measure_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('contributionoutcome', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contributionoutcome_measure_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contributionoutcome_measure_id'))
        batch_op.drop_column('measure_id')
