"""Constraints live in the database: these tests bypass the services on purpose."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from glossary.extensions import db
from glossary.models import Ballot, Concept, Language, Meetup, Term, User, Vote
from glossary.services.terms import prepare_text


def _term(concept: Concept, lang: str, text: str, status: str = "proposed") -> Term:
    prepared = prepare_text(text, lang)
    return Term(
        concept=concept,
        lang=lang,
        text=prepared.text,
        norm=prepared.norm,
        folded=prepared.folded,
        key=prepared.key,
        status=status,
    )


def _flush_fails() -> None:
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_languages_are_seeded_in_registry_order(app):
    tags = list(db.session.scalars(select(Language.tag).order_by(Language.position)))
    assert tags[:3] == ["kk", "kk-Latn", "kk-Arab"]
    assert {"tr", "uz", "uz-Cyrl", "crh-Latn", "ug", "sah", "en", "ru"} <= set(tags)
    uyghur = db.session.get(Language, "ug")
    assert uyghur.direction == "rtl" and uyghur.script == "Arab"
    assert db.session.get(Language, "tr").casing == "turkic"


def test_concept_gets_a_uuid(app):
    concept = Concept()
    db.session.add(concept)
    db.session.flush()
    assert len(concept.uid) == 36 and concept.uid.count("-") == 4


def test_same_term_twice_in_a_language_is_refused(app):
    concept = Concept()
    db.session.add_all([_term(concept, "tr", "İSTANBUL"), _term(concept, "tr", "istanbul")])
    _flush_fails()


def test_turkish_dotless_and_dotted_i_are_different_terms(app):
    concept = Concept()
    db.session.add_all([_term(concept, "tr", "ılık"), _term(concept, "tr", "ilik")])
    db.session.flush()
    assert len(concept.terms) == 2


def test_same_text_in_two_languages_is_fine(app):
    concept = Concept()
    db.session.add_all([_term(concept, "kk", "алма"), _term(concept, "ky", "алма")])
    db.session.flush()


def test_only_one_preferred_term_per_concept_and_language(app):
    concept = Concept()
    db.session.add_all(
        [
            _term(concept, "kk", "дерекқор", "preferred"),
            _term(concept, "kk", "деректер қоры", "admitted"),
        ]
    )
    db.session.flush()
    db.session.add(_term(concept, "kk", "мәліметтер қоры", "preferred"))
    _flush_fails()


def test_unknown_status_is_refused(app):
    db.session.add(_term(Concept(), "kk", "файл", "approved"))
    _flush_fails()


def test_term_language_must_exist(app):
    db.session.add(_term(Concept(), "xx-Fake", "word"))
    _flush_fails()


def _ballot_with_term() -> tuple[Ballot, Term, User]:
    meetup = Meetup(uid="m-1", name="Almaty meetup", join_code="ABC123")
    concept = Concept()
    term = _term(concept, "kk", "дерекқор")
    voter = User(username="aigerim", role="participant")
    db.session.add_all([meetup, concept, term, voter])
    db.session.flush()
    ballot = Ballot(meetup_id=meetup.id, concept_id=concept.id, lang="kk")
    db.session.add(ballot)
    db.session.flush()
    return ballot, term, voter


def test_one_vote_per_voter_per_candidate(app):
    ballot, term, voter = _ballot_with_term()
    db.session.add(Vote(uid="v1", ballot_id=ballot.id, term_id=term.id, voter_id=voter.id, value=1))
    db.session.flush()
    db.session.add(
        Vote(uid="v2", ballot_id=ballot.id, term_id=term.id, voter_id=voter.id, value=-1)
    )
    _flush_fails()


def test_vote_value_is_approve_object_or_abstain(app):
    ballot, term, voter = _ballot_with_term()
    db.session.add(Vote(uid="v1", ballot_id=ballot.id, term_id=term.id, voter_id=voter.id, value=2))
    _flush_fails()


def test_one_open_ballot_per_slot(app):
    ballot, _term_row, _voter = _ballot_with_term()
    db.session.add(Ballot(concept_id=ballot.concept_id, lang="kk"))
    _flush_fails()


def test_a_closed_ballot_does_not_block_a_new_one(app):
    ballot, _term_row, _voter = _ballot_with_term()
    ballot.state = "closed"
    db.session.flush()
    db.session.add(Ballot(concept_id=ballot.concept_id, lang="kk"))
    db.session.flush()


def test_role_must_be_known(app):
    db.session.add(User(username="root", role="superuser"))
    _flush_fails()
