"""The gate's verdicts in the terminal: one row per category, then every reason, so a user reading a
CI log sees the decision and what it stands on without opening a file."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit.compare.verdicts import GateReport

STYLE = {
    "QUALIFIED": "bold green",
    "QUALIFIED_WITH_ESCALATION": "bold cyan",
    "NOT_QUALIFIED": "bold red",
    "INCONCLUSIVE": "bold yellow",
}


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:.6f}"


def print_gate(report: GateReport, console: Console) -> None:
    title = (
        f"gate: {report.candidate.endpoint} ({report.candidate.tier}) vs baseline {report.baseline.endpoint} "
        f"({report.baseline.tier})"
    )
    table = Table(title=title)
    for col in ("category", "verdict", "metric", "baseline", "candidate", "diff [lower, upper]", "margin", "paired",
                "$/resolved base / cand / esc", "escalation policy"):  # fmt: skip
        table.add_column(col, no_wrap=True, justify="left" if col in ("category", "verdict", "metric") else "right")
    for g in report.categories:
        iv = g.interval
        spread = f"{iv.estimate:+.3f} [{iv.lower:+.3f}, {iv.upper:+.3f}]" if iv else "-"
        cost = {o.option: o for o in g.options}
        money = " / ".join(_money(cost[k].cost_per_resolved_usd) if k in cost else "-" for k in
                           ("baseline", "candidate", "escalation"))  # fmt: skip
        esc = cost.get("escalation")
        escalation = (
            f"{esc.escalation_rate:.0%} escalated: {g.escalation_verdict}"
            if g.escalation_verdict and esc and esc.escalation_rate is not None
            else "-"
        )
        table.add_row(
            g.suite,
            Text(g.verdict, style=STYLE[g.verdict]),
            g.metric,
            "-" if g.baseline_metric is None else f"{g.baseline_metric:.3f}",
            "-" if g.candidate_metric is None else f"{g.candidate_metric:.3f}",
            spread,
            f"-{g.margin:.3f}",
            f"{g.counts.paired}/{g.counts.cases}",
            money,
            escalation,
        )
    console.print(table)
    for g in report.categories:
        for reason in g.reasons:
            console.print(Text(f"{g.suite}: {reason}", style="yellow" if g.verdict == "INCONCLUSIVE" else "red"))
        if g.verdict == "QUALIFIED_WITH_ESCALATION":
            note = f"{g.suite}: qualifies only with escalation to {report.baseline.endpoint}"
            console.print(Text(note, style="cyan"))
    console.print(Text(f"overall: {report.overall} (exit {report.exit_code})", style=STYLE[report.overall]))
