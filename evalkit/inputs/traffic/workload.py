"""The workload map: per surface, what the traffic is and what it costs today (the seed's first output).

Computed over every logged call (not the sample): volume and share, input and output tokens, the
models serving it and their cost at the endpoint profiles' list prices, tool use, output structure,
and retry, escalation and failure rates where the log records them. A model is priced by the profile
in `runners/endpoints/` whose `model` equals the logged model id (or is its longest prefix, so
`gpt-5.5-2026-04-23` is priced as `gpt-5.5`); a model no profile names is listed as unpriced rather
than guessed. Rates over an optional field say how many calls logged it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from evalkit.errors import InputError
from evalkit.inputs.endpoints import EndpointProfile, available_endpoints, load_endpoint
from evalkit.inputs.traffic.calls import TrafficCall
from evalkit.records import Usage

__all__ = ["Structure", "SurfaceLoad", "WorkloadMap", "build_map", "load_prices", "structure_of", "to_markdown"]

Structure = Literal["free_text", "json", "tool_calls"]
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.S)


def structure_of(call: TrafficCall) -> Structure:
    if call.answer_calls:
        return "tool_calls"
    text = call.answer_text.strip()
    m = _FENCE.match(text)
    try:
        value = json.loads(m.group(1) if m else text)
    except json.JSONDecodeError:
        return "free_text"
    return "json" if isinstance(value, dict | list) else "free_text"


class Rate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rate: float | None
    logged: int
    """Calls that recorded the field the rate is over."""


class SurfaceLoad(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surface: str
    named_by: Literal["metadata", "fingerprint"]
    calls: int
    share: float
    failed: int
    formats: dict[str, int]
    models: dict[str, int]
    current_model: str | None
    input_tokens: int
    output_tokens: int
    mean_input_tokens: float | None
    mean_output_tokens: float | None
    usage_logged: int
    cost_usd: float | None
    """At list prices, over the calls whose model a profile prices; None when none is priced."""
    cost_per_call_usd: float | None
    priced_by: dict[str, str]
    """Model -> endpoint profile whose price was used."""
    unpriced_models: list[str]
    tools_offered_rate: float
    tool_call_rate: float
    output_structure: dict[str, int]
    retry_rate: Rate
    escalation_rate: Rate
    latency_p50_s: float | None
    latency_p95_s: float | None
    category: str | None = None
    """The category its suite was drafted as (None when nothing could be drafted)."""
    suites: list[str] = Field(default_factory=list)


class WorkloadMap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[str]
    calls: int
    failed: int
    cost_usd: float | None
    surfaces: list[SurfaceLoad]
    pii_replaced: dict[str, int] = Field(default_factory=dict)
    """Values replaced in what was written, per kind (counts only, never values)."""


def load_prices(directory: Path) -> tuple[list[EndpointProfile], list[str]]:
    """Every readable endpoint profile with a token price, and the names of unreadable ones."""
    profiles, broken = [], []
    for name in available_endpoints(directory) if directory.is_dir() else []:
        try:
            profile = load_endpoint(name, directory)
        except InputError:
            broken.append(name)
            continue
        if profile.price.input_per_mtok is not None or profile.price.output_per_mtok is not None:
            profiles.append(profile)
    return profiles, broken


def _profile_for(model: str, profiles: list[EndpointProfile]) -> EndpointProfile | None:
    exact = [p for p in profiles if p.model == model]
    if exact:
        return sorted(exact, key=lambda p: p.name)[0]
    prefixed = [p for p in profiles if model.startswith(p.model)]
    return max(prefixed, key=lambda p: (len(p.model), p.name)) if prefixed else None


def _surface(
    name: str, named_by: str, calls: list[TrafficCall], total: int, profiles: list[EndpointProfile]
) -> SurfaceLoad:
    models = Counter(c.model or "unknown" for c in calls)
    with_usage = [c for c in calls if c.input_tokens is not None and c.output_tokens is not None]
    tokens_in = sum(c.input_tokens or 0 for c in with_usage)
    tokens_out = sum(c.output_tokens or 0 for c in with_usage)
    priced_by: dict[str, str] = {}
    unpriced: set[str] = set()
    cost, priced_calls = 0.0, 0
    for c in with_usage:
        profile = _profile_for(c.model, profiles) if c.model else None
        if profile is None:
            unpriced.add(c.model or "unknown")
            continue
        priced_by[c.model or ""] = profile.name
        usage = Usage(
            input_tokens=c.input_tokens or 0,
            cached_input_tokens=c.cached_input_tokens,
            output_tokens=c.output_tokens or 0,
        )
        cost += profile.price.cost(usage)
        priced_calls += 1
    answered = [c for c in calls if not c.failed]
    retries = [c.meta.retries for c in calls if c.meta.retries is not None]
    escalations = [c.meta.escalated for c in calls if c.meta.escalated is not None]
    latencies = [c.meta.latency_s for c in calls if c.meta.latency_s is not None]
    structure = Counter(structure_of(c) for c in answered)
    return SurfaceLoad(
        surface=name,
        named_by="metadata" if named_by == "metadata" else "fingerprint",
        calls=len(calls),
        share=len(calls) / total if total else 0.0,
        failed=len(calls) - len(answered),
        formats=dict(Counter(c.format for c in calls)),
        models=dict(models.most_common()),
        current_model=models.most_common(1)[0][0] if calls else None,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        mean_input_tokens=tokens_in / len(with_usage) if with_usage else None,
        mean_output_tokens=tokens_out / len(with_usage) if with_usage else None,
        usage_logged=len(with_usage),
        cost_usd=cost if priced_calls else None,
        cost_per_call_usd=cost / priced_calls if priced_calls else None,
        priced_by=priced_by,
        unpriced_models=sorted(unpriced),
        tools_offered_rate=sum(1 for c in calls if c.tools) / len(calls) if calls else 0.0,
        tool_call_rate=structure["tool_calls"] / len(answered) if answered else 0.0,
        output_structure={k: structure[k] for k in ("free_text", "json", "tool_calls")},
        retry_rate=Rate(rate=sum(1 for r in retries if r > 0) / len(retries) if retries else None, logged=len(retries)),
        escalation_rate=Rate(
            rate=sum(escalations) / len(escalations) if escalations else None, logged=len(escalations)
        ),
        latency_p50_s=float(np.percentile(latencies, 50)) if latencies else None,
        latency_p95_s=float(np.percentile(latencies, 95)) if latencies else None,
    )


def build_map(
    files: list[Path], calls: list[TrafficCall], surfaces: list[str], profiles: list[EndpointProfile]
) -> WorkloadMap:
    groups: dict[str, list[TrafficCall]] = {}
    for call, surface in zip(calls, surfaces, strict=True):
        groups.setdefault(surface, []).append(call)
    loads = [
        _surface(name, "metadata" if members[0].meta.surface else "fingerprint", members, len(calls), profiles)
        for name, members in groups.items()
    ]
    loads.sort(key=lambda s: (-s.calls, s.surface))
    priced = [s.cost_usd for s in loads if s.cost_usd is not None]
    return WorkloadMap(
        files=[str(f) for f in files],
        calls=len(calls),
        failed=sum(1 for c in calls if c.failed),
        cost_usd=sum(priced) if priced else None,
        surfaces=loads,
    )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def _money(x: float | None) -> str:
    return "n/a" if x is None else f"${x:,.4f}"


def to_markdown(wm: WorkloadMap) -> str:
    lines = [
        "# Workload map",
        "",
        f"{wm.calls:,} logged calls ({wm.failed:,} failed) from {len(wm.files)} file(s); "
        f"cost at endpoint list prices {_money(wm.cost_usd)}.",
        "",
        "| surface | calls | share | model | in tok (mean) | out tok (mean) | cost | $/call | tools | output "
        "(text/json/calls) | retry | escalation | category |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for s in wm.surfaces:
        o = s.output_structure
        mean_in = "n/a" if s.mean_input_tokens is None else f"{s.mean_input_tokens:,.0f}"
        mean_out = "n/a" if s.mean_output_tokens is None else f"{s.mean_output_tokens:,.0f}"
        lines.append(
            f"| {s.surface} | {s.calls:,} | {s.share:.1%} | {s.current_model} | {s.input_tokens:,} ({mean_in}) | "
            f"{s.output_tokens:,} ({mean_out}) | {_money(s.cost_usd)} | {_money(s.cost_per_call_usd)} | "
            f"{s.tools_offered_rate:.0%} | {o['free_text']}/{o['json']}/{o['tool_calls']} | "
            f"{_pct(s.retry_rate.rate)} (n={s.retry_rate.logged}) | {_pct(s.escalation_rate.rate)} "
            f"(n={s.escalation_rate.logged}) | {s.category or '-'} |"
        )
    lines += ["", "Surfaces named by metadata come from the log; others by a fingerprint of system prompt + tools."]
    for s in wm.surfaces:
        notes = []
        if len(s.models) > 1:
            notes.append("models " + ", ".join(f"{m} {n}" for m, n in s.models.items()))
        if s.unpriced_models:
            notes.append("no endpoint profile prices " + ", ".join(s.unpriced_models))
        if s.failed:
            notes.append(f"{s.failed} failed calls")
        if s.latency_p50_s is not None:
            notes.append(f"latency p50 {s.latency_p50_s:.2f} s, p95 {s.latency_p95_s:.2f} s")
        if s.suites:
            notes.append("drafted suites " + ", ".join(s.suites))
        if notes:
            lines.append(f"- **{s.surface}** ({s.named_by}): " + "; ".join(notes))
    if wm.pii_replaced:
        lines += [
            "",
            "PII replaced before writing: " + ", ".join(f"{k} {n}" for k, n in sorted(wm.pii_replaced.items())),
        ]
    return "\n".join(lines) + "\n"
