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
from dataclasses import dataclass

from pydantic import BaseModel

from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord, Request, Response, Score, ScoreRecord
from evalkit.scoring import ScorerSpec, scorer_for
from evalkit.scoring.base import ScoreContext
from evalkit.store import Store, StoreWriter
from evalkit.store.rows import StoredAnswer


@dataclass(frozen=True)
class SuiteScoring:
    """What scoring one suite of a run needs, rebuilt from the run's snapshots."""

    suite: Suite
    spec: ScorerSpec
    settings: BaseModel
    cases: dict[str, Case]
    assets: dict[str, dict[str, str]]


def suite_scorings(store: Store, run_id: str, *, only: str | None = None) -> dict[str, SuiteScoring]:
    """Per suite of the run (or just `only`): what scoring it needs, rebuilt from the snapshots."""
    out: dict[str, SuiteScoring] = {}
    for rec in store.suites(run_id):
        if only is not None and rec.name != only:
            continue  # the gate and compare build one suite at a time: do not read every suite's cases
        spec = scorer_for(rec.category)
        cases = {c.id: c for c in store.cases(run_id, rec.name)}
        out[rec.name] = SuiteScoring(
            rec.suite, spec, spec.settings.model_validate(rec.suite.scorer), cases, rec.assets
        )
    return out


def score_call(sc: SuiteScoring, call: CallRecord) -> Score:
    """Never raises: a scorer bug on one odd answer is recorded on that case, not a lost run."""
    return _score(sc, call.case_id, call.status, call.error_message, call.response, lambda: call.request.max_tokens)


def _score(
    sc: SuiteScoring,
    case_id: str,
    status: str,
    error_message: str | None,
    response: Response | None,
    max_tokens: Callable[[], int | None],
) -> Score:
    if status != "ok" or response is None:
        return Score.unscored("infra_error", error_message)
    if response.finish_reason == "length":
        return Score.unscored("truncated", f"the answer hit the output-token limit ({max_tokens()} answer tokens)")
    try:
        return sc.spec.score(ScoreContext(sc.suite, sc.cases[case_id], response, sc.assets), sc.settings)
    except Exception as exc:
        tail = traceback.format_exc(limit=5)[-1500:]
        return Score.unscored("scorer_error", f"{type(exc).__name__}: {exc}\n{tail}")


def _record(sc: SuiteScoring, call: CallRecord) -> ScoreRecord:
    return ScoreRecord(suite=call.suite, case_id=call.case_id, repeat=call.repeat, score=score_call(sc, call))


def _score_answer(sc: SuiteScoring, a: StoredAnswer) -> ScoreRecord:
    response = Response.model_validate_json(a.response_json) if a.response_json else None

    def max_tokens() -> int | None:
        return Request.model_validate_json(a.request_json).max_tokens if a.request_json else None

    score = _score(sc, a.case_id, a.status, a.error_message, response, max_tokens)
    return ScoreRecord(suite=a.suite, case_id=a.case_id, repeat=a.repeat, score=score)


_WORKER_SCORINGS: dict[str, SuiteScoring] = {}
"""What a forked re-scoring worker scores with: set in the parent just before the fork, so the suites
and their cases reach the workers by copy-on-write, never pickled."""


def _score_chunk(chunk: list[StoredAnswer]) -> list[ScoreRecord]:
    return [_score_answer(_WORKER_SCORINGS[a.suite], a) for a in chunk]


PROCESS_MIN_CALLS = 4000
"""Below this a re-score stays in-process: starting workers costs more than they save."""


def rescore_run(store: Store, run_id: str, workers: int | None = None, *, only_missing: bool = False) -> int:
    """Replace a run's scores with freshly computed ones; returns how many calls were scored.

    `only_missing` scores just the calls that have no score yet (a run killed between storing a call
    and storing its score), keeping the rest.

    A full re-score streams: answers are read a chunk at a time, scored, and written inside one
    transaction, so memory does not grow with the run. Scoring is CPU-bound Python, so a large run is
    scored by a pool of forked processes (threads would share one core through the GIL); coding suites
    keep the in-process path, their scorer runs its own sandboxed processes.
    """
    if only_missing:
        calls = store.unscored_calls(run_id)
        if not calls:
            return 0  # the usual case after a live-scored run: nothing more to load
        scorings = suite_scorings(store, run_id)
        store.replace_scores(run_id, [_record(scorings[c.suite], c) for c in calls], keep_others=True)
        return len(calls)
    scorings = suite_scorings(store, run_id)
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

    def counting(records: Iterator[list[ScoreRecord]]) -> Iterator[ScoreRecord]:
        nonlocal counted
        for batch in records:
            counted += len(batch)
            yield from batch

    if not use_processes:
        _WORKER_SCORINGS.update(scorings)
        try:
            store.replace_scores(run_id, counting(map(_score_chunk, store.answers(run_id))))
        finally:
            _WORKER_SCORINGS.clear()
        return counted
    _WORKER_SCORINGS.update(scorings)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = store.answers(run_id, chunk=500)
            store.replace_scores(run_id, counting(pool.imap(_score_chunk, chunks)))
    finally:
        _WORKER_SCORINGS.clear()
    return counted


class LiveScorer:
    """Scores calls as the engine stores them; `close()` waits for the last one.

    Threads, not processes: a live call's score costs a fraction of what the SDK spends making the
    call, and the score must reach the same writer as the call. Finished futures are dropped as the
    run goes, so a 100,000-case run does not keep one per case.
    """

    def __init__(self, store: Store, run_id: str, writer: StoreWriter, workers: int = 2) -> None:
        self._scorings = suite_scorings(store, run_id)
        self._run_id = run_id
        self._writer = writer
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evalkit-score")
        self._futures: list[Future[None]] = []

    def submit(self, call: CallRecord) -> None:
        self._futures.append(self._pool.submit(self._score, call))
        if len(self._futures) >= 1024:
            done = [f for f in self._futures if f.done()]
            for f in done:
                f.result()  # a failed put (the writer's error) surfaces now, not at the end
            self._futures = [f for f in self._futures if not f.done()]

    def cases(self, suite: str) -> Iterable[Case]:
        """The suite's snapshot cases in order: the run's work items are built from these, not from a
        second copy read from the store."""
        return self._scorings[suite].cases.values()

    def _score(self, call: CallRecord) -> None:
        self._writer.put_score(self._run_id, _record(self._scorings[call.suite], call))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        for f in self._futures:
            f.result()
