"""Stored calls -> stored scores, from the store alone.

`evalkit run` scores each case as it finishes (in worker threads, so sandboxed test runs never block
the event loop); `evalkit score RUN` re-scores a stored run without calling any model. Both go through
`score_call`, so they agree by construction. Every call gets a score record, unscored ones included
(infrastructure error, truncated answer, scorer error), so every later stage can count what it skips.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from evalkit.inputs.cases import Case, SnapshotCases
from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord, Request, Response, Score, ScoreRecord
from evalkit.scoring import ScorerSpec, scorer_for
from evalkit.scoring.base import ScoreContext
from evalkit.store import Store, StoreWriter
from evalkit.store.models import now_iso
from evalkit.store.rows import AnswerKey, StoredAnswer, score_row_of


@dataclass(frozen=True)
class SuiteScoring:
    """What scoring one suite of a run needs, rebuilt from the run's snapshots."""

    suite: Suite
    spec: ScorerSpec
    settings: BaseModel
    cases: SnapshotCases
    """Case id -> case in snapshot order, each parsed when read (`SnapshotCases`): 100,000 cases cost
    their JSON, not their objects, and forked re-scoring workers parse their own share."""
    assets: dict[str, dict[str, str]]


def suite_scorings(
    store: Store, run_id: str, *, only: str | None = None, with_cases: bool = True
) -> dict[str, SuiteScoring]:
    """Per suite of the run (or just `only`): what scoring it needs, rebuilt from the snapshots.
    `with_cases=False`: no cases (the live scorer gets each call's case with the call)."""
    out: dict[str, SuiteScoring] = {}
    for rec in store.suites(run_id):
        if only is not None and rec.name != only:
            continue  # the gate and compare build one suite at a time: do not read every suite's cases
        spec = scorer_for(rec.category)
        snapshots = store.case_snapshots(run_id, rec.name) if with_cases else ()
        cases = SnapshotCases({s.id: s.json for s in snapshots})
        out[rec.name] = SuiteScoring(
            rec.suite, spec, spec.settings.model_validate(rec.suite.scorer), cases, rec.assets
        )
    return out


def score_call(sc: SuiteScoring, call: CallRecord, case: Case | None = None) -> Score:
    """Never raises: a scorer bug on one odd answer is recorded on that case, not a lost run."""
    return _score(
        sc, call.case_id, call.status, call.error_message, call.response, lambda: call.request.max_tokens, case
    )


def _score(
    sc: SuiteScoring,
    case_id: str,
    status: str,
    error_message: str | None,
    response: Response | None,
    max_tokens: Callable[[], int | None],
    case: Case | None = None,
) -> Score:
    """`case`: the call's case when the caller holds it, else it is read from `sc.cases`."""
    if status != "ok" or response is None:
        return Score.unscored("infra_error", error_message)
    if response.finish_reason == "length":
        return Score.unscored("truncated", f"the answer hit the output-token limit ({max_tokens()} answer tokens)")
    try:
        case = sc.cases[case_id] if case is None else case
        return sc.spec.score(ScoreContext(sc.suite, case, response, sc.assets), sc.settings)
    except Exception as exc:
        tail = traceback.format_exc(limit=5)[-1500:]
        return Score.unscored("scorer_error", f"{type(exc).__name__}: {exc}\n{tail}")


def _record(sc: SuiteScoring, call: CallRecord, case: Case | None = None) -> ScoreRecord:
    return ScoreRecord(suite=call.suite, case_id=call.case_id, repeat=call.repeat, score=score_call(sc, call, case))


@dataclass(frozen=True)
class _Rescore:
    """What a re-scoring worker needs: the suites (without cases: each answer is read with its case),
    the store, the run and the one `scored_at` stamp of the re-score. Set in the parent just before
    the fork, so it reaches forked workers by copy-on-write, never pickled."""

    scorings: dict[str, SuiteScoring]
    store: Store
    run_id: str
    scored_at: str
    pid: int
    """The process that opened `store`: any other (a forked worker) opens its own connection."""


_JOB: list[_Rescore] = []
_READER: list[Store] = []


