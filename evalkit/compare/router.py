"""The router policy: the routing table an operator deploys and audits, written beside the report.

"The router is not a config flag. It is a product surface with a policy log, a fallback path, a kill
switch, an escalation rule, and a measurement." Per category: the chosen tier and endpoint, when the
cheap first pass hands a case to the final authority, where traffic falls back when the cheap path
misbehaves, and the evidence and thresholds the choice was made on — so "which model touched which
customer, and why" has an answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from evalkit.compare.verdicts import CategoryGate, GateReport, Side, Verdict
from evalkit.report.files import write_atomic

SCHEMA = "evalkit.router-policy/1"

ESCALATE_WHEN: dict[str, list[str]] = {
    "classification": ["no valid label in the answer", "the answer is the abstain/escalate label"],
    "extraction": ["no JSON record in the answer", "the record violates the output schema"],
    "summarization": ["empty summary", "summary breaks the required format", "summary not in the required language"],
    "coding": ["no code or diff in the answer"],
    "toolcall": [
        "unparseable tool-call arguments or a call written as text",
        "a call to an undeclared tool",
        "arguments that violate the tool schema",
        "a call to the escalation tool",
    ],
}
ALWAYS_ESCALATE = ["infrastructure error after retries", "answer cut off by the output-token limit"]


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    tier: str
    model: str
    endpoint_identity: str | None


class Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: str
    when: list[str]


class KillSwitch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fallback: str
    when: list[str]


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    baseline_run: str
    candidate_run: str
    input_hash: str
    expectation_hash: str
    metric: str
    baseline: float | None
    candidate: float | None
    lower_bound: float | None
    margin: float
    paired_cases: int
    decided_at: str
    evalkit_version: str


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    route: Literal["candidate", "candidate_with_escalation", "baseline"]
    endpoint: Endpoint
    escalation: Escalation | None
    kill_switch: KillSwitch | None
    evidence: Evidence
    thresholds: dict[str, object]
    reasons: list[str]


class RouterPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_: str
    generated_at: str
    baseline: Endpoint
    candidate: Endpoint
    categories: dict[str, Route]


def _endpoint(side: Side) -> Endpoint:
    return Endpoint(name=side.endpoint, tier=side.tier, model=side.model, endpoint_identity=side.endpoint_identity)


def _route(gate: CategoryGate, report: GateReport) -> Route:
    base, cand = _endpoint(report.baseline), _endpoint(report.candidate)
    chosen: Literal["candidate", "candidate_with_escalation", "baseline"] = (
        "candidate"
        if gate.verdict == "QUALIFIED"
        else "candidate_with_escalation"
        if gate.verdict == "QUALIFIED_WITH_ESCALATION"
        else "baseline"
    )
    on_candidate = chosen != "baseline"
    policy = gate.policy
    kill = None
    if on_candidate:
        kill = KillSwitch(
            fallback=base.name,
            when=[
                f"candidate infrastructure error rate above {policy.max_infra_error_rate:.0%}" if policy else "errors",
                f"candidate truncation rate above {policy.max_truncation_rate:.0%}" if policy else "truncation",
                "a nightly regression on this category (evalkit compare) or a changed server fingerprint",
            ],
        )
    return Route(
        verdict=gate.verdict,
        route=chosen,
        endpoint=cand if on_candidate else base,
        escalation=Escalation(to=base.name, when=[*ESCALATE_WHEN.get(gate.category, []), *ALWAYS_ESCALATE])
        if chosen == "candidate_with_escalation"
        else None,
        kill_switch=kill,
        evidence=Evidence(
            baseline_run=report.baseline.run_id,
            candidate_run=report.candidate.run_id,
            input_hash=gate.input_hash,
            expectation_hash=gate.expectation_hash,
            metric=gate.metric,
            baseline=gate.baseline_metric,
            candidate=gate.candidate_metric,
            lower_bound=gate.interval.lower if gate.interval else None,
            margin=gate.margin,
            paired_cases=gate.counts.paired,
            decided_at=report.created_at,
            evalkit_version=report.evalkit_version,
        ),
        thresholds=policy.model_dump(mode="json") if policy else {},
        reasons=gate.reasons,
    )


def router_policy(report: GateReport) -> RouterPolicy:
    return RouterPolicy(
        schema_=SCHEMA,
        generated_at=report.created_at,
        baseline=_endpoint(report.baseline),
        candidate=_endpoint(report.candidate),
        categories={g.suite: _route(g, report) for g in report.categories},
    )


def write_router_policy(report: GateReport, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = router_policy(report).model_dump(mode="json")
    data = {"schema": data.pop("schema_"), **data}
    return write_atomic(out_dir / "router-policy.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
