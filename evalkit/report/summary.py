"""The run summary: printed after `evalkit run` / `evalkit score` and written under `reports/<run>/`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit.metrics.suite import SuiteMetrics
from evalkit.report.files import write_atomic


def fmt(value: Any, spec: str = ".3f") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value and abs(value) < 0.001:
            return format(value, ".3g")  # dollars per call on cheap tiers are this small
        return format(value, spec)
    return str(value)


def print_summary(
    suites: list[SuiteMetrics], run_id: str, console: Console, judges: dict[str, dict[str, Any]] | None = None
) -> None:
    table = Table(title=f"run {run_id}")
    for col in (
        "suite",
        "scored",
        "primary metric",
        "resolved",
        "adversarial",
        "infra err",
        "p50 / p95 s",
        "tokens in / out",
        "cost $",
        "$ / resolved",
    ):
        table.add_column(col, justify="left" if col in ("suite", "primary metric") else "right", no_wrap=True)
    for s in suites:
        ops = s.operations
        table.add_row(
            s.suite,
            f"{s.scored}/{s.planned}",
            f"{s.primary_metric} {fmt(s.primary)}",
            fmt(s.values.get("resolved_rate")),
            fmt(s.values.get("adversarial_pass_rate")),
            fmt(ops.get("infra_errors")),
            f"{fmt(ops.get('latency_p50_s'), '.2f')} / {fmt(ops.get('latency_p95_s'), '.2f')}",
            f"{fmt(ops.get('input_tokens'))} / {fmt(ops.get('output_tokens'))}",
            fmt(ops.get("cost_usd"), ".4f"),
            fmt(ops.get("cost_per_resolved_usd"), ".5f"),
        )
    console.print(table)
    for s in suites:
        for warning in s.warnings:
            console.print(Text(f"warning: {s.suite}: {warning}", style="yellow"))
    for s in suites:
        detail = " · ".join(
            f"{k} {fmt(v)}"
            for k, v in s.values.items()
            if k not in (s.primary_metric, "resolved_rate", "adversarial_pass_rate")
        )
        console.print(f"[bold]{s.suite}[/bold] ({s.category}): {detail}", highlight=False)
        ops = s.operations
        if ops:
            console.print(
                f"  operations: p99 {fmt(ops.get('latency_p99_s'), '.2f')} s · ttft p50 "
                f"{fmt(ops.get('ttft_p50_s'), '.2f')} s · retries {fmt(ops.get('retries'))} · cache hits "
                f"{fmt(ops.get('cache_hits'))} · cached input tokens {fmt(ops.get('cached_input_tokens'))}",
                highlight=False,
            )
        for judge, j in (judges or {}).get(s.suite, {}).items():
            console.print(
                f"  judge {judge} (not part of the metrics above): mean fidelity {fmt(j['mean_fidelity'], '.2f')} "
                f"over {j['judged']} answers, {j['errors']} without a verdict, judge cost ${j['cost_usd']:.4f}",
                highlight=False,
            )


_ENV = jinja2.sandbox.SandboxedEnvironment(
    loader=jinja2.PackageLoader("evalkit.report", "templates"), undefined=jinja2.StrictUndefined, autoescape=False
)
"""Sandboxed too: report templates render values that came from models and suites."""


def write_report(suites: list[SuiteMetrics], run_id: str, out_dir: Path, meta: dict[str, Any]) -> Path:
    """`summary.json` (everything) and `summary.md` (for people), each written whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"run_id": run_id, **meta, "suites": [s.to_dict() for s in suites]}
    files = {
        "summary.json": json.dumps(payload, indent=2, sort_keys=True, default=str),
        "summary.md": _ENV.get_template("summary.md.j2").render(run_id=run_id, suites=suites, fmt=fmt, **meta),
    }
    for name, text in files.items():
        write_atomic(out_dir / name, text)
    return out_dir / "summary.md"
