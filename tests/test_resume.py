"""Killed, terminated or interrupted runs resume with nothing lost, nothing paid twice, history kept.

`evalkit` runs as a real subprocess against the loopback fake server; kills are real signals.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from tests.conftest import Project
from tests.fakeserver import Reply


def stored(store_path: Path) -> list[tuple[str, str, int]]:
    """Answered (run, case, repeat) triples, read through the store's reader while a run writes."""
    if not store_path.is_file():
        return []
    try:
        with Store.existing(store_path) as store:
            return [(c.run_id, c.case_id, c.repeat) for r in store.runs() for c in store.calls(r.run_id, answered=True)]
    except Exception:  # polled while the run is still creating its store
        return []


def run_status(project: Project) -> list[tuple[str, str]]:
    with Store.existing(project.store) as store:
        return [(r.run_id, r.status) for r in store.runs()]


_STDERR: dict[int, Path] = {}


def evalkit_process(project: Project, *args: str) -> subprocess.Popen[str]:
    """`python -m evalkit ARGS` in the project, stderr to a file (a full pipe would stall it)."""
    log = project.root / f"stderr-{time.monotonic_ns()}.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "evalkit", *args],
            cwd=project.root,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            # a shell without job control starts background jobs with SIGINT ignored; a user's terminal does not
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    _STDERR[proc.pid] = log
    return proc


def stderr_of(proc: subprocess.Popen[str]) -> str:
    return _STDERR[proc.pid].read_text()


