"""Two runs paired case by case: request-hash equality across endpoints, named differences, and an old
(v1) store migrated in place that still pairs with a new run."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from evalkit import InputError, Store, pair_runs, run_metrics
from evalkit.cli import main
from evalkit.compare.pairing import require_comparable
from evalkit.store import SCHEMA_VERSION
from tests.conftest import Project
from tests.fakeserver import Reply

DATA = Path(__file__).parent / "data"


def run_ids(project: Project) -> list[str]:
    with Store.existing(project.store) as store:
        return [r.run_id for r in store.runs()]


def test_two_endpoints_received_the_same_requests_case_by_case(project: Project) -> None:
    project.write_suite(n=4, adversarial=2)
    project.fake.script(
        lambda path, body: Reply(text="other" if "tricky" in str(body["messages"]) else "refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-anthropic"]) == 0
    baseline, candidate = run_ids(project)
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, baseline, candidate)
        hashes = [[c.request_hash for c in store.calls(r)] for r in (baseline, candidate)]
    assert hashes[0] == hashes[1] and len(set(hashes[0])) == 6  # equal per case, distinct across cases
    assert pairing.comparable and pairing.differences == []
    assert [c.same_request for c in pairing.cases] == [True] * 6
    assert len(pairing.paired()) == 6
    assert all(c.baseline and c.baseline.resolved == 1.0 for c in pairing.cases)
    require_comparable([pairing])


def test_different_sampling_defaults_are_named_as_a_difference(project: Project) -> None:
    project.write_suite(n=2, request={"max_tokens": 16})  # temperature left to the endpoint
    project.write_endpoint("warm", sampling={"temperature": 0.7})
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "warm"]) == 0
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, *run_ids(project))
    assert not pairing.comparable
    assert "2 cases were sent different requests" in pairing.differences[0]
    with pytest.raises(InputError, match="not comparable"):
        require_comparable([pairing])


def test_an_edited_suite_is_named_as_a_difference(project: Project) -> None:
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    project.write_suite(n=3, prompt={"system": "Label it.", "user": "Ticket: {{ ticket }}"})
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, *run_ids(project))
    assert "different suites (input hash" in "\n".join(pairing.differences)


def test_a_limited_run_pairs_with_a_full_one_and_its_missing_cases_are_one_sided(project: Project) -> None:
    project.write_suite(n=4)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--limit", "2"]) == 0
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, *run_ids(project))
    assert pairing.comparable
    assert [c.case_id for c in pairing.paired()] == ["tickets-g-000", "tickets-g-001"]
    assert [c.candidate for c in pairing.cases[2:]] == [None, None]


def test_unscored_cases_never_enter_the_pairs(project: Project) -> None:
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    project.fake.script(
        lambda path, body: Reply(status=500) if body["messages"][-1]["content"].endswith("1") else Reply(text="x")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, *run_ids(project))
    lost = next(c for c in pairing.cases if c.case_id == "tickets-g-001")
    assert lost.candidate is not None and lost.candidate.scored == 0 and lost.candidate.statuses == {"infra_error": 1}
    assert [c.case_id for c in pairing.paired()] == ["tickets-g-000", "tickets-g-002"]


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    """A store written by evalkit 0.1 (schema v1, no version), restored from its SQL dump."""
    path = tmp_path / "v1" / "evalkit.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as c:
        c.executescript((DATA / "v1_store.sql").read_text())
    return path


def test_an_old_store_is_migrated_and_reads_back_typed(v1_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(v1_store) as store:
        (run,) = store.runs()
        (m,) = run_metrics(store, run.run_id)
        calls = store.calls(run.run_id)
    with sqlite3.connect(v1_store) as c:
        assert c.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert run.status == "finished" and run.plan.endpoint.name == "fake" and not run.plan.cache
    assert all(c.request_hash for c in calls)
    # v1 scored the truncated answer as wrong and left the infra error unscored; both are outcomes now
    assert m.counts == {"scored": 3, "scorer_error": 0, "truncated": 1, "infra_error": 1, "unanswered": 0}
    assert m.values["accuracy"] == pytest.approx(2 / 3)
    assert main(["--store", str(v1_store), "show", run.run_id]) == 0
    assert "cut off by the output-token limit" in capsys.readouterr().out
    with Store(v1_store) as store:  # opening again is a no-op
        assert [r.run_id for r in store.runs()] == [run.run_id]


def test_a_migrated_run_pairs_with_a_new_run_of_the_same_suite(project: Project, v1_store: Path) -> None:
    shutil.copy(v1_store, project.store)
    shutil.copy(DATA / "v1_tickets.yaml", project.root / "suites" / "tickets.yaml")
    shutil.copy(DATA / "v1_tickets.jsonl", project.root / "golden" / "tickets.jsonl")
    project.fake.script(lambda path, body: Reply(text="refund"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    old, new = run_ids(project)
    with Store.existing(project.store) as store:
        (pairing,) = pair_runs(store, old, new)
    assert pairing.comparable, pairing.differences
    assert all(c.same_request for c in pairing.cases)
    assert [c.case_id for c in pairing.paired()] == [f"tickets-g-{i:03d}" for i in range(3)]
