"""The run store: SQLite, appended to as each case finishes.

Everything a later stage needs is here (suite and case snapshots, exact requests, canonical and raw
responses, timings, usage, cost), so scoring, gating and reporting re-run from the store without
calling a model. Writes go through one background thread that commits whatever has queued up, so the
event loop never blocks on disk and a kill loses at most the few results still in flight, which
`--resume` then re-runs.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from evalkit.errors import RunNotFound

DEFAULT_STORE = Path("reports/evalkit.db")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    manifest_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS suites (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    category TEXT NOT NULL,
    hash TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    assets_json TEXT NOT NULL,
    PRIMARY KEY (run_id, suite)
);
CREATE TABLE IF NOT EXISTS cases (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    split TEXT NOT NULL,
    case_json TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id)
);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    latency_s REAL,
    ttft_s REAL,
    input_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    finish_reason TEXT,
    model TEXT,
    system_fingerprint TEXT,
    request_id TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    request_json TEXT NOT NULL,
    response_json TEXT,
    raw_json TEXT,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
CREATE TABLE IF NOT EXISTS scores (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    resolved INTEGER,
    detail_json TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
CREATE TABLE IF NOT EXISTS response_cache (
    key TEXT PRIMARY KEY,
    identity_json TEXT NOT NULL,
    response_json TEXT NOT NULL,
    raw_json TEXT,
    created_at TEXT NOT NULL
);
"""