def wait_until(condition: Any, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def start_slow_run(project: Project, n: int, wait_for: int) -> subprocess.Popen[str]:
    """`evalkit run` in a subprocess against a slow endpoint, returned once `wait_for` answers are stored."""
    project.write_suite(n=n)
    project.write_endpoint("slow", concurrency=1)
    project.fake.script(lambda path, body: Reply(text="refund", delay_s=0.1))
    proc = evalkit_process(project, "run", "--suite", "tickets", "--endpoint", "slow")
    wait_until(lambda: len(stored(project.store)) >= wait_for, f"{wait_for} stored answers")
    return proc


def case_number(body: dict[str, Any]) -> int:
    return int(body["messages"][-1]["content"].rsplit(" ", 1)[1])


def answer(body: dict[str, Any]) -> Reply:
    """Deterministic per case: labels, token counts (so costs) and scores differ from case to case."""
    i = case_number(body)
    return Reply(text="refund" if i % 3 else "other", input_tokens=20 + i, output_tokens=1 + i % 4)


def results(store_path: Path, run_id: str) -> dict[tuple[str, str, int], tuple[Any, ...]]:
    """Everything a later stage reads from a run, per work item, minus timings and ids."""
    with Store.existing(store_path) as store:
        scores = {(s.suite, s.case_id, s.repeat): s.score for s in store.scores(run_id)}
        out = {}
        for c in store.calls(run_id):
            key = (c.suite, c.case_id, c.repeat)
            text = c.response.text if c.response else None
            score = scores[key]
            out[key] = (c.status, text, c.usage, c.cost_usd, c.finish_reason, c.request_hash, c.cache_hit,
                        score.status, score.resolved, score.values)  # fmt: skip
        return out


CASES, REPEATS = 12, 2
TOTAL = CASES * REPEATS
MOMENTS = [0, *sorted(random.Random(20260430).sample(range(1, TOTAL - 2), 2))]
"""After how many stored answers the run is killed: before the first, and two seeded moments."""


def test_sigkill_at_seeded_moments_then_resume_equals_an_uninterrupted_run(project: Project) -> None:
    project.write_suite(n=CASES)
    project.write_endpoint("steady", concurrency=2)
    hold = {"after": -1}  # requests beyond this many are held (in flight) until the process is killed
    seen = {"n": 0}
    lock = threading.Lock()

    def script(path: str, body: dict[str, Any]) -> Reply:
        with lock:
            seen["n"] += 1
            held = hold["after"] >= 0 and seen["n"] > hold["after"]
        reply = answer(body)
        reply.delay_s = 120.0 if held else 0.0  # the kill lands long before
        return reply

    project.fake.script(script)
    assert main(["--store", "reports/reference.db", "run", "--suite", "tickets", "--endpoint", "steady",
                 "--repeats", str(REPEATS)]) == 0  # fmt: skip
    with Store.existing(project.root / "reports" / "reference.db") as store:
        (reference_run,) = [r.run_id for r in store.runs()]
    reference = results(project.root / "reports" / "reference.db", reference_run)
    assert len(reference) == TOTAL and {v[0] for v in reference.values()} == {"ok"}

    for moment in MOMENTS:
        db = project.root / "reports" / f"killed-at-{moment}.db"
        seen["n"], hold["after"] = 0, moment
        project.fake.received.clear()
        proc = evalkit_process(project, "--store", str(db), "run", "--suite", "tickets", "--endpoint", "steady",
                               "--repeats", str(REPEATS))  # fmt: skip
        # exactly `moment` answers stored and two more calls in flight (held): now kill -9
        wait_until(lambda: len(project.fake.calls("/chat/completions")) >= moment + 2, "calls in flight")  # noqa: B023
        wait_until(lambda: len(stored(db)) >= moment, f"{moment} stored answers")  # noqa: B023
        proc.kill()
        proc.wait()
        hold["after"] = -1
        before = stored(db)
        assert len(before) == moment
        with Store.existing(db) as store:
            (run,) = store.runs()
        assert run.state() == "dead" and run.owner is not None and run.owner.pid == proc.pid

        project.fake.received.clear()
        assert main(["--store", str(db), "run", "--resume", run.run_id]) == 0

        # the resumed session asked only for what had no stored answer: per case, the repeats missing
        answered_before = Counter(case for _, case, _ in before)
        asked = Counter(case_number(r.body) for r in project.fake.calls("/chat/completions"))
        expected = {i: REPEATS - answered_before[f"tickets-g-{i:03d}"] for i in range(CASES)}
        assert asked == Counter({i: n for i, n in expected.items() if n}), f"killed at {moment}"
        assert results(db, run.run_id) == reference, f"killed at {moment}"
        with Store.existing(db) as store:
            after = store.run(run.run_id)
            assert after.status == "finished" and after.owner is None
            assert all(a.current for a in store.attempt_history(run.run_id))  # nothing stored was replaced
            (took_over,) = [s["took_over_from"] for s in after.manifest["sessions"] if "took_over_from" in s]
            assert took_over["pid"] == proc.pid


def test_resume_keeps_every_replaced_infrastructure_error_as_attempt_history(project: Project) -> None:
    project.write_suite(n=3)
    failing = {"tickets-g-001": [503, 500]}  # the status it fails with, one per session
    session = {"n": 0}

    def script(path: str, body: dict[str, Any]) -> Reply:
        statuses = failing.get(f"tickets-g-{case_number(body):03d}", [])
        return Reply(status=statuses[session["n"]]) if session["n"] < len(statuses) else Reply(text="refund")

    project.fake.script(script)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1  # one infrastructure error left
    (run_id,) = [r for r, _ in run_status(project)]
    session["n"] = 1
    project.fake.received.clear()
    assert main(["run", "--resume", run_id]) == 1  # still failing
    assert len(project.fake.calls("/chat/completions")) == 3  # only the failed item, 3 attempts
    session["n"] = 2
    assert main(["run", "--resume", run_id]) == 0

    with Store.existing(project.store) as store:
        assert [c.status for c in store.calls(run_id)] == ["ok", "ok", "ok"]  # current rows only
        assert [s.score.status for s in store.scores(run_id)] == ["scored"] * 3
        history = store.attempt_history(run_id)
    item = [a for a in history if a.call.case_id == "tickets-g-001"]
    assert [(a.call.status, a.call.error_kind, a.call.attempts, a.current) for a in item] == [
        ("infra_error", "server", 3, False),
        ("infra_error", "server", 3, False),
        ("ok", None, 1, True),
    ]
    assert "503" in (item[0].call.error_message or "") and "500" in (item[1].call.error_message or "")
    assert item[0].superseded_at is not None and item[1].superseded_at is not None
    assert item[0].superseded_at < item[1].superseded_at
    assert item[0].call.started_at < item[1].call.started_at < item[2].call.started_at
    assert [a.call.case_id for a in history if a.call.case_id != "tickets-g-001"] == ["tickets-g-000", "tickets-g-002"]


def test_resume_of_unknown_run_is_an_input_error(project: Project) -> None:
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--resume", "nope"]) == 2


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_exit_130_mark_the_run_interrupted_and_it_resumes(
    project: Project, sig: signal.Signals, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 20
    proc = start_slow_run(project, n, wait_for=3)
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == 130
    assert "evalkit run --resume" in stderr_of(proc)
    kept = stored(project.store)
    assert 3 <= len(kept) < n
    (run_id,) = {r for r, _, _ in kept}
    with Store.existing(project.store) as store:
        run = store.run(run_id)
    assert (run.status, run.owner, run.state()) == ("interrupted", None, "interrupted")  # lock released
    capsys.readouterr()
    assert main(["runs"]) == 0
    assert f"{run_id}  interrupted" in capsys.readouterr().out

    done_before = {case for _, case, _ in kept}
    project.fake.received.clear()
    assert main(["run", "--resume", run_id]) == 0
    asked = {f"tickets-g-{case_number(r.body):03d}" for r in project.fake.calls("/chat/completions")}
    assert not asked & done_before
    assert sorted(c for _, c, _ in stored(project.store)) == [f"tickets-g-{i:03d}" for i in range(n)]
    assert run_status(project) == [(run_id, "finished")]
