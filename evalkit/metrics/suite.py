"""Scores -> per-suite metrics, outcome counts and operations figures, from the store alone.

Only `scored` cases reach a category's `aggregate`; everything else (scorer errors, truncated answers,
infrastructure errors, cases never answered) is counted here, per suite, and turned into warnings a
reader cannot miss: a metric over fewer cases than planned says so.

Scale: score rows are streamed from the store and each stored detail is parsed straight into the
scorer's small `Summary` model, and `aggregate` sees each case as a `CaseInfo` (id, split, tags), never
the full case. A large run builds each suite in a forked worker (two suites at once on two cores), so a
suite's memory goes back to the system when its worker ends.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from evalkit.metrics.operations import operations
from evalkit.metrics.reducers import reduce_values
from evalkit.records import Score
from evalkit.requests.shard import Shard
from evalkit.scoring.base import CaseInfo, Scored
from evalkit.scoring.runner import suite_scorings
from evalkit.store import Store
from evalkit.store.location import StoreLocation

__all__ = ["OUTCOMES", "PROCESS_MIN_CALLS", "SuiteMetrics", "run_metrics", "suite_metrics"]

OUTCOMES = ("scored", "scorer_error", "truncated", "infra_error", "unanswered")

PROCESS_MIN_CALLS = 4000
"""Below this a run's metrics are built in-process: forking workers costs more than they save."""


@dataclass
class SuiteMetrics:
    suite: str
    category: str
    input_hash: str
    expectation_hash: str
    primary_metric: str
    primary: float | int | None
    values: dict[str, float | int | None]
    tables: dict[str, Any]
    operations: dict[str, Any]
    planned: int
    scored: int
    counts: dict[str, int] = field(default_factory=dict)
    """Per outcome (`OUTCOMES`): how many (case, repeat) pairs ended that way."""
    reduced_resolved_rate: float | None = None
    """Resolved rate after reducing each case's repeats by the suite's rule (= resolved_rate at k=1)."""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _warnings(counts: dict[str, int], planned: int) -> list[str]:
    out = []
    if counts["truncated"]:
        out.append(
            f"{counts['truncated']} of {planned} answers were cut off by the output-token limit and are not "
            "scored; raise the suite's max_tokens or the endpoint's reasoning budget"
        )
    if counts["scorer_error"]:
        out.append(f"{counts['scorer_error']} answers could not be scored (scorer error); see their score records")
    if counts["infra_error"]:
        out.append(f"{counts['infra_error']} calls failed (infrastructure errors); resume the run to retry them")
    if counts["unanswered"]:
        out.append(f"{counts['unanswered']} planned calls have no result yet; resume the run to finish it")
    return out


def _shard_warning(shard: Shard | None, planned: int, total: int) -> list[str]:
    if shard is None:
        return []
    return [f"shard {shard}: {planned} of {total} work items only; `evalkit merge` the shards for the suite's figures"]


def run_metrics(store: Store, run_id: str, *, processes: bool | None = None) -> list[SuiteMetrics]:
    """Per suite of the run, in suite order. `processes`: build each suite in a forked worker (None:
    when the run has at least `PROCESS_MIN_CALLS` calls, more than one suite and this machine more than
    one core). Either way one suite's details at most are in a process's memory at once."""
    names = [s.name for s in store.suites(run_id)]
    workers = min(os.cpu_count() or 1, len(names))
    if processes is None:
        processes = workers > 1 and store.count_calls(run_id) >= PROCESS_MIN_CALLS
    if not processes or "fork" not in multiprocessing.get_all_start_methods():
        return [suite_metrics(store, run_id, name) for name in names]
    _WORKER_JOB[:] = [(store.path, run_id)]
    try:
        # one task per worker process (maxtasksperchild=1): the memory of a suite is returned when it ends
        with multiprocessing.get_context("fork").Pool(max(workers, 1), maxtasksperchild=1) as pool:
            return pool.map(_suite_in_worker, names, chunksize=1)
    finally:
        _WORKER_JOB.clear()


_WORKER_JOB: list[tuple[StoreLocation, str]] = []
"""(store location, run id) for the forked workers, set just before the fork: each worker opens its own
connection (a connection is never used across a fork)."""


def _suite_in_worker(name: str) -> SuiteMetrics:
    ((location, run_id),) = _WORKER_JOB
    with Store.existing(location) as store:
        return suite_metrics(store, run_id, name)


def suite_metrics(store: Store, run_id: str, name: str) -> SuiteMetrics:
    """One suite's metrics, outcome counts and operations figures, streaming its score rows."""
    record = next(s for s in store.suites(run_id) if s.name == name)
    plan = store.run(run_id).plan
    repeats = plan.repeats
    sc = suite_scorings(store, run_id, only=name)[name]
    suite, spec, settings = sc.suite, sc.spec, sc.settings
    # each case's head only (id, split, tags, expectation), parsed from its snapshot
    infos: dict[str, CaseInfo] = {cid: spec.case_info(sc.cases.head(cid)) for cid in sc.cases}
    del sc  # the full cases go with it: metrics read only `CaseInfo`
    items: list[Scored[Any]] = []
    counts = {o: 0 for o in OUTCOMES}
    answered = 0
    # rows come in (case, repeat) order: each case's repeats are reduced as soon as the next case starts
    reduced_resolved: list[float] = []
    case_id: str | None = None
    resolved: list[float] = []
    shared: dict[tuple[bool | None, str | None], Score] = {}
    for row in store.score_rows(run_id, name):
        if row.case_id != case_id:
            if resolved:
                reduced_resolved.append(reduce_values(resolved, suite.reduce))
            case_id, resolved = row.case_id, []
        counts[row.status] += 1
        answered += 1
        if row.status == "scored":
            # `aggregate` reads a score's `resolved` and its detail; the values only feed the reduction
            values = row.values()
            if "resolved" in values:
                resolved.append(values["resolved"])
            score = shared.get((row.resolved, row.error))
            if score is None:  # one score object per outcome, not one per answer: none is ever changed
                score = shared[(row.resolved, row.error)] = row.score(values=False)
            items.append(spec.scored_json(infos[row.case_id], row.repeat, score, row.detail_json))
    if resolved:
        reduced_resolved.append(reduce_values(resolved, suite.reduce))
    metrics = spec.aggregate(items, settings)
    calls = store.call_figures(run_id, suite=name)  # figures only: requests are not parsed
    # a shard run plans only its own work items; its metrics cover that share and say so
    planned = sum(plan.holds(name, cid, r) for cid in infos for r in range(repeats))
    counts["unanswered"] = max(planned - answered, 0)
    return SuiteMetrics(
        suite=name,
        category=spec.category,
        input_hash=record.input_hash,
        expectation_hash=record.expectation_hash,
        primary_metric=suite.primary_metric,
        primary=metrics.values.get(suite.primary_metric),
        values=metrics.values,
        tables=metrics.tables,
        operations=operations(calls, sum(i.resolved for i in items)) if calls else {},
        planned=planned,
        scored=len(items),
        counts=counts,
        reduced_resolved_rate=sum(reduced_resolved) / len(reduced_resolved) if reduced_resolved else None,
        warnings=_warnings(counts, planned) + _shard_warning(plan.shard, planned, len(infos) * repeats),
    )

