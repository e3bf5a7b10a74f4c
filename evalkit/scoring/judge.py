"""The optional LLM judge for summaries: a configured endpoint grades fidelity against a rubric.

Its verdicts live in their own table with their own cost, keyed by judge endpoint, and are reported
beside the deterministic metrics, never mixed into them: a judge is another model's opinion, and a
migration decision has to be able to say which numbers are measured and which are judged. Judge calls
take the engine's path (concurrency, retries, fatal-key handling) like every other call.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.calls.connection import call_endpoint
from evalkit.calls.engine import CallOutcome
from evalkit.errors import InputError
from evalkit.inputs.endpoints import DEFAULT_ENDPOINTS_DIR, load_endpoint
from evalkit.records import Judgement, Usage
from evalkit.requests.build import request_hash
from evalkit.requests.plan import WorkItem
from evalkit.scoring.judge_rubric import judge_request, parse_judgement
from evalkit.store import Store, StoreWriter, now_iso


@dataclass
class JudgeOutcome:
    judged: int = 0
    errors: int = 0
    cost_usd: float = 0.0


def _targets(store: Store, run_id: str, judge: str) -> list[WorkItem]:
    """One judge request per answered summarization case this judge has not judged yet."""
    done = {(j.suite, j.case_id, j.repeat) for j in store.judgements(run_id, judge=judge) if j.status == "ok"}
    suites = [s.name for s in store.suites(run_id) if s.category == "summarization"]
    if not suites:
        raise InputError(f"run {run_id} has no summarization suite to judge", field="run_id")
    items = []
    for suite in suites:
        cases = {c.id: c for c in store.cases(run_id, suite)}
        for call in store.calls(run_id, suite=suite, answered=True):
            if (call.suite, call.case_id, call.repeat) in done or call.response is None:
                continue
            case = cases[call.case_id]
            facts = [str(f["fact"]) for f in case.expected.get("key_facts", [])]
            request = judge_request(str(case.input.get("source", "")), call.response.text, facts)
            items.append(WorkItem(suite, call.case_id, call.repeat, request, request_hash(request)))
    return items


def _judgement(run_id: str, judge: str, outcome: CallOutcome, cost: float) -> Judgement:
    gen = outcome.generation
    verdict: dict[str, Any] = parse_judgement(gen.response.text) if gen else {"error": str(outcome.error)}
    ok = gen is not None and verdict.get("fidelity") is not None
    return Judgement(
        run_id=run_id,
        suite=outcome.item.suite,
        case_id=outcome.item.case_id,
        repeat=outcome.item.repeat,
        judge=judge,
        status="ok" if ok else ("infra_error" if gen is None else "unparsed"),
        fidelity=verdict.get("fidelity") if ok else None,
        detail=verdict,
        usage=gen.response.usage if gen else Usage(),
        cost_usd=cost,
        latency_s=gen.response.latency_s if gen else None,
        judged_at=now_iso(),
    )


async def _judge_all(
    store: Store, run_id: str, endpoint_spec: str, endpoints_dir: Path, limit: int | None
) -> JudgeOutcome:
    profile = load_endpoint(endpoint_spec, endpoints_dir)
    profile.require_key()
    items = _targets(store, run_id, profile.name)[:limit]
    result = JudgeOutcome()
    if not items:
        return result
    writer = StoreWriter(store.path)

    def on_outcome(outcome: CallOutcome) -> None:
        usage = outcome.generation.response.usage if outcome.generation else None
        judgement = _judgement(run_id, profile.name, outcome, profile.price.cost(usage) if usage else 0.0)
        writer.put_judgement(judgement)
        result.judged += judgement.status == "ok"
        result.errors += judgement.status != "ok"
        result.cost_usd += judgement.cost_usd

    try:
        await call_endpoint(profile, items, on_outcome)
    finally:
        await asyncio.to_thread(writer.close)
    return result


def judge_run(
    store: Store,
    run_id: str,
    endpoint_spec: str,
    *,
    endpoints_dir: Path = DEFAULT_ENDPOINTS_DIR,
    limit: int | None = None,
) -> JudgeOutcome:
    """Judge every answered summarization case of `run_id` that this judge has not judged yet."""
    store.run(run_id)
    return asyncio.run(_judge_all(store, run_id, endpoint_spec, endpoints_dir, limit))


def judge_summary(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    """Per suite, per judge: verdict count, mean fidelity, distribution and what the judging cost."""
    out: dict[str, dict[str, Any]] = {}
    for j in store.judgements(run_id):
        entry = out.setdefault(j.suite, {}).setdefault(
            j.judge, {"judged": 0, "errors": 0, "cost_usd": 0.0, "distribution": {str(i): 0 for i in range(1, 6)}}
        )
        entry["cost_usd"] += j.cost_usd
        if j.status == "ok":
            entry["judged"] += 1
            entry["distribution"][str(j.fidelity)] += 1
        else:
            entry["errors"] += 1
    for judges in out.values():
        for entry in judges.values():
            n = entry["judged"]
            entry["mean_fidelity"] = sum(int(k) * v for k, v in entry["distribution"].items()) / n if n else None
    return out
