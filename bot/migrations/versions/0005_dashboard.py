"""dashboard sign-in: login links and web sessions; reflections by finish time

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('loginlink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginlink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginlink_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginlink_token_hash'), ['token_hash'], unique=True)

    op.create_table('websession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('websession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_websession_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_websession_token_hash'), ['token_hash'], unique=True)

    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_finished_at'), ['finished_at'], unique=False)
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_question_number', ['question_id', 'number'], unique=False)
    _word_search_up()


# Word search over answers for the dashboard. SQLite: an FTS5 trigram index over answer.text
# (a later migration that rebuilds `answer` in batch mode must create these triggers again)
# (external content, kept in step by triggers, so erasing an answer removes it from the index
# too). PostgreSQL: a pg_trgm GIN index that ILIKE uses; where the extension is not allowed,
# search still works, only without the index.
FTS_TRIGGERS = {
    "answer_words_ai": "AFTER INSERT ON answer BEGIN "
    "INSERT INTO answer_words(rowid, text) VALUES (new.id, new.text); END",
    "answer_words_ad": "AFTER DELETE ON answer BEGIN "
    "INSERT INTO answer_words(answer_words, rowid, text) VALUES ('delete', old.id, old.text); END",
    "answer_words_au": "AFTER UPDATE OF text ON answer BEGIN "
    "INSERT INTO answer_words(answer_words, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO answer_words(rowid, text) VALUES (new.id, new.text); END",
}


def _word_search_up() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE answer_words USING fts5("
            "text, content='answer', content_rowid='id', tokenize='trigram')"
        )
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO answer_words(answer_words) VALUES ('rebuild')")
    elif bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
        op.execute("CREATE INDEX ix_answer_text_trgm ON answer USING gin (text gin_trgm_ops)")


def _word_search_down() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS answer_words")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_answer_text_trgm")


def downgrade() -> None:
    _word_search_down()
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_question_number')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_finished_at'))
    with op.batch_alter_table('websession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_websession_token_hash'))
        batch_op.drop_index(batch_op.f('ix_websession_person_id'))
    op.drop_table('websession')
    with op.batch_alter_table('loginlink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginlink_token_hash'))
        batch_op.drop_index(batch_op.f('ix_loginlink_person_id'))
    op.drop_table('loginlink')
