"""Harness overhead (issue 10, targets 1 and 2): `evalkit run` against a bare `openai` SDK loop.

Both sides call the same stub server (benchmarks/stubserver.py), which runs in its own process, and
are measured side by side in alternating rounds, so a change of load on the shared machine hits both.

- throughput: 2,000 classification cases at concurrency 32 on a server that answers at once.
  The bare side is an asyncio loop of `AsyncOpenAI.chat.completions.create` in its own process
  (calls/s of the loop). The evalkit side is `python -m evalkit run` end to end, wall clock of the
  whole process: imports, loading, the calls, live scoring, storage, the final re-score check and
  the report. Target: evalkit >= 0.8x bare.
- one case: `evalkit run --limit 1`, wall clock of the process. Target: < 1.5 s.
- latency-bound: the server answers after 200 ms, concurrency 64, so no client can exceed
  64 / 0.2 = 320 calls/s. Target: evalkit >= 0.95x that limit (the replay phase, from the run's own
  session record; end to end printed beside it).

Run: `python benchmarks/overhead.py` (or `make bench`); `--quick` for a short smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    PYTHON,
    ROOT,
    Timed,
    evalkit,
    load,
    machine,
    median,
    run_id_of,
    stub_server,
    suite_args,
    write_classification_suite,
    write_endpoint,
)


async def _bare(base_url: str, n: int, concurrency: int) -> float:
    import openai

    client = openai.AsyncOpenAI(api_key="x", base_url=base_url, max_retries=0)
    queue = iter(range(n))

    async def worker() -> None:
        for i in queue:
            await client.chat.completions.create(
                model="fake-model",
                max_tokens=16,
                temperature=0,
                messages=[
                    {"role": "system", "content": "Label the ticket."},
                    {"role": "user", "content": f"Ticket: golden ticket {i}"},
                ],
            )

    await client.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "warm"}])
    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    await client.close()
    return n / elapsed


def bare_loop(base_url: str, n: int, concurrency: int) -> float:
    """The bare SDK loop in a fresh process (as evalkit gets one); its calls/s."""
    out = subprocess.run(
        [PYTHON, __file__, "--bare", base_url, "--cases", str(n), "--concurrency", str(concurrency)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.split()[-1])


def replay_seconds(db: Path, run_id: str) -> float:
    """The calling phase of the run's last session, as the run itself recorded it."""
    conn = sqlite3.connect(db)
    (raw,) = conn.execute("SELECT manifest_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
    conn.close()
    session = json.loads(raw)["sessions"][-1]
    started, finished = (datetime.fromisoformat(session[k]) for k in ("started_at", "finished_at"))
    return (finished - started).total_seconds()


def evalkit_run(
    root: Path, base_url: str, n: int, concurrency: int, limit: int | None = None, source: Path | None = None
) -> tuple[Timed, str]:
    """A fresh workspace and store each time: nothing is reused between rounds."""
    write_classification_suite(root, n)
    write_endpoint(root, base_url, concurrency)
    extra = ["--limit", str(limit)] if limit else []
    result = evalkit(root, ["run", "--suite", "bench", "--endpoint", "bench", *suite_args(root), *extra], source=source)
    return result, run_id_of(result)


def throughput(n: int, concurrency: int, rounds: int, before: Path | None) -> tuple[float, float]:
    """Alternating rounds: bare loop, evalkit (and the older tree when given), so load hits all alike."""
    bare, ours, old = [], [], []
    with stub_server() as url:
        for r in range(rounds):
            bare.append(bare_loop(url, n, concurrency))
            with tempfile.TemporaryDirectory() as tmp:
                t, _ = evalkit_run(Path(tmp), url, n, concurrency)
            ours.append(n / t.seconds)
            line = (
                f"  round {r + 1}: bare {bare[-1]:6.1f} calls/s | evalkit end to end {ours[-1]:6.1f} calls/s "
                f"({ours[-1] / bare[-1]:.2f}x, CPU {t.cpu_s:.1f} s)"
            )
            if before is not None:
                with tempfile.TemporaryDirectory() as tmp:
                    t_old, _ = evalkit_run(Path(tmp), url, n, concurrency, source=before)
                old.append(n / t_old.seconds)
                line += f" | before {old[-1]:6.1f} calls/s ({old[-1] / bare[-1]:.2f}x, CPU {t_old.cpu_s:.1f} s)"
            print(f"{line}  load {load()}", flush=True)
    if old:
        print(f"  before (median): {median(old):.1f} calls/s, {median(old) / median(bare):.2f}x bare", flush=True)
    return median(bare), median(ours)


def one_case(rounds: int, before: Path | None) -> float:
    times, cpu, old = [], [], []
    with stub_server() as url:
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                t, _ = evalkit_run(Path(tmp), url, 20, 4, limit=1)
            times.append(t.seconds)
            cpu.append(t.cpu_s)
            if before is not None:
                with tempfile.TemporaryDirectory() as tmp:
                    t_old, _ = evalkit_run(Path(tmp), url, 20, 4, limit=1, source=before)
                old.append(t_old.seconds)
    print(f"  one-case runs: {', '.join(f'{t:.2f}' for t in times)} s wall, CPU {', '.join(f'{c:.2f}' for c in cpu)} s"
          f"  load {load()}", flush=True)
    if old:
        print(f"  before: {', '.join(f'{t:.2f}' for t in old)} s wall (median {median(old):.2f} s)", flush=True)
    return median(times)


def latency_bound(n: int, concurrency: int, delay: float, source: Path | None = None) -> tuple[float, float, float]:
    """(evalkit replay calls/s, evalkit end to end calls/s, bare SDK loop calls/s) on the same server."""
    with stub_server(delay=delay) as url, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bare = bare_loop(url, n, concurrency)
        t, run_id = evalkit_run(root, url, n, concurrency, source=source)
        replay = replay_seconds(root / "reports" / "evalkit.db", run_id)
    return n / replay, n / t.seconds, bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-cases", type=int, default=6400)
    parser.add_argument("--quick", action="store_true", help="small sizes, one round: a smoke run")
    parser.add_argument("--bare", metavar="BASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["throughput", "one-case", "latency"], default=None)
    parser.add_argument(
        "--before", type=Path, default=None, help="a folder with an older `evalkit` package to measure alongside"
    )
    args = parser.parse_args()
    if args.bare:
        print(asyncio.run(_bare(args.bare, args.cases, args.concurrency)))
        return
    if args.quick:
        args.cases, args.rounds, args.latency_cases = 300, 1, 640
    print(f"machine: {machine()}  ({ROOT})", flush=True)
    if args.only in (None, "throughput"):
        print(f"throughput: {args.cases} cases, concurrency {args.concurrency}, instant stub server", flush=True)
        bare, ours = throughput(args.cases, args.concurrency, args.rounds, args.before)
        print(f"RESULT throughput: bare {bare:.1f} calls/s, evalkit end to end {ours:.1f} calls/s, "
              f"ratio {ours / bare:.2f}x (target >= 0.80x)  load {load()}", flush=True)
    if args.only in (None, "one-case"):
        t = one_case(max(3, args.rounds), args.before)
        print(f"RESULT one-case run: {t:.2f} s median wall (target < 1.5 s)  load {load()}", flush=True)
    if args.only in (None, "latency"):
        delay, conc = 0.2, 64
        limit = conc / delay
        if args.before is not None:
            old_replay, old_e2e, _ = latency_bound(args.latency_cases, conc, delay, args.before)
            print(f"  before: replay {old_replay:.1f} calls/s = {old_replay / limit:.3f}x, end to end "
                  f"{old_e2e:.1f} calls/s  load {load()}", flush=True)
        replay, e2e, bare = latency_bound(args.latency_cases, conc, delay)
        print(f"  bare SDK loop on the same server: {bare:.1f} calls/s = {bare / limit:.3f}x the limit", flush=True)
        print(f"RESULT latency-bound: {args.latency_cases} cases, 200 ms server, concurrency {conc}: replay "
              f"{replay:.1f} calls/s = {replay / limit:.3f}x the {limit:.0f} calls/s limit (target >= 0.95x); "
              f"end to end {e2e:.1f} calls/s = {e2e / limit:.3f}x  load {load()}", flush=True)


if __name__ == "__main__":
    main()
