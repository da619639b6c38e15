"""The counts are kept per worker, yet every kind of change is in the very next answer."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from glossary.extensions import db
from glossary.services import meetups, voting
from glossary.services.actors import CLI, actor_for
from glossary.services.curation import merge_concepts
from glossary.services.stats import termbase_stats
from glossary.services.terms import create_concept
from glossary.services.users import create_user


def statements_of_stats() -> int:
    seen: list[str] = []

    def listener(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        termbase_stats()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_counts_follow_every_change_and_are_not_recounted_between(app: Flask):
    moderator = actor_for(create_user(CLI, "organiser", "moderator", None))
    first = create_concept(CLI, terms=[{"lang": "kk", "text": "дерекқор"}])
    db.session.commit()
    assert termbase_stats() == {"concepts": 1, "terms": 1, "languages": 1, "meetups": 0, "votes": 0}
    assert statements_of_stats() == 1  # only the version probe

    second = create_concept(CLI, terms=[{"lang": "tr", "text": "veritabanı"}])
    db.session.commit()
    assert termbase_stats()["terms"] == 2 and termbase_stats()["languages"] == 2

    merge_concepts(moderator, first, second)
    db.session.commit()
    assert termbase_stats()["concepts"] == 1

    meetup = meetups.create_meetup(moderator, name="Almaty", quorum=1)
    db.session.commit()
    assert termbase_stats()["meetups"] == 1

    voting.open_ballot(moderator, first.uid, "kk", meetup_id=meetup.id)
    voting.cast_vote(moderator, first.terms[0].id, 1)
    assert termbase_stats() == {"concepts": 1, "terms": 2, "languages": 2, "meetups": 1, "votes": 1}
    assert statements_of_stats() == 1
