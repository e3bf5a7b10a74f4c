"""The sign-off report's figures: PNGs rendered offline and returned as `data:` URIs, one list per category.

Every figure is drawn on a `matplotlib.figure.Figure` attached to an explicit `FigureCanvasAgg`, never
through pyplot: no display is needed, no global backend is switched under a caller (a notebook keeps its
own), and nothing is shared between threads. Rendering is deterministic: matplotlib's default style
(whatever the user's matplotlibrc says), fixed sizes and DPI, no mathtext (labels come from suites and
must not be parsed as TeX), and PNG metadata cleared so no version or date lands in the bytes.

A figure whose data is missing or malformed (no latencies, no metric, a table of another shape) is
skipped: the builders return None and the report shows what it has.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import __version__ as mpl_version
from matplotlib import style as mpl_style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from evalkit.compare.verdicts import CategoryGate, OptionFigures

COLORS = {"baseline": "#6b7280", "candidate": "#2563eb", "escalation": "#9333ea"}
"""One colour per option, the same in every figure and in the HTML."""
DPI = 110
MAX_WIDTH_IN = 9.2
"""Widest figure (inches at `DPI`): what the HTML page shows at full size."""
MAX_MATRIX_LABELS = 30
"""Past this many labels a confusion matrix is unreadable as an image; the JSON still has it."""
BASELINE_MATRIX_LABELS = 12
"""The baseline's matrix is drawn beside the candidate's only while both stay legible."""
MAX_FIELDS = 40

_HORIZONTAL: dict[str, Any] = (
    {"orientation": "horizontal"} if tuple(map(int, mpl_version.split(".")[:2])) >= (3, 10) else {"vert": False}
)
"""`boxplot(vert=False)` is deprecated from matplotlib 3.11 on; `orientation` exists from 3.10 on."""

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.titlesize": 10,
    "text.parse_math": False,
    "svg.hashsalt": "evalkit",
}


@dataclass(frozen=True)
class Plot:
    key: str
    """`cost`, `latency`, `confusion` or `fields`: stable, for tests and anchors."""
    title: str
    alt: str
    uri: str
    """`data:image/png;base64,...`"""
    width: int
    height: int


def category_plots(gate: CategoryGate) -> list[Plot]:
    """Every figure the category's data supports, in reading order."""
    builders: Sequence[Callable[[CategoryGate], Plot | None]] = (
        quality_vs_cost,
        latency_distribution,
        confusion_matrices,
        field_accuracy,
    )
    return [p for p in (b(gate) for b in builders) if p is not None]


def _style() -> AbstractContextManager[None]:
    """matplotlib's defaults plus ours, whatever the user's matplotlibrc or an earlier caller changed."""
    return mpl_style.context(["default", _STYLE])


