"""The optional LLM judge for summaries: a configured endpoint grades fidelity against a rubric.

Its verdicts live in their own table with their own cost, keyed by judge endpoint, and are reported
beside the deterministic metrics, never mixed into them: a judge is another model's opinion, and a
migration decision has to be able to say which numbers are measured and which are judged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from rich.console import Console

from evalkit.endpoints import DEFAULT_ENDPOINTS_DIR, load_endpoint
from evalkit.errors import EndpointError, InputError
from evalkit.providers import CallError, make_provider
from evalkit.response import Response
from evalkit.retry import RetryPolicy, call_with_retries
from evalkit.scoring.judge_rubric import judge_request, parse_judgement
from evalkit.servers import endpoint_server
from evalkit.store import Store, dumps, now_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS judgements (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    judge TEXT NOT NULL,
    status TEXT NOT NULL,
    fidelity INTEGER,
    detail_json TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    latency_s REAL,
    judged_at TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id, repeat, judge)
);
"""


@dataclass
class JudgeOutcome:
    judged: int = 0
    skipped: int = 0
    errors: int = 0
    cost_usd: float = 0.0


def _targets(store: Store, run_id: str, judge: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(result row, case) for every answered summarization case this judge has not judged yet."""
    done = {
        (r[0], r[1], r[2])
        for r in store.conn.execute(
            "SELECT suite, case_id, repeat FROM judgements WHERE run_id = ? AND judge = ? AND status = 'ok'",
            (run_id, judge),
        )
    }
    summarization = {name for name, category, _, _ in store.suites(run_id) if category == "summarization"}
    if not summarization:
        raise InputError(f"run {run_id} has no summarization suite to judge", field="run_id")
    cases = {(s, c["id"]): c for s in summarization for c in store.cases(run_id, s)}
    return [
        (row, cases[(row["suite"], row["case_id"])])
        for row in store.results(run_id)
        if row["suite"] in summarization
        and row["status"] == "ok"
        and (row["suite"], row["case_id"], row["repeat"]) not in done
    ]


async def _judge_all(
    store: Store, run_id: str, endpoint_spec: str, endpoints_dir: Any, console: Console, limit: int | None
) -> JudgeOutcome:
    profile = load_endpoint(endpoint_spec, endpoints_dir)
    profile.require_key()
    targets = _targets(store, run_id, profile.name)[:limit]
    outcome = JudgeOutcome()
    if not targets:
        return outcome
    policy = RetryPolicy(profile.max_attempts, profile.backoff_base_s, profile.backoff_max_s)
    sem = asyncio.Semaphore(profile.concurrency)
    async with endpoint_server(profile) as base_url:
        provider = make_provider(profile, base_url)
        try:

            async def one(row: dict[str, Any], case: dict[str, Any]) -> None:
                summary = Response.model_validate_json(row["response_json"]).text
                facts = [f["fact"] for f in case["expected"].get("key_facts", [])]
                request = judge_request(str(case["input"].get("source", "")), summary, facts)
                async with sem:
                    result = await call_with_retries(lambda: provider.generate(request), policy)
                if result.error is not None and result.error.kind == "auth":
                    raise EndpointError(f"judge endpoint {profile.name!r} refused the call ({result.error})")
                gen = result.generation
                verdict = parse_judgement(gen.response.text) if gen else {"error": str(result.error)}
                usage = gen.response.usage if gen else None
                cost = profile.price.cost(usage) if usage else 0.0
                ok = gen is not None and verdict.get("fidelity") is not None
                outcome.judged += int(ok)
                outcome.errors += int(not ok)
                outcome.cost_usd += cost
                await asyncio.to_thread(
                    store.conn.execute,
                    "INSERT OR REPLACE INTO judgements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        run_id,
                        row["suite"],
                        row["case_id"],
                        row["repeat"],
                        profile.name,
                        "ok" if ok else ("infra_error" if gen is None else "unparsed"),
                        verdict.get("fidelity"),
                        dumps(verdict),
                        usage.input_tokens if usage else 0,
                        usage.output_tokens if usage else 0,
                        cost,
                        gen.response.latency_s if gen else None,
                        now_iso(),
                    ),
                )

            await asyncio.gather(*(one(row, case) for row, case in targets))
        except CallError as err:
            raise EndpointError(f"judge endpoint {profile.name!r}: {err}") from None
        finally:
            await provider.aclose()
    return outcome


def judge_run(
    store: Store,
    run_id: str,
    endpoint_spec: str,
    *,
    endpoints_dir: Any = DEFAULT_ENDPOINTS_DIR,
    console: Console | None = None,
    limit: int | None = None,
) -> JudgeOutcome:
    """Judge every answered summarization case of `run_id` that this judge has not judged yet."""
    store.run(run_id)
    store.conn.executescript(SCHEMA)
    return asyncio.run(_judge_all(store, run_id, endpoint_spec, endpoints_dir, console or Console(stderr=True), limit))


def judge_summary(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    """Per suite, per judge: verdict count, mean fidelity, distribution and what the judging cost."""
    store.conn.executescript(SCHEMA)
    out: dict[str, dict[str, Any]] = {}
    rows = store.conn.execute(
        "SELECT suite, judge, status, fidelity, cost_usd FROM judgements WHERE run_id = ?", (run_id,)
    ).fetchall()
    for suite, judge, status, fidelity, cost in rows:
        entry = out.setdefault(suite, {}).setdefault(
            judge, {"judged": 0, "errors": 0, "cost_usd": 0.0, "distribution": {str(i): 0 for i in range(1, 6)}}
        )
        entry["cost_usd"] += cost
        if status == "ok":
            entry["judged"] += 1
            entry["distribution"][str(fidelity)] += 1
        else:
            entry["errors"] += 1
    for judges in out.values():
        for entry in judges.values():
            n = entry["judged"]
            entry["mean_fidelity"] = sum(int(k) * v for k, v in entry["distribution"].items()) / n if n else None
    return out
