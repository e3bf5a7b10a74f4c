"""Operations figures: percentiles, retries, cache hits and cost per resolved task."""

from __future__ import annotations

from typing import Any

import pytest

from evalkit.metrics.operations import operations
from evalkit.records import CallRecord, Message, Request, Response, Usage

REQUEST = Request(messages=[Message(role="user", content="x")])


def call(**kw: Any) -> CallRecord:
    ok = kw.get("status", "ok") == "ok"
    latency = kw.pop("latency_s", 1.0)
    fields: dict[str, Any] = {
        "run_id": "r",
        "suite": "s",
        "case_id": "c",
        "repeat": 0,
        "status": "ok",
        "attempts": 1,
        "latency_s": latency,
        "usage": Usage(input_tokens=10, output_tokens=5) if ok else Usage(),
        "cost_usd": 0.01 if ok else 0.0,
        "started_at": "t",
        "finished_at": "t",
        "request_hash": "h",
        "request": REQUEST,
        "response": Response(text="x", finish_reason=kw.pop("finish", "stop")) if ok else None,
    }
    fields.update(kw)
    return CallRecord(**fields)


def test_percentiles_counts_and_cost_per_resolved() -> None:
    calls = [call(latency_s=float(i)) for i in range(1, 101)]
    calls.append(call(status="infra_error", latency_s=None, attempts=5))
    ops = operations(calls, resolved=50)
    assert ops["latency_p50_s"] == pytest.approx(50.5)
    assert ops["latency_p95_s"] == pytest.approx(95.05)
    assert ops["latency_p99_s"] == pytest.approx(99.01)
    assert ops["infra_errors"] == 1 and ops["retries"] == 4
    assert ops["cost_usd"] == pytest.approx(1.0)
    assert ops["cost_per_resolved_usd"] == pytest.approx(0.02)


def test_nothing_resolved_means_no_cost_per_resolved() -> None:
    assert operations([call()], resolved=0)["cost_per_resolved_usd"] is None


def test_cache_hits_cost_nothing_and_keep_their_latency_apart() -> None:
    hit = call(latency_s=None, original_latency_s=9.0, cache_hit=True, cached_from="r0", cost_usd=0.0)
    ops = operations([call(latency_s=2.0), hit], resolved=1)
    assert ops["latency_p50_s"] == 2.0 and ops["cache_hits"] == 1
    assert ops["cached_answer_latency_p50_s"] == 9.0
    assert ops["cost_usd"] == pytest.approx(0.01)


def test_truncated_answers_are_counted() -> None:
    ops = operations([call(finish="length"), call()], resolved=1)
    assert ops["truncated"] == 1
