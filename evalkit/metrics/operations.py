"""Operations figures for every case of every category: latency, tokens, dollars, retries, errors.

Cost per resolved task divides *all* dollars this run spent (every answered call, retries included;
cache hits cost nothing) by the cases scored correct; that, not the token price, is what a migration
decision compares. Latency figures come from live calls only: a cache hit measured nothing now.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol


class TokenCounts(Protocol):
    """A call's token counts: `Usage`, or the store's light `Tokens`."""

    @property
    def input_tokens(self) -> int: ...
    @property
    def cached_input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...


class CallFigures(Protocol):
    """What the figures read of a call: a `CallRecord` has these, and so has the store's light
    `CallFigures` row, which a report of a 100,000-call run reads instead of parsing every request."""

    @property
    def status(self) -> str: ...
    @property
    def cache_hit(self) -> bool: ...
    @property
    def attempts(self) -> int: ...
    @property
    def cost_usd(self) -> float: ...
    @property
    def latency_s(self) -> float | None: ...
    @property
    def ttft_s(self) -> float | None: ...
    @property
    def original_latency_s(self) -> float | None: ...
    @property
    def usage(self) -> TokenCounts: ...
    @property
    def truncated(self) -> bool: ...


def _pct(values: Sequence[float | None], q: float) -> float | None:
    """numpy's default percentile (linear interpolation between closest ranks), in plain Python: this
    runs for every report, and importing numpy for it cost every `evalkit run` a few hundred ms."""
    xs = sorted(float(v) for v in values if v is not None)
    if not xs:
        return None
    h = (len(xs) - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def operations(calls: Sequence[CallFigures], resolved: int | None) -> dict[str, Any]:
    """`calls`: call records (any status) of one suite or run; `resolved`: cases scored correct."""
    answered = [c for c in calls if c.status == "ok"]
    live = [c for c in answered if not c.cache_hit]
    cost = float(sum(c.cost_usd for c in calls))
    errors = sum(c.status != "ok" for c in calls)
    return {
        "results": len(calls),
        "answered": len(answered),
        "infra_errors": errors,
        "infra_error_rate": errors / len(calls) if calls else None,
        "truncated": sum(c.truncated for c in answered),
        "retries": sum(max(c.attempts - 1, 0) for c in calls),
        "cache_hits": sum(c.cache_hit for c in calls),
        "latency_p50_s": _pct([c.latency_s for c in live], 50),
        "latency_p95_s": _pct([c.latency_s for c in live], 95),
        "latency_p99_s": _pct([c.latency_s for c in live], 99),
        "ttft_p50_s": _pct([c.ttft_s for c in live], 50),
        "ttft_p95_s": _pct([c.ttft_s for c in live], 95),
        "cached_answer_latency_p50_s": _pct([c.original_latency_s for c in answered if c.cache_hit], 50),
        "input_tokens": sum(c.usage.input_tokens for c in calls),
        "cached_input_tokens": sum(c.usage.cached_input_tokens for c in calls),
        "output_tokens": sum(c.usage.output_tokens for c in calls),
        "cost_usd": cost,
        "resolved": resolved,
        "cost_per_resolved_usd": (cost / resolved) if resolved else None,
    }
