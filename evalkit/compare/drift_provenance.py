"""What each run's server said about itself, and what differs, a changed fingerprint first.

Same profile name, different fingerprint is the one difference that explains every other: the host
swapped the checkpoint, upgraded vLLM or changed the chat template behind an unchanged URL and model
name. It is therefore the report's first line, before any score. "Fingerprint" is the
`system_fingerprint` the server stamps on answers and the part of its self-description that identifies
what it serves (`evalkit.calls.cache.server_fingerprint`: model list and details, vLLM version,
script hash): the very keys the cache refuses to reuse answers across.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from evalkit.calls.cache import server_fingerprint
from evalkit.compare.drift_models import RunSide, SuiteDrift
from evalkit.store import RunRecord, Store

VOLATILE_SERVER_KEYS = ("base_url", "launched")
"""Not compared: a launched server's port, command line and log path change every run; a hosted URL is in
the endpoint identity."""
SHORT = 72
MAX_DEPTH = 3
"""Nested server facts are named down to this depth (`server_info.model_config.max_model_len`)."""


def run_side(store: Store, run: RunRecord) -> RunSide:
    fingerprints: Counter[str] = Counter()
    models: Counter[str] = Counter()
    for call in store.calls(run.run_id, answered=True):
        if call.system_fingerprint:
            fingerprints[call.system_fingerprint] += 1
        if call.model:
            models[call.model] += 1
    profile = run.plan.endpoint
    identity = run.manifest.get("endpoint_identity")
    server = run.manifest.get("server")
    return RunSide(
        run_id=run.run_id,
        endpoint=profile.name,
        tier=profile.tier,
        model=profile.model,
        endpoint_identity=run.endpoint_identity,
        identity=identity if isinstance(identity, dict) else None,
        server=server if isinstance(server, dict) else None,
        system_fingerprints=dict(fingerprints.most_common()),
        reported_models=dict(models.most_common()),
        created_at=run.created_at,
        finished_at=run.finished_at,
    )


def short(value: Any) -> str:
    """A value for one line: a digest by its first 12 hex digits, other strings as they are, the rest as
    compact JSON; cut at `SHORT` characters."""
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{40,128}", value):
        return value[:12]
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _values(values: set[str] | dict[str, int]) -> str:
    return ", ".join(sorted(values)) or "(none)"


def _dict_changes(
    before: dict[str, Any], after: dict[str, Any], label: str, skip: tuple[str, ...] = (), path: str = ""
) -> list[str]:
    """One line per differing key; nested dicts (a GGUF header, a vLLM engine config) are walked so the line
    names the leaf that changed (`server-reported gguf.chat_template_sha256: ...`), not two cut-off blobs."""
    lines: list[str] = []
    for key in sorted(before.keys() | after.keys()):
        x, y = before.get(key, "(absent)"), after.get(key, "(absent)")
        if key in skip or x == y:
            continue
        name = f"{path}.{key}" if path else key
        if isinstance(x, dict) and isinstance(y, dict) and name.count(".") < MAX_DEPTH:
            lines += _dict_changes(x, y, label, path=name)
        else:
            lines.append(f"{label} {name}: {short(x)} -> {short(y)}")
    return lines


def compare_sides(a: RunSide, b: RunSide) -> tuple[list[str], bool, list[str]]:
    """(differences, same endpoint, fingerprint changes): differences start with the fingerprint changes
    when the endpoint is the same."""
    same = a.endpoint == b.endpoint
    fingerprint: list[str] = []
    if set(a.system_fingerprints) != set(b.system_fingerprints):
        fingerprint.append(
            f"system_fingerprint on answers: {_values(a.system_fingerprints)} -> {_values(b.system_fingerprints)}"
        )
    fp_a, fp_b = server_fingerprint(a.server or {}), server_fingerprint(b.server or {})
    fingerprint += _dict_changes(fp_a, fp_b, "server-reported")
    changes: list[str] = []
    if same and fingerprint:
        changes = [f"server fingerprint changed on endpoint {a.endpoint!r} (same profile): {fingerprint[0]}"]
        changes += fingerprint[1:]
    lines = list(changes)
    if not changes:
        if not same:
            lines.append(
                f"different endpoints: {a.endpoint} ({a.tier}, {a.model}) -> {b.endpoint} ({b.tier}, {b.model})"
            )
        lines += fingerprint
    if same and a.model != b.model:
        lines.append(f"profile model: {a.model} -> {b.model}")
    if set(a.reported_models) != set(b.reported_models):
        lines.append(f"model reported on answers: {_values(a.reported_models)} -> {_values(b.reported_models)}")
    if a.endpoint_identity != b.endpoint_identity:
        detail = _dict_changes(a.identity or {}, b.identity or {}, "endpoint identity")
        lines += detail or [f"endpoint identity: {short(a.endpoint_identity)} -> {short(b.endpoint_identity)}"]
    skip = (*VOLATILE_SERVER_KEYS, *fp_a.keys(), *fp_b.keys())
    lines += _dict_changes(a.server or {}, b.server or {}, "server-reported", skip)
    return lines, same, changes


def headline(
    a: RunSide, b: RunSide, differences: list[str], changes: list[str], reasons: list[str], suites: list[SuiteDrift]
) -> str:
    """The report's first line: a changed fingerprint on the same endpoint, else the verdict."""
    if changes:
        return changes[0]
    if reasons:
        regressed = [s.suite for s in suites if s.regressed]
        return f"REGRESSED in {len(regressed)} of {len(suites)} suite(s) ({', '.join(regressed)}): {reasons[0]}"
    drifted = [s.suite for s in suites if s.drift]
    if drifted:
        return f"No regression; behaviour or serving drift in {', '.join(drifted)}"
    if differences:
        return f"No regression and no drift in answers or serving; endpoint differences: {differences[0]}"
    return f"No regression, no drift: {b.run_id} answered as {a.run_id} did"
