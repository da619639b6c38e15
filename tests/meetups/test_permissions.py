"""Who may do what (DESIGN.md §8, issue #6): every meetup endpoint against every kind of caller.

anonymous → 401; a guest of another meetup → 403; the meetup's own guest and editors vote and
propose; organisers (moderators, admins, listed organisers) run the meetup; reads are public.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from glossary.extensions import db
from glossary.services import voting
from tests.meetups.conftest import auth, guests, kk_terms, new_meetup

PROBLEM = "application/problem+json"

# -- the permission matrix ---------------------------------------------------------------------
WHO = ("anonymous", "outsider", "participant", "editor", "moderator", "admin")


@pytest.fixture
def scene(client, people, concept):
    """A meetup with an open Kazakh ballot, one of its guests and a guest of another meetup."""
    meetup_id = new_meetup(people["moderator"], quorum=1)
    ballot = voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    [guest] = guests(meetup_id, 1)
    [outsider] = guests(new_meetup(people["moderator"]), 1, prefix="outsider")
    cast = {**people, "participant": guest, "outsider": outsider, "anonymous": None}
    return {
        "meetup": meetup_id,
        "ballot": ballot.id,
        "term": kk_terms(concept)[0].id,
        "concept": concept.uid,
        "cast": cast,
    }


def call(client: FlaskClient, action: str, scene: dict, headers: dict[str, str]):
    m, b, t = scene["meetup"], scene["ballot"], scene["term"]
    requests = {
        "create meetup": ("POST", "/api/v1/meetups", {"name": "Kazan"}),
        "open ballot": (
            "POST",
            f"/api/v1/meetups/{m}/ballots",
            {"concept": scene["concept"], "lang": "tr"},
        ),
        "propose": ("POST", f"/api/v1/ballots/{b}/terms", {"text": "деректер базасы"}),
        "vote": ("PUT", f"/api/v1/terms/{t}/vote", {"value": 1}),
        "close ballot": ("POST", f"/api/v1/ballots/{b}/close", None),
        "close meetup": ("POST", f"/api/v1/meetups/{m}/close", None),
        "rotate code": ("POST", f"/api/v1/meetups/{m}/rotate-code", None),
        "qr code": ("GET", f"/api/v1/meetups/{m}/qr.svg", None),
        "read votes": ("GET", f"/api/v1/terms/{t}/votes", None),
        "read ballot": ("GET", f"/api/v1/ballots/{b}", None),
        "read meetups": ("GET", "/api/v1/meetups", None),
    }
    method, url, body = requests[action]
    return client.open(url, method=method, json=body, headers=headers)


ORGANISERS_ONLY = {
    "anonymous": 401,
    "outsider": 403,
    "participant": 403,
    "editor": 403,
    "moderator": None,
    "admin": None,
}
VOTERS = {**ORGANISERS_ONLY, "participant": None, "editor": None}
EVERYONE = dict.fromkeys(WHO, 200)
MATRIX = {
    "create meetup": {**ORGANISERS_ONLY, "moderator": 201, "admin": 201},
    "open ballot": {**ORGANISERS_ONLY, "moderator": 201, "admin": 201},
    "propose": {**VOTERS, "participant": 201, "editor": 201, "moderator": 201, "admin": 201},
    "vote": {**VOTERS, "participant": 200, "editor": 200, "moderator": 200, "admin": 200},
    "close ballot": {**ORGANISERS_ONLY, "moderator": 200, "admin": 200},
    "close meetup": {**ORGANISERS_ONLY, "moderator": 200, "admin": 200},
    "rotate code": {**ORGANISERS_ONLY, "moderator": 200, "admin": 200},
    "qr code": {**ORGANISERS_ONLY, "moderator": 200, "admin": 200},
    "read votes": EVERYONE,
    "read ballot": EVERYONE,
    "read meetups": EVERYONE,
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(client, scene, action, who) -> None:
    response = call(client, action, scene, auth(scene["cast"][who]))
    expected = MATRIX[action][who]
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        assert response.content_type == PROBLEM
        assert response.get_json()["detail"]


def test_a_listed_organiser_without_the_moderator_role_runs_their_meetup(client, people, concept):
    from glossary.models import meetup_organisers

    meetup_id = new_meetup(people["moderator"])
    db.session.execute(
        meetup_organisers.insert().values(meetup_id=meetup_id, user_id=people["editor"].user.id)
    )
    db.session.commit()
    response = client.post(
        f"/api/v1/meetups/{meetup_id}/ballots",
        json={"concept": concept.uid, "lang": "kk"},
        headers=auth(people["editor"]),
    )
    assert response.status_code == 201
    other = new_meetup(people["moderator"])
    response = client.post(
        f"/api/v1/meetups/{other}/ballots",
        json={"concept": concept.uid, "lang": "tr"},
        headers=auth(people["editor"]),
    )
    assert response.status_code == 403
