"""Sandbox throughput: small coding cases scored per second, through the public scorer.

The target (issue 10, target 4): at least 20 small coding cases a second on 2 cores, with every
guarantee of README "Model-written code" kept. A small case is a function case (a two-line answer,
three hidden tests); a fifth of the answers are wrong, and every verdict is checked against what it
should be, so a grader that got faster by breaking would fail here. Scoring runs on a thread pool as
`evalkit run` and `evalkit score` do.

Modes: `forkserver` (the default path at level bwrap: cases forked from a warm server) and `process`
(`EVALKIT_FORKSERVER=0`: a fresh sandboxed Python per case, the path before). CPU is measured for the
whole process tree, sandboxes included, through a cpuacct cgroup where the machine has one (v1), so
the figure does not depend on what else the machine runs; the load average is printed beside it.

Run: `.venv/bin/python benchmarks/sandbox_throughput.py --cases 200 --workers 2 --mode both`
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite
from evalkit.records import Response
from evalkit.scoring import coding
from evalkit.scoring.base import ScoreContext
from evalkit.scoring.coding import forkserver, isolation

TESTS = """\
from solution import add


def test_small():
    assert add(1, 2) == 3


def test_negative():
    assert add(-1, -1) == -2


def test_zero():
    assert add(0, 5) == 5
"""
RIGHT = "Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```\n"
WRONG = "Here you go:\n\n```python\ndef add(a, b):\n    return a - b\n```\n"
SUITE = Suite.model_validate(
    {
        "name": "bench-coding",
        "version": "1",
        "category": "coding",
        "primary_metric": "pass_at_1",
        "prompt": {"user": "{{ task }}"},
        "scorer": {},
    }
)
CASE = Case(id="fn-add", input={"task": "add"}, expected={"kind": "function", "entry_point": "add", "tests": TESTS})
SETTINGS = coding.Settings(timeout_s=30, memory_mb=512)
_CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def score_one(index: int) -> None:
    right = index % 5 != 0
    ctx = ScoreContext(SUITE, CASE, Response(text=RIGHT if right else WRONG, finish_reason="stop"), {})
    result = coding.score(ctx, SETTINGS)
    if bool(result.resolved) != right:
        raise SystemExit(f"case {index}: resolved={result.resolved}, expected {right}: {result.detail}")


@contextlib.contextmanager
def cpu_meter() -> Iterator[list[float]]:
    """Yields a list that receives the CPU seconds of this process and every descendant (sandboxes and
    the fork server included): cpuacct v1 if writable, else os.times (which misses what bwrap's PID 1
    reaps)."""
    box: list[float] = []
    group = _CPUACCT / f"evalkit-bench-{os.getpid()}"
    try:
        group.mkdir()
        (group / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        start = os.times()
        yield box
        end = os.times()
        box.append(sum(end[:4]) - sum(start[:4]))
        return
    try:
        start_ns = int((group / "cpuacct.usage").read_text())
        yield box
        box.append((int((group / "cpuacct.usage").read_text()) - start_ns) / 1e9)
    finally:
        with contextlib.suppress(OSError):
            (_CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
        for _ in range(100):
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.05)


def measure(mode: str, cases: int, workers: int) -> None:
    os.environ[forkserver.ENABLE_ENV] = "1" if mode == "forkserver" else "0"
    forkserver.shutdown()
    load_before = os.getloadavg()[0]
    own_start = os.times()
    with cpu_meter() as cpu:
        score_one(1)  # warm-up: the level probe, and the fork server's start in forkserver mode
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(score_one, range(cases)))
        elapsed = time.perf_counter() - started
        forkserver.shutdown()
    own = sum(os.times()[:2]) - sum(own_start[:2])
    print(
        f"{mode:10s} level={isolation.select_level()} cases={cases} workers={workers}: "
        f"{cases / elapsed:6.2f} cases/s, {elapsed / cases * 1000:5.0f} ms wall a case, "
        f"{cpu[0] / (cases + 1) * 1000:5.0f} ms CPU a case (whole tree; {own / (cases + 1) * 1000:.0f} in evalkit's "
        "own process), "
        f"= {(os.cpu_count() or 1) / (cpu[0] / (cases + 1)):.1f} cases/s if it had the {os.cpu_count()} cores "
        f"to itself; load {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--mode", choices=("forkserver", "process", "both"), default="both")
    args = parser.parse_args()
    for mode in ("forkserver", "process") if args.mode == "both" else (args.mode,):
        measure(mode, args.cases, args.workers)


if __name__ == "__main__":
    main()
