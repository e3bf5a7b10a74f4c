"""Operations figures for every case of every category: latency, tokens, dollars, retries, errors.

Cost per resolved task divides *all* dollars spent (every answered call, retries included) by the
cases scored correct; that, not the token price, is what a migration decision compares.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def _pct(values: pd.Series, q: float) -> float | None:
    arr = values.dropna().to_numpy(dtype=float)
    return float(np.percentile(arr, q)) if arr.size else None


def operations(results: pd.DataFrame, resolved: int | None) -> dict[str, Any]:
    """`results`: result rows (any status) of one suite or run; `resolved`: cases scored correct."""
    answered = results[results["status"] == "ok"]
    live = answered[answered["cache_hit"] == 0]
    latency = live["latency_s"] if not live.empty else answered["latency_s"]
    ttft = live["ttft_s"] if not live.empty else answered["ttft_s"]
    cost = float(results["cost_usd"].sum())
    return {
        "results": len(results),
        "answered": len(answered),
        "infra_errors": int((results["status"] != "ok").sum()),
        "infra_error_rate": float((results["status"] != "ok").mean()) if len(results) else None,
        "retries": int((results["attempts"] - 1).clip(lower=0).sum()),
        "cache_hits": int(results["cache_hit"].sum()),
        "latency_p50_s": _pct(latency, 50),
        "latency_p95_s": _pct(latency, 95),
        "latency_p99_s": _pct(latency, 99),
        "ttft_p50_s": _pct(ttft, 50),
        "ttft_p95_s": _pct(ttft, 95),
        "input_tokens": int(results["input_tokens"].sum()),
        "cached_input_tokens": int(results["cached_input_tokens"].sum()),
        "output_tokens": int(results["output_tokens"].sum()),
        "cost_usd": cost,
        "resolved": resolved,
        "cost_per_resolved_usd": (cost / resolved) if resolved else None,
    }
