"""Surfaces, de-duplication and the seeded, stratified sample each surface's suite is drafted from.

A call's **surface** is, in order: an explicit `surface` in its metadata (record, `metadata` block,
the request's `metadata`, a `surface:NAME` tag, or a span's `surface` attribute); else a stable
fingerprint of what the application fixed for that kind of call: the system prompt with digits
folded (so a date or an order number templated into it does not split a surface) and the sorted
tool names. Fingerprinted surfaces are named from the first words of the (scrubbed) system prompt
plus 8 hex digits of the fingerprint, so the name is the same on every import of the same traffic.

**Sampling** is stratified by surface: each surface gets up to `per_surface` calls, drawn in a seeded
random order that does not depend on the order of the log lines (each call is ranked by a hash of its
content and the seed). **De-duplication** runs while drawing: an exact duplicate (same messages and
tools) or a near duplicate (rapidfuzz `ratio` of the request text >= `near_threshold` against a call
already drawn for that surface) is skipped and counted, so a surface's sample is of distinct requests.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from evalkit.inputs.traffic.calls import TrafficCall

__all__ = ["Sample", "draw_samples", "request_key", "request_text", "surface_of"]

_WORD = re.compile(r"[a-z0-9]+")


def _system(call: TrafficCall) -> str:
    return "\n".join(m.content or "" for m in call.messages if m.role == "system")


def surface_of(call: TrafficCall, slug_text: str | None = None) -> str:
    """The call's surface name (see the module docstring); `slug_text` is the scrubbed system prompt."""
    if call.meta.surface:
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", call.meta.surface).strip("-") or "surface"
    system = _system(call)
    folded = re.sub(r"\d+", "0", system)
    tools = sorted(t.name for t in call.tools)
    digest = hashlib.sha256(json.dumps([folded, tools]).encode()).hexdigest()[:8]
    words = _WORD.findall((slug_text if slug_text is not None else system).casefold())[:5]
    stem = "-".join(words) if words else ("tools-" + "-".join(tools[:3]) if tools else "no-system")
    return f"{stem[:48].strip('-')}-{digest}"


def request_key(call: TrafficCall) -> str:
    """Exact identity of a request: its messages and tools."""
    payload = [[m.model_dump(mode="json") for m in call.messages], [t.model_dump(mode="json") for t in call.tools]]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def request_text(call: TrafficCall) -> str:
    """What near-duplicate matching compares: every non-system message's text and tool calls."""
    parts = []
    for m in call.messages:
        if m.role != "system":
            parts.append(m.content or "")
            parts.extend(c.raw_arguments for c in m.tool_calls)
    return "\n".join(parts)[:4000]


@dataclass
class Sample:
    """One surface's drawn calls and what was skipped on the way."""

    surface: str
    calls: list[TrafficCall] = field(default_factory=list)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    undraftable: Counter[str] = field(default_factory=Counter)


def draw_samples(
    calls: list[TrafficCall],
    surfaces: list[str],
    *,
    per_surface: int,
    seed: int,
    near_threshold: float = 95.0,
) -> dict[str, Sample]:
    """Per surface, up to `per_surface` distinct draftable calls in a seeded order (module docstring)."""
    by_surface: dict[str, list[tuple[str, TrafficCall]]] = defaultdict(list)
    for call, surface in zip(calls, surfaces, strict=True):
        key = request_key(call)
        by_surface[surface].append((key, call))
    out: dict[str, Sample] = {}
    for surface, members in sorted(by_surface.items()):
        sample = Sample(surface)
        ranked = sorted(members, key=lambda kc: hashlib.sha256(f"{seed}:{kc[0]}:{kc[1].where}".encode()).hexdigest())
        seen: set[str] = set()
        texts: list[str] = []
        for key, call in ranked:
            if call.failed or call.undraftable:
                sample.undraftable[call.undraftable or "failed call (no answer logged)"] += 1
                continue
            if key in seen:
                sample.exact_duplicates += 1
                continue
            seen.add(key)
            if len(sample.calls) >= per_surface:
                continue  # exact duplicates are still counted; near ones only among the calls drawn
            text = request_text(call)
            if texts and process.extractOne(text, texts, scorer=fuzz.ratio, score_cutoff=near_threshold) is not None:
                sample.near_duplicates += 1
                continue
            sample.calls.append(call)
            texts.append(text)
        out[surface] = sample
    return out
