"""The gate's hard conditions: each one a named figure with its threshold, shown whether it passes,
fails, or cannot be evaluated on the data at hand.

Quality parity on the headline metric is necessary, not sufficient: a cheaper model that matches the
frontier on the golden cases but folds under prompt injection, emits unparseable tool calls, stops
escalating what it must, times out or is simply not cheaper per *resolved* task has not earned the
workload ("cheap first pass is fine, cheap final authority is not").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalkit.compare.sides import SuiteSide
from evalkit.compare.verdicts import Condition
from evalkit.inputs.policy import GatePolicy
from evalkit.records import CallRecord

FORMAT_FIGURE: dict[str, tuple[str, bool]] = {
    "classification": ("invalid_rate", True),
    "toolcall": ("format_failure_rate", True),
    "coding": ("extraction_failure_rate", True),
    "summarization": ("format_compliance", False),
    "extraction": ("parse_rate", False),
}
"""category -> (metric, inverted): format validity is 1 - metric when inverted."""

ESCALATION_FIGURE = {"classification": "abstain_recall", "toolcall": "irrelevance"}
"""What "hands the must-escalate cases on" means per category."""


def fmt(value: float | None, spec: str = ".3f") -> str:
    return "n/a" if value is None else format(value, spec)


def _get(values: dict[str, Any], name: str) -> float | None:
    v = values.get(name)
    return None if v is None else float(v)


def adversarial(
    base: SuiteSide, cand: SuiteSide, adversarial_idx: Sequence[int], policy: GatePolicy
) -> list[Condition]:
    if not adversarial_idx:
        return [Condition(name="adversarial_pass_rate", passed=None, figure="no adversarial cases were paired")]
    b = float(base.resolved[list(adversarial_idx)].mean())
    c = float(cand.resolved[list(adversarial_idx)].mean())
    margin = policy.adversarial_margin if policy.adversarial_margin is not None else policy.non_inferiority_margin
    out = [
        Condition(
            name="adversarial_pass_rate",
            passed=c >= b - margin - 1e-12,
            figure=f"adversarial pass rate {c:.3f} vs baseline {b:.3f} (may trail by at most {margin:.3f}; "
            f"{len(adversarial_idx)} cases)",
            candidate=c,
            baseline=b,
            threshold=b - margin,
        )
    ]
    if policy.min_adversarial_pass_rate is not None:
        out.append(
            Condition(
                name="min_adversarial_pass_rate",
                passed=c >= policy.min_adversarial_pass_rate,
                figure=f"adversarial pass rate {c:.3f}, at least {policy.min_adversarial_pass_rate:.3f} required",
                candidate=c,
                baseline=b,
                threshold=policy.min_adversarial_pass_rate,
            )
        )
    return out


def answer_quality(
    category: str, base_values: dict[str, Any], cand_values: dict[str, Any], policy: GatePolicy
) -> list[Condition]:
    out: list[Condition] = []
    name, inverted = FORMAT_FIGURE[category]
    if category == "extraction" and cand_values.get("schema_validity") is not None:
        name, inverted = "schema_validity", False
    c, b = _get(cand_values, name), _get(base_values, name)
    if inverted:
        c, b = (None if c is None else 1 - c), (None if b is None else 1 - b)
    if policy.min_format_validity is not None:
        out.append(
            Condition(
                name="format_validity",
                passed=None if c is None else c >= policy.min_format_validity,
                figure=f"usable answer format ({name}{' inverted' if inverted else ''}) {fmt(c)} vs baseline "
                f"{fmt(b)}; at least {policy.min_format_validity:.3f} required",
                candidate=c,
                baseline=b,
                threshold=policy.min_format_validity,
            )
        )
    if policy.min_schema_validity is not None and "schema_validity" in cand_values:
        c = _get(cand_values, "schema_validity")
        out.append(
            Condition(
                name="schema_validity",
                passed=None if c is None else c >= policy.min_schema_validity,
                figure=f"schema validity {fmt(c)}; at least {policy.min_schema_validity:.3f} required",
                candidate=c,
                baseline=_get(base_values, "schema_validity"),
                threshold=policy.min_schema_validity,
            )
        )
    if policy.max_unsupported_rate is not None and "unsupported_rate" in cand_values:
        c = _get(cand_values, "unsupported_rate")
        out.append(
            Condition(
                name="unsupported_rate",
                passed=None if c is None else c <= policy.max_unsupported_rate,
                figure=f"summaries with unsupported content {fmt(c)}; at most {policy.max_unsupported_rate:.3f}",
                candidate=c,
                baseline=_get(base_values, "unsupported_rate"),
                threshold=policy.max_unsupported_rate,
            )
        )
    figure = ESCALATION_FIGURE.get(category)
    if policy.check_escalation_behaviour and figure is not None:
        c, b = _get(cand_values, figure), _get(base_values, figure)
        margin = policy.non_inferiority_margin
        passed = None if c is None or b is None else c >= b - margin - 1e-12
        out.append(
            Condition(
                name="escalation_behaviour",
                passed=passed,
                figure=f"must-escalate cases handed on ({figure}) {fmt(c)} vs baseline {fmt(b)} "
                f"(may trail by at most {margin:.3f})"
                + ("" if passed is not None else "; no must-escalate cases, or no abstain label"),
                candidate=c,
                baseline=b,
                threshold=None if b is None else b - margin,
            )
        )
    return out


def reliability(cand_calls: Sequence[CallRecord], policy: GatePolicy) -> list[Condition]:
    n = len(cand_calls)
    errors = sum(c.status != "ok" for c in cand_calls)
    answered = [c for c in cand_calls if c.status == "ok"]
    truncated = sum(c.truncated for c in answered)
    err_rate = errors / n if n else None
    trunc_rate = truncated / len(answered) if answered else None
    return [
        Condition(
            name="infra_error_rate",
            passed=None if err_rate is None else err_rate <= policy.max_infra_error_rate,
            figure=f"candidate infrastructure errors {errors} of {n} calls ({fmt(err_rate)}); "
            f"at most {policy.max_infra_error_rate:.3f}",
            candidate=err_rate,
            threshold=policy.max_infra_error_rate,
        ),
        Condition(
            name="truncation_rate",
            passed=None if trunc_rate is None else trunc_rate <= policy.max_truncation_rate,
            figure=f"candidate answers cut off by the token limit {truncated} of {len(answered)} "
            f"({fmt(trunc_rate)}); at most {policy.max_truncation_rate:.3f}",
            candidate=trunc_rate,
            threshold=policy.max_truncation_rate,
        ),
    ]


def p95(values: Sequence[float]) -> float | None:
    return float(np.percentile(np.array(values, dtype=float), 95)) if values else None


def latency(base: SuiteSide, cand: SuiteSide, policy: GatePolicy) -> Condition:
    b, c = p95(base.latencies), p95(cand.latencies)
    limits = []
    if policy.max_latency_p95_ratio is not None and b is not None:
        limits.append(policy.max_latency_p95_ratio * b)
    if policy.max_latency_p95_s is not None:
        limits.append(policy.max_latency_p95_s)
    limit = min(limits) if limits else None
    passed = None if limit is None or c is None else c <= limit
    return Condition(
        name="latency_p95",
        passed=passed,
        figure=f"p95 latency {fmt(c, '.2f')} s vs baseline {fmt(b, '.2f')} s"
        + (f"; at most {limit:.2f} s" if limit is not None else " (no limit in the policy)"),
        candidate=c,
        baseline=b,
        threshold=limit,
    )
