"""`tamyr search`, `lookup`, `reindex` and `check` as real processes, kills included."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr, tamyr_command
from tests.conftest import PROCESS_SEARCH_BACKEND
from tests.server_helpers import call, running_server

CSV = (
    "en,kk,tr,uz\n"
    "Kazakhstan,Қазақстан,Kazakistan,Qozogʻiston\n"
    "Uzbekistan,Өзбекстан,Özbekistan,Oʻzbekiston\n"
    "book,кітап,kitap,kitob\n"
)


@pytest.fixture
def env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    environment = {
        "TAMYR_DATABASE_URL": fresh_database_url,
        "TAMYR_INDEX_DIR": str(tmp_path / "index"),
        "TAMYR_SEARCH_BACKEND": PROCESS_SEARCH_BACKEND,
    }
    assert run_tamyr("init", env=environment).returncode == 0
    return environment


def tamyr_ok(*args: str, env: dict[str, str]) -> str:
    result = run_tamyr(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def import_csv(env: dict[str, str], path: Path, *options: str) -> None:
    path.write_text(CSV, encoding="utf-8")
    tamyr_ok("import", str(path), "--quiet", *options, env=env)


def test_search_json_has_the_api_shape(env: dict[str, str], tmp_path: Path):
    import_csv(env, tmp_path / "names.csv")
    body = json.loads(tamyr_ok("search", "Qazaqstan", "--json", env=env))
    assert set(body) == {"results", "next"}
    first = body["results"][0]
    assert {"id", "concept", "lang", "text", "status", "pos", "match", "score"} <= set(first)
    assert (first["lang"], first["text"], first["match"]) == ("kk", "Қазақстан", "script")
    limited = json.loads(tamyr_ok("search", "kitap", "--limit", "1", "--json", env=env))
    assert len(limited["results"]) == 1 and limited["next"]
    text = tamyr_ok("search", "O'zbekiston", "--lang", "uz", env=env)
    assert "Oʻzbekiston" in text and "exact" in text


def test_lookup_json_has_the_api_shape(env: dict[str, str], tmp_path: Path):
    import_csv(env, tmp_path / "names.csv")
    sentence = "Oʻzbekistonda kitoblar"
    body = json.loads(tamyr_ok("lookup", sentence, "--lang", "uz", "--json", env=env))
    assert [(m["start"], m["end"], m["surface"], m["term"]["text"]) for m in body["matches"]] == [
        (0, 13, "Oʻzbekistonda", "Oʻzbekiston"),
        (14, 22, "kitoblar", "kitob"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "must not be empty"),
        (["search", "x" * 10_000], "at most"),
        (["search", "kitap", "--lang", "xx-Zzzz"], "unknown language"),
        (["search", "kitap", "--limit", "0"], "limit"),
        (["lookup", "kitap", "--lang", "xx-Zzzz"], "unknown language"),
        (["search", "a\x01b"], "q"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env: dict[str, str], args: list[str], message: str):
    result = run_tamyr(*args, env=env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deferred_index_is_pending_then_caught_up(env: dict[str, str], tmp_path: Path):
    """A crash between commit and indexing looks like `import --defer-index`: the rows wait."""
    import_csv(env, tmp_path / "names.csv", "--defer-index")
    pending = tamyr_ok("check", env=env)
    assert "12 term changes wait for the search index" in pending
    caught_up = tamyr_ok("reindex", "--pending", env=env)
    assert "Applied 12 pending term changes" in caught_up
    clean = tamyr_ok("check", env=env)
    assert "wait for the search index" not in clean
    fuzzy = json.loads(tamyr_ok("search", "Kazakstn", "--json", env=env))
    assert "Kazakhstan" in [row["text"] for row in fuzzy["results"]]


def test_init_rebuilds_an_index_an_older_release_wrote(env: dict[str, str], tmp_path: Path):
    import_csv(env, tmp_path / "names.csv")
    if env["TAMYR_SEARCH_BACKEND"] != "whoosh":  # the columns are the index: always current
        assert "Search index rebuilt" not in tamyr_ok("init", env=env)
        return
    (generation,) = Path(env["TAMYR_INDEX_DIR"]).glob("gen-*")
    (generation / "TAMYR_FORMAT").unlink()  # as a release before the format file left it
    check = run_tamyr("check", env=env)
    assert check.returncode == 1 and "older Tamyr: run `tamyr reindex`" in check.stderr
    assert "Search index rebuilt in this release's format (12 terms)" in tamyr_ok("init", env=env)
    assert "ok:" in tamyr_ok("check", env=env)
    fuzzy = json.loads(tamyr_ok("search", "Kazakstn", "--json", env=env))
    assert "Kazakhstan" in [row["text"] for row in fuzzy["results"]]
    assert "Search index rebuilt" not in tamyr_ok("init", env=env)  # once


def _kill_midway(args: list[str], env: dict[str, str], after: float) -> None:
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    process = subprocess.Popen(
        [*tamyr_command(), *args],
        env={**full_env, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)  # wherever it is by then; the point is that any moment is safe
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("args", [["reindex", "--pending"], ["reindex"]])
def test_sigkill_during_indexing_loses_nothing(
    env: dict[str, str], tmp_path: Path, args: list[str]
):
    rows = ["en,kk,tr"] + [f"word {n},сөз {n},kelime {n}" for n in range(3000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tamyr_ok("import", str(big), "--quiet", "--defer-index", env=env)
    for delay in (0.5, 1.5):
        _kill_midway(args, env, delay)
        check = run_tamyr("check", env=env)
        # Killed: the index may be behind (pending rows), never corrupt or silently drifted.
        assert check.returncode == 0, check.stderr
    tamyr_ok(*args, env=env)
    tamyr_ok("reindex", "--pending", env=env)
    check = tamyr_ok("check", env=env)
    assert "ok:" in check and "wait for the search index" not in check
    found = json.loads(tamyr_ok("search", "kelime 2999", "--json", env=env))
    assert found["results"][0]["text"] == "kelime 2999"


def test_demo_leaves_the_index_up_to_date(env: dict[str, str]):
    tamyr_ok("demo", "--quiet", env=env)
    check = tamyr_ok("check", env=env)
    assert "wait for the search index" not in check
    if env["TAMYR_SEARCH_BACKEND"] == "whoosh":  # typos are Whoosh's part of the search
        body = json.loads(tamyr_ok("search", "Kazakstn", "--json", env=env))
        assert "Kazakhstan" in [row["text"] for row in body["results"]]


def test_serve_applies_the_pending_outbox_at_start(fresh_database_url: str, tmp_path: Path):
    """`import --defer-index` (or a crash) leaves outbox rows; `tamyr serve` catches them up
    before its workers answer, so Whoosh's fuzzy level finds the terms (DESIGN.md §4)."""
    env = {
        "TAMYR_DATABASE_URL": fresh_database_url,
        "TAMYR_INSTANCE_DIR": str(tmp_path),
        "TAMYR_INDEX_DIR": str(tmp_path / "index"),
        "TAMYR_SEARCH_BACKEND": "whoosh",
        "TAMYR_SECRET_KEY": "outbox-at-start",
        "PYTHONUNBUFFERED": "1",
    }
    tamyr_ok("init", env=env)
    import_csv(env, tmp_path / "names.csv", "--defer-index")
    assert "12 term changes wait for the search index" in tamyr_ok("check", env=env)
    unindexed = json.loads(tamyr_ok("search", "Kazakstn", "--json", env=env))
    assert "Kazakhstan" not in [row["text"] for row in unindexed["results"]]

    with running_server(env, workers=1) as server:
        printed = server.printed_before_serving()
        assert "Applied 12 pending term changes to the search index.\n" in printed
        # Checked before any request could have applied them instead.
        assert "wait for the search index" not in tamyr_ok("check", env=env)
        status, body = call(server.base_url, "GET", "/api/v1/search?q=Kazakstn&lang=en")
        assert status == 200, body
        rows = [(row["text"], row["match"]) for row in body["results"]]
        assert ("Kazakhstan", "fuzzy") in rows
