"""Answer-level signals `compare` reads from stored calls: the canonical answer, tool-call format,
refusals, similarity and token drift.

They are read from the stored canonical responses, not from the scores, on purpose: drift that leaves
the score unchanged (a reworded answer, a renamed argument key the scorer happens to tolerate, one more
input token per request) is exactly what compare exists to show. Where a scorer already defines a
notion (a call written as text, the abstain label) its own function is used, so compare and the score
agree on what they both call by the same name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel
from rapidfuzz import fuzz

from evalkit.compare.drift_models import (
    Behaviour,
    FormatChange,
    FormatKind,
    Pair,
    Refusals,
    Serving,
    SimilarCase,
    Similarity,
    TokenDrift,
    TokenExample,
)
from evalkit.compare.sides import SuiteSide, excerpt
from evalkit.metrics.operations import operations
from evalkit.records import CallRecord, Response, ToolCall, ToolDef
from evalkit.scoring.runner import SuiteScoring
from evalkit.scoring.toolcall import call_written_as_text

REFUSAL_PHRASES: tuple[str, ...] = (
    r"\bI\s+(?:can['’]?t|cannot|won['’]t|will\s+not)\s+(?:help|assist|comply|do\s+that|answer\s+that)\b",
    r"\bI(?:['’]m|\s+am)\s+(?:unable|not\s+able)\s+to\s+(?:help|assist|comply)\b",
    r"\bI\s+(?:must|have\s+to)\s+decline\b",
    r"\bI(?:['’]m|\s+am)\s+not\s+(?:allowed|permitted)\s+to\b",
)
"""A small, deliberately narrow list of refusal phrases ("I can't help with that", "I'm unable to
assist", "I must decline", "I'm not allowed to"), case-insensitive. Narrow because a support agent
legitimately says "I can't issue a refund without the order id": that is asking for data, not refusing,
and must not read as a new safety layer. Classification abstentions and tool-call escalations are
counted from the suite's own abstain label and escalation tool instead."""

_REFUSAL = re.compile("|".join(f"(?:{p})" for p in REFUSAL_PHRASES), re.IGNORECASE)

SIMILARITY_METHOD = (
    "rapidfuzz fuzz.ratio (normalised Indel similarity, 0-100) of the first answer on each side: the answer "
    "text plus its tool calls rendered canonically (name and sorted-key JSON arguments, calls sorted)"
)
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("100", 100.0, 100.0),
    ("90-99", 90.0, 100.0),
    ("70-89", 70.0, 90.0),
    ("50-69", 50.0, 70.0),
    ("0-49", 0.0, 50.0),
)
LEAST_SIMILAR = 5
TOKEN_EXAMPLES = 5


