"""Operations figures: percentiles, retries, cache hits and cost per resolved task."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.metrics.operations import operations


def frame(rows: list[dict]) -> pd.DataFrame:  # type: ignore[type-arg]
    base = {
        "status": "ok",
        "attempts": 1,
        "cache_hit": 0,
        "latency_s": 1.0,
        "ttft_s": None,
        "input_tokens": 10,
        "cached_input_tokens": 0,
        "output_tokens": 5,
        "cost_usd": 0.01,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_percentiles_counts_and_cost_per_resolved() -> None:
    rows = [{"latency_s": float(i)} for i in range(1, 101)]
    rows.append(
        {
            "status": "infra_error",
            "latency_s": None,
            "attempts": 5,
            "cost_usd": 0.0,
            "input_tokens": 0,
            "output_tokens": 0,
        }
    )
    ops = operations(frame(rows), resolved=50)
    assert ops["latency_p50_s"] == pytest.approx(50.5)
    assert ops["latency_p95_s"] == pytest.approx(95.05)
    assert ops["latency_p99_s"] == pytest.approx(99.01)
    assert ops["infra_errors"] == 1 and ops["retries"] == 4
    assert ops["cost_usd"] == pytest.approx(1.0)
    assert ops["cost_per_resolved_usd"] == pytest.approx(0.02)


def test_nothing_resolved_means_no_cost_per_resolved() -> None:
    assert operations(frame([{}]), resolved=0)["cost_per_resolved_usd"] is None


def test_cache_hits_do_not_count_as_measured_latency() -> None:
    ops = operations(frame([{"latency_s": 2.0}, {"latency_s": 9.0, "cache_hit": 1}]), resolved=1)
    assert ops["latency_p50_s"] == 2.0 and ops["cache_hits"] == 1
