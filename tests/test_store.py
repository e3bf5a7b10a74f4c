"""The store: versioned schema, typed reader, crash-safe writer, resume keys, migration of old stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from evalkit import InputError, Store
from evalkit.inputs.cases import Case
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord, Message, Request, Response, Score, ScoreRecord, Usage
from evalkit.requests.build import request_hash
from evalkit.requests.plan import RunPlan
from evalkit.store import SCHEMA_VERSION, RunRecord, StoreWriter, SuiteRecord, now_iso

PROFILE = EndpointProfile.model_validate(
    {"name": "ep", "tier": "hosted", "kind": "openai-compatible", "model": "m", "base_url": "http://127.0.0.1:9/v1"}
)
SUITE = Suite.model_validate(
    {
        "name": "s",
        "version": "1",
        "category": "classification",
        "primary_metric": "macro_f1",
        "prompt": {"user": "{{ q }}"},
        "scorer": {"labels": ["a", "b"]},
    }
)
REQUEST = Request(messages=[Message(role="user", content="hi")], max_tokens=8)


def call(case_id: str, status: str = "ok", repeat: int = 0, key: str | None = None) -> CallRecord:
    return CallRecord(
        run_id="r1",
        suite="s",
        case_id=case_id,
        repeat=repeat,
        status=status,  # type: ignore[arg-type]
        attempts=1,
        usage=Usage(input_tokens=1, output_tokens=1),
        started_at="t",
        finished_at="t",
        request_hash=request_hash(REQUEST),
        cache_key=key,
        request=REQUEST,
        response=Response(text="a", latency_s=0.5) if status == "ok" else None,
        latency_s=0.5 if status == "ok" else None,
    )


def scored(case_id: str, resolved: bool) -> ScoreRecord:
    return ScoreRecord(
        suite="s", case_id=case_id, repeat=0, score=Score(status="scored", resolved=resolved, values={"resolved": 1.0})
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "reports" / "evalkit.db")
    s.create_run(
        RunRecord(
            run_id="r1",
            created_at=now_iso(),
            finished_at=None,
            status="running",
            endpoint="ep",
            endpoint_identity="ident",
            plan=RunPlan(endpoint=PROFILE, suites=["s"]),
            manifest={"sessions": []},
        ),
        [
            SuiteRecord(
                name="s", category="classification", input_hash="ih", expectation_hash="eh", suite=SUITE, assets={}
            )
        ],
        [("s", Case(id=f"c{i}", input={"q": "?"}, expected={"label": "a"})) for i in range(3)],
    )
    return s


def test_snapshots_read_back_as_typed_records(store: Store) -> None:
    assert [c.id for c in store.cases("r1", "s")] == ["c0", "c1", "c2"]
    (suite,) = store.suites("r1")
    assert (suite.name, suite.input_hash, suite.expectation_hash, suite.suite) == ("s", "ih", "eh", SUITE)
    run = store.run("r1")
    assert run.status == "running" and run.plan.endpoint == PROFILE and not run.plan.cache
    assert [r.run_id for r in store.runs(endpoint_identity="ident")] == ["r1"]
    assert [r.run_id for r in store.runs(input_hash="ih")] == ["r1"]
    assert store.runs(input_hash="other") == []


def test_writer_commits_everything_queued_and_resume_skips_only_answers(store: Store) -> None:
    writer = StoreWriter(store.path)
    writer.put_call(call("c0"))
    writer.put_call(call("c1", status="infra_error"))
    writer.put_call(call("c2", key="k"))
    writer.put_score("r1", scored("c0", True))
    writer.close()
    assert store.count_calls("r1") == 3
    assert store.finished_keys("r1") == {("s", "c0", 0), ("s", "c2", 0)}  # the infra error is retried
    assert [c.case_id for c in store.calls("r1", answered=True)] == ["c0", "c2"]
    assert store.calls("r1")[0] == call("c0")  # round-trips exactly
    assert store.scores("r1") == [scored("c0", True)]


def test_the_cache_is_earlier_live_answers_of_other_runs(store: Store) -> None:
    writer = StoreWriter(store.path)
    writer.put_call(call("c0", key="k"))
    writer.close()
    assert store.cached_answers(["k", "missing"], exclude_run="r1") == {}  # a run never serves itself
    (hit,) = store.cached_answers(["k"], exclude_run="r2").values()
    assert hit.case_id == "c0" and hit.response is not None


def test_a_retried_case_replaces_its_row_instead_of_duplicating(store: Store) -> None:
    writer = StoreWriter(store.path)
    writer.put_call(call("c0", status="infra_error"))
    writer.close()
    writer = StoreWriter(store.path)
    writer.put_call(call("c0"))
    writer.close()
    assert [c.status for c in store.calls("r1")] == ["ok"]


def test_a_failed_write_surfaces_instead_of_losing_rows_silently(store: Store) -> None:
    store.close()
    writer = StoreWriter(store.path)
    with sqlite3.connect(store.path) as c:
        c.execute("DROP TABLE results")
    writer.put_call(call("c0"))
    with pytest.raises(RuntimeError, match="store writer failed"):
        writer.close()


def test_rescoring_replaces_scores_wholesale_or_adds_missing(store: Store) -> None:
    store.replace_scores("r1", [scored("c0", True), scored("c1", False)])
    store.replace_scores("r1", [scored("c2", True)], keep_others=True)
    assert len(store.scores("r1")) == 3
    store.replace_scores("r1", [scored("c2", False)])
    assert [(s.case_id, s.score.resolved) for s in store.scores("r1")] == [("c2", False)]


def test_unscored_calls_are_the_calls_without_a_score(store: Store) -> None:
    writer = StoreWriter(store.path)
    for case_id, status in (("c0", "ok"), ("c1", "infra_error"), ("c2", "ok")):
        writer.put_call(call(case_id, status=status))
    writer.put_score("r1", scored("c0", True))
    writer.close()
    assert [c.case_id for c in store.unscored_calls("r1")] == ["c1", "c2"]


def test_a_store_from_a_newer_evalkit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evalkit.db"
    Store(path).close()
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match=f"store schema version {SCHEMA_VERSION + 1} is newer"):
        Store(path)


def test_reading_commands_never_create_a_store(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="store not found"):
        Store.existing(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_new_store_carries_the_current_version(tmp_path: Path) -> None:
    Store(tmp_path / "evalkit.db").close()
    with sqlite3.connect(tmp_path / "evalkit.db") as c:
        assert c.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
