"""Decision records on a concept page: what each closed ballot decided, read back from the
record the ballot service stored when it closed, with each candidate's tally as text and bars."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from glossary.extensions import db
from glossary.models import Ballot, Term, utcnow
from glossary.services import ballots, meetups, voting
from glossary.services.actors import CLI, actor_for
from glossary.services.terms import create_concept
from tests.web.page_helpers import counted_queries, new_client, sign_in_as, text


@pytest.fixture
def organiser(app):
    return actor_for(sign_in_as(new_client(app), "organiser", "moderator"))


@pytest.fixture
def concept(app):
    return create_concept(
        CLI,
        domain="computing",
        terms=[
            {"lang": "en", "text": "database", "status": "preferred"},
            {"lang": "kk", "text": "дерекқор"},
            {"lang": "kk", "text": "деректер базасы"},
            {"lang": "ug", "text": "ساندان"},
        ],
    )


def term_id(word: str) -> int:
    return db.session.scalar(db.select(Term.id).where(Term.text == word))


def run_ballot(organiser, concept, lang: str, votes: list[dict[str, int]], **rules) -> Ballot:
    """A meetup ballot on (concept, lang); each dict is one guest's votes by term text."""
    meetup = meetups.create_meetup(organiser, name=f"Almaty Wikimeetup {lang}", **rules)
    ballot = voting.open_ballot(organiser, concept.uid, lang, meetup_id=meetup.id)
    for n, choices in enumerate(votes):
        guest, _token = meetups.join_meetup(meetup.id, meetup.join_code, f"Guest {n}")
        for word, value in choices.items():
            voting.cast_vote(actor_for(guest, meetup.id), term_id(word), value)
    ballots.close_ballot(organiser, ballot.id)
    return ballot


def decisions_of(html: str) -> str:
    assert 'id="decisions"' in html, "the page shows no decisions"
    return html.split('id="decisions"', 1)[1].split("</section>", 1)[0]


def candidate_row(section: str, word: str) -> str:
    found = re.search(rf'<tr data-term="{term_id(word)}"[^>]*>.*?</tr>', section, re.S)
    assert found, f"no row for {word}"
    return found.group(0)


def counts(row: str) -> dict[str, int]:
    return {f: int(n) for f, n in re.findall(r'<b data-field="(\w+)">(\d+)</b>', row)}


def test_a_closed_ballot_shows_its_decision_with_tallies_and_status_changes(
    app, organiser, concept
):
    ballot = run_ballot(
        organiser,
        concept,
        "kk",
        [
            {"дерекқор": 1, "деректер базасы": -1},
            {"дерекқор": 1, "деректер базасы": 0},
            {"дерекқор": -1},
        ],
        quorum=2,
    )
    html = text(new_client(app).get(f"/concepts/{concept.uid}"))
    section = decisions_of(html)
    record = section.split(f'id="decision-{ballot.id}"', 1)[1]
    assert 'data-result="winner"' in section
    assert "a preferred term was chosen" in record
    assert f'href="/meetups/{ballot.meetup_id}">Almaty Wikimeetup kk</a>' in record
    assert f'<time datetime="{ballot.closed_at.isoformat()}">' in record
    assert "3 voters" in record and "quorum 2" in record and "approval threshold 60%" in record

    winner = candidate_row(record, "дерекқор")
    assert 'class="winner"' in winner and "chosen" in winner
    assert counts(winner) == {"up": 2, "down": 1, "abstain": 0}
    # the bars repeat the counts (max: the slot's voters); the numbers are text, not colour
    assert re.search(r'<progress class="bar up"[^>]*max="3" value="2"', winner)
    assert '<span class="visually-hidden">approve</span>' in winner
    statuses = re.findall(r'class="status status-(\w+)"', winner)
    assert statuses == ["proposed", "preferred"]  # before → after

    loser = candidate_row(record, "деректер базасы")
    assert 'class="winner"' not in loser
    assert counts(loser) == {"up": 0, "down": 1, "abstain": 1}
    assert re.findall(r'class="status status-(\w+)"', loser) == ["proposed", "rejected"]
    # the page's terms agree with the record
    assert re.search(r"дерекқор</span>.*?status-preferred", html, re.S)


