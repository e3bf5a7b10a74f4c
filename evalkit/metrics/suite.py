"""Scores -> per-suite metrics, outcome counts and operations figures, from the store alone.

Only `scored` cases reach a category's `aggregate`; everything else (scorer errors, truncated answers,
infrastructure errors, cases never answered) is counted here, per suite, and turned into warnings a
reader cannot miss: a metric over fewer cases than planned says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from evalkit.metrics.operations import operations
from evalkit.metrics.reducers import reduce_case
from evalkit.records import ScoreRecord
from evalkit.requests.shard import Shard
from evalkit.scoring.runner import suite_scorings
from evalkit.store import Store

OUTCOMES = ("scored", "scorer_error", "truncated", "infra_error", "unanswered")


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


def run_metrics(store: Store, run_id: str) -> list[SuiteMetrics]:
    """One suite at a time: a 100,000-case run's cases and score details (a few KB each for extraction)
    are never all in memory at once, only one suite's."""
    suites = {s.name: s for s in store.suites(run_id)}
    plan = store.run(run_id).plan
    repeats = plan.repeats
    out = []
    for name in suites:
        sc = suite_scorings(store, run_id, only=name)[name]
        records: list[ScoreRecord] = store.scores(run_id, suite=name)
        items = []
        for r in records:
            if r.score.is_scored:
                items.append(sc.spec.scored(sc.cases[r.case_id], r.repeat, r.score))
            # the typed detail is in `items` now: drop the JSON copy (an extraction detail is ~10 KB)
            r.score.detail = {}
        metrics = sc.spec.aggregate(items, sc.settings)
        calls = store.call_figures(run_id, suite=name)  # figures only: requests are not parsed
        # a shard run plans only its own work items; its metrics cover that share and say so
        planned = sum(plan.holds(name, cid, r) for cid in sc.cases for r in range(repeats))
        counts = {o: 0 for o in OUTCOMES}
        for r in records:
            counts[r.score.status] += 1
        counts["unanswered"] = max(planned - len(records), 0)
        per_case: dict[str, list[ScoreRecord]] = {}
        for r in records:
            per_case.setdefault(r.case_id, []).append(r)
        reduced = [reduce_case(cid, [r.score for r in rs], sc.suite.reduce) for cid, rs in per_case.items()]
        reduced_resolved = [o.resolved for o in reduced if o.resolved is not None]
        out.append(
            SuiteMetrics(
                suite=name,
                category=sc.spec.category,
                input_hash=suites[name].input_hash,
                expectation_hash=suites[name].expectation_hash,
                primary_metric=sc.suite.primary_metric,
                primary=metrics.values.get(sc.suite.primary_metric),
                values=metrics.values,
                tables=metrics.tables,
                operations=operations(calls, sum(i.resolved for i in items)) if calls else {},
                planned=planned,
                scored=len(items),
                counts=counts,
                reduced_resolved_rate=sum(reduced_resolved) / len(reduced_resolved) if reduced_resolved else None,
                warnings=_warnings(counts, planned) + _shard_warning(plan.shard, planned, len(sc.cases) * repeats),
            )
        )
    return out
