"""The gate's typed result: per category a verdict with every figure it stands on.

One model feeds every rendering (terminal, Markdown, HTML, JSON, JUnit) and the router policy, so what
a reviewer signs and what CI acts on cannot disagree.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.inputs.policy import GatePolicy

Verdict = Literal["QUALIFIED", "QUALIFIED_WITH_ESCALATION", "NOT_QUALIFIED", "INCONCLUSIVE"]

EXIT_CODES: dict[str, int] = {"QUALIFIED": 0, "QUALIFIED_WITH_ESCALATION": 0, "INCONCLUSIVE": 3, "NOT_QUALIFIED": 4}
"""`evalkit gate` exits 0 when every category qualifies (alone or with escalation), 4 when any does not,
3 when none fails but some cannot be decided, 2 on bad input (incomparable runs included)."""


class IntervalFigure(BaseModel):
    """A paired difference (candidate - baseline) with its one-sided bounds."""

    model_config = ConfigDict(extra="forbid")

    estimate: float
    lower: float
    """One-sided lower bound at `confidence`: non-inferiority holds when it is above -margin."""
    upper: float
    """One-sided upper bound at `confidence`: inferiority is shown when it is below -margin."""
    confidence: float
    method: str
    resamples: int
    cases: int
    clusters: int
    se: float
    """Bootstrap standard error of the difference."""


class McNemarFigure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    b: int
    """Baseline right, candidate wrong."""
    c: int
    """Baseline wrong, candidate right."""
    p_value: float
    """Exact two-sided McNemar p (binomial on the discordant pairs)."""


class Condition(BaseModel):
    """One hard condition with its figure; `passed` is None when the data cannot evaluate it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    passed: bool | None
    figure: str
    candidate: float | None = None
    baseline: float | None = None
    threshold: float | None = None


class OptionFigures(BaseModel):
    """Quality and cost of one routing option on the paired cases."""

    model_config = ConfigDict(extra="forbid")

    option: Literal["baseline", "candidate", "escalation"]
    quality: float | None
    """The decision metric over the paired cases."""
    cost_usd: float
    resolved: float
    cost_per_resolved_usd: float | None
    escalation_rate: float | None = None
    """Escalation only: share of cases handed to the baseline."""


class CaseExcerpt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    split: str
    tags: list[str] = Field(default_factory=list)
    baseline_answer: str
    candidate_answer: str


class Counts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: int
    """Cases in the suite (both runs)."""
    paired: int
    """Scored on both sides: what the statistics use."""
    one_sided: int
    infra_errors: int
    truncated: int
    scorer_errors: int
    unanswered_rate: float
    unreviewed: int = 0
    """Cases whose expectation is a draft nobody confirmed (`reference: unreviewed`): any makes the verdict
    INCONCLUSIVE at best, because the draft is the baseline's own answer."""


class CategoryGate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    category: str
    metric: str
    margin: float
    verdict: Verdict
    reasons: list[str]
    """Every failed condition, or why no decision can be made; empty when QUALIFIED."""
    baseline_metric: float | None
    candidate_metric: float | None
    interval: IntervalFigure | None
    mcnemar: McNemarFigure | None
    cases_to_decide: int | None
    """INCONCLUSIVE only: paired cases estimated to decide at the observed variance (see README)."""
    conditions: list[Condition]
    counts: Counts
    options: list[OptionFigures]
    escalation_verdict: Verdict | None
    """What the escalation policy (candidate first, baseline on failed validation) would get."""
    escalation_reasons: list[str] = Field(default_factory=list)
    newly_failing_adversarial: list[CaseExcerpt]
    latencies_s: dict[str, list[float]]
    """`baseline` / `candidate`: live call latencies, for the distribution plot."""
    tables: dict[str, dict[str, object]]
    """`baseline` / `candidate`: the category's metric tables (confusion matrix, per-field accuracy)."""
    input_hash: str
    expectation_hash: str
    policy: GatePolicy | None = None
    """The thresholds this verdict was decided with."""


class Side(BaseModel):
    """Provenance of one run in the comparison."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    endpoint: str
    tier: str
    model: str
    endpoint_identity: str | None
    server: dict[str, object] | None
    created_at: str
    finished_at: str | None


class GateReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    baseline: Side
    candidate: Side
    created_at: str
    evalkit_version: str
    policy_source: str
    """`suite` (each suite's own `gate:` block) or the path of `--policy`."""
    categories: list[CategoryGate]
    overall: Verdict
    exit_code: int
