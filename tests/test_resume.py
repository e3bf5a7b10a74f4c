"""A run killed mid-way (SIGKILL, nothing flushed by hand) resumes with no case lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from evalkit import Store
from evalkit.cli import main
from tests.conftest import Project
from tests.fakeserver import Reply


def stored(project: Project) -> list[tuple[str, str, int]]:
    """Answered (run, case, repeat) triples, read through the store's reader while a run writes."""
    if not project.store.is_file():
        return []
    try:
        with Store.existing(project.store) as store:
            return [(c.run_id, c.case_id, c.repeat) for r in store.runs() for c in store.calls(r.run_id, answered=True)]
    except Exception:  # polled while the run is still creating its store
        return []


def run_status(project: Project) -> list[tuple[str, str]]:
    with Store.existing(project.store) as store:
        return [(r.run_id, r.status) for r in store.runs()]


def start_slow_run(project: Project, n: int, wait_for: int) -> subprocess.Popen[str]:
    """`evalkit run` in a subprocess against a slow endpoint, returned once `wait_for` answers are stored."""
    project.write_suite(n=n)
    project.write_endpoint("slow", concurrency=1)
    project.fake.script(lambda path, body: Reply(text="refund", delay_s=0.1))
    proc = subprocess.Popen(
        [sys.executable, "-m", "evalkit", "run", "--suite", "tickets", "--endpoint", "slow"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # a shell without job control starts background jobs with SIGINT ignored; a user's terminal does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(stored(project)) < wait_for:
        time.sleep(0.05)
    return proc


def test_sigkill_then_resume_finishes_every_case_exactly_once(project: Project) -> None:
    n = 30
    proc = start_slow_run(project, n, wait_for=8)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    before = stored(project)
    assert 8 <= len(before) < n
    (run_id,) = {r[0] for r in before}
    done_before = {r[1] for r in before}

    project.fake.received.clear()
    assert main(["run", "--resume", run_id]) == 0

    after = stored(project)
    assert sorted(r[1] for r in after) == sorted(f"tickets-g-{i:03d}" for i in range(n))  # none lost, none twice
    asked = [json.loads(json.dumps(r.body))["messages"][-1]["content"] for r in project.fake.calls("/chat/completions")]
    # the resumed session only called for cases that had no stored answer
    assert not {f"Ticket: golden ticket {int(c.split('-')[-1])}" for c in done_before} & set(asked)
    assert run_status(project) == [(run_id, "finished")]


def test_resume_retries_infrastructure_errors_only(project: Project) -> None:
    project.write_suite(n=3)
    failing = {"Ticket: golden ticket 1"}
    project.fake.script(
        lambda path, body: Reply(status=503) if body["messages"][-1]["content"] in failing else Reply(text="refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1  # one infrastructure error left
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
        assert [c.status for c in store.calls(run_id)] == ["ok", "infra_error", "ok"]
    failing.clear()
    project.fake.received.clear()
    assert main(["run", "--resume", run_id]) == 0
    assert [r.body["messages"][-1]["content"] for r in project.fake.calls("/chat/completions")] == [
        "Ticket: golden ticket 1"
    ]
    with Store.existing(project.store) as store:
        assert [c.status for c in store.calls(run_id)] == ["ok", "ok", "ok"]
        assert [s.score.status for s in store.scores(run_id)] == ["scored"] * 3


def test_resume_of_unknown_run_is_an_input_error(project: Project) -> None:
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--resume", "nope"]) == 2


def test_ctrl_c_exits_130_marks_the_run_interrupted_and_keeps_finished_cases(project: Project) -> None:
    proc = start_slow_run(project, 40, wait_for=3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "evalkit run --resume" in err
    kept = stored(project)
    assert 3 <= len(kept) < 40
    assert [status for _, status in run_status(project)] == ["interrupted"]
