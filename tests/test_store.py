"""The SQLite store: snapshots before the first call, rows appended as cases finish, resume keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from evalkit.store.core import RESULT_COLUMNS, Store, StoreWriter


def row(case_id: str, status: str = "ok", repeat: int = 0) -> dict[str, Any]:
    base: dict[str, Any] = {c: None for c in RESULT_COLUMNS}
    base.update(
        {
            "run_id": "r1",
            "suite": "s",
            "case_id": case_id,
            "repeat": repeat,
            "status": status,
            "attempts": 1,
            "cache_hit": 0,
            "input_tokens": 1,
            "cached_input_tokens": 0,
            "output_tokens": 1,
            "cost_usd": 0.0,
            "started_at": "t",
            "finished_at": "t",
            "request_json": "{}",
        }
    )
    return base


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "reports" / "evalkit.db")
    s.create_run(
        "r1",
        "ep",
        {"suites": ["s"]},
        {"sessions": []},
        [("s", "classification", "h", {}, {})],
        [("s", f"c{i}", i, "golden", {"id": f"c{i}"}) for i in range(3)],
    )
    return s


def test_snapshots_are_stored_in_order(store: Store) -> None:
    assert [c["id"] for c in store.cases("r1", "s")] == ["c0", "c1", "c2"]
    assert store.suites("r1") == [("s", "classification", "h", {})]
    assert store.run("r1").status == "running"


def test_writer_commits_everything_queued_and_resume_skips_only_answers(store: Store) -> None:
    writer = StoreWriter(store.path)
    writer.put_result(row("c0"))
    writer.put_result(row("c1", status="infra_error"))
    writer.put_result(row("c2"), cache=("k", "{}", "{}", None))
    writer.put_score("r1", "s", "c0", 0, True, {"predicted": "x"})
    writer.close()
    assert store.count_results("r1") == 3
    assert store.finished_keys("r1") == {("s", "c0", 0), ("s", "c2", 0)}  # the infra error is retried
    assert store.cache_lookup(["k", "missing"]) == {"k": ("{}", None)}
    assert store.scores("r1") == [
        {"suite": "s", "case_id": "c0", "repeat": 0, "resolved": True, "detail": {"predicted": "x"}}
    ]


def test_a_retried_case_replaces_its_row_instead_of_duplicating(store: Store) -> None:
    writer = StoreWriter(store.path)
    writer.put_result(row("c0", status="infra_error"))
    writer.close()
    writer = StoreWriter(store.path)
    writer.put_result(row("c0"))
    writer.close()
    with sqlite3.connect(store.path) as c:
        assert c.execute("SELECT status FROM results").fetchall() == [("ok",)]


def test_a_failed_write_surfaces_instead_of_losing_rows_silently(store: Store) -> None:
    writer = StoreWriter(store.path)
    bad = row("c0")
    bad["attempts"] = None  # NOT NULL column
    writer.put_result(bad)
    with pytest.raises(RuntimeError, match="store writer failed"):
        writer.close()


def test_rescoring_replaces_scores_wholesale_or_adds_missing(store: Store) -> None:
    store.replace_scores("r1", [("s", "c0", 0, True, {}), ("s", "c1", 0, False, {})])
    store.replace_scores("r1", [("s", "c2", 0, True, {})], keep_others=True)
    assert len(store.scores("r1")) == 3
    store.replace_scores("r1", [("s", "c2", 0, False, {})])
    assert [(s["case_id"], s["resolved"]) for s in store.scores("r1")] == [("c2", False)]


def test_unscored_results_are_the_answers_without_a_score(store: Store) -> None:
    writer = StoreWriter(store.path)
    for case_id, status in (("c0", "ok"), ("c1", "infra_error"), ("c2", "ok")):
        writer.put_result(row(case_id, status=status))
    writer.put_score("r1", "s", "c0", 0, True, {})
    writer.close()
    assert [r["case_id"] for r in store.unscored_results("r1")] == ["c2"]