def render_call(call: ToolCall) -> str:
    """`name({"a":1,"b":"x"})` with sorted keys, or the raw text when the arguments do not parse."""
    if call.arguments is None:
        return f"{call.name}(<unparsed> {call.raw_arguments})"
    args = json.dumps(call.arguments, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{call.name}({args})"


def render_answer(response: Response) -> str:
    """The canonical answer compared across repeats and runs: stripped text, then the calls sorted (a
    parallel call's order carries no meaning, as in the tool-call scorer)."""
    calls = sorted(render_call(c) for c in response.tool_calls)
    return "\n".join([response.text.strip(), *calls]).strip()


def format_failures(response: Response, tools: Sequence[ToolDef]) -> set[tuple[FormatKind, str]]:
    """(kind, tool) for each unparseable call, and for a call written as text when none was made —
    the tool-call scorer's own definitions."""
    out: set[tuple[FormatKind, str]] = {("parse_failure", c.name) for c in response.tool_calls if c.parse_error}
    if not response.tool_calls:
        named = call_written_as_text(response.text, {t.name: t for t in tools})
        if named is not None:
            out.add(("call_as_text", named))
    return out


def describe_failure(kind: FormatKind, tool: str) -> str:
    if kind == "parse_failure":
        return f"{tool}: the arguments no longer parse"
    return f"{tool}: the call is written out as text instead of made"


def argument_keys(response: Response) -> dict[str, list[tuple[str, ...]]]:
    """Tool name -> the sorted key sets of its parsed calls (sorted, so parallel calls compare as a set)."""
    keys: dict[str, list[tuple[str, ...]]] = {}
    for c in response.tool_calls:
        if c.arguments is not None:
            keys.setdefault(c.name, []).append(tuple(sorted(c.arguments)))
    return {name: sorted(sets) for name, sets in keys.items()}


def key_change(tool: str, before: list[tuple[str, ...]], after: list[tuple[str, ...]]) -> str | None:
    """`lookup_order: argument order_id renamed orderId` when the same tool is called with different argument
    keys. Compared as sets of key sets: one more call with the same keys is a behaviour change (the scores
    see it), not a format change."""
    if set(before) == set(after):
        return None
    gone = sorted(set().union(*before) - set().union(*after))
    new = sorted(set().union(*after) - set().union(*before))
    if len(gone) == 1 and len(new) == 1:
        return f"{tool}: argument {gone[0]} renamed {new[0]}"
    if gone or new:
        parts = [f"-{k}" for k in gone] + [f"+{k}" for k in new]
        return f"{tool}: argument keys changed ({', '.join(parts)})"
    return f"{tool}: argument key sets changed ({before} -> {after})"


def refusal_kind(response: Response, category: str, settings: BaseModel) -> str | None:
    """`abstain`, `escalation` or `phrase` when the answer refuses or hands the case on; else None."""
    if category == "classification":
        from evalkit.scoring import classification  # sklearn: only for classification suites

        if (
            isinstance(settings, classification.Settings)
            and settings.abstain_label is not None
            and classification.parse_label(response.text, settings)[0] == settings.abstain_label
        ):
            return "abstain"
    escalation_tool = getattr(settings, "escalation_tool", None) if category == "toolcall" else None
    if escalation_tool is not None and any(c.name == escalation_tool for c in response.tool_calls):
        return "escalation"
    if _REFUSAL.search(response.text):
        return "phrase"
    return None


def similarity(pairs: Sequence[tuple[str, str, str]], excerpts: dict[str, tuple[str, str]]) -> Similarity:
    """`pairs`: (case id, before answer, after answer), canonical; `excerpts`: what to show per case."""
    per_case = {cid: round(float(fuzz.ratio(a, b)), 2) for cid, a, b in pairs}
    values = np.array(list(per_case.values()), dtype=float)
    buckets = {
        name: int(np.sum(values == 100.0)) if lo == hi else int(np.sum((values >= lo) & (values < hi)))
        for name, lo, hi in BUCKETS
    }
    below = sorted((s, cid) for cid, s in per_case.items() if s < 100.0)[:LEAST_SIMILAR]
    return Similarity(
        method=SIMILARITY_METHOD,
        cases=len(per_case),
        identical=buckets["100"],
        median=float(np.median(values)) if values.size else None,
        p10=float(np.percentile(values, 10)) if values.size else None,
        minimum=float(values.min()) if values.size else None,
        mean=float(values.mean()) if values.size else None,
        buckets=buckets,
        per_case=per_case,
        least_similar=[
            SimilarCase(case_id=cid, similarity=s, before_answer=excerpts[cid][0], after_answer=excerpts[cid][1])
            for s, cid in below
        ],
    )


def token_drift(pairs: Sequence[tuple[str, int, int]]) -> TokenDrift:
    """`pairs`: (case id, tokens before, tokens after) for the same thing on both sides."""
    deltas = [(cid, b, a, a - b) for cid, b, a in pairs]
    changed = [d for d in deltas if d[3] != 0]
    counts = Counter(f"{d:+d}" for *_, d in changed)
    values = np.array([d for *_, d in deltas], dtype=float)
    return TokenDrift(
        compared=len(deltas),
        changed=len(changed),
        deltas=dict(sorted(counts.items(), key=lambda kv: (-kv[1], int(kv[0])))),
        minimum=int(values.min()) if values.size else None,
        median=float(np.median(values)) if values.size else None,
        maximum=int(values.max()) if values.size else None,
        examples=[TokenExample(case_id=cid, before=b, after=a) for cid, b, a, _ in changed[:TOKEN_EXAMPLES]],
    )


def describe_token_drift(drift: TokenDrift, what: str) -> str | None:
    """One line for the drift notes: `input tokens changed on 40 of 40 identical requests (+1 on 40)`."""
    if not drift.changed:
        return None
    spread = ", ".join(f"{d} on {n}" for d, n in list(drift.deltas.items())[:4])
    more = ", ..." if len(drift.deltas) > 4 else ""
    return f"{what} changed on {drift.changed} of {drift.compared} ({spread}{more})"


def answered(calls: Sequence[CallRecord]) -> list[Response]:
    return [c.response for c in calls if c.status == "ok" and c.response is not None]


def _first(calls: Sequence[CallRecord]) -> Response | None:
    found = answered(calls)
    return found[0] if found else None


def _rate(count: int, total: int) -> float | None:
    return count / total if total else None


def _refusals(
    ids: list[str], before: dict[str, list[CallRecord]], after: dict[str, list[CallRecord]], sc: SuiteScoring
) -> Refusals:
    category, settings = sc.spec.category, sc.settings

    def kinds(calls: dict[str, list[CallRecord]]) -> dict[str, list[str]]:
        """Case id -> the refusal kinds of its answered calls."""
        found = {cid: [refusal_kind(r, category, settings) for r in answered(calls.get(cid, []))] for cid in ids}
        return {cid: [k for k in ks if k] for cid, ks in found.items()}

    ka, kb = kinds(before), kinds(after)
    count_a = Counter(k for ks in ka.values() for k in ks)
    count_b = Counter(k for ks in kb.values() for k in ks)
    n_a = sum(len(answered(before.get(cid, []))) for cid in ids)
    n_b = sum(len(answered(after.get(cid, []))) for cid in ids)
    return Refusals(
        rate=Pair.of(_rate(sum(count_a.values()), n_a), _rate(sum(count_b.values()), n_b)),
        by_kind={k: Pair.of(count_a[k], count_b[k]) for k in sorted(count_a.keys() | count_b.keys())},
        newly_refusing=[cid for cid in ids if kb[cid] and not ka[cid]],
        no_longer_refusing=[cid for cid in ids if ka[cid] and not kb[cid]],
    )


def _format_changes(
    stable: list[str],
    before: dict[str, list[CallRecord]],
    after: dict[str, list[CallRecord]],
    tools: list[ToolDef],
    shown: dict[str, tuple[str, str]],
) -> tuple[list[FormatChange], list[str], list[tuple[str, str, str]]]:
    """(format changes new in B, cases whose format failure is gone, canonical answer pairs)."""
    pairs: list[tuple[str, str, str]] = []
    changes: list[FormatChange] = []
    fixed: list[str] = []
    for cid in stable:
        ra, rb = _first(before.get(cid, [])), _first(after.get(cid, []))
        if ra is None or rb is None:
            continue
        pairs.append((cid, render_answer(ra), render_answer(rb)))
        fa, fb = format_failures(ra, tools), format_failures(rb, tools)
        found = [(kind, describe_failure(kind, tool)) for kind, tool in sorted(fb - fa)]
        if fa and not fb:
            fixed.append(cid)
        ka, kb = argument_keys(ra), argument_keys(rb)
        for tool in sorted(ka.keys() & kb.keys()):
            detail = key_change(tool, ka[tool], kb[tool])
            if detail is not None:
                found.append(("argument_keys", detail))
        changes += [
            FormatChange(case_id=cid, kind=kind, detail=detail, before_answer=shown[cid][0], after_answer=shown[cid][1])
            for kind, detail in found
        ]
    return changes, fixed, pairs


def behaviour_drift(
    ids: list[str],
    stable: list[str],
    before: dict[str, list[CallRecord]],
    after: dict[str, list[CallRecord]],
    a: SuiteSide,
    b: SuiteSide,
) -> Behaviour:
    tools = a.scoring.suite.tools
    shown = {cid: (a.answers.get(cid, excerpt(None)), b.answers.get(cid, excerpt(None))) for cid in ids}
    changes, fixed, pairs = _format_changes(stable, before, after, tools, shown)
    resp_a = [r for cid in ids for r in answered(before.get(cid, []))]
    resp_b = [r for cid in ids for r in answered(after.get(cid, []))]
    finish_a, finish_b = Counter(r.finish_reason for r in resp_a), Counter(r.finish_reason for r in resp_b)

    def both(figure: Callable[[list[Response]], float | None]) -> Pair:
        return Pair.of(figure(resp_a), figure(resp_b))

    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    return Behaviour(
        similarity=similarity(pairs, shown),
        format_changes=changes,
        format_fixed=fixed,
        format_failure_rate=both(lambda rs: _rate(sum(bool(format_failures(r, tools)) for r in rs), len(rs))),
        refusals=_refusals(ids, before, after, a.scoring),
        finish_reasons={k: Pair.of(finish_a[k], finish_b[k]) for k in sorted(finish_a.keys() | finish_b.keys())},
        truncation_rate=both(lambda rs: _rate(sum(r.finish_reason == "length" for r in rs), len(rs))),
        output_chars=both(lambda rs: mean([len(render_answer(r)) for r in rs])),
        output_tokens=both(lambda rs: mean([r.usage.output_tokens for r in rs])),
    )


def _throughput(calls: Sequence[CallRecord]) -> float | None:
    live = [c for c in calls if c.status == "ok" and not c.cache_hit and c.latency_s]
    seconds = sum(c.latency_s or 0.0 for c in live)
    return sum(c.usage.output_tokens for c in live) / seconds if seconds else None


def serving_drift(
    ids: list[str],
    stable: list[str],
    before: dict[str, list[CallRecord]],
    after: dict[str, list[CallRecord]],
    a: SuiteSide,
    b: SuiteSide,
) -> Serving:
    inputs: list[tuple[str, int, int]] = []
    for cid in ids:
        later = {c.repeat: c for c in after.get(cid, []) if c.status == "ok"}
        same = [
            (c, later[c.repeat])
            for c in before.get(cid, [])
            if c.status == "ok" and c.repeat in later and c.request_hash == later[c.repeat].request_hash
        ]
        if same:
            inputs.append((cid, same[0][0].usage.input_tokens, same[0][1].usage.input_tokens))
    outputs: list[tuple[str, int, int]] = []
    for cid in stable:
        first_a = next((c for c in before.get(cid, []) if c.status == "ok" and c.response), None)
        first_b = next((c for c in after.get(cid, []) if c.status == "ok" and c.response), None)
        if first_a is None or first_b is None or first_a.response is None or first_b.response is None:
            continue
        if render_answer(first_a.response) == render_answer(first_b.response):
            outputs.append((cid, first_a.usage.output_tokens, first_b.usage.output_tokens))
    ops_a, ops_b = operations(a.calls, None), operations(b.calls, None)

    def pair(key: str) -> Pair:
        return Pair.of(ops_a.get(key), ops_b.get(key))

    return Serving(
        input_tokens=token_drift(inputs),
        output_tokens_same_answer=token_drift(outputs),
        output_tokens=pair("output_tokens"),
        latency_p50_s=pair("latency_p50_s"),
        latency_p95_s=pair("latency_p95_s"),
        ttft_p50_s=pair("ttft_p50_s"),
        throughput_tok_s=Pair.of(_throughput(a.calls), _throughput(b.calls)),
    )
