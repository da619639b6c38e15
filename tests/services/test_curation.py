"""Merging, splitting and reverting as services: terms, definitions and comments move without
breaking the termbase's constraints, every step is in history and in the search outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from glossary.errors import Conflict, Forbidden, InvalidInput
from glossary.extensions import db
from glossary.models import Comment, History, SearchOutbox, Term
from glossary.services.actors import CLI, actor_for
from glossary.services.changes import describe_fields, recent_changes, text_diff
from glossary.services.comments import add_comment
from glossary.services.curation import (
    merge_concepts,
    resolve_merged,
    revert_change,
    split_concept,
)
from glossary.services.editing import update_concept, update_term
from glossary.services.indexing import apply_pending
from glossary.services.search import search_terms
from glossary.services.terms import create_concept, get_concept
from tests.web.conftest import make_user


def terms_of(concept) -> set[tuple[str, str, str]]:
    db.session.expire_all()
    return {(t.lang, t.text, t.status) for t in get_concept(concept.uid).terms}


def actions(concept) -> list[str]:
    rows = db.session.scalars(
        select(History.action).where(History.concept_id == concept.id).order_by(History.id)
    )
    return list(rows)


@pytest.fixture
def duplicates(app):
    """Two concepts for "database", found apart at two meetups."""
    keep = create_concept(
        CLI,
        domain="computing",
        definitions={"en": "An organised collection of data."},
        terms=[
            {"lang": "en", "text": "database", "status": "preferred"},
            {"lang": "kk", "text": "дерекқор", "status": "preferred"},
            {"lang": "tr", "text": "veritabanı"},
        ],
    )
    other = create_concept(
        CLI,
        wikidata="Q8513",
        definitions={"en": "Data kept in order.", "kk": "Реттелген деректер жиынтығы."},
        terms=[
            {"lang": "kk", "text": "деректер базасы", "status": "preferred"},
            {"lang": "tr", "text": "Veritabanı", "status": "admitted", "pos": "noun"},
            {"lang": "uz", "text": "maʼlumotlar bazasi", "status": "preferred"},
        ],
    )
    apply_pending()
    return keep, other


def test_merge_moves_terms_and_keeps_one_preferred_per_language(duplicates):
    keep, other = duplicates
    merge_concepts(CLI, keep, other)
    assert terms_of(keep) == {
        ("en", "database", "preferred"),
        ("kk", "дерекқор", "preferred"),
        ("kk", "деректер базасы", "admitted"),  # the second preferred one steps down
        ("tr", "veritabanı", "admitted"),  # the same term (tr case folding) once, decided
        ("uz", "maʼlumotlar bazasi", "preferred"),
    }
    tr = next(t for t in get_concept(keep.uid).terms if t.lang == "tr")
    assert tr.pos == "noun"  # gaps filled from the duplicate's copy
    merged = get_concept(other.uid)
    assert merged.merged_into_id == keep.id and resolve_merged(merged).uid == keep.uid
    # nothing is deleted: the duplicate's copy of the shared term stays on the merged concept
    assert [t.text for t in merged.terms] == ["Veritabanı"]
    kept = get_concept(keep.uid)
    definitions = {d.lang: d.text for d in kept.definitions}
    assert definitions == {
        "en": "An organised collection of data.",  # the target's definition wins
        "kk": "Реттелген деректер жиынтығы.",  # a new language moves over
    }
    assert kept.wikidata == "Q8513" and kept.domain == "computing"
    assert "concept.merge" in actions(keep) and "term.status" in actions(keep)
    assert actions(other)[-1] == "concept.merged"


def test_merge_queues_the_index_so_search_finds_the_target(duplicates):
    keep, other = duplicates
    merge_concepts(CLI, keep, other)
    queued = set(db.session.scalars(select(SearchOutbox.term_id)))
    assert {t.id for t in get_concept(keep.uid).terms} <= queued
    apply_pending()
    rows = search_terms("maʼlumotlar bazasi", lang="uz").rows
    assert [row.term.concept.uid for row in rows] == [keep.uid]
    # the copy left on the merged concept is no longer searchable
    assert all(row.term.concept.uid == keep.uid for row in search_terms("veritabanı").rows)


def test_merge_moves_comments_even_those_on_a_shared_term(duplicates):
    keep, other = duplicates
    copy = next(t for t in other.terms if t.lang == "tr")
    add_comment(CLI, other, "Capital V?", term_id=copy.id)
    merge_concepts(CLI, keep, other)
    comment = db.session.scalars(select(Comment)).one()
    kept_tr = next(t for t in get_concept(keep.uid).terms if t.lang == "tr")
    assert (comment.concept_id, comment.term_id) == (keep.id, kept_tr.id)


def test_merge_refusals(app, duplicates):
    keep, other = duplicates
    editor = actor_for(make_user("aigerim", "editor"))
    with pytest.raises(Forbidden):
        merge_concepts(editor, keep, other)
    with pytest.raises(InvalidInput):
        merge_concepts(CLI, keep, keep)
    merge_concepts(CLI, keep, other)
    with pytest.raises(Conflict):
        merge_concepts(CLI, keep, get_concept(other.uid))


def test_a_chain_of_merges_redirects_in_one_hop(app, duplicates):
    keep, other = duplicates
    third = create_concept(CLI, terms=[{"lang": "ky", "text": "маалымат базасы"}])
    merge_concepts(CLI, other, third)
    merge_concepts(CLI, keep, get_concept(other.uid))
    assert get_concept(third.uid).merged_into_id == keep.id
    assert ("ky", "маалымат базасы", "proposed") in terms_of(keep)


def test_split_moves_chosen_terms_to_a_new_concept(app):
    mouse = create_concept(
        CLI,
        domain="computing",
        terms=[
            {"lang": "en", "text": "mouse", "status": "preferred"},
            {"lang": "tr", "text": "fare", "status": "preferred"},
            {"lang": "tr", "text": "sıçan"},
        ],
    )
    animal = next(t for t in mouse.terms if t.text == "sıçan")
    add_comment(CLI, mouse, "This is the animal.", term_id=animal.id)
    created = split_concept(CLI, mouse, [animal.id])
    assert terms_of(created) == {("tr", "sıçan", "proposed")}
    assert terms_of(mouse) == {("en", "mouse", "preferred"), ("tr", "fare", "preferred")}
    assert created.domain == "computing"
    assert db.session.scalars(select(Comment.concept_id)).one() == created.id
    assert actions(mouse)[-1] == "concept.split" and actions(created) == ["concept.split_from"]
    assert animal.id in set(db.session.scalars(select(SearchOutbox.term_id)))
    with pytest.raises(InvalidInput):  # a concept keeps at least one term
        split_concept(CLI, mouse, [t.id for t in get_concept(mouse.uid).terms])
    with pytest.raises(InvalidInput):  # only its own terms
        split_concept(CLI, mouse, [animal.id])


def test_revert_a_term_edit_and_a_status_change(app):
    concept = create_concept(CLI, terms=[{"lang": "kk", "text": "компютер"}])
    term = concept.terms[0]
    update_term(CLI, term, {"text": "компьютер", "status": "preferred"})
    change = db.session.scalars(select(History).where(History.action == "term.update")).one()
    revert_change(CLI, change.id)
    db.session.expire_all()
    term = db.session.get(Term, term.id)
    assert (term.text, term.status) == ("компютер", "proposed")
    revert = db.session.scalars(select(History).where(History.action == "term.revert")).one()
    assert revert.after["reverts"] == change.id and revert.before["text"] == "компьютер"
    with pytest.raises(Conflict):  # already undone
        revert_change(CLI, change.id)
    # a revert is itself a change that can be reverted
    revert_change(CLI, revert.id)
    db.session.expire_all()
    assert db.session.get(Term, term.id).text == "компьютер"


def test_revert_refuses_when_a_later_change_touched_the_field(app):
    concept = create_concept(CLI, terms=[{"lang": "tr", "text": "bilgisayar"}])
    update_concept(CLI, concept, {"domain": "computing"})
    first = db.session.scalars(select(History).where(History.action == "concept.update")).one()
    update_concept(CLI, concept, {"domain": "hardware"})
    with pytest.raises(Conflict, match="revert the later one first"):
        revert_change(CLI, first.id)


def test_revert_restores_definitions_as_they_were(app):
    concept = create_concept(
        CLI, definitions={"en": "A machine."}, terms=[{"lang": "en", "text": "pc"}]
    )
    update_concept(CLI, concept, {"definitions": {"en": "A computing machine.", "kk": "Машина."}})
    change = db.session.scalars(select(History).where(History.action == "concept.update")).one()
    revert_change(CLI, change.id)
    db.session.expire_all()
    assert {d.lang: d.text for d in get_concept(concept.uid).definitions} == {"en": "A machine."}


def test_only_changes_with_before_values_can_be_reverted(app):
    concept = create_concept(CLI, terms=[{"lang": "tr", "text": "fare"}])
    created = db.session.scalars(select(History).where(History.concept_id == concept.id)).one()
    with pytest.raises(InvalidInput):
        revert_change(CLI, created.id)
    viewer = actor_for(make_user("bolat", "viewer"))
    with pytest.raises(Forbidden):
        revert_change(viewer, created.id)


def test_text_diff_is_by_character_for_words_and_by_word_for_phrases():
    assert [(s.op, s.text) for s in text_diff("ılık", "ilik")] == [
        ("del", "ı"),
        ("ins", "i"),
        ("same", "l"),
        ("del", "ı"),
        ("ins", "i"),
        ("same", "k"),
    ]
    phrase = text_diff("деректер базасы", "деректер қоры")
    assert [(s.op, s.text) for s in phrase] == [
        ("same", "деректер "),
        ("del", "базасы"),
        ("ins", "қоры"),
    ]


def test_describe_fields_expands_definitions_and_skips_bookkeeping():
    fields = describe_fields(
        {"status": "proposed"}, {"status": "preferred", "ballot": 3, "meetup": 1}
    )
    assert [(f.name, f.before, f.after) for f in fields] == [("status", "proposed", "preferred")]
    definitions = describe_fields(
        {"definitions": {"en": "A", "kk": "Б"}}, {"definitions": {"en": "A", "tr": "C"}}
    )
    assert [(f.name, f.before, f.after) for f in definitions] == [
        ("definitions.kk", "Б", None),
        ("definitions.tr", None, "C"),
    ]


def test_recent_changes_pages_newest_first_and_filters_by_language(app):
    for word in ("bir", "iki", "üç"):
        create_concept(
            CLI, terms=[{"lang": "tr", "text": word}, {"lang": "en", "text": word + "-en"}]
        )
    concept = get_concept(recent_changes(limit=1).entries[0].concept_uid)
    update_term(CLI, next(t for t in concept.terms if t.lang == "tr"), {"text": "üçü"})
    first = recent_changes(limit=2)
    assert [e.action for e in first.entries] == ["term.update", "concept.create"]
    second = recent_changes(limit=2, before=first.older)
    assert [e.action for e in second.entries] == ["concept.create", "concept.create"]
    assert second.older is None
    only_tr = recent_changes(lang="tr")
    assert [(e.action, e.subject, e.subject_lang) for e in only_tr.entries] == [
        ("term.update", "üçü", "tr")
    ]
    assert recent_changes(lang="kk").entries == []
