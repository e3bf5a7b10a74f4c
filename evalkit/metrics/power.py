"""How many paired cases a non-inferiority decision needs, before any model is called.

A gate verdict stands on the one-sided lower bound of (candidate - baseline) clearing -margin. How
tight that bound gets depends on how often the two models *disagree* case by case, not on how good
either is: two models that fail the same cases have paired differences of zero. For a binary
per-case outcome with discordance rate D (share of cases where exactly one side resolves) and no
true difference, the paired difference per case is -1, 0 or +1 with variance D, so the normal
approximation needs n = ((z_confidence + z_power) * sqrt(D) / margin) ** 2 cases — the same formula
the gate uses after a run (`stats.cases_to_decide`), here with the planning assumptions instead of
the observed variance. For metrics that are not per-case means (macro-F1, field accuracy) it is an
approximation and says so.

Clusters: the gate resamples whole clusters, so cases that share a source carry less than one
case's information each. Without knowing the within-cluster correlation the honest bounds are "as
many independent units as cases" (no correlation) and "as many as clusters" (perfect correlation);
`PowerPlan` reports both and calls a suite large enough only when the independent units cover n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from evalkit.inputs.suites import LoadedSuite
from evalkit.metrics.planning import cases_to_decide

__all__ = ["DEFAULT_DISAGREEMENT", "PowerPlan", "plan_power", "required_cases"]

DEFAULT_DISAGREEMENT = 0.10
"""Planning discordance between a frontier model and a close cheaper one: about one case in ten
answered differently, the order seen between neighbouring model tiers on everyday workloads."""

BINARY_METRICS = frozenset({"accuracy", "resolved_rate", "pass_at_1", "pass_rate", "tool_call_accuracy"})
"""Per-case 0/1 outcomes, where sqrt(D) is exactly the per-case SD of the paired difference."""


def required_cases(margin: float, disagreement: float, *, confidence: float = 0.95, power: float = 0.8) -> int:
    """Paired cases for the lower bound to clear -margin with probability `power` when the models are
    truly equal and disagree on a share `disagreement` of cases."""
    if not 0 < margin <= 1:
        raise ValueError(f"margin must be in (0, 1], got {margin}")
    if not 0 < disagreement <= 1:
        raise ValueError(f"disagreement must be in (0, 1], got {disagreement}")
    n = cases_to_decide(0.0, math.sqrt(disagreement), margin, confidence=confidence, power=power)
    assert n is not None  # estimate 0 > -margin always has a finite answer
    return n


@dataclass(frozen=True)
class PowerPlan:
    """What one suite can decide: the cases it has against the cases its own margin needs."""

    suite: str
    metric: str
    margin: float
    disagreement: float
    confidence: float
    power: float
    needed: int
    """Paired cases needed, treating cases as independent."""
    cases: int
    """Cases the run will pair (golden + adversarial, after any --limit)."""
    units: int
    """Independent resampling units: clusters, with each unclustered case its own unit."""
    approximate: bool
    """True when the metric is not a per-case 0/1 outcome (macro-F1, coverage fractions): a guide."""

    @property
    def enough(self) -> bool:
        return self.cases >= self.needed

    @property
    def smallest_margin(self) -> float:
        """The margin these cases can decide at the same disagreement, confidence and power."""
        z = _z(self.confidence) + _z(self.power)
        return z * math.sqrt(self.disagreement / max(self.cases, 1))

    def message(self) -> str:
        approx = " (approximate: the metric is not a per-case pass/fail)" if self.approximate else ""
        head = (
            f"{self.suite}: a paired non-inferiority decision on {self.metric} at margin {self.margin:g} needs "
            f"about {self.needed} cases at {self.disagreement:.0%} disagreement{approx}; "
            f"the suite has {self.cases} ({self.units} independent clusters)"
        )
        if self.enough:
            return head + "."
        return (
            head + f": too small for its own margin; these cases can decide at a margin of about "
            f"{self.smallest_margin:.3f}, or add {self.needed - self.cases} cases."
        )


def _z(p: float) -> float:
    return NormalDist().inv_cdf(p)  # as scipy's norm.ppf, without scipy's import cost on every run


def plan_power(
    suite: LoadedSuite,
    *,
    margin: float | None = None,
    disagreement: float = DEFAULT_DISAGREEMENT,
    power: float = 0.8,
    limit: int | None = None,
) -> PowerPlan:
    """The power plan for `suite` at its own gate margin and confidence unless `margin` is given."""
    policy = suite.suite.gate
    margin = policy.non_inferiority_margin if margin is None else margin
    cases = suite.cases.clusters[:limit]  # each case's cluster, read without parsing the case
    clusters = {c for c in cases if c is not None}
    metric = policy.metric or suite.suite.primary_metric
    return PowerPlan(
        suite=suite.name,
        metric=metric,
        margin=margin,
        disagreement=disagreement,
        confidence=policy.confidence,
        power=power,
        needed=required_cases(margin, disagreement, confidence=policy.confidence, power=power),
        cases=len(cases),
        units=len(clusters) + sum(1 for c in cases if c is None),
        approximate=metric not in BINARY_METRICS,
    )
