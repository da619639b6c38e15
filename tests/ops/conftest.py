"""Fixtures for operations tests: a populated termbase and plain row dumps to compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select

from tests.cli_helpers import run_tamyr


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every backed-up table's rows in primary-key order, read with a plain engine."""
    from glossary.services.backup import backed_up_tables

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(*table.columns).order_by(*table.primary_key.columns)
                    )
                ]
                for table in backed_up_tables()
            }
    finally:
        engine.dispose()


def cli_env(database_url: str, folder: Path) -> dict[str, str]:
    return {"TAMYR_DATABASE_URL": database_url, "TAMYR_INSTANCE_DIR": str(folder)}


def initialised_env(database_url: str, folder: Path) -> dict[str, str]:
    env = cli_env(database_url, folder)
    result = run_tamyr("init", env=env)
    assert result.returncode == 0, result.stderr
    return env


KK_CANDIDATES = ("дерекқор", "деректер қоры")


def populate() -> dict[str, Any]:
    """A small termbase touching every table: accounts and tokens, concepts with definitions,
    a meetup with organisers, guests, ballots (one closed with its outcome), votes, comments,
    history, and a concept merged into a later one. Returns ids the tests refer to."""
    from glossary.extensions import db
    from glossary.models import Comment, Concept
    from glossary.services.actors import CLI, actor_for
    from glossary.services.ballots import close_ballot
    from glossary.services.meetups import create_meetup, join_meetup
    from glossary.services.terms import create_concept
    from glossary.services.users import create_token, create_user
    from glossary.services.voting import cast_vote, open_ballot

    admin = create_user(CLI, "ops-admin", "admin", "correct horse battery")
    create_token(CLI, admin, "backup test")
    organiser = actor_for(admin)
    concepts = [
        create_concept(
            CLI,
            domain="computing",
            definitions={"en": f"definition {n}"},
            terms=[
                {"lang": "en", "text": f"database {n}"},
                {"lang": "tr", "text": f"veritabanı {n}"},
                *({"lang": "kk", "text": f"{text} {n}"} for text in KK_CANDIDATES),
            ],
        )
        for n in range(3)
    ]
    meetup = create_meetup(organiser, name="Almaty wiki meetup", place="Алматы", quorum=2)
    guests = [join_meetup(meetup.id, meetup.join_code, f"Қатысушы {n}")[0] for n in range(3)]
    for concept in concepts[:2]:
        ballot = open_ballot(organiser, concept.uid, "kk", meetup_id=meetup.id)
        kk_terms = [t.id for t in concept.terms if t.lang == "kk"]
        for guest in guests:
            voter = actor_for(guest, meetup.id)
            cast_vote(voter, kk_terms[0], 1)
            cast_vote(voter, kk_terms[1], -1)
    close_ballot(organiser, ballot.id)
    first, last = concepts[0], concepts[-1]
    # A concept merged into a *later* one: restore must fill the self-reference afterwards.
    db.session.get(Concept, first.id).merged_into_id = last.id
    db.session.add(Comment(concept_id=last.id, author_id=admin.id, text="Тексеру: «дерекқор»"))
    db.session.commit()
    return {"concepts": len(concepts), "term_text": f"{KK_CANDIDATES[0]} 2"}


@pytest.fixture
def populated(app: Flask) -> Flask:
    populate()
    return app
