"""Paged reads of a large run: what scoring and reporting stream instead of loading 100,000 records.

Each method reads in keyset-paged chunks, one query per chunk, so no cursor stays open across the
caller's writes (an open read keeps SQLite from checkpointing its WAL) and nothing is parsed that the
caller does not ask for. A mixin of `Store`, apart from it so the store's record API stays readable.
"""

from __future__ import annotations

from collections.abc import Iterator

from evalkit.inputs.cases import CaseSnapshot
from evalkit.store.dialect import Connection
from evalkit.store.rows import (
    ANSWER_CASE_COLUMNS,
    FIGURE_COLUMNS,
    SCORE_COLUMNS,
    AnswerKey,
    CallFigures,
    StoredAnswer,
    StoredScore,
    call_figures,
    stored_score,
)


class PagedReads:
    _conn: Connection

    def case_snapshots(self, run_id: str, suite: str, *, chunk: int = 1000) -> Iterator[CaseSnapshot]:
        """A suite's case snapshots in snapshot order, unparsed. The ids come first, then the JSON by
        primary key, `chunk` cases a query: no cursor stays open across the run's writes (an open read
        would keep SQLite from checkpointing its WAL for the whole run), and no index is needed."""
        ids = [
            r[0]
            for r in self._conn.execute(
                "SELECT case_id FROM cases WHERE run_id = ? AND suite = ? ORDER BY ordinal", (run_id, suite)
            )
        ]
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            rows = self._conn.execute(
                f"SELECT case_id, split, case_json FROM cases WHERE run_id = ? AND suite = ? "
                f"AND case_id IN ({','.join('?' * len(part))})",
                (run_id, suite, *part),
            ).fetchall()
            found = {r[0]: r for r in rows}
            for case_id in part:
                _, split, case_json = found[case_id]
                yield CaseSnapshot(case_id, split, case_json)

    def call_figures(self, run_id: str, *, suite: str | None = None) -> list[CallFigures]:
        """Every call's operations figures, nothing parsed: what a report needs of 100,000 calls."""
        where, args = ("run_id = ?", [run_id]) if suite is None else ("run_id = ? AND suite = ?", [run_id, suite])
        cur = self._conn.execute(f"SELECT {FIGURE_COLUMNS} FROM results WHERE {where}", args)
        return [call_figures(r) for r in cur]

    def answer_ranges(self, run_id: str, *, chunk: int = 500) -> Iterator[tuple[AnswerKey, AnswerKey | None]]:
        """The run's answers as key ranges of `chunk` calls, (after, last] in (suite, case, repeat) order,
        the last range open-ended (None). Only each range's last key reaches Python: forked re-scoring
        workers read the ranges themselves (`answers_in`), so the parent neither reads nor pickles
        100,000 answers and their cases."""
        after: AnswerKey = ("", "", -1)
        while True:
            row = self._conn.execute(
                "SELECT suite, case_id, repeat FROM results WHERE run_id = ? AND (suite, case_id, repeat) > (?, ?, ?) "
                "ORDER BY suite, case_id, repeat LIMIT 1 OFFSET ?",
                (run_id, *after, chunk - 1),
            ).fetchone()
            if row is None:
                yield after, None
                return
            yield after, (row[0], row[1], row[2])
            after = (row[0], row[1], row[2])

    def answers_in(
        self, run_id: str, after: AnswerKey, last: AnswerKey | None
    ) -> list[tuple[StoredAnswer, str | None]]:
        """The answers of one `answer_ranges` range, each with its case's snapshot JSON (None if missing)."""
        upto = "" if last is None else " AND (r.suite, r.case_id, r.repeat) <= (?, ?, ?)"
        rows = self._conn.execute(
            f"SELECT {ANSWER_CASE_COLUMNS} FROM results r LEFT JOIN cases c ON c.run_id = r.run_id AND "
            "c.suite = r.suite AND c.case_id = r.case_id WHERE r.run_id = ? AND (r.suite, r.case_id, r.repeat) > "
            f"(?, ?, ?){upto} ORDER BY r.suite, r.case_id, r.repeat",
            (run_id, *after, *(last or ())),
        ).fetchall()
        return [(StoredAnswer(*r[:7]), r[7]) for r in rows]

    def score_rows(self, run_id: str, suite: str, *, chunk: int = 2000) -> Iterator[StoredScore]:
        """One suite's score rows in (case, repeat) order, details left as JSON, `chunk` rows per query
        (keyset paging, as `answers`): a report streams 33,333 extraction details instead of holding
        them all as dicts, and no cursor stays open across the caller's other reads."""
        after: tuple[str, int] = ("", -1)
        cols = ", ".join(SCORE_COLUMNS)
        while True:
            rows = self._conn.execute(
                f"SELECT {cols} FROM scores WHERE run_id = ? AND suite = ? AND (case_id, repeat) > (?, ?) "
                "ORDER BY case_id, repeat LIMIT ?",
                (run_id, suite, *after, chunk),
            ).fetchall()
            yield from (stored_score(r) for r in rows)
            if len(rows) < chunk:
                return
            after = (rows[-1][1], rows[-1][2])


__all__ = ["PagedReads"]
