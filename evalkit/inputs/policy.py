"""The gate policy: how a candidate must compare with a baseline for a category to migrate.

Typed and validated like everything else a user writes: a misspelt threshold is an input error naming
its file, line and field, never a silently ignored key that lets a candidate through. The policy is
deliberately in neither suite hash: tightening a threshold must not turn an old baseline into "a
different suite".
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class GatePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str | None = None
    """The metric the decision is made on; None means the suite's primary metric."""
    non_inferiority_margin: float = Field(default=0.03, ge=0, le=1)
    """How much worse than the baseline (candidate - baseline, on the metric) is still acceptable."""
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    """One-sided confidence of the lower bound compared with -margin."""
    min_cases: int = Field(default=20, ge=1)
    """Below this many paired cases no verdict is given (INCONCLUSIVE)."""
    max_unanswered_rate: float = Field(default=0.05, ge=0, le=1)
    """Infrastructure errors, truncated answers and one-sided cases above this share of the suite make
    the verdict INCONCLUSIVE: a decision is never made on data that cannot carry it."""
    min_adversarial_pass_rate: float | None = Field(default=None, ge=0, le=1)
    adversarial_margin: float | None = Field(default=None, ge=0, le=1)
    """Adversarial pass rate may trail the baseline's by at most this; None means the main margin."""
    min_schema_validity: float | None = Field(default=None, ge=0, le=1)
    min_format_validity: float | None = Field(default=None, ge=0, le=1)
    max_unsupported_rate: float | None = Field(default=None, ge=0, le=1)
    max_latency_p95_ratio: float | None = Field(default=None, gt=0)
    """Candidate p95 latency at most this multiple of the baseline's."""
    max_cost_per_resolved_ratio: float | None = Field(default=None, gt=0)
    """Candidate cost per resolved task at most this multiple of the baseline's."""
    bootstrap_resamples: int = Field(default=2000, ge=200, le=100_000)
    seed: int = 0
