"""The compare report: one `CompareReport` as the files a person and a nightly job read, and a terminal table.

- `compare.md`: for a pull request or a chat message; text only;
- `compare.html`: one self-contained page in the sign-off report's style (inline CSS, the similarity
  histograms as `data:` URIs, no script, no URL, a Content-Security-Policy that fetches nothing);
- `compare.json`: `report.model_dump(mode="json")`, which `CompareReport.model_validate_json` reads back.

The machinery is the sign-off report's, reused rather than copied: the same sandboxed jinja2
environments (autoescaping for HTML; Markdown escaped through `md`), the same escaping and number
helpers, the same deterministic offline figures, the same whole-file atomic writes. Every file's first
line is the report's headline: a changed server fingerprint on the same endpoint when there is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit.compare.drift_models import CompareReport, MetricDelta, Pair, SuiteDrift, TokenDrift
from evalkit.report.files import write_atomic
from evalkit.report.plots import COLORS, Plot, _figure, _render, _style
from evalkit.report.signoff import _HTML_ENV, _MD_ENV, code, excerpt, md, server_text, signed
from evalkit.report.summary import fmt

EXCERPT_MD = 160
EXCERPT_HTML = 600


@dataclass(frozen=True)
class CompareFiles:
    markdown: Path
    html: Path
    json: Path


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def arrow(pair: Pair, spec: str = ".3f", percent: bool = False) -> str:
    """`0.812 → 0.790 (−0.022)`; rates as percentages."""
    if pair.before is None and pair.after is None:
        return "-"
    show = pct if percent else (lambda v: fmt(v, spec))
    text = f"{show(pair.before)} → {show(pair.after)}"
    if pair.delta:
        text += f" ({signed(pair.delta * 100, '.1f') + ' pt' if percent else signed(pair.delta, spec)})"
    return text


def bounds(metric: MetricDelta) -> str:
    """`−0.022 [−0.050, +0.010]`: the primary metric's paired difference with its one-sided bounds."""
    iv = metric.interval
    if iv is None:
        return signed(metric.delta) + (f" ({metric.note})" if metric.note else "")
    return f"{signed(iv.estimate)} [{signed(iv.lower)}, {signed(iv.upper)}]"


def tokens(drift: TokenDrift) -> str:
    """`+1 on 40 of 40` or `none of 40 changed`."""
    if not drift.compared:
        return "-"
    if not drift.changed:
        return f"none of {drift.compared} changed"
    spread = ", ".join(f"{d} on {n}" for d, n in list(drift.deltas.items())[:3])
    return f"{spread} of {drift.compared}" + (" …" if len(drift.deltas) > 3 else "")


def primary(suite: SuiteDrift) -> MetricDelta:
    return next(m for m in suite.metrics if m.primary)


def counts_text(values: dict[str, int]) -> str:
    return ", ".join(f"{k} ({n})" for k, n in values.items()) or "-"


def similarity_plot(suite: SuiteDrift) -> Plot | None:
    """Per-case answer similarity, before against after: a histogram in 5-point bins."""
    values = np.array(list(suite.behaviour.similarity.per_case.values()), dtype=float)
    if not values.size:
        return None
    with _style():
        fig = _figure(4.6, 2.6)
        ax = fig.add_subplot()
        ax.hist(values, bins=[float(x) for x in range(0, 105, 5)], color=COLORS["candidate"], alpha=0.8)
        ax.set_xlim(0, 100)
        ax.set_xlabel("answer similarity, before vs after (0-100)")
        ax.set_ylabel("cases")
        ax.grid(True, axis="y", linewidth=0.4, alpha=0.5)
        title = "Answer similarity per case"
        ax.set_title(title)
        sim = suite.behaviour.similarity
        alt = f"{sim.cases} cases, {sim.identical} identical, median {fmt(sim.median, '.1f')}"
        return _render(fig, "similarity", title, alt)


def _context(report: CompareReport, plots: dict[int, Plot | None] | None = None) -> dict[str, Any]:
    return {
        "r": report,
        "plots": plots or {},
        "excerpt_md": EXCERPT_MD,
        "excerpt_html": EXCERPT_HTML,
        "fmt": fmt,
        "md": md,
        "code": code,
        "excerpt": excerpt,
        "signed": signed,
        "pct": pct,
        "arrow": arrow,
        "bounds": bounds,
        "tokens": tokens,
        "primary": primary,
        "counts_text": counts_text,
        "server_text": server_text,
    }


def render_markdown(report: CompareReport) -> str:
    return _MD_ENV.get_template("compare.md.j2").render(**_context(report))


def render_html(report: CompareReport) -> str:
    plots = {i: similarity_plot(s) for i, s in enumerate(report.suites)}
    return _HTML_ENV.get_template("compare.html.j2").render(**_context(report, plots))


def render_json(report: CompareReport) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def write_compare(report: CompareReport, out_dir: Path) -> CompareFiles:
    """Render all three files, then write each one whole (a crash leaves the old file or none, never half)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = CompareFiles(markdown=out_dir / "compare.md", html=out_dir / "compare.html", json=out_dir / "compare.json")
    rendered = {
        files.markdown: render_markdown(report).encode(),
        files.html: render_html(report).encode(),
        files.json: render_json(report).encode(),
    }
    for path, data in rendered.items():
        write_atomic(path, data)
    return files


def print_compare(report: CompareReport, console: Console) -> None:
    """The headline (a changed fingerprint first), one row per suite, then the differences and reasons."""
    style = "bold yellow" if report.fingerprint_changed else ("bold red" if report.regressed else "bold green")
    console.print(Text(report.headline, style=style))
    # Every cell is a Text: suite names, metrics and intervals hold brackets rich would read as markup.
    before, after = report.before, report.after
    title = f"compare: {before.run_id} ({before.endpoint}) → {after.run_id} ({after.endpoint})"
    table = Table(title=Text(title))
    columns = (
        "suite",
        "newly failing",
        "newly passing",
        "flaky",
        "primary Δ [bounds]",
        "input tokens",
        "similarity p50",
        "format changes",
        "regressed",
    )
    for col in columns:
        table.add_column(Text(col), no_wrap=True, justify="left" if col in ("suite", "input tokens") else "right")
    for s in report.suites:
        p = primary(s)
        cells = (
            s.suite,
            str(len(s.newly_failing)),
            str(len(s.newly_passing)),
            str(len(s.flaky)),
            f"{p.metric} {bounds(p)}",
            tokens(s.serving.input_tokens),
            fmt(s.behaviour.similarity.median, ".1f"),
            str(len(s.behaviour.format_changes)),
        )
        verdict = Text("REGRESSED", style="bold red") if s.regressed else Text("no", style="green")
        table.add_row(*(Text(c) for c in cells), verdict)
    console.print(table)
    for line in report.differences:
        console.print(Text(line, style="yellow"))
    for s in report.suites:
        for note in s.drift:
            console.print(Text(f"{s.suite}: {note}", style="cyan"))
    for reason in report.reasons:
        console.print(Text(reason, style="red"))
    overall = "REGRESSED" if report.regressed else "no regression"
    console.print(
        Text(
            f"overall: {overall} (tolerance {report.tolerance} newly failing per suite)",
            style="bold red" if report.regressed else "bold green",
        )
    )
