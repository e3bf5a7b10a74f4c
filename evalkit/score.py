"""Responses -> scores, from the store alone.

`evalkit run` scores each case as it finishes (in worker threads, so sandboxed test runs never block
the event loop); `evalkit score RUN` re-scores a stored run without calling any model. Both go through
`score_response`, so they agree by construction.
"""

from __future__ import annotations

import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from evalkit.cases import Case
from evalkit.response import Response
from evalkit.scoring import CaseScore, ScoreContext, ScorerSpec, scorer_for
from evalkit.store import Store, StoreWriter
from evalkit.suite import Suite


@dataclass(frozen=True)
class SuiteScoring:
    """What scoring one suite of a run needs, rebuilt from the run's snapshots."""

    suite: Suite
    spec: ScorerSpec
    settings: BaseModel
    cases: dict[str, Case]
    assets: dict[str, dict[str, str]]


def suite_scorings(store: Store, run_id: str) -> dict[str, SuiteScoring]:
    out: dict[str, SuiteScoring] = {}
    for name, category, _hash, definition in store.suites(run_id):
        suite = Suite.model_validate(definition)
        spec = scorer_for(category)
        cases = {c["id"]: Case.model_validate(c) for c in store.cases(run_id, name)}
        out[name] = SuiteScoring(
            suite, spec, spec.settings.model_validate(suite.scorer), cases, store.assets(run_id, name)
        )
    return out


def score_response(sc: SuiteScoring, case_id: str, response: Response) -> CaseScore:
    """Never raises: a scorer bug on one odd answer is recorded on that case, not a lost run."""
    try:
        return sc.spec.score(ScoreContext(sc.suite, sc.cases[case_id], response, sc.assets), sc.settings)
    except Exception as exc:
        return CaseScore(
            resolved=False,
            detail={
                "scorer_error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=5)[-2000:],
            },
        )


def rescore_run(store: Store, run_id: str, workers: int = 2, *, only_missing: bool = False) -> int:
    """Replace a run's scores with freshly computed ones; returns how many answers were scored.

    `only_missing` scores just the answers that have no score yet (a run killed between storing an
    answer and storing its score), keeping the rest.
    """
    if only_missing:
        answered = store.unscored_results(run_id)
        if not answered:
            return 0  # the usual case after a live-scored run: nothing to load
    else:
        answered = [r for r in store.results(run_id) if r["status"] == "ok"]
    scorings = suite_scorings(store, run_id)

    def one(row: dict[str, Any]) -> tuple[str, str, int, bool, dict[str, Any]]:
        sc = scorings[row["suite"]]
        result = score_response(sc, row["case_id"], Response.model_validate_json(row["response_json"]))
        return row["suite"], row["case_id"], row["repeat"], result.resolved, result.detail

    with ThreadPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(one, answered))
    store.replace_scores(run_id, rows, keep_others=only_missing)
    return len(rows)


class LiveScorer:
    """Scores rows as the engine stores them; `close()` waits for the last one."""

    def __init__(self, store: Store, run_id: str, writer: StoreWriter, workers: int = 2) -> None:
        self._scorings = suite_scorings(store, run_id)
        self._run_id = run_id
        self._writer = writer
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evalkit-score")
        self._futures: list[Future[None]] = []

    def submit(self, row: dict[str, Any]) -> None:
        if row["status"] == "ok":
            self._futures.append(self._pool.submit(self._score, row))

    def _score(self, row: dict[str, Any]) -> None:
        result = score_response(
            self._scorings[row["suite"]], row["case_id"], Response.model_validate_json(row["response_json"])
        )
        self._writer.put_score(
            self._run_id, row["suite"], row["case_id"], row["repeat"], result.resolved, result.detail
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        for f in self._futures:
            f.result()
