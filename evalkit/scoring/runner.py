"""Stored calls -> stored scores, from the store alone.

`evalkit run` scores each case as it finishes (in worker threads, so sandboxed test runs never block
the event loop); `evalkit score RUN` re-scores a stored run without calling any model. Both go through
`score_call`, so they agree by construction. Every call gets a score record, unscored ones included
(infrastructure error, truncated answer, scorer error), so every later stage can count what it skips.
"""

from __future__ import annotations

import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import BaseModel

from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord, Score, ScoreRecord
from evalkit.scoring import ScorerSpec, scorer_for
from evalkit.scoring.base import ScoreContext
from evalkit.store import Store, StoreWriter


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
    if call.status != "ok" or call.response is None:
        return Score.unscored("infra_error", call.error_message)
    if call.response.finish_reason == "length":
        return Score.unscored(
            "truncated", f"the answer hit the output-token limit ({call.request.max_tokens} answer tokens)"
        )
    try:
        return sc.spec.score(ScoreContext(sc.suite, sc.cases[call.case_id], call.response, sc.assets), sc.settings)
    except Exception as exc:
        tail = traceback.format_exc(limit=5)[-1500:]
        return Score.unscored("scorer_error", f"{type(exc).__name__}: {exc}\n{tail}")


def _record(sc: SuiteScoring, call: CallRecord) -> ScoreRecord:
    return ScoreRecord(suite=call.suite, case_id=call.case_id, repeat=call.repeat, score=score_call(sc, call))


def rescore_run(store: Store, run_id: str, workers: int = 2, *, only_missing: bool = False) -> int:
    """Replace a run's scores with freshly computed ones; returns how many calls were scored.

    `only_missing` scores just the calls that have no score yet (a run killed between storing a call
    and storing its score), keeping the rest.
    """
    calls = store.unscored_calls(run_id) if only_missing else store.calls(run_id)
    if only_missing and not calls:
        return 0  # the usual case after a live-scored run: nothing more to load
    scorings = suite_scorings(store, run_id)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        records = list(pool.map(lambda call: _record(scorings[call.suite], call), calls))
    store.replace_scores(run_id, records, keep_others=only_missing)
    return len(records)


class LiveScorer:
    """Scores calls as the engine stores them; `close()` waits for the last one."""

    def __init__(self, store: Store, run_id: str, writer: StoreWriter, workers: int = 2) -> None:
        self._scorings = suite_scorings(store, run_id)
        self._run_id = run_id
        self._writer = writer
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evalkit-score")
        self._futures: list[Future[None]] = []

    def submit(self, call: CallRecord) -> None:
        self._futures.append(self._pool.submit(self._score, call))

    def _score(self, call: CallRecord) -> None:
        self._writer.put_score(self._run_id, _record(self._scorings[call.suite], call))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        for f in self._futures:
            f.result()
