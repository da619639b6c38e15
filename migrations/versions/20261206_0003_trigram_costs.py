"""trigram operator costs

PostgreSQL only (the postgres search backend). pg_trgm declares the functions behind its
similarity operators (``%``, ``<%``, ``%>``) with the default cost of 1, an equality test's,
so the planner prefers reading every term and computing a similarity for each (340 ms at 40k
terms, and the fuzzy level then hits its timeout) to the trigram GIN indexes (22 ms). A cost of
100 prices them as the work they are. ``ALTER FUNCTION`` needs the extension's owner: where
Tamyr's database user is not, the migration warns and goes on (search still answers, slower).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGRAM_FUNCTIONS = ("similarity_op", "word_similarity_op", "word_similarity_commutator_op")


def _set_cost(cost: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    statements = " ".join(
        f"ALTER FUNCTION {name}(text, text) COST {cost};" for name in TRIGRAM_FUNCTIONS
    )
    op.execute(
        sa.text(
            f"DO $$ BEGIN {statements} EXCEPTION WHEN insufficient_privilege THEN "
            "RAISE WARNING 'pg_trgm belongs to another role: its operator costs stay as they "
            "are (ask its owner to run migration 0003''s ALTER FUNCTION statements)'; END $$"
        )
    )


def upgrade():
    _set_cost(100)


def downgrade():
    _set_cost(1)