def _score_range(bounds: tuple[AnswerKey, AnswerKey | None]) -> list[tuple[Any, ...]]:
    """One range of answers -> ready score rows. The worker reads the answers and their cases itself
    and serialises the details, so the parent only sends two keys and inserts strings."""
    job = _JOB[0]
    store = job.store
    if os.getpid() != job.pid:  # a forked worker: its own connection, opened once per process and store
        if not _READER or _READER[0].path != job.store.path:
            _READER[:] = [Store.reader(job.store.path)]
        store = _READER[0]
    answers = store.answers_in(job.run_id, *bounds)
    snapshots: dict[str, dict[str, str]] = {name: {} for name in job.scorings}
    for a, case_json in answers:
        if case_json is not None:
            snapshots[a.suite][a.case_id] = case_json
    scorings = {name: replace(sc, cases=SnapshotCases(snapshots[name])) for name, sc in job.scorings.items()}
    rows = []
    last: tuple[str, str] | None = None
    case: Case | None = None
    for a, _ in answers:
        sc = scorings[a.suite]
        if last != (a.suite, a.case_id):  # repeats of a case are adjacent: parsed once
            last = (a.suite, a.case_id)
            try:
                case = sc.cases[a.case_id]
            except Exception:
                case = None  # `_score` reads it again, and records why it cannot on this answer
        response = Response.model_validate_json(a.response_json) if a.response_json else None

        def max_tokens(a: StoredAnswer = a) -> int | None:
            return Request.model_validate_json(a.request_json).max_tokens if a.request_json else None

        score = _score(sc, a.case_id, a.status, a.error_message, response, max_tokens, case)
        rows.append(score_row_of(job.run_id, a.suite, a.case_id, a.repeat, score, job.scored_at))
    return rows


PROCESS_MIN_CALLS = 4000
"""Below this a re-score stays in-process: starting workers costs more than they save."""


def rescore_run(store: Store, run_id: str, workers: int | None = None, *, only_missing: bool = False) -> int:
    """Replace a run's scores with freshly computed ones; returns how many calls were scored.

    `only_missing` scores just the calls that have no score yet (a run killed between storing a call
    and storing its score), keeping the rest.

    A full re-score streams: the answers are split into key ranges of 500 (keyset paging), each range
    is read with its cases, scored into ready rows, and written inside one transaction, so memory does
    not grow with the run. Scoring is CPU-bound Python, so a large run is scored by a pool of forked
    processes (threads would share one core through the GIL) that read their ranges over their own
    connection and return the rows as strings; coding suites keep the in-process path, their scorer
    runs its own sandboxed processes.
    """
    if only_missing:
        calls = store.unscored_calls(run_id)
        if not calls:
            return 0  # the usual case after a live-scored run: nothing more to load
        scorings = suite_scorings(store, run_id)
        store.replace_scores(run_id, [_record(scorings[c.suite], c) for c in calls], keep_others=True)
        return len(calls)
    scorings = suite_scorings(store, run_id, with_cases=False)
    total = store.count_calls(run_id)
    cpus = os.cpu_count() or 1
    workers = workers or cpus
    use_processes = (
        workers > 1
        and total >= PROCESS_MIN_CALLS
        and "fork" in multiprocessing.get_all_start_methods()
        and all(sc.spec.category != "coding" for sc in scorings.values())
    )
    counted = 0

    def counting(batches: Iterable[list[tuple[Any, ...]]]) -> Iterator[tuple[Any, ...]]:
        nonlocal counted
        for batch in batches:
            counted += len(batch)
            yield from batch

    _JOB[:] = [_Rescore(scorings, store, run_id, now_iso(), os.getpid())]
    try:
        ranges = store.answer_ranges(run_id, chunk=500)
        if not use_processes:
            store.replace_score_rows(run_id, counting(map(_score_range, ranges)))
            return counted
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            store.replace_score_rows(run_id, counting(pool.imap(_score_range, ranges)))
    finally:
        _JOB.clear()
    return counted


class LiveScorer:
    """Scores calls as the engine stores them; `close()` waits for the last one.

    Threads, not processes: a live call's score costs a fraction of what the SDK spends making the
    call, and the score must reach the same writer as the call. Finished futures are dropped as the
    run goes, so a 100,000-case run does not keep one per case. It holds no cases either: each call
    comes with its case (the work item's, parsed once to render its request), so only the cases of
    calls in flight are in memory; a call without one has its suite's snapshots read on first need.
    """

    def __init__(self, store: Store, run_id: str, writer: StoreWriter, workers: int = 2) -> None:
        self._scorings = suite_scorings(store, run_id, with_cases=False)
        self._store = store
        self._run_id = run_id
        self._writer = writer
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evalkit-score")
        self._futures: list[Future[None]] = []

    def submit(self, call: CallRecord, case: Case | None = None) -> None:
        """On the caller's thread (the store's connection is not the scorer threads')."""
        if case is None:
            case = self._read_case(call.suite, call.case_id)
        self._futures.append(self._pool.submit(self._score, call, case))
        if len(self._futures) >= 1024:
            done = [f for f in self._futures if f.done()]
            for f in done:
                f.result()  # a failed put (the writer's error) surfaces now, not at the end
            self._futures = [f for f in self._futures if not f.done()]

    def _read_case(self, suite: str, case_id: str) -> Case:
        sc = self._scorings[suite]
        if not sc.cases:
            sc = self._scorings[suite] = suite_scorings(self._store, self._run_id, only=suite)[suite]
        return sc.cases[case_id]

    def _score(self, call: CallRecord, case: Case) -> None:
        self._writer.put_score(self._run_id, _record(self._scorings[call.suite], call, case))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        for f in self._futures:
            f.result()
