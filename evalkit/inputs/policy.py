"""The gate policy: how a candidate must compare with a baseline for a category to migrate.

Typed and validated like everything else a user writes: a misspelt threshold is an input error naming
its file, line and field, never a silently ignored key that lets a candidate through. The policy is
deliberately in neither suite hash: tightening a threshold must not turn an old baseline into "a
different suite". A suite's own `gate:` block is its policy; `evalkit gate --policy FILE` replaces it
(`default:` for every suite, `suites: {name: ...}` per suite).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from evalkit.inputs.files import load_yaml_model


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
    """Cases not scored on both sides (infrastructure errors, truncated answers, scorer errors, cases on
    one side only) above this share make the verdict INCONCLUSIVE: a decision is never made on data that
    cannot carry it."""
    max_infra_error_rate: float = Field(default=0.02, ge=0, le=1)
    """Candidate calls that failed after retries, at most this share (a run full of errors qualifies
    nothing)."""
    max_truncation_rate: float = Field(default=0.02, ge=0, le=1)
    """Candidate answers cut off by the token limit, at most this share."""
    min_adversarial_pass_rate: float | None = Field(default=None, ge=0, le=1)
    adversarial_margin: float | None = Field(default=None, ge=0, le=1)
    """Adversarial pass rate may trail the baseline's by at most this; None means the main margin."""
    min_format_validity: float | None = Field(default=0.95, ge=0, le=1)
    """Share of candidate answers in a usable format (a label, parseable JSON, a parseable tool call,
    code in the answer, the summary format)."""
    min_schema_validity: float | None = Field(default=None, ge=0, le=1)
    max_unsupported_rate: float | None = Field(default=None, ge=0, le=1)
    """Summaries only: share with unsupported numbers, dates, quotes or identifiers."""
    check_escalation_behaviour: bool = True
    """Abstain recall (classification) and irrelevance (tool calls) on must-escalate cases may trail
    the baseline's by at most the margin."""
    max_latency_p95_ratio: float | None = Field(default=2.0, gt=0)
    """Candidate p95 latency at most this multiple of the baseline's (None: shown, not required)."""
    max_latency_p95_s: float | None = Field(default=None, gt=0)
    max_cost_per_resolved_ratio: float | None = Field(default=1.0, gt=0)
    """Candidate cost per resolved task below this multiple of the baseline's (1.0: must be cheaper)."""
    escalation: bool = True
    """Also evaluate "candidate first, baseline when the candidate's answer fails validation"."""
    bootstrap_resamples: int = Field(default=2000, ge=200, le=100_000)
    seed: int = 0


class PolicyFile(BaseModel):
    """`--policy FILE`: one policy for every suite, with per-suite replacements."""

    model_config = ConfigDict(extra="forbid")

    default: GatePolicy = Field(default_factory=GatePolicy)
    suites: dict[str, GatePolicy] = Field(default_factory=dict)

    def for_suite(self, name: str) -> GatePolicy:
        return self.suites.get(name, self.default)


def load_policy(path: Path) -> PolicyFile:
    return load_yaml_model(PolicyFile, path)
