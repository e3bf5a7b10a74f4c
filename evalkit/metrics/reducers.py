"""Repeats of one case reduced to one outcome, by a declared rule, in one place for every category.

A suite run with `--repeats k` has k scores per case. Pairing two runs case by case (the gate,
compare) needs one outcome per case, and how k answers become one is a policy, not a detail of each
scorer: `mean` (the expected single-shot outcome), `all` (every repeat must be right: consistency),
`any` (at least one right: best-of-k). Reducers are small registered functions, as in inspect_ai, so
a new rule is one function here and every stage gets it. pass@k lives here too: it is a reducer over
the same per-case repeat counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Literal

from evalkit.records import Score

ReduceRule = Literal["mean", "all", "any"]

_REDUCERS: dict[str, Callable[[Sequence[float]], float]] = {}


def reducer(name: str) -> Callable[[Callable[[Sequence[float]], float]], Callable[[Sequence[float]], float]]:
    """Register a reducer of per-repeat values in [0, 1] (or any reals, for `mean`)."""

    def register(fn: Callable[[Sequence[float]], float]) -> Callable[[Sequence[float]], float]:
        _REDUCERS[name] = fn
        return fn

    return register


@reducer("mean")
def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


@reducer("all")
def _all(values: Sequence[float]) -> float:
    return min(values)


@reducer("any")
def _any(values: Sequence[float]) -> float:
    return max(values)


def reduce_values(values: Sequence[float], rule: ReduceRule) -> float:
    if not values:
        raise ValueError("nothing to reduce")
    return _REDUCERS[rule](values)


@dataclass(frozen=True)
class CaseOutcome:
    """One case's repeats reduced: what a paired comparison resamples."""

    case_id: str
    repeats: int
    """Scores seen for the case, of any status."""
    scored: int
    """Of those, the scored ones; the outcome is over these alone."""
    resolved: float | None
    """Reduced `resolved` (a rate under `mean`, 0/1 under `all` and `any`); None when nothing scored."""
    values: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def reduce_case(case_id: str, scores: Sequence[Score], rule: ReduceRule) -> CaseOutcome:
    statuses: dict[str, int] = {}
    for s in scores:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    scored = [s for s in scores if s.is_scored]
    if not scored:
        return CaseOutcome(case_id, len(scores), 0, None, {}, statuses)
    names = sorted({k for s in scored for k in s.values})
    values = {
        name: reduce_values([s.values[name] for s in scored if name in s.values], rule)
        for name in names
        if any(name in s.values for s in scored)
    }
    return CaseOutcome(case_id, len(scores), len(scored), values.get("resolved"), values, statuses)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k), as a product so large n cannot
    overflow: 1 - prod_{i=n-c+1..n} (1 - k / i)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    return 1.0 - prod(1.0 - k / i for i in range(n - c + 1, n + 1))
