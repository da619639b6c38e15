"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:50:54.801981

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "languages",
        sa.Column("tag", sa.String(length=35), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("autonym", sa.String(length=100), nullable=True),
        sa.Column("script", sa.String(length=4), nullable=True),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("casing", sa.String(length=10), nullable=False),
        sa.Column("plural_forms", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.CheckConstraint("casing IN ('default', 'turkic')", name=op.f("ck_languages_casing")),
        sa.CheckConstraint("direction IN ('ltr', 'rtl')", name=op.f("ck_languages_direction")),
        sa.PrimaryKeyConstraint("tag", name=op.f("pk_languages")),
    )
    op.create_table(
        "meetups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("starts", sa.DateTime(), nullable=True),
        sa.Column("ends", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("join_code", sa.String(length=20), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('planned', 'open', 'closed')", name=op.f("ck_meetups_state")),
        sa.CheckConstraint("quorum >= 1", name=op.f("ck_meetups_quorum")),
        sa.CheckConstraint("threshold > 0 AND threshold <= 1", name=op.f("ck_meetups_threshold")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetups")),
        sa.UniqueConstraint("join_code", name=op.f("uq_meetups_join_code")),
        sa.UniqueConstraint("uid", name=op.f("uq_meetups_uid")),
    )
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("op IN ('index', 'remove')", name=op.f("ck_search_outbox_op")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_outbox_term_id"), ["term_id"], unique=False)

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("licence", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=True),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("oauth_subject", sa.String(length=200), nullable=True),
        sa.Column("meetup_id", sa.Integer(), nullable=True),
        sa.Column("ui_language", sa.String(length=35), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('viewer', 'participant', 'editor', 'moderator', 'admin')",
            name=op.f("ck_users_role"),
        ),
        sa.ForeignKeyConstraint(
            ["meetup_id"], ["meetups.id"], name=op.f("fk_users_meetup_id_meetups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("oauth_subject", name=op.f("uq_users_oauth_subject")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_meetup_id"), ["meetup_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meetup_id"], ["meetups.id"], name=op.f("fk_api_tokens_meetup_id_meetups")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("domain", sa.String(length=100), nullable=True),
        sa.Column("context", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("wikidata", sa.String(length=20), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("origin_meetup_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_concepts_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["concepts.id"], name=op.f("fk_concepts_merged_into_id_concepts")
        ),
        sa.ForeignKeyConstraint(
            ["origin_meetup_id"], ["meetups.id"], name=op.f("fk_concepts_origin_meetup_id_meetups")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_concepts_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concepts")),
        sa.UniqueConstraint("uid", name=op.f("uq_concepts_uid")),
    )
    with op.batch_alter_table("concepts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concepts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_concepts_domain"), ["domain"], unique=False)

    op.create_table(
        "meetup_organisers",
        sa.Column("meetup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meetup_id"], ["meetups.id"], name=op.f("fk_meetup_organisers_meetup_id_meetups")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_meetup_organisers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("meetup_id", "user_id", name=op.f("pk_meetup_organisers")),
    )
    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=True),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=35), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_ballots_state")),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concepts.id"], name=op.f("fk_ballots_concept_id_concepts")
        ),
        sa.ForeignKeyConstraint(
            ["lang"], ["languages.tag"], name=op.f("fk_ballots_lang_languages")
        ),
        sa.ForeignKeyConstraint(
            ["meetup_id"], ["meetups.id"], name=op.f("fk_ballots_meetup_id_meetups")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_ballots_opened_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
    )
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballots_concept_id"), ["concept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballots_meetup_id"), ["meetup_id"], unique=False)
        batch_op.create_index(
            "uq_ballots_one_open_slot",
            ["concept_id", "lang"],
            unique=True,
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        )

    op.create_table(
        "definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=35), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concepts.id"], name=op.f("fk_definitions_concept_id_concepts")
        ),
        sa.ForeignKeyConstraint(
            ["lang"], ["languages.tag"], name=op.f("fk_definitions_lang_languages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definitions")),
        sa.UniqueConstraint("concept_id", "lang", name=op.f("uq_definitions_concept_id_lang")),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_history_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concepts.id"], name=op.f("fk_history_concept_id_concepts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_history_concept_id"), ["concept_id"], unique=False)

    op.create_table(
        "terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=35), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("norm", sa.String(length=500), nullable=False),
        sa.Column("folded", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("pos", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("usage_note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("meetup_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'preferred', 'admitted', 'deprecated', 'rejected')",
            name=op.f("ck_terms_status"),
        ),
        sa.CheckConstraint("text <> ''", name=op.f("ck_terms_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concepts.id"], name=op.f("fk_terms_concept_id_concepts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_terms_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["lang"], ["languages.tag"], name=op.f("fk_terms_lang_languages")),
        sa.ForeignKeyConstraint(
            ["meetup_id"], ["meetups.id"], name=op.f("fk_terms_meetup_id_meetups")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_terms_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
        sa.UniqueConstraint(
            "concept_id", "lang", "norm", name=op.f("uq_terms_concept_id_lang_norm")
        ),
    )
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terms_concept_id"), ["concept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_terms_folded"), ["folded"], unique=False)
        batch_op.create_index(batch_op.f("ix_terms_key"), ["key"], unique=False)
        batch_op.create_index("ix_terms_lang_folded", ["lang", "folded"], unique=False)
        batch_op.create_index(
            "uq_terms_one_preferred",
            ["concept_id", "lang"],
            unique=True,
            sqlite_where=sa.text("status = 'preferred'"),
            postgresql_where=sa.text("status = 'preferred'"),
        )

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concepts.id"], name=op.f("fk_comments_concept_id_concepts")
        ),
        sa.ForeignKeyConstraint(["term_id"], ["terms.id"], name=op.f("fk_comments_term_id_terms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_concept_id"), ["concept_id"], unique=False)

    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("value IN (-1, 0, 1)", name=op.f("ck_votes_value")),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.id"], name=op.f("fk_votes_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(["term_id"], ["terms.id"], name=op.f("fk_votes_term_id_terms")),
        sa.ForeignKeyConstraint(["voter_id"], ["users.id"], name=op.f("fk_votes_voter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint(
            "ballot_id", "term_id", "voter_id", name=op.f("uq_votes_ballot_id_term_id_voter_id")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_votes_uid")),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_votes_ballot_id"), ["ballot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_votes_term_id"), ["term_id"], unique=False)


def downgrade():

    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_votes_term_id"))
        batch_op.drop_index(batch_op.f("ix_votes_ballot_id"))

    op.drop_table("votes")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_concept_id"))

    op.drop_table("comments")
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_terms_one_preferred",
            sqlite_where=sa.text("status = 'preferred'"),
            postgresql_where=sa.text("status = 'preferred'"),
        )
        batch_op.drop_index("ix_terms_lang_folded")
        batch_op.drop_index(batch_op.f("ix_terms_key"))
        batch_op.drop_index(batch_op.f("ix_terms_folded"))
        batch_op.drop_index(batch_op.f("ix_terms_concept_id"))

    op.drop_table("terms")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_concept_id"))
        batch_op.drop_index(batch_op.f("ix_history_at"))

    op.drop_table("history")
    op.drop_table("definitions")
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_ballots_one_open_slot",
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_ballots_meetup_id"))
        batch_op.drop_index(batch_op.f("ix_ballots_concept_id"))

    op.drop_table("ballots")
    op.drop_table("meetup_organisers")
    with op.batch_alter_table("concepts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concepts_domain"))
        batch_op.drop_index(batch_op.f("ix_concepts_created_at"))

    op.drop_table("concepts")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_meetup_id"))

    op.drop_table("users")
    op.drop_table("sources")
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_outbox_term_id"))

    op.drop_table("search_outbox")
    op.drop_table("meetups")
    op.drop_table("languages")
