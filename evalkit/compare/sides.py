"""What the gate needs of each side of a paired suite, read once from the store.

Per case: the scored items (typed, all repeats), the reduced outcome, the dollars spent, the live
latencies and an answer excerpt. The decision metric is recomputed from the items on every bootstrap
resample, so this is built once and indexed by position afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evalkit.compare.pairing import SuitePairing
from evalkit.metrics.stats import Interval, paired_statistic_difference
from evalkit.records import CallRecord
from evalkit.scoring.base import CaseInfo, Scored
from evalkit.scoring.runner import SuiteScoring, suite_scorings
from evalkit.store import Store

EXCERPT_CHARS = 240


def excerpt(call: CallRecord | None) -> str:
    """A short, plain-text rendering of an answer for a reviewer (text, else the tool calls)."""
    if call is None:
        return "(no call)"
    if call.response is None:
        return f"(infrastructure error: {call.error_message or call.error_kind})"
    text = call.response.text.strip()
    if call.response.tool_calls:
        calls = "; ".join(f"{c.name}({c.raw_arguments or json.dumps(c.arguments)})" for c in call.response.tool_calls)
        text = f"{text} [calls: {calls}]".strip()
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


@dataclass
class SuiteSide:
    scoring: SuiteScoring
    items: list[list[Scored[Any]]]
    """Per paired case (by position): its scored repeats."""
    resolved: np.ndarray
    """Per paired case: the reduced `resolved` (suite's repeat rule)."""
    cost: np.ndarray
    """Per paired case: dollars this run spent on it (all repeats, retries included)."""
    latencies: list[float]
    """Live call latencies of the whole suite (not only paired cases)."""
    answers: dict[str, str]
    calls: list[CallRecord]

    def metric(self, metric: str, indices: Sequence[int] | np.ndarray) -> float | None:
        """The decision metric recomputed on a multiset of paired cases (one bootstrap resample)."""
        chosen = [item for i in indices for item in self.items[int(i)]]
        sc = self.scoring
        if sc.spec.category == "classification" and metric.endswith("_f1"):
            from evalkit.scoring.classification import averaged_f1

            return averaged_f1(chosen, sc.settings, metric.removesuffix("_f1"))  # type: ignore[arg-type]
        if sc.spec.category == "summarization" and metric == "key_fact_coverage":
            from evalkit.scoring.summarization import key_fact_coverage

            return key_fact_coverage(chosen)  # the full aggregate builds report tables: ~100x slower per resample
        if sc.spec.category == "extraction" and metric == "field_accuracy":
            from evalkit.scoring.extraction import field_accuracy

            return field_accuracy(chosen)  # likewise: the per-field table is most of the aggregate's cost
        value = sc.spec.aggregate(chosen, sc.settings).values.get(metric)
        return None if value is None else float(value)


def build_side(store: Store, run_id: str, pairing: SuitePairing, case_ids: list[str]) -> SuiteSide:
    scoring = suite_scorings(store, run_id, only=pairing.suite)[pairing.suite]
    outcome = {c.case_id: (c.baseline if run_id == pairing.baseline_run else c.candidate) for c in pairing.cases}
    by_case: dict[str, list[Scored[Any]]] = {cid: [] for cid in case_ids}
    spec, infos = scoring.spec, dict[str, CaseInfo]()
    # as the metrics stage reads them: streamed rows, each detail parsed straight into the scorer's summary
    for row in store.score_rows(run_id, pairing.suite):
        if row.case_id in by_case and row.status == "scored":
            info = infos.get(row.case_id)
            if info is None:
                info = infos[row.case_id] = spec.case_info(scoring.cases.head(row.case_id))
            by_case[row.case_id].append(spec.scored_json(info, row.repeat, row.score(), row.detail_json))
    calls = store.calls(run_id, suite=pairing.suite)
    cost: dict[str, float] = {}
    first: dict[str, CallRecord] = {}
    for call in calls:
        cost[call.case_id] = cost.get(call.case_id, 0.0) + call.cost_usd
        first.setdefault(call.case_id, call)
    resolved = []
    for cid in case_ids:
        o = outcome[cid]
        resolved.append(o.resolved if o is not None and o.resolved is not None else 0.0)
    return SuiteSide(
        scoring=scoring,
        items=[by_case[cid] for cid in case_ids],
        resolved=np.array(resolved, dtype=float),
        cost=np.array([cost.get(cid, 0.0) for cid in case_ids], dtype=float),
        latencies=[c.latency_s for c in calls if c.latency_s is not None and not c.cache_hit],
        answers={cid: excerpt(call) for cid, call in first.items()},
        calls=calls,
    )


def metric_difference(
    a: SuiteSide,
    b: SuiteSide,
    metric: str,
    idx: list[int],
    clusters: list[str | None],
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> Interval:
    """`a` minus `b` on `metric` over the paired cases `idx`, recomputed on both sides of every bootstrap
    resample (whole clusters). Raises ValueError when the metric is undefined on some resample."""

    def stat(sample: np.ndarray) -> float:
        chosen = [idx[int(i)] for i in sample]
        x, y = a.metric(metric, chosen), b.metric(metric, chosen)
        return float("nan") if x is None or y is None else x - y  # stats refuses non-finite resamples

    return paired_statistic_difference(
        len(idx), stat, clusters=clusters, confidence=confidence, resamples=resamples, seed=seed
    )
