"""The per-suite summary printed after a run, computed from the store alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table


def suite_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Operations figures per suite: the part of the summary every category shares."""
    rows = []
    for suite, g in frame.groupby("suite", sort=False):
        ok = g[g["status"] == "ok"]
        lat = ok["latency_s"].dropna().to_numpy()
        rows.append(
            {
                "suite": suite,
                "category": g["category"].iloc[0],
                "results": len(g),
                "ok": len(ok),
                "infra_errors": int((g["status"] != "ok").sum()),
                "cache_hits": int(g["cache_hit"].sum()),
                "p50_latency_s": float(np.percentile(lat, 50)) if lat.size else None,
                "p95_latency_s": float(np.percentile(lat, 95)) if lat.size else None,
                "input_tokens": int(g["input_tokens"].sum()),
                "output_tokens": int(g["output_tokens"].sum()),
                "cost_usd": float(g["cost_usd"].sum()),
            }
        )
    return pd.DataFrame(rows)


def _fmt(value: object, spec: str = "") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return format(value, spec)


def print_summary(frame: pd.DataFrame, run_id: str, console: Console) -> None:
    table = Table(title=f"run {run_id}")
    for col in (
        "suite",
        "category",
        "results",
        "ok",
        "infra err",
        "cached",
        "p50 s",
        "p95 s",
        "tokens in",
        "tokens out",
        "cost $",
    ):
        table.add_column(col, justify="left" if col in ("suite", "category") else "right")
    if not frame.empty:
        for r in suite_summary(frame).to_dict("records"):
            table.add_row(
                str(r["suite"]),
                str(r["category"]),
                str(r["results"]),
                str(r["ok"]),
                str(r["infra_errors"]),
                str(r["cache_hits"]),
                _fmt(r["p50_latency_s"], ".2f"),
                _fmt(r["p95_latency_s"], ".2f"),
                f"{r['input_tokens']:,}",
                f"{r['output_tokens']:,}",
                f"{r['cost_usd']:.4f}",
            )
    console.print(table)