def _render(fig: Figure, key: str, title: str, alt: str) -> Plot:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    width, height = (round(v) for v in fig.get_size_inches() * DPI)
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return Plot(key=key, title=title, alt=alt, uri=uri, width=width, height=height)


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def quality_vs_cost(gate: CategoryGate) -> Plot | None:
    """The three routing options: decision metric against dollars per resolved task."""
    points: list[tuple[OptionFigures, float, float]] = []
    for opt in gate.options:
        quality, cost = _finite(opt.quality), _finite(opt.cost_per_resolved_usd)
        if quality is not None and cost is not None:
            points.append((opt, cost, quality))
    if not points:
        return None
    with _style():
        fig = _figure(4.6, 3.2)
        ax = fig.add_subplot()
        costs = [c for _, c, _ in points]
        if min(costs) > 0 and max(costs) / min(costs) > 50:
            ax.set_xscale("log")
        for opt, cost, quality in points:
            ax.scatter([cost], [quality], s=60, color=COLORS[opt.option], zorder=3, label=opt.option)
            text = opt.option if opt.escalation_rate is None else f"{opt.option} ({opt.escalation_rate:.0%} esc.)"
            ax.annotate(text, (cost, quality), xytext=(6, 5), textcoords="offset points", fontsize=8)
        baseline = next((q for o, _, q in points if o.option == "baseline"), None)
        if baseline is not None:
            ax.axhline(baseline - gate.margin, color="#dc2626", linestyle="--", linewidth=1)
            ax.annotate(
                f"baseline - margin ({gate.margin:g})",
                (0.99, baseline - gate.margin),
                xycoords=("axes fraction", "data"),
                xytext=(0, -11),
                textcoords="offset points",
                ha="right",
                fontsize=7,
                color="#dc2626",
            )
        qualities = [q for _, _, q in points] + ([baseline - gate.margin] if baseline is not None else [])
        pad = max(0.02, (max(qualities) - min(qualities)) * 0.25)
        ax.set_ylim(min(qualities) - pad, max(qualities) + pad)
        if ax.get_xscale() == "linear":
            ax.set_xlim(0, max(costs) * 1.35 or 1.0)
        ax.set_xlabel("cost per resolved task (USD)")
        ax.set_ylabel(gate.metric)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        drawn = {o.option for o, _, _ in points}
        missing = [o.option for o in gate.options if o.option not in drawn]
        title = "Quality vs cost per resolved task"
        ax.set_title(title + (f"\n(not drawn: {', '.join(missing)})" if missing else ""))
        alt = "; ".join(f"{o.option}: {gate.metric} {q:.3f} at ${c:.5g} per resolved task" for o, c, q in points)
        return _render(fig, "cost", title, alt)


def latency_distribution(gate: CategoryGate) -> Plot | None:
    """Live call latencies, baseline against candidate."""
    sides = []
    for side in ("baseline", "candidate"):
        values = [v for v in (_finite(x) for x in gate.latencies_s.get(side, [])) if v is not None]
        if values:
            sides.append((side, values))
    if not sides:
        return None
    with _style():
        fig = _figure(4.6, 1.2 + 0.7 * len(sides))
        ax = fig.add_subplot()
        box = ax.boxplot(
            [v for _, v in sides],
            **_HORIZONTAL,
            widths=0.55,
            patch_artist=True,
            medianprops={"color": "black"},
            flierprops={"markersize": 3, "alpha": 0.5},
        )
        ax.set_yticks(range(1, len(sides) + 1), [f"{s}\n(n={len(v)})" for s, v in sides])
        for patch, (side, _) in zip(box["boxes"], sides, strict=True):
            patch.set_facecolor(COLORS[side])
            patch.set_alpha(0.55)
        ax.invert_yaxis()  # baseline on top, as in every table
        ax.set_xlabel("latency per call (s)")
        ax.grid(True, axis="x", linewidth=0.4, alpha=0.5)
        title = "Latency per call"
        ax.set_title(title)
        alt = "; ".join(
            f"{s}: median {float(np.median(v)):.2f} s, p95 {float(np.percentile(v, 95)):.2f} s over {len(v)} calls"
            for s, v in sides
        )
        return _render(fig, "latency", title, alt)


def _matrix(table: object) -> tuple[list[str], np.ndarray] | None:
    cm = table.get("confusion_matrix") if isinstance(table, dict) else None
    if not isinstance(cm, dict):
        return None
    labels, rows = cm.get("labels"), cm.get("matrix")
    if not isinstance(labels, list) or not isinstance(rows, list) or not 0 < len(labels) <= MAX_MATRIX_LABELS:
        return None
    if len(rows) != len(labels) or any(not isinstance(r, list) or len(r) != len(labels) for r in rows):
        return None
    if any(_finite(x) is None for r in rows for x in r):
        return None
    return [str(label) for label in labels], np.array(rows, dtype=float)


