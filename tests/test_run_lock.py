"""One live writer per run: a second one is refused, a dead one's lock is taken over, a lost one is fenced.

Locks held by processes on *other* hosts cannot be created from a test, so those rows are written into
the store's `run_locks` table directly, exactly as such a process would have left them.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.store import SCHEMA_VERSION, LockLost, RunLock, RunLocked, StoreWriter
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.test_resume import case_number, evalkit_process, wait_until


def stamp(age_s: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=age_s)).isoformat(timespec="milliseconds")


def snapshot(project: Project, run_id: str) -> tuple[Any, ...]:
    """What a refused second writer must leave untouched (the holder's heartbeat aside)."""
    with Store.existing(project.store) as store:
        run = store.run(run_id)
        owner = run.owner.pid if run.owner else None
        return run.status, run.finished_at, run.manifest, owner, store.calls(run_id), store.scores(run_id)


def test_a_second_live_writer_is_refused_with_nothing_written_or_sent(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 8
    project.write_suite(n=n)
    project.write_endpoint("one-at-a-time", concurrency=1)
    release = threading.Event()

    def script(path: str, body: dict[str, Any]) -> Reply:
        if case_number(body) == 3:
            release.wait(300)  # the first writer is alive, mid-call, while a second one is tried
        return Reply(text="refund")

    project.fake.script(script)
    proc = evalkit_process(project, "run", "--suite", "tickets", "--endpoint", "one-at-a-time")
    try:

        def three_answered_and_scored() -> bool:
            if not project.store.is_file() or len(project.fake.calls("/chat/completions")) < 4:
                return False
            with Store.existing(project.store) as store:
                runs = store.runs()
                return len(runs) == 1 and len(store.scores(runs[0].run_id)) == 3

        wait_until(three_answered_and_scored, "three scored answers and a fourth call in flight")
        with Store.existing(project.store) as store:
            (run_id,) = [r.run_id for r in store.runs()]
        before, sent = snapshot(project, run_id), len(project.fake.received)
        capsys.readouterr()

        assert main(["run", "--resume", run_id]) == 2
        err = capsys.readouterr().err
        assert f"run {run_id} is being written by another live evalkit process (pid {proc.pid} on " in err
        assert "refusing a second writer" in err and "resume with" not in err
        assert snapshot(project, run_id) == before and len(project.fake.received) == sent

        assert main(["runs"]) == 0
        line = capsys.readouterr().out
        assert f"{run_id}  running" in line and f"(writer: pid {proc.pid} on {socket.gethostname()}" in line
    finally:
        release.set()
    assert proc.wait(timeout=60) == 0
    asked = Counter(case_number(r.body) for r in project.fake.calls("/chat/completions"))
    assert asked == Counter(range(n))  # every case called exactly once: nothing paid twice
    with Store.existing(project.store) as store:
        run = store.run(run_id)
    assert (run.status, run.owner) == ("finished", None)


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


HOLDERS = {
    "dead pid on this host": (lambda: dead_pid(), socket.gethostname(), 1.0, True),
    "live pid on this host, stale heartbeat": (lambda: os.getppid(), socket.gethostname(), 3600.0, True),
    "other host, stale heartbeat": (lambda: os.getpid(), "elsewhere.example", 3600.0, True),
    "other host, fresh heartbeat": (lambda: os.getpid(), "elsewhere.example", 1.0, False),
}


@pytest.mark.parametrize("holder", list(HOLDERS), ids=list(HOLDERS))
def test_a_dead_writers_lock_is_taken_over_on_resume_a_live_ones_is_not(
    project: Project, holder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    get_pid, host, age_s, taken_over = HOLDERS[holder]
    pid = get_pid()
    project.write_suite(n=3)
    failing = {"Ticket: golden ticket 1"}
    project.fake.script(
        lambda path, body: Reply(status=503) if body["messages"][-1]["content"] in failing else Reply(text="refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
    with sqlite3.connect(project.store) as c:  # as a writer that vanished (or lives elsewhere) left it
        c.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE run_id = ?", (run_id,))
        c.execute("INSERT INTO run_locks VALUES (?,?,?,?,?,?)", (run_id, pid, host, "tok", stamp(age_s), stamp(age_s)))
    capsys.readouterr()
    assert main(["runs"]) == 0
    listed = capsys.readouterr().out
    failing.clear()
    project.fake.received.clear()

    code = main(["run", "--resume", run_id])
    with Store.existing(project.store) as store:
        run = store.run(run_id)
    if taken_over:
        assert f"{run_id}  dead" in listed and f"writer pid {pid} on {host} is gone" in listed
        assert code == 0 and (run.status, run.owner) == ("finished", None)
        took = run.manifest["sessions"][-1]["took_over_from"]
        assert (took["pid"], took["host"]) == (pid, host)
        assert len(project.fake.calls("/chat/completions")) == 1  # only the item without an answer
    else:
        assert f"{run_id}  running" in listed
        assert code == 2 and project.fake.received == []
        assert run.status == "running" and run.owner is not None and run.owner.host == "elsewhere.example"


def test_a_writer_whose_lock_was_taken_over_can_no_longer_write(project: Project) -> None:
    project.write_suite(n=2)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
        calls = store.calls(run_id)
    first = RunLock.acquire(project.store, run_id)
    with pytest.raises(RunLocked, match=f"pid {os.getpid()}"):
        RunLock.acquire(project.store, run_id)  # alive and beating: refused
    with sqlite3.connect(project.store) as c:  # the first holder froze for an hour
        c.execute("UPDATE run_locks SET heartbeat_at = ? WHERE run_id = ?", (stamp(3600), run_id))
    second = RunLock.acquire(project.store, run_id)
    assert second.taken_over is not None and second.taken_over.pid == os.getpid()

    late = calls[0].model_copy(update={"response": None, "status": "infra_error", "error_kind": "connection"})
    writer = StoreWriter(project.store, fence=first.verify)
    writer.put_call(late)
    with pytest.raises(LockLost, match=f"run {run_id} was taken over"):
        writer.close()
    assert first.finish("failed", finished=False) is False  # the run's status is the new holder's
    with Store.existing(project.store) as store:
        assert store.calls(run_id) == calls and store.run(run_id).status == "running"
        assert store.attempt_history(run_id) == [a for a in store.attempt_history(run_id) if a.current]
    assert second.finish("finished", finished=True) is True
    with Store.existing(project.store) as store:
        run = store.run(run_id)
    assert (run.status, run.owner) == ("finished", None)


def test_a_v3_store_migrates_and_its_abandoned_running_run_reads_as_dead(project: Project) -> None:
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with sqlite3.connect(project.store) as c:  # what evalkit with schema v3 left behind
        c.execute("DROP TABLE run_locks")
        c.execute("DROP TABLE call_history")
        c.execute("UPDATE runs SET status = 'running'")
        c.execute("PRAGMA user_version = 3")
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        assert (run.status, run.owner, run.state()) == ("running", None, "dead")
        assert [a.current for a in store.attempt_history(run.run_id)] == [True]
    with sqlite3.connect(project.store) as c:
        assert c.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert main(["run", "--resume", run.run_id]) == 0