def test_tie_and_no_quorum_are_said_and_change_nothing(app, organiser, concept):
    tie = run_ballot(
        organiser,
        concept,
        "kk",
        [{"дерекқор": 1, "деректер базасы": 1}, {"дерекқор": 1, "деректер базасы": 1}],
        quorum=2,
    )
    lonely = run_ballot(organiser, concept, "ug", [{"ساندان": 1}], quorum=3)
    section = decisions_of(text(new_client(app).get(f"/concepts/{concept.uid}")))
    tie_record = section.split(f'id="decision-{tie.id}"', 1)[1].split("</article>", 1)[0]
    assert 'data-result="tie"' in section and "a tie: no term was chosen" in tie_record
    assert 'class="winner"' not in tie_record
    for word in ("дерекқор", "деректер базасы"):
        row = candidate_row(tie_record, word)
        assert counts(row) == {"up": 2, "down": 0, "abstain": 0}
        assert re.findall(r'class="status status-(\w+)"', row) == ["proposed", "proposed"]
    quorum_record = section.split(f'id="decision-{lonely.id}"', 1)[1].split("</article>", 1)[0]
    assert "no quorum: nothing changed" in quorum_record
    assert "1 voters" in quorum_record and "quorum 3" in quorum_record
    # Uyghur candidates keep their direction in the record too
    assert '<span class="term" lang="ug" dir="rtl">ساندان</span>' in quorum_record


def test_a_concept_without_closed_ballots_has_no_decisions_section(app, organiser, concept):
    meetup = meetups.create_meetup(organiser, name="Still voting", quorum=1)
    voting.open_ballot(organiser, concept.uid, "kk", meetup_id=meetup.id)
    assert 'id="decisions"' not in text(new_client(app).get(f"/concepts/{concept.uid}"))


def test_a_due_online_ballot_closes_when_its_concept_page_is_read(app, organiser, concept):
    ballot = voting.open_ballot(
        organiser, concept.uid, "kk", closes_at=utcnow() + timedelta(minutes=5)
    )
    db.session.execute(db.update(Ballot).where(Ballot.id == ballot.id).values(closes_at=utcnow()))
    db.session.commit()
    section = decisions_of(text(new_client(app).get(f"/concepts/{concept.uid}")))
    assert f'id="decision-{ballot.id}"' in section and "Online ballot" in section
    assert "no quorum: nothing changed" in section


def test_decisions_cost_the_same_queries_for_one_ballot_or_many(app, organiser):
    """No N+1: the records come in one query, whatever the ballots, candidates or voters."""

    def queries_for(n_ballots: int, n_candidates: int) -> int:
        concept = create_concept(
            CLI,
            terms=[
                {"lang": lang, "text": f"{lang} {n_ballots} {i}"}
                for lang in ("kk", "tr", "uz", "az", "ky")[:n_ballots]
                for i in range(n_candidates)
            ],
        )
        for lang in ("kk", "tr", "uz", "az", "ky")[:n_ballots]:
            words = [f"{lang} {n_ballots} {i}" for i in range(n_candidates)]
            run_ballot(organiser, concept, lang, [{w: 1 for w in words}] * 2, quorum=1)
        client = new_client(app)
        client.get(f"/concepts/{concept.uid}")  # warm the per-worker caches
        with counted_queries() as statements:
            html = text(client.get(f"/concepts/{concept.uid}"))
        assert html.count('<article class="decision"') == n_ballots
        return len(statements)

    assert queries_for(1, 2) == queries_for(5, 6)


def test_decisions_speak_the_interface_language(app, organiser, concept):
    run_ballot(organiser, concept, "kk", [{"дерекқор": 1}], quorum=1)
    section = decisions_of(text(new_client(app).get(f"/concepts/{concept.uid}?uselang=kk")))
    assert "Decisions" not in section and "a preferred term was chosen" not in section
    assert "Шешімдер" in section and "таңдаулы" in section