def confusion_matrices(gate: CategoryGate) -> Plot | None:
    """The candidate's confusion matrix, with the baseline's beside it while the labels are few."""
    candidate = _matrix(gate.tables.get("candidate"))
    if candidate is None:
        return None
    panels = [("candidate", *candidate)]
    baseline = _matrix(gate.tables.get("baseline"))
    if baseline is not None and len(baseline[0]) <= BASELINE_MATRIX_LABELS:
        panels.insert(0, ("baseline", *baseline))
    n = len(candidate[0])
    side = min(2.2 + 0.42 * n, MAX_WIDTH_IN / len(panels))
    with _style():
        fig = _figure(side * len(panels), side + 0.3)
        for i, (name, labels, m) in enumerate(panels):
            ax = fig.add_subplot(1, len(panels), i + 1)
            ax.imshow(m, cmap="Blues", vmin=0, vmax=max(float(m.max()), 1.0))
            ticks = range(len(labels))
            ax.set_xticks(ticks, labels, rotation=35, ha="right", rotation_mode="anchor", fontsize=8)
            ax.set_yticks(ticks, labels, fontsize=8)
            ax.set_xlabel("predicted")
            if i == 0:
                ax.set_ylabel("expected")
            ax.set_title(name, color=COLORS[name])
            if len(labels) <= 15:
                top = float(m.max()) or 1.0
                for (r, c), v in np.ndenumerate(m):
                    color = "white" if v > top / 2 else "black"
                    ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=8, color=color)
        title = "Confusion matrices" if len(panels) > 1 else "Confusion matrix"
        fig.suptitle(title)
        diag = ", ".join(f"{name} {int(np.trace(m))} of {int(m.sum())} on the diagonal" for name, _, m in panels)
        return _render(fig, "confusion", title, f"{title} over labels {', '.join(candidate[0])}: {diag}")


def _field_accuracy(table: object) -> dict[str, float | None] | None:
    per_field = table.get("per_field") if isinstance(table, dict) else None
    if not isinstance(per_field, dict) or not per_field:
        return None
    out: dict[str, float | None] = {}
    for name, row in per_field.items():
        out[str(name)] = _finite(row.get("accuracy")) if isinstance(row, dict) else None
    return out if any(v is not None for v in out.values()) else None


def _pct(value: float | None) -> str:
    return "n.a." if value is None else f"{value:.2f}"


def field_accuracy(gate: CategoryGate) -> Plot | None:
    """Extraction: accuracy per gold field, baseline against candidate."""
    sides = {s: _field_accuracy(gate.tables.get(s)) for s in ("baseline", "candidate")}
    present = {s: t for s, t in sides.items() if t is not None}
    if not present:
        return None
    fields: list[str] = []
    for table in present.values():
        fields += [f for f in table if f not in fields]
    fields = fields[:MAX_FIELDS]
    y = np.arange(len(fields))
    height = 0.8 / len(present)
    with _style():
        fig = _figure(5.2, 1.1 + 0.34 * len(fields) * max(len(present), 1.5) / 1.5)
        ax = fig.add_subplot()
        for i, (side, table) in enumerate(present.items()):
            values = [table.get(f) for f in fields]
            offsets = y - 0.4 + height * (i + 0.5)
            ax.barh(offsets, [v or 0.0 for v in values], height=height * 0.9, color=COLORS[side], label=side)
            for off, v in zip(offsets, values, strict=True):
                ax.text(min(v or 0.0, 1.0) + 0.01, off, _pct(v), va="center", fontsize=7)
        ax.set_yticks(y, fields)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.set_xlabel("field accuracy")
        ax.grid(True, axis="x", linewidth=0.4, alpha=0.5)
        ax.legend(loc="lower right", fontsize=7, framealpha=0.9)
        title = "Accuracy per field"
        ax.set_title(title)
        alt = "; ".join(f"{f}: " + ", ".join(f"{s} {_pct(t.get(f))}" for s, t in present.items()) for f in fields)
        return _render(fig, "fields", title, alt)
