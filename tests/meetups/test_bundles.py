"""`tamyr bundle export` on an offline laptop, `tamyr bundle import` on the main instance.

Both sides are real `tamyr` processes; the offline meetup itself is played through the
services on the laptop's own SQLite file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from glossary import create_app
from glossary.services import ballots, meetups, voting
from glossary.services.actors import CLI, actor_for
from glossary.services.terms import create_concept
from glossary.services.users import create_user
from tests.cli_helpers import run_tamyr


def tamyr_ok(*args: str, env: dict[str, str]) -> str:
    result = run_tamyr(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def laptop(tmp_path: Path) -> dict[str, str]:
    """The offline instance: a SQLite file of its own, initialised by `tamyr init`."""
    folder = tmp_path / "laptop"
    env = {
        "TAMYR_DATABASE_URL": f"sqlite:///{folder / 'offline.sqlite3'}",
        "TAMYR_INSTANCE_DIR": str(folder),
    }
    tamyr_ok("init", env=env)
    return env


@pytest.fixture
def main_instance(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    """The main instance (PostgreSQL when the suite runs on it), initialised and empty."""
    env = {"TAMYR_DATABASE_URL": fresh_database_url, "TAMYR_INSTANCE_DIR": str(tmp_path / "main")}
    tamyr_ok("init", env=env)
    return env


@pytest.fixture
def offline_app(laptop: dict[str, str]) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": laptop["TAMYR_DATABASE_URL"],
            "INDEX_DIR": str(Path(laptop["TAMYR_INSTANCE_DIR"]) / "index"),
        }
    )
    with app.app_context():
        yield app
        from glossary.extensions import db

        db.session.remove()
        db.engine.dispose()


def hold_meetup(app: Flask) -> int:
    """A small offline meetup: one slot decided, one proposal, one ballot still open."""
    moderator = actor_for(create_user(CLI, "aidana", "moderator", None))
    concept = create_concept(
        moderator,
        domain="computing",
        definitions={"en": "a file of records"},
        terms=[{"lang": "en", "text": "database"}, {"lang": "kk", "text": "дерекқор"}],
    )
    meetup = meetups.create_meetup(moderator, name="Shymkent offline", quorum=3, secret=False)
    ballot = voting.open_ballot(moderator, concept.uid, "kk", meetup_id=meetup.id)
    room = [
        actor_for(*_joined(meetups.join_meetup(meetup.id, meetup.join_code, f"guest {n}")))
        for n in range(4)
    ]
    proposal, _ = voting.propose_term(room[0], ballot.id, {"text": "деректер қоры"})
    for voter, values in zip(room, [(1, -1), (1, -1), (1, 1), (0, -1)], strict=True):
        voting.cast_vote(voter, concept.terms[1].id, values[0])
        voting.cast_vote(voter, proposal.id, values[1])
    ballots.close_ballot(moderator, ballot.id)
    # A second slot stays open when the bundle is written.
    voting.open_ballot(moderator, concept.uid, "tr", meetup_id=meetup.id)
    return meetup.id


def _joined(pair: tuple) -> tuple:
    user, _token = pair
    return user, user.meetup_id


def snapshot(env: dict[str, str]) -> tuple[dict, str]:
    stats = json.loads(tamyr_ok("stats", "--json", env=env))
    terms = tamyr_ok("export", "--format", "csv", "--layout", "long", "-o", "-", env=env)
    return stats, terms


@pytest.mark.parametrize("suffix", [".json", ".zip"])
def test_round_trip_is_complete_and_importing_twice_changes_nothing(
    laptop, main_instance, offline_app, tmp_path, suffix
) -> None:
    meetup_id = hold_meetup(offline_app)
    bundle = tmp_path / f"shymkent{suffix}"
    exported = run_tamyr(
        "bundle", "export", "--meetup", str(meetup_id), "-o", str(bundle), env=laptop
    )
    assert exported.returncode == 0, exported.stderr
    assert "8 votes" in exported.stderr

    first = json.loads(tamyr_ok("bundle", "import", str(bundle), "--json", env=main_instance))
    assert first["created"] == {
        "meetups": 1,
        "participants": 5,
        "concepts": 1,
        "terms": 3,
        "ballots": 2,
        "votes": 8,
        "status changes": 2,
    }
    assert first["conflicts"] == []
    stats, terms = snapshot(main_instance)
    assert (stats["meetups"], stats["votes"], stats["concepts"]) == (1, 8, 1)
    assert "дерекқор,preferred" in terms.replace('"', "")
    assert "деректер қоры,rejected" in terms.replace('"', "")
    assert snapshot(laptop)[1] == terms  # the main instance now says what the meetup decided

    second = json.loads(tamyr_ok("bundle", "import", str(bundle), "--json", env=main_instance))
    assert second["created"] == {}
    assert second["matched"]["votes"] == 8
    assert second["conflicts"] == []
    assert snapshot(main_instance) == (stats, terms)


def test_conflicting_votes_are_reported_not_overwritten(
    laptop, main_instance, offline_app, tmp_path
) -> None:
    meetup_id = hold_meetup(offline_app)
    bundle = tmp_path / "shymkent.json"
    tamyr_ok("bundle", "export", "--meetup", str(meetup_id), "-o", str(bundle), env=laptop)
    tamyr_ok("bundle", "import", str(bundle), env=main_instance)
    before = snapshot(main_instance)

    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["votes"][0]["value"] = -data["votes"][0]["value"] or 1
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_tamyr("bundle", "import", str(bundle), env=main_instance)
    assert result.returncode == 0, result.stderr
    assert f"vote {data['votes'][0]['uid']}" in result.stderr
    assert "kept" in result.stderr
    assert snapshot(main_instance) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not json", "not a Tamyr meetup bundle"), (b'{"format": "other"}', "not a Tamyr")],
)
def test_bad_bundles_fail_with_one_clear_line(main_instance, tmp_path, content, message) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = run_tamyr("bundle", "import", str(bad), env=main_instance)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_exporting_an_unknown_meetup_fails_clearly(main_instance, tmp_path) -> None:
    result = run_tamyr(
        "bundle", "export", "--meetup", "42", "-o", str(tmp_path / "x.json"), env=main_instance
    )
    assert result.returncode != 0
    assert "no meetup 42" in result.stderr
    assert not (tmp_path / "x.json").exists()
