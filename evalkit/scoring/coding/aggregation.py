"""`aggregate`: the scored answers of a coding suite -> pass@1, pass@k and the diagnostic rates.

pass@k needs every repeat of a case together, so answers are grouped by case first; the estimator is
the shared `evalkit.metrics.reducers.pass_at_k`. Everything else is a rate over answers (case x
repeat), read from the typed `Detail` of each answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from evalkit.metrics.reducers import pass_at_k
from evalkit.scoring.base import Metrics, Scored, rate
from evalkit.scoring.coding.detail import Detail
from evalkit.scoring.coding.spec import Settings

METRICS: tuple[str, ...] = (
    "pass_at_1",
    "test_pass_rate",
    "extraction_failure_rate",
    "timeout_rate",
    "patch_apply_rate",
    "forbidden_touch_rate",
    "function_pass_rate",
    "patch_pass_rate",
    "resolved_rate",
    "adversarial_pass_rate",
)
"""`pass_at_k` for every k from 2 up to the most repeats of any case is reported too (not listed:
it depends on the run)."""


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if values else None


def aggregate(items: Sequence[Scored[Detail]], settings: Settings) -> Metrics:
    """pass@1 (and pass@k for every k up to the repeats) averaged over cases; the other rates are
    over answers (case x repeat)."""
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    per_case: dict[str, list[Scored[Detail]]] = defaultdict(list)
    for item in items:
        per_case[item.case.id].append(item)
    outcomes = {cid: (len(group), sum(i.resolved for i in group)) for cid, group in per_case.items()}
    values["pass_at_1"] = _mean([c / n for n, c in outcomes.values()])
    max_n = max((n for n, _ in outcomes.values()), default=0)
    for k in range(2, max_n + 1):
        values[f"pass_at_{k}"] = _mean([pass_at_k(n, c, k) for n, c in outcomes.values() if n >= k])

    details = [i.detail for i in items]
    values["test_pass_rate"] = rate(sum(d.tests.passed for d in details), sum(d.tests.total for d in details))
    values["extraction_failure_rate"] = rate(sum(d.extraction_failed for d in details), len(items))
    values["timeout_rate"] = rate(sum(d.timed_out for d in details), len(items))
    functions = [i for i in items if i.detail.kind == "function"]
    patches = [i for i in items if i.detail.kind == "patch"]
    values["patch_apply_rate"] = rate(sum(bool(i.detail.applied) for i in patches), len(patches))
    values["forbidden_touch_rate"] = rate(sum(bool(i.detail.touched_forbidden) for i in patches), len(patches))
    values["function_pass_rate"] = rate(sum(i.resolved for i in functions), len(functions))
    values["patch_pass_rate"] = rate(sum(i.resolved for i in patches), len(patches))
    values["resolved_rate"] = rate(sum(i.resolved for i in items), len(items))
    adversarial = [i for i in items if i.case.split == "adversarial"]
    values["adversarial_pass_rate"] = rate(sum(i.resolved for i in adversarial), len(adversarial))

    by_tag: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        for tag in item.case.tags:
            by_tag[tag].append(item.resolved)
    tables: dict[str, Any] = {
        "per_case": [
            {
                "case": cid,
                "kind": group[0].detail.kind,
                "split": group[0].case.split,
                "repeats": outcomes[cid][0],
                "resolved": outcomes[cid][1],
                "pass_at_1": outcomes[cid][1] / outcomes[cid][0],
            }
            for cid, group in sorted(per_case.items())
        ],
        "by_tag": {tag: {"answers": len(r), "resolved_rate": sum(r) / len(r)} for tag, r in sorted(by_tag.items())},
    }
    return Metrics(values, tables)
