"""The run store: SQLite (default) or PostgreSQL (`dialect.py`), versioned, read through typed records.

Everything a later stage needs is here (suite and case snapshots, exact requests and their hashes,
canonical and raw responses, timings, usage, cost, scores, judgements), so scoring, pairing, gating
and reporting re-run from the store without calling a model. Readers get typed records, never rows:
the CLI, the reports, `load_run` and the tests all read through this class.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from evalkit.errors import InputError, RunNotFound
from evalkit.inputs.cases import Case, CaseSnapshot
from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord, Judgement, ScoreRecord
from evalkit.store.dialect import Connection, connect, open_connection
from evalkit.store.location import DEFAULT_STORE, PostgresURL, StoreLocation, store_location
from evalkit.store.models import (
    RUN_COLUMNS,
    RUN_SELECT,
    Blessing,
    CallAttempt,
    RunRecord,
    SuiteRecord,
    now_iso,
    run_record,
)
from evalkit.store.paged import PagedReads
from evalkit.store.rows import (
    CALL_COLUMNS,
    INSERT_CALL,
    INSERT_JUDGEMENT,
    INSERT_SCORE,
    JUDGEMENT_COLUMNS,
    SCORE_COLUMNS,
    call_record,
    call_row,
    dumps,
    judgement_record,
    judgement_row,
    score_record,
    score_row,
)

__all__ = [
    "DEFAULT_STORE",
    "Blessing",
    "CallAttempt",
    "RunRecord",
    "Store",
    "SuiteRecord",
    "connect",
    "now_iso",
]


class Store(PagedReads):
    """Reads, and the synchronous set-up writes; per-case writes go through `StoreWriter`."""

    def __init__(self, path: StoreLocation | str = DEFAULT_STORE, *, create: bool = True) -> None:
        self.path: StoreLocation = store_location(path)
        try:
            self._conn = connect(self.path, create=create)
        except sqlite3.DatabaseError as exc:  # a text file, a truncated copy, another program's database
            raise InputError(f"not an evalkit store (SQLite says: {exc})", str(self.path)) from None

    @classmethod
    def existing(cls, path: StoreLocation | str) -> Store:
        """Reading commands never create a store (in PostgreSQL: never create evalkit's tables)."""
        where = store_location(path)
        if isinstance(where, PostgresURL):
            return cls(where, create=False)
        if not where.is_file():
            raise InputError("store not found", where)
        return cls(where)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self._conn.transaction() as c:
            yield c

    def _manifest_json(self, manifest: dict[str, Any]) -> str:
        """A manifest as stored: the argv it records may carry this store's URL; never its password."""
        text = dumps(manifest)
        return self.path.scrub(text) if isinstance(self.path, PostgresURL) else text

    # --- runs -----------------------------------------------------------------------------------
    def create_run(
        self,
        run: RunRecord,
        suites: Sequence[SuiteRecord],
        cases: Iterable[tuple[str, Case | CaseSnapshot]],
        *,
        calls: Sequence[CallRecord] = (),
        scores: Sequence[ScoreRecord] = (),
        judgements: Sequence[Judgement] = (),
    ) -> None:
        """Everything about a run that is known before the first call, in one transaction; a run made
        whole from stored answers (`evalkit merge`) passes those too, so a crash leaves no half run."""
        with self._transaction() as c:
            c.execute(
                f"INSERT INTO runs ({RUN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (
                    run.run_id,
                    run.created_at,
                    run.finished_at,
                    run.status,
                    run.endpoint,
                    run.endpoint_identity,
                    dumps(run.plan.model_dump(mode="json")),
                    self._manifest_json(run.manifest),
                ),
            )
            c.executemany(
                "INSERT INTO suites (run_id, suite, ordinal, category, input_hash, expectation_hash, "
                "definition_json, assets_json) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        run.run_id,
                        s.name,
                        i,
                        s.category,
                        s.input_hash,
                        s.expectation_hash,
                        dumps(s.suite.model_dump(mode="json")),
                        dumps(s.assets),
                    )
                    for i, s in enumerate(suites)
                ],
            )
            ordinals: dict[str, int] = {}

            def rows() -> Iterator[tuple[Any, ...]]:  # streamed: 100,000 snapshots are never all in memory
                for suite, case in cases:
                    ordinals[suite] = ordinals.get(suite, -1) + 1
                    # a loaded suite's snapshot is already the canonical JSON this would make
                    snapshot = case.json if isinstance(case, CaseSnapshot) else dumps(case.model_dump(mode="json"))
                    yield (run.run_id, suite, case.id, ordinals[suite], case.split, snapshot)

            c.executemany("INSERT INTO cases VALUES (?,?,?,?,?,?)", rows())
            if calls or scores or judgements:
                stamp = now_iso()
                c.executemany(INSERT_CALL, [call_row(r) for r in calls])
                c.executemany(INSERT_SCORE, [score_row(run.run_id, r, stamp) for r in scores])
                c.executemany(INSERT_JUDGEMENT, [judgement_row(j) for j in judgements])

    def run(self, run_id: str) -> RunRecord:
        row = self._conn.execute(f"{RUN_SELECT} WHERE r.run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFound(f"no run {run_id!r} in {self.path}")
        return run_record(row)

    def runs(self, *, endpoint_identity: str | None = None, input_hash: str | None = None) -> list[RunRecord]:
        """Stored runs, oldest first; optionally those of one endpoint identity or one suite input hash."""
        sql = RUN_SELECT
        where: list[str] = []
        args: list[str] = []
        if endpoint_identity is not None:
            where.append("r.endpoint_identity = ?")
            args.append(endpoint_identity)
        if input_hash is not None:
            where.append("r.run_id IN (SELECT run_id FROM suites WHERE input_hash = ?)")
            args.append(input_hash)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [run_record(r) for r in self._conn.execute(sql + " ORDER BY r.created_at, r.run_id", args)]

    def set_status(self, run_id: str, status: str, *, finished: bool = False) -> None:
        self._conn.execute(
            "UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ?",
            (status, now_iso() if finished else None, run_id),
        )

    def update_manifest(self, run_id: str, **fields: Any) -> None:
        with self._transaction() as c:
            (raw,) = c.execute("SELECT manifest_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            manifest = json.loads(raw)
            manifest.update(fields)
            c.execute("UPDATE runs SET manifest_json = ? WHERE run_id = ?", (self._manifest_json(manifest), run_id))

    def set_endpoint_identity(self, run_id: str, identity: str) -> None:
        self._conn.execute("UPDATE runs SET endpoint_identity = ? WHERE run_id = ?", (identity, run_id))

    def bless(self, run_id: str, note: str = "") -> list[Blessing]:
        """Mark `run_id` as the accepted baseline for each of its suites on its endpoint."""
        run = self.run(run_id)
        stamp = now_iso()
        blessings = [
            Blessing(suite=s.name, endpoint=run.endpoint, run_id=run_id, blessed_at=stamp, note=note)
            for s in self.suites(run_id)
        ]
        with self._transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO blessings (suite, endpoint, run_id, blessed_at, note) VALUES (?,?,?,?,?)",
                [(b.suite, b.endpoint, b.run_id, b.blessed_at, b.note) for b in blessings],
            )
        return blessings

    def blessings(self) -> list[Blessing]:
        rows = self._conn.execute(
            "SELECT suite, endpoint, run_id, blessed_at, note FROM blessings ORDER BY endpoint, suite"
        )
        return [Blessing(suite=r[0], endpoint=r[1], run_id=r[2], blessed_at=r[3], note=r[4]) for r in rows]

    def blessed(self, suite: str, endpoint: str) -> Blessing | None:
        return next((b for b in self.blessings() if b.suite == suite and b.endpoint == endpoint), None)

    # --- snapshots ------------------------------------------------------------------------------
    def suites(self, run_id: str) -> list[SuiteRecord]:
        rows = self._conn.execute(
            "SELECT suite, category, input_hash, expectation_hash, definition_json, assets_json FROM suites "
            "WHERE run_id = ? ORDER BY ordinal",
            (run_id,),
        )
        return [
            SuiteRecord(
                name=r[0],
                category=r[1],
                input_hash=r[2],
                expectation_hash=r[3],
                suite=Suite.model_validate_json(r[4]),
                assets=json.loads(r[5]),
            )
            for r in rows
        ]

    def cases(self, run_id: str, suite: str) -> list[Case]:
        rows = self._conn.execute(
            "SELECT case_json FROM cases WHERE run_id = ? AND suite = ? ORDER BY ordinal", (run_id, suite)
        )
        return [Case.model_validate_json(r[0]) for r in rows]

    def count_cases(self, run_id: str) -> int:
        (n,) = self._conn.execute("SELECT COUNT(*) FROM cases WHERE run_id = ?", (run_id,)).fetchone()
        return int(n)

    # --- calls ----------------------------------------------------------------------------------
    def _calls(self, where: str, args: Sequence[Any], with_raw: bool) -> list[CallRecord]:
        cols = ", ".join(f"r.{c}" for c in CALL_COLUMNS)
        cur = self._conn.execute(f"SELECT {cols} FROM results r WHERE {where}", args)
        return [call_record(row, with_raw=with_raw) for row in cur]

    def calls(
        self, run_id: str, *, suite: str | None = None, answered: bool = False, with_raw: bool = False
    ) -> list[CallRecord]:
        """A run's call records in (suite, case, repeat) order; the raw payload only when asked for."""
        where = "r.run_id = ?"
        args: list[Any] = [run_id]
        if suite is not None:
            where += " AND r.suite = ?"
            args.append(suite)
        if answered:
            where += " AND r.status = 'ok'"
        return self._calls(where + " ORDER BY r.suite, r.case_id, r.repeat", args, with_raw)

    def unscored_calls(self, run_id: str) -> list[CallRecord]:
        """Calls with no score yet (a run killed between storing an answer and storing its score)."""
        return self._calls(
            "r.run_id = ? AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = r.run_id AND "
            "s.suite = r.suite AND s.case_id = r.case_id AND s.repeat = r.repeat)",
            (run_id,),
            False,
        )

    def attempt_history(self, run_id: str, *, suite: str | None = None) -> list[CallAttempt]:
        """Every outcome stored for the run's work items, per (suite, case, repeat) oldest first: the
        infrastructure errors that resumed sessions replaced, then the current row."""
        cols = ", ".join(CALL_COLUMNS)
        where, args = ("run_id = ?", [run_id]) if suite is None else ("run_id = ? AND suite = ?", [run_id, suite])
        order = self._conn.history_order
        cur = self._conn.execute(f"SELECT {cols}, superseded_at FROM call_history WHERE {where} ORDER BY {order}", args)
        out = [CallAttempt(call=call_record(row[:-1]), superseded_at=row[-1]) for row in cur]
        out += [CallAttempt(call=c) for c in self.calls(run_id, suite=suite, with_raw=True)]
        # stable sort: superseded rows keep their order and precede the current row of their item
        return sorted(out, key=lambda a: (a.call.suite, a.call.case_id, a.call.repeat, a.current))

    def finished_keys(self, run_id: str) -> set[tuple[str, str, int]]:
        """Work items that need no call on resume: answered ones. Infra errors are tried again."""
        rows = self._conn.execute(
            "SELECT suite, case_id, repeat FROM results WHERE run_id = ? AND status = 'ok'", (run_id,)
        )
        return {(r[0], r[1], r[2]) for r in rows}

    def count_calls(self, run_id: str) -> int:
        (n,) = self._conn.execute("SELECT COUNT(*) FROM results WHERE run_id = ?", (run_id,)).fetchone()
        return int(n)

    @classmethod
    def reader(cls, path: StoreLocation) -> Store:
        """One more connection to a store this process has already opened, for reads only: what a forked
        re-scoring worker uses (a connection must not cross a fork). No schema check or migration:
        the opener did those."""
        store = cls.__new__(cls)
        store.path = path
        store._conn = open_connection(path)
        return store

    def cached_answers(self, keys: Sequence[str], *, exclude_run: str) -> dict[str, CallRecord]:
        """Live answers of earlier runs under these cache keys (the cache is the store itself: a key is
        only ever written beside a real answer, so a hit is a real earlier answer, never a copy)."""
        found: dict[str, CallRecord] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for rec in self._calls(
                f"r.cache_key IN ({marks}) AND r.status = 'ok' AND r.cache_hit = 0 AND r.run_id != ? "
                "ORDER BY r.finished_at",
                [*chunk, exclude_run],
                True,
            ):
                if rec.cache_key is not None:
                    found.setdefault(rec.cache_key, rec)
        return found

    # --- scores ---------------------------------------------------------------------------------
    def replace_scores(self, run_id: str, rows: Iterable[ScoreRecord], *, keep_others: bool = False) -> None:
        """Re-scoring replaces a run's scores wholesale (or adds to them), in one transaction. `rows` may
        be a generator: it is consumed inside the transaction, so a large re-score streams."""
        stamp = now_iso()
        self.replace_score_rows(run_id, (score_row(run_id, r, stamp) for r in rows), keep_others=keep_others)

    def replace_score_rows(self, run_id: str, rows: Iterable[tuple[Any, ...]], *, keep_others: bool = False) -> None:
        """`replace_scores` for rows already built by `rows.score_row_of` (in re-scoring worker
        processes, so the parent's one writer transaction only inserts strings)."""
        with self._transaction() as c:
            if not keep_others:
                c.execute("DELETE FROM scores WHERE run_id = ?", (run_id,))
            c.executemany(INSERT_SCORE, rows)

    def scores(self, run_id: str, *, suite: str | None = None) -> list[ScoreRecord]:
        where, args = ("run_id = ?", [run_id]) if suite is None else ("run_id = ? AND suite = ?", [run_id, suite])
        cur = self._conn.execute(
            f"SELECT {', '.join(SCORE_COLUMNS)} FROM scores WHERE {where} ORDER BY suite, case_id, repeat", args
        )
        return [score_record(r) for r in cur]

    # --- judgements -----------------------------------------------------------------------------
    def judgements(self, run_id: str, *, judge: str | None = None) -> list[Judgement]:
        sql = f"SELECT {', '.join(JUDGEMENT_COLUMNS)} FROM judgements WHERE run_id = ?"
        args = [run_id]
        if judge is not None:
            sql += " AND judge = ?"
            args.append(judge)
        return [judgement_record(r) for r in self._conn.execute(sql + " ORDER BY suite, case_id, repeat", args)]
