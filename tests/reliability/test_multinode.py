"""Two Tamyr nodes (separate gunicorn masters) on one PostgreSQL, the postgres search backend and
Redis, as DESIGN.md §9 deploys them: what one node writes, the other serves at once."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.server_helpers import call, running_server

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="several nodes share PostgreSQL; run with TAMYR_TEST_DATABASE_URL (as .ci/run does)",
)


def test_a_term_and_a_vote_written_on_one_node_are_served_by_the_other(
    node_env, cli_admin_token, tmp_path
):
    shared = {**node_env, "TAMYR_SEARCH_BACKEND": "postgres"}
    shared["TAMYR_REDIS_URL"] = "redis://127.0.0.1:6379/3"
    node_a_env = {**shared, "TAMYR_INSTANCE_DIR": str(tmp_path / "node-a")}
    node_b_env = {**shared, "TAMYR_INSTANCE_DIR": str(tmp_path / "node-b")}
    with (
        running_server(node_a_env, workers=1) as node_a,
        running_server(node_b_env, workers=1) as node_b,
    ):
        status, concept = call(
            node_a.base_url,
            "POST",
            "/api/v1/concepts",
            {"domain": "computing", "terms": [{"lang": "tr", "text": "Veritabanı"}]},
            cli_admin_token,
        )
        assert status == 201, concept

        status, seen = call(node_b.base_url, "GET", f"/api/v1/concepts/{concept['uid']}")
        assert status == 200 and seen["terms"][0]["text"] == "Veritabanı"
        status, found = call(node_b.base_url, "GET", "/api/v1/search?q=VERITABANI")
        assert status == 200
        assert [row["concept"] for row in found["results"]] == [concept["uid"]]

        status, term = call(
            node_b.base_url,
            "POST",
            f"/api/v1/concepts/{concept['uid']}/terms",
            {"lang": "kk", "text": "Дерекқор"},
            cli_admin_token,
        )
        assert status == 201, term
        status, found = call(node_a.base_url, "GET", "/api/v1/search?q=derekqor&lang=kk")
        assert status == 200 and [row["id"] for row in found["results"]] == [term["id"]]

        status, ballot = call(
            node_a.base_url,
            "POST",
            "/api/v1/ballots",
            {"concept": concept["uid"], "lang": "kk", "closes_at": "2099-01-01T00:00:00Z"},
            cli_admin_token,
        )
        assert status == 201, ballot
        status, tally = call(
            node_a.base_url,
            "PUT",
            f"/api/v1/terms/{term['id']}/vote",
            {"value": 1},
            cli_admin_token,
        )
        assert status == 200 and tally["up"] == 1
        status, tally = call(node_b.base_url, "GET", f"/api/v1/terms/{term['id']}/votes")
        assert status == 200 and (tally["up"], tally["voters"]) == (1, 1)
