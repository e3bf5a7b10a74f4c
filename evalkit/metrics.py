"""Scores -> per-suite metrics plus operations figures, from the store alone."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from evalkit.score import suite_scorings
from evalkit.scoring import CaseScore, Scored
from evalkit.scoring.operations import operations
from evalkit.store import Store


@dataclass
class SuiteMetrics:
    suite: str
    category: str
    suite_hash: str
    primary_metric: str
    primary: float | int | None
    values: dict[str, float | int | None]
    tables: dict[str, Any]
    operations: dict[str, Any]
    planned: int
    scored: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_metrics(store: Store, run_id: str) -> list[SuiteMetrics]:
    scorings = suite_scorings(store, run_id)
    hashes = {name: h for name, _, h, _ in store.suites(run_id)}
    results = pd.DataFrame(store.results(run_id))
    by_suite: dict[str, list[Scored]] = {name: [] for name in scorings}
    for s in store.scores(run_id):
        sc = scorings[s["suite"]]
        by_suite[s["suite"]].append(
            Scored(sc.cases[s["case_id"]], s["repeat"], CaseScore(resolved=s["resolved"], detail=s["detail"]))
        )
    plan = store.run(run_id).plan
    out = []
    for name, sc in scorings.items():
        items = sorted(by_suite[name], key=lambda i: (i.case.id, i.repeat))
        metrics = sc.spec.aggregate(items, sc.settings)
        rows = results[results["suite"] == name] if not results.empty else results
        resolved = sum(i.score.resolved for i in items)
        ops = operations(rows, resolved) if not rows.empty else {}
        out.append(
            SuiteMetrics(
                suite=name,
                category=sc.spec.category,
                suite_hash=hashes[name],
                primary_metric=sc.suite.primary_metric,
                primary=metrics.values.get(sc.suite.primary_metric),
                values=metrics.values,
                tables=metrics.tables,
                operations=ops,
                planned=len(sc.cases) * int(plan.get("repeats", 1)),
                scored=len(items),
            )
        )
    return out
