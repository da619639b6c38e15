"""search indexes

Both databases: ``updated_at`` indexes, so sentence lookup learns in O(log n) whether the term
set changed since it built its matcher.

PostgreSQL only (the postgres search backend): the pg_trgm extension; ``COLLATE "C"`` B-trees
on ``folded`` and ``key``, because prefix ranges and their ORDER BY must compare by code point
(a linguistic collation does not keep a prefix's matches together); and trigram GIN indexes for
typo-tolerant and later-word matches. SQLite's default BINARY collation already compares by
code point, so the existing ``folded``/``key`` indexes serve its prefix ranges.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

POSTGRES_INDEXES = {
    "ix_terms_folded_c": 'terms (folded COLLATE "C")',
    "ix_terms_key_c": 'terms (key COLLATE "C")',
    "ix_terms_folded_trgm": "terms USING gin (folded gin_trgm_ops)",
    "ix_terms_key_trgm": "terms USING gin (key gin_trgm_ops)",
}


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terms_updated_at"), ["updated_at"], unique=False)
    with op.batch_alter_table("concepts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concepts_updated_at"), ["updated_at"], unique=False)
    if _is_postgres():
        op.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        for name, target in POSTGRES_INDEXES.items():
            op.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {target}"))


def downgrade():
    if _is_postgres():
        for name in POSTGRES_INDEXES:
            op.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
        # The extension stays: other databases objects may use it, and it holds no data.
    with op.batch_alter_table("concepts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concepts_updated_at"))
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terms_updated_at"))
