"""Every injected fault becomes a retried infrastructure error — never a scored answer — in both wire
formats, streamed or not; a run with 20% seeded faults loses and duplicates nothing and finishes.

The endpoints here run with `timeout_s: 1.5`, which is both the read timeout and the deadline of one
attempt: a hang trips the first, a drip (a valid answer, one byte every 0.15 s, ~45 s in all) only the
second. 1.5 s is far above a healthy answer's latency even on a loaded CI machine, so no healthy attempt
is ever cut, and far below the hang (held until the server stops) and the drip.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.records import CallRecord, ScoreRecord
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.faultserver import FAULTS, Fault, FaultServer, Plan, faults_for

RIGHT = "refund"
ATTEMPTS = 2
WIRES = [("openai", False), ("openai", True), ("anthropic", False), ("anthropic", True)]


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer(hang_s=60.0).start()  # a hang outlasts any deadline; stop() ends it
    try:
        yield server
    finally:
        server.stop()


def endpoint(project: Project, server: FaultServer, wire: str, stream: bool, **fields: Any) -> str:
    name = f"faulty-{wire}-{'stream' if stream else 'plain'}"
    settings: dict[str, Any] = {
        "stream": stream,
        "timeout_s": 1.5,
        "connect_timeout_s": 1.5,
        "max_attempts": ATTEMPTS,
        "concurrency": 4,
        "backoff_base_s": 0.01,
        "backoff_max_s": 0.02,
    }
    if wire == "anthropic":
        settings.update(kind="anthropic", base_url=server.root_url, api_key_env="EVALKIT_TEST_KEY")
    else:
        settings.update(base_url=server.base_url)
    settings.update(fields)
    project.write_endpoint(name, **settings)
    return name


def write_cases(project: Project, tickets: list[str]) -> None:
    """A classification suite whose cases are named by their ticket; every right answer is RIGHT."""
    project.write_suite(n=1)
    project.write_cases(
        project.root / "golden" / "tickets.jsonl",
        [{"id": t.replace(" ", "-"), "input": {"ticket": t}, "expected": {"label": RIGHT}} for t in tickets],
    )


def ticket(prompt: str) -> str:
    return prompt.removeprefix("Ticket: ")


def stored(project: Project) -> tuple[list[str], dict[str, CallRecord], dict[str, ScoreRecord]]:
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        calls = store.calls(run.run_id)
        scores = store.scores(run.run_id)
    ids = [c.case_id for c in calls]
    return ids, {c.case_id: c for c in calls}, {s.case_id: s for s in scores}


def run_id(project: Project) -> str:
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        return run.run_id


def assert_no_fault_scored(scores: dict[str, ScoreRecord]) -> None:
    """Every fault carrying text answers WRONG: a scored case that is not resolved is a fault that
    got through to scoring."""
    leaked = {cid: s.score.status for cid, s in scores.items() if s.score.status == "scored" and not s.score.resolved}
    assert leaked == {}, f"faults scored as answers: {leaked}"


@pytest.mark.parametrize(("wire", "stream"), WIRES, ids=[f"{w}-{'stream' if s else 'plain'}" for w, s in WIRES])
def test_every_fault_is_retried_and_never_scored(
    project: Project, faults: FaultServer, wire: str, stream: bool
) -> None:
    names = faults_for(wire, stream)
    write_cases(project, [f"{mode} {name}" for name in names for mode in ("transient", "persistent")])

    def plan(prompt: str, n: int) -> Reply:
        mode, name = ticket(prompt).split()
        return Fault(fault=name) if mode == "persistent" or n == 0 else Reply(text=RIGHT)

    faults.plan(plan)
    name = endpoint(project, faults, wire, stream)
    assert main(["run", "--suite", "tickets", "--endpoint", name]) == 1  # incomplete: persistent faults remain
    _, calls, scores = stored(project)
    for fault in names:
        ok, failed = calls[f"transient-{fault}"], calls[f"persistent-{fault}"]
        want = FAULTS[fault].kind
        assert (ok.status, ok.attempts, ok.error_kind) == ("ok", 2, None), f"{fault}: {ok.error_message}"
        assert scores[f"transient-{fault}"].score.resolved is True, fault
        assert (failed.status, failed.attempts) == ("infra_error", ATTEMPTS), f"{fault}: {failed.status}"
        assert failed.error_kind == want, f"{fault}: {failed.error_kind} ({failed.error_message}), want {want}"
        assert failed.response is None and failed.cost_usd == 0.0, fault
        assert scores[f"persistent-{fault}"].score.status == "infra_error", fault
        assert faults.injected[fault] == 1 + ATTEMPTS, fault
    assert_no_fault_scored(scores)
    with Store.existing(project.store) as store:
        assert store.run(run_id(project)).status == "incomplete"

    faults.plan(lambda prompt, n: Reply(text=RIGHT))  # the endpoint recovers
    assert main(["run", "--resume", run_id(project)]) == 0
    ids, calls, scores = stored(project)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 2 * len(names)
    assert all(c.status == "ok" and c.usage.input_tokens >= 0 and c.cost_usd >= 0 for c in calls.values())
    assert all(s.score.status == "scored" and s.score.resolved for s in scores.values())


def test_the_fault_matrix_covers_what_the_issue_names() -> None:
    """Guards the matrix above against silently shrinking: each wire format meets every fault that
    can happen to it."""
    assert set(faults_for("openai", False)) >= {
        "http-429",
        "http-429-no-retry-after",
        "http-500",
        "http-502",
        "http-503",
        "http-529",
        "hang",
        "drip",
        "reset",
        "malformed-json",
        "truncated-json",
        "empty-choices",
        "null-message",
        "wrong-content-type",
        "negative-usage",
    }
    assert "cut-stream" in faults_for("openai", True) and "cut-stream" in faults_for("anthropic", True)
    assert all(FAULTS[f].kind in {"rate_limit", "server", "timeout", "connection", "malformed"} for f in FAULTS)


def chaos(seed: int, names: list[str], rate: float = 0.2) -> Plan:
    """A fault in `rate` of requests, chosen from `names`, as a pure function of (seed, prompt,
    attempt number): the same whatever order concurrent requests arrive in."""

    def plan(prompt: str, n: int) -> Reply:
        rng = random.Random(f"{seed}|{prompt}|{n}")
        return Fault(fault=rng.choice(names)) if rng.random() < rate else Reply(text=RIGHT)

    return plan


CHAOS = [("openai", True, 12), ("anthropic", False, 12)]  # seed 12: three sessions (two resumes) each


@pytest.mark.parametrize(
    ("wire", "stream", "seed"), CHAOS, ids=[f"{w}-{'stream' if s else 'plain'}" for w, s, _ in CHAOS]
)
def test_a_run_with_20_percent_seeded_faults_loses_and_duplicates_no_case(
    project: Project, faults: FaultServer, wire: str, stream: bool, seed: int
) -> None:
    n_cases, attempts = 40, 2
    tickets = [f"chaos {i:02d}" for i in range(n_cases)]
    write_cases(project, tickets)
    plan = chaos(seed, faults_for(wire, stream))
    faults.plan(plan)
    name = endpoint(project, faults, wire, stream, max_attempts=attempts)

    def is_fault(t: str, n: int) -> bool:
        return isinstance(plan(f"Ticket: {t}", n), Fault)

    # Which cases must end the first session as infrastructure errors is known in advance: those whose
    # every attempt draws a fault. The seed is chosen so that some do, and the run must be resumed.
    asked = {t: 0 for t in tickets}
    pending = list(tickets)
    sessions = 0
    while pending:
        failing = sorted(t for t in pending if all(is_fault(t, asked[t] + k) for k in range(attempts)))
        for t in pending:
            used = next((k + 1 for k in range(attempts) if not is_fault(t, asked[t] + k)), attempts)
            asked[t] += used
        args = ["run", "--resume", run_id(project)] if sessions else ["run", "--suite", "tickets", "--endpoint", name]
        assert main(args) == (1 if failing else 0)
        sessions += 1
        _, calls, _ = stored(project)
        assert sorted(c.case_id for c in calls.values() if c.status != "ok") == [t.replace(" ", "-") for t in failing]
        pending = failing
        assert sessions <= 4
    assert sessions >= 2, "the seed was meant to need a resume"
    assert sum(faults.injected.values()) >= n_cases * 0.1  # faults really were injected

    ids, calls, scores = stored(project)
    assert sorted(ids) == sorted(t.replace(" ", "-") for t in tickets)  # none lost, none twice
    assert dict(faults.asked) == {f"Ticket: {t}": n for t, n in asked.items()}  # no call made twice either
    assert all(c.status == "ok" and c.cost_usd > 0 for c in calls.values())
    assert_no_fault_scored(scores)
    assert all(s.score.status == "scored" and s.score.resolved for s in scores.values())
    with Store.existing(project.store) as store:
        assert store.run(run_id(project)).status == "finished"
    summary = json.loads((project.root / "reports" / run_id(project) / "summary.json").read_text())
    assert summary["suites"][0]["counts"]["infra_error"] == 0