RESULT_COLUMNS = (
    "run_id",
    "suite",
    "case_id",
    "repeat",
    "status",
    "error_kind",
    "error_message",
    "attempts",
    "cache_hit",
    "latency_s",
    "ttft_s",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "cost_usd",
    "finish_reason",
    "model",
    "system_fingerprint",
    "request_id",
    "started_at",
    "finished_at",
    "request_json",
    "response_json",
    "raw_json",
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    created_at: str
    finished_at: str | None
    status: str
    endpoint: str
    plan: dict[str, Any]
    manifest: dict[str, Any]


class Store:
    """Reads and synchronous set-up writes; per-result writes go through `StoreWriter`."""

    def __init__(self, path: Path = DEFAULT_STORE) -> None:
        self.path = path
        self.conn = connect(path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- runs -----------------------------------------------------------------------------------
    def create_run(
        self,
        run_id: str,
        endpoint: str,
        plan: dict[str, Any],
        manifest: dict[str, Any],
        suites: Sequence[tuple[str, str, str, dict[str, Any], dict[str, Any]]],
        cases: Iterable[tuple[str, str, int, str, dict[str, Any]]],
    ) -> None:
        """Everything about a run that is known before the first call, in one transaction."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO runs VALUES (?,?,?,?,?,?,?)",
                (run_id, now_iso(), None, "running", endpoint, dumps(plan), dumps(manifest)),
            )
            c.executemany(
                "INSERT INTO suites VALUES (?,?,?,?,?,?,?)",
                [
                    (run_id, name, i, category, h, dumps(d), dumps(a))
                    for i, (name, category, h, d, a) in enumerate(suites)
                ],
            )
            c.executemany(
                "INSERT INTO cases VALUES (?,?,?,?,?,?)",
                [(run_id, s, cid, i, split, dumps(cj)) for s, cid, i, split, cj in cases],
            )

    def run(self, run_id: str) -> RunRecord:
        row = self.conn.execute(
            "SELECT run_id, created_at, finished_at, status, endpoint, plan_json, manifest_json FROM runs "
            "WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise RunNotFound(f"no run {run_id!r} in {self.path}")
        return RunRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]))

    def runs(self) -> list[RunRecord]:
        ids = [r[0] for r in self.conn.execute("SELECT run_id FROM runs ORDER BY created_at")]
        return [self.run(i) for i in ids]

    def set_status(self, run_id: str, status: str, *, finished: bool = False) -> None:
        self.conn.execute(
            "UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ?",
            (status, now_iso() if finished else None, run_id),
        )

    def update_manifest(self, run_id: str, **fields: Any) -> None:
        with self.transaction() as c:
            (raw,) = c.execute("SELECT manifest_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            manifest = json.loads(raw)
            manifest.update(fields)
            c.execute("UPDATE runs SET manifest_json = ? WHERE run_id = ?", (dumps(manifest), run_id))

    # --- snapshots ------------------------------------------------------------------------------
    def suites(self, run_id: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        """(name, category, hash, definition) in run order."""
        rows = self.conn.execute(
            "SELECT suite, category, hash, definition_json FROM suites WHERE run_id = ? ORDER BY ordinal",
            (run_id,),
        )
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def assets(self, run_id: str, suite: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT assets_json FROM suites WHERE run_id = ? AND suite = ?", (run_id, suite)
        ).fetchone()
        return json.loads(row[0]) if row else {}

    def cases(self, run_id: str, suite: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT case_json FROM cases WHERE run_id = ? AND suite = ? ORDER BY ordinal", (run_id, suite)
        )
        return [json.loads(r[0]) for r in rows]

    # --- results --------------------------------------------------------------------------------
    def finished_keys(self, run_id: str) -> set[tuple[str, str, int]]:
        """Work items that need no call on resume: answered ones. Infra errors are tried again."""
        rows = self.conn.execute(
            "SELECT suite, case_id, repeat FROM results WHERE run_id = ? AND status = 'ok'", (run_id,)
        )
        return {(r[0], r[1], r[2]) for r in rows}

    def results(self, run_id: str) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            f"SELECT {', '.join(RESULT_COLUMNS)} FROM results WHERE run_id = ? ORDER BY suite, case_id, repeat",
            (run_id,),
        )
        return [dict(zip(RESULT_COLUMNS, row, strict=True)) for row in cur]

    def unscored_results(self, run_id: str) -> list[dict[str, Any]]:
        """Answered rows with no score yet (a run killed between storing an answer and its score)."""
        cols = ", ".join(f"r.{c}" for c in RESULT_COLUMNS)
        cur = self.conn.execute(
            f"SELECT {cols} FROM results r LEFT JOIN scores s ON s.run_id = r.run_id AND s.suite = r.suite "
            "AND s.case_id = r.case_id AND s.repeat = r.repeat "
            "WHERE r.run_id = ? AND r.status = 'ok' AND s.run_id IS NULL",
            (run_id,),
        )
        return [dict(zip(RESULT_COLUMNS, row, strict=True)) for row in cur]

    def count_results(self, run_id: str) -> int:
        (n,) = self.conn.execute("SELECT COUNT(*) FROM results WHERE run_id = ?", (run_id,)).fetchone()
        return int(n)

    # --- scores ---------------------------------------------------------------------------------
    def replace_scores(
        self, run_id: str, rows: Sequence[tuple[str, str, int, bool, dict[str, Any]]], *, keep_others: bool = False
    ) -> None:
        """Re-scoring replaces a run's scores wholesale (or adds to them), in one transaction."""
        with self.transaction() as c:
            if not keep_others:
                c.execute("DELETE FROM scores WHERE run_id = ?", (run_id,))
            c.executemany(
                "INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?,?,?)",
                [(run_id, s, cid, rep, int(res), dumps(d), now_iso()) for s, cid, rep, res, d in rows],
            )

    def scores(self, run_id: str) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT suite, case_id, repeat, resolved, detail_json FROM scores WHERE run_id = ?", (run_id,)
        )
        return [
            {"suite": r[0], "case_id": r[1], "repeat": r[2], "resolved": bool(r[3]), "detail": json.loads(r[4])}
            for r in cur
        ]

    # --- cache ----------------------------------------------------------------------------------
    def cache_lookup(self, keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        found: dict[str, tuple[str, str | None]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, resp, raw in self.conn.execute(
                f"SELECT key, response_json, raw_json FROM response_cache WHERE key IN ({marks})", chunk
            ):
                found[key] = (resp, raw)
        return found


_STOP = object()


class StoreWriter:
    """A background thread that commits queued rows in batches.

    Batching is by availability, not by size or timer: the thread takes one row, then everything
    else already queued, and commits them together. Under load that is a large batch; when calls
    are slow it is one row, committed as soon as its case finishes.
    """

    def __init__(self, path: Path) -> None:
        self._queue: queue.Queue[object] = queue.Queue()
        self._error: BaseException | None = None
        self._conn = connect(path)
        self._thread = threading.Thread(target=self._loop, name="evalkit-store-writer", daemon=True)
        self._thread.start()

    def put_result(self, row: dict[str, Any], cache: tuple[str, str, str, str | None] | None = None) -> None:
        self._check()
        self._queue.put(("result", row, cache))

    def put_score(
        self, run_id: str, suite: str, case_id: str, repeat: int, resolved: bool, detail: dict[str, Any]
    ) -> None:
        self._check()
        self._queue.put(("score", (run_id, suite, case_id, repeat, int(resolved), dumps(detail), now_iso()), None))

    def _check(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"store writer failed: {self._error}") from self._error

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            batch = [item]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(b is _STOP for b in batch)
            rows = [b for b in batch if b is not _STOP]
            if rows:
                try:
                    self._write(rows)
                except BaseException as exc:  # surfaced to the producer on its next put
                    self._error = exc
            if stop:
                return

    def _write(self, batch: list[object]) -> None:
        marks = ",".join("?" * len(RESULT_COLUMNS))
        results = []
        scores = []
        cache_rows = []
        for item in batch:
            kind, row, cache = cast(tuple[str, Any, tuple[str, str, str, str | None] | None], item)
            if kind == "score":
                scores.append(row)
                continue
            results.append(tuple(row[c] for c in RESULT_COLUMNS))
            if cache is not None:
                cache_rows.append((*cache, now_iso()))
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany(f"INSERT OR REPLACE INTO results VALUES ({marks})", results)
            if cache_rows:
                self._conn.executemany("INSERT OR REPLACE INTO response_cache VALUES (?,?,?,?,?)", cache_rows)
            if scores:
                self._conn.executemany("INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?,?,?)", scores)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        """Flush everything queued and stop; raises if any write failed."""
        self._queue.put(_STOP)
        self._thread.join()
        self._conn.close()
        if self._error is not None:
            raise RuntimeError(f"store writer failed: {self._error}") from self._error
