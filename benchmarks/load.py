"""Mixed load through gunicorn: saturation next to a hello-world floor, then an open loop at 70 %.

    python benchmarks/load.py [--step 8] [--duration 30] [--clients 64] [--workers 4]
                              [--terms 20000] [--voters 60] [--postgres URL [--redis URL]]

Builds the termbase of benchmarks/search.py (the demo's real names + ``--terms`` synthetic
terms) and the meetup of benchmarks/voting.py (two open Kazakh ballots) in a fresh SQLite file
with the Whoosh index, or (``--postgres``, an empty database) in PostgreSQL with the postgres
search backend and Redis for rate limits, as DESIGN.md §9 deploys beyond one machine. gunicorn
serves ``wsgi:app``; ``--voters`` guests join over HTTP. The mix, per request:

* 40 % search ``/api/v1/search?q=`` (exact, folded, script, prefix and fuzzy queries) and
  40 % suggest ``/api/v1/suggest?q=`` (2-4 first letters);
* 15 % concept pages ``/concepts/<uid>`` (HTML, the busiest concepts);
* 5 % votes ``PUT /api/v1/terms/<id>/vote`` by a random joined guest.

1. **Saturation**, closed loop: 1, 2, 4 … ``--clients`` clients sending back to back for
   ``--step`` seconds each, until two steps in a row add less than 5 % to the best throughput.
   The same ramp against a Flask hello world under the same gunicorn settings gives the floor.
2. **Open loop** at 70 % of the saturation rate for ``--duration`` seconds: Poisson arrivals,
   latency measured from each request's *scheduled* moment (a queue cannot hide). Target: no
   errors, p99 < 100 ms for every kind.

The clients are Python threads in ``--client-processes`` forked processes (one process's GIL
would add its own queueing to every latency) on the same machine as the server, so they share
its cores: figures are for this machine as loaded when the run started (printed first).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import P99_TARGET_MS, ROOT, Run, floor_server, gunicorn, line, request
from search import _app, build, make_queries, synthetic_terms
from voting import join_all, set_up
from web_pages import page_urls

KINDS = ("search", "suggest", "concept", "vote")
MIX = (0.40, 0.40, 0.15, 0.05)  # the share of each kind, in KINDS order
GROWTH = 1.05  # a step that adds less than 5 % throughput means the server is saturated
OPEN_LOOP_SHARE = 0.7

# kind, method, path, JSON body, bearer token
Call = tuple[str, str, str, Any, str | None]
Mix = Callable[[random.Random], Call]


@dataclass
class Workload:
    """The requests of the mix, drawn from what the termbase really holds."""

    searches: list[str]
    suggests: list[str]
    concepts: list[str]
    tokens: list[str]
    terms: list[int]

    def pick(self, rng: random.Random) -> Call:
        kind = rng.choices(KINDS, MIX)[0]
        if kind == "search":
            return kind, "GET", f"/api/v1/search?q={quote(rng.choice(self.searches))}", None, None
        if kind == "suggest":
            return kind, "GET", f"/api/v1/suggest?q={quote(rng.choice(self.suggests))}", None, None
        if kind == "concept":
            return kind, "GET", rng.choice(self.concepts), None, None
        path = f"/api/v1/terms/{rng.choice(self.terms)}/vote"
        return kind, "PUT", path, {"value": rng.choice((1, 1, -1, 0))}, rng.choice(self.tokens)


def hello(_rng: random.Random) -> Call:
    return "hello", "GET", "/", None, None


def send(port: int, call: Call) -> int:
    """The status of one request; 0 when the connection failed (counted as an error)."""
    _kind, method, path, body, token = call
    try:
        return request(method, port, path, body, token, parse=False)[0]
    except OSError:
        return 0


# What a client process sends back: per kind, its latencies (seconds) and statuses.
Tally = dict[str, tuple[list[float], list[int]]]


def in_processes(
    task: Callable[..., Tally], shares: list[tuple[Any, ...]], seconds: float
) -> dict[str, Run]:
    """Run ``task(*share)`` in one forked client process per share; the merged Runs per kind.

    Clients in one process would queue on its GIL: at a few hundred requests a second their
    own waiting would be counted as the server's latency (and cap the hello-world floor).
    """
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        tallies = pool.starmap(task, shares)
    runs: dict[str, Run] = {}
    for tally in tallies:
        for kind, (latencies, statuses) in tally.items():
            run = runs.setdefault(kind, Run(seconds=seconds))
            run.latencies += latencies
            run.statuses.update(statuses)
    return runs


def merged(runs: dict[str, Run], seconds: float) -> Run:
    total = Run(seconds=seconds)
    for run in runs.values():
        total.latencies += run.latencies
        total.statuses.update(run.statuses)
    return total


def _closed_loop_share(port: int, mix: Mix, clients: int, seconds: float, seed: int) -> Tally:
    """In a client process: ``clients`` threads sending back to back for ``seconds``."""
    tally: Tally = {}
    guard = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            call = mix(rng)
            began = time.monotonic()
            status = send(port, call)
            elapsed = time.monotonic() - began
            with guard:
                latencies, statuses = tally.setdefault(call[0], ([], []))
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(seed + n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def closed_loop(
    port: int, mix: Mix, clients: int, seconds: float, processes: int
) -> dict[str, Run]:
    """``clients`` clients, each sending its next request as soon as the last one answered,
    spread over up to ``processes`` client processes."""
    used = min(processes, clients)
    shares = [
        (port, mix, clients // used + (n < clients % used), seconds, 1000 * n) for n in range(used)
    ]
    return in_processes(_closed_loop_share, shares, seconds)


def saturation(
    name: str, port: int, mix: Mix, most: int, seconds: float, processes: int
) -> tuple[int, float, dict[str, Run]]:
    """Double the clients until throughput stops growing; (clients, req/s, runs) at the best."""
    closed_loop(port, mix, 2, seconds / 2, processes)  # warm-up: workers open indexes, caches
    best: tuple[int, float, dict[str, Run]] = (0, 0.0, {})
    clients, flat = 1, 0
    # Two steps in a row without 5 % more than the best: one noisy step on a shared machine
    # must not end the ramp early.
    while clients <= most and flat < 2:
        runs = closed_loop(port, mix, clients, seconds, processes)
        throughput = merged(runs, seconds).per_second
        print(line(f"{name}, {clients} clients", merged(runs, seconds)))
        flat = 0 if throughput >= best[1] * GROWTH else flat + 1
        if throughput > best[1]:
            best = (clients, throughput, runs)
        clients *= 2
    return best


def _open_loop_share(
    port: int, schedule: list[tuple[float, Call]], began: float, senders: int
) -> Tally:
    """In a client process: send each call at its moment (``began`` + offset, monotonic
    clock, which every process shares); latency counts from that moment."""
    tally: Tally = {kind: ([], []) for kind in KINDS}
    slots = iter(schedule)
    guard = threading.Lock()

    def sender() -> None:
        while True:
            with guard:
                slot = next(slots, None)
            if slot is None:
                return
            offset, call = slot
            scheduled = began + offset
            time.sleep(max(0.0, scheduled - time.monotonic()))
            status = send(port, call)
            elapsed = time.monotonic() - scheduled
            with guard:
                latencies, statuses = tally[call[0]]
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def open_loop(
    port: int, mix: Mix, rate: float, seconds: float, senders: int, processes: int
) -> dict[str, Run]:
    """Poisson arrivals at ``rate`` per second, dealt in turn to the client processes;
    latency counts from each scheduled moment (a queue cannot hide)."""
    rng = random.Random(70)
    schedule: list[tuple[float, Call]] = []
    moment = rng.expovariate(rate)
    while moment < seconds:
        schedule.append((moment, mix(rng)))
        moment += rng.expovariate(rate)
    began = time.monotonic() + 1.0  # every process and sender is up before the first slot
    per_process = max(1, senders // processes)
    shares = [(port, schedule[n::processes], began, per_process) for n in range(processes)]
    runs = in_processes(_open_loop_share, shares, seconds)
    for kind in KINDS:
        runs.setdefault(kind, Run(seconds=seconds))
    return runs


def prepare(database: str, instance: Path, terms: int) -> tuple[Workload, Any]:
    """Termbase, meetup and queries in ``database``; the workload without tokens yet."""
    app = _app(database, os.environ["TAMYR_SEARCH_BACKEND"], instance / "index")
    timings = build(app, synthetic_terms(terms))
    print("  build: " + ", ".join(f"{label} {value:.1f}" for label, value in timings.items()))
    queries = make_queries(app, 300)
    kinds = ("exact", "folded", "script", "prefix", "fuzzy")
    searches = [query for kind in kinds for query in queries[kind]]
    concepts = page_urls(app, 200)["concept"]
    with app.app_context():
        from glossary.extensions import db

        db.engine.dispose()
    setup = set_up(database, instance)
    workload = Workload(searches, queries["suggest"], concepts, [], setup.terms[0] + setup.terms[1])
    return workload, setup


def report(title: str, runs: dict[str, Run], seconds: float) -> None:
    for kind, run in sorted(runs.items(), key=lambda item: KINDS.index(item[0])):
        print(line(f"  {title} {kind}", run))
    print(line(f"  {title} all", merged(runs, seconds)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=float, default=8.0, help="seconds per closed-loop step")
    parser.add_argument("--duration", type=float, default=30.0, help="open loop: seconds")
    parser.add_argument("--clients", type=int, default=64, help="most closed-loop clients")
    parser.add_argument("--senders", type=int, default=64, help="open-loop sender threads")
    parser.add_argument("--client-processes", type=int, default=4, help="processes of clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--terms", type=int, default=20_000, help="synthetic terms to add")
    parser.add_argument("--voters", type=int, default=60, help="guests who join and vote")
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="with --postgres")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tamyr-load-") as tmp:
        instance = Path(tmp)
        database = args.postgres or f"sqlite:///{instance / 'load.sqlite3'}"
        env = {
            "TAMYR_DATABASE_URL": database,
            "TAMYR_SECRET_KEY": "benchmark",
            "TAMYR_INSTANCE_DIR": str(instance),
            "TAMYR_SEARCH_BACKEND": "postgres" if args.postgres else "whoosh",
        }
        if args.postgres:
            env["TAMYR_REDIS_URL"] = args.redis
        os.environ.update(env)  # the in-process setup uses the servers' search backend
        stack = "PostgreSQL + postgres search + Redis" if args.postgres else "SQLite + Whoosh"
        load = " ".join(f"{n:.2f}" for n in os.getloadavg())
        print(
            f"load benchmark: {stack}, gunicorn {args.workers} sync workers; "
            f"{os.cpu_count()} cores shared with the clients, load average {load}"
        )
        workload, setup = prepare(database, instance, args.terms)
        with gunicorn("wsgi:app", args.workers, env, ROOT) as port:
            tokens, joins = join_all(port, setup, args.voters)
            workload.tokens = [token for token in tokens if token]
            print(line("  joins", joins))
            processes = args.client_processes
            clients, rate, best = saturation(
                "mix", port, workload.pick, args.clients, args.step, processes
            )
            target = rate * OPEN_LOOP_SHARE
            steady = open_loop(port, workload.pick, target, args.duration, args.senders, processes)
        with floor_server(args.workers, instance / "floor") as port:
            floor_clients, floor_rate, _ = saturation(
                "floor", port, hello, args.clients, args.step, processes
            )

        print(f"saturation: {rate:.1f} req/s at {clients} clients, per kind:")
        report("saturated", best, args.step)
        print(
            f"floor (Flask hello world, same gunicorn): {floor_rate:.1f} req/s at "
            f"{floor_clients} clients; ratio mix : floor = {rate / floor_rate:.2f}"
        )
        print(f"open loop at {OPEN_LOOP_SHARE:.0%} of saturation = {target:.1f} req/s:")
        report("open loop", steady, args.duration)
        failed = {kind: run.errors for kind, run in steady.items() if run.errors}
        slow = {
            kind: round(run.percentile(0.99), 1)
            for kind, run in steady.items()
            if run.percentile(0.99) >= P99_TARGET_MS
        }
        verdict = "met" if not failed and not slow else "MISSED"
        print(
            f"target (no errors, p99 < {P99_TARGET_MS} ms per kind): {verdict}; "
            f"errors {failed or 0}, over target {slow or 'none'}"
        )


if __name__ == "__main__":
    main()
