"""Suite drafts from sampled traffic: one suite per surface (and request shape), cases verbatim.

**The request, verbatim.** A drafted suite's prompt is `system: "{{ system }}"`, `user: "{{ message }}"`
(`{{ source }}` for summarization, whose scorer checks claims against `input.source`). Each case carries
the logged system prompt and last user message as inputs, the turns before that message as
`prior_turns` and any after it (tool calls and results of an agent loop) as `followup_turns`, so
`build_request` rebuilds the logged message list; tools go on the suite when every case shares one
set, else on each case (`Case.tools`). The one difference: a system prompt is sent stripped of leading
and trailing whitespace, as for every suite.

**The category** (edit the YAML to change it):
1. the request offers tools -> `toolcall`;
2. a JSON schema or JSON object was requested, or >= 80% of logged answers are JSON objects ->
   `extraction` (the logged schema becomes `output_schema`);
3. >= 90% of answers are at most 3 words / 40 characters and they take 2-30 distinct values, no more
   than max(10, a third of the answers) -> `classification` over those values;
4. otherwise free text -> `summarization`-like.

**The expectation** is the logged (frontier) answer, marked `reference: unreviewed`: the tool calls
with every argument at its logged value (or `no_call`), the JSON record, the label, or for free text up
to four key facts: figures and identifiers of the answer that the request also states, else its
longer words the request states, with a word budget of 1.5x the answer. A call whose answer cannot
become one (unparseable tool arguments, a non-object JSON answer, a label outside the set, no fact)
is left out and counted.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from evalkit.inputs.traffic.calls import TrafficCall
from evalkit.inputs.traffic.pii import CallScrubber
from evalkit.inputs.traffic.workload import _FENCE
from evalkit.records import Message, ToolCall

__all__ = ["SuiteDraft", "draft_suites"]

PRIMARY = {
    "toolcall": "tool_call_accuracy",
    "extraction": "field_accuracy",
    "classification": "macro_f1",
    "summarization": "key_fact_coverage",
}
_FIGURE = re.compile(r"\b[A-Z]{1,5}-?\d[\dA-Z-]*\b|\d+(?:[.,:/]\d+)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{5,}")
_STOP = {"please", "thanks", "should", "would", "could", "customer", "because", "about", "there", "their", "which"}


@dataclass
class SuiteDraft:
    name: str
    surface: str
    category: str
    reason: str
    suite: dict[str, Any]
    cases: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)


def _json_object(text: str) -> dict[str, Any] | None:
    m = _FENCE.match(text.strip())
    try:
        value = json.loads(m.group(1) if m else text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _category(calls: list[TrafficCall]) -> tuple[str, str, list[str]]:
    """(category, why, labels) by the heuristic in the module docstring."""
    n = len(calls)
    if any(c.tools for c in calls):
        return "toolcall", "the requests offer tools", []
    if any(c.response_schema or c.json_requested for c in calls):
        return "extraction", "the requests ask for JSON output", []
    json_share = sum(1 for c in calls if _json_object(c.answer_text)) / n
    if json_share >= 0.8:
        return "extraction", f"{json_share:.0%} of logged answers are JSON objects", []
    answers = [c.answer_text.strip() for c in calls]
    short = [a for a in answers if a and len(a) <= 40 and len(a.split()) <= 3]
    labels = sorted(set(short))
    if len(short) >= 0.9 * n and 2 <= len(labels) <= 30 and len(labels) <= max(10, n // 3):
        return "classification", f"{len(short) / n:.0%} of answers are one of {len(labels)} short labels", labels
    return "summarization", "free-text answers", []


def _scrub_call(call: TrafficCall, scrubber: CallScrubber) -> tuple[list[Message], str, list[ToolCall]]:
    def calls(items: list[ToolCall]) -> list[ToolCall]:
        out = []
        for c in items:
            if c.arguments is not None:
                args = scrubber.value(c.arguments)
                out.append(
                    c.model_copy(update={"arguments": args, "raw_arguments": json.dumps(args, ensure_ascii=False)})
                )
            else:
                out.append(c.model_copy(update={"raw_arguments": scrubber.text(c.raw_arguments)}))
        return out

    messages = [
        m.model_copy(
            update={"content": scrubber.text(m.content) if m.content else m.content, "tool_calls": calls(m.tool_calls)}
        )
        for m in call.messages
    ]
    record = _json_object(call.answer_text)  # a JSON answer is scrubbed by value, so numbers stay numbers
    text = json.dumps(scrubber.value(record), ensure_ascii=False) if record else scrubber.text(call.answer_text)
    return messages, text, calls(call.answer_calls)


def _split(messages: list[Message]) -> tuple[str, list[Message], str, list[Message]] | str:
    """(system, prior turns, user message, followup turns), or why the list cannot be a case."""
    system: list[str] = []
    rest = list(messages)
    while rest and rest[0].role == "system":
        system.append(rest.pop(0).content or "")
    if any(m.role == "system" for m in rest):
        return "a system message in mid-conversation"
    users = [i for i, m in enumerate(rest) if m.role == "user"]
    if not users:
        return "no user message"
    last = users[-1]
    return "\n".join(system), rest[:last], rest[last].content or "", rest[last + 1 :]


def _expected(category: str, text: str, calls: list[ToolCall], source: str, labels: list[str]) -> dict[str, Any] | str:
    if category == "toolcall":
        if any(c.arguments is None for c in calls):
            return "the logged tool arguments do not parse"
        if not calls:
            return {"mode": "no_call", "calls": [], "escalation_acceptable": False}
        drafted = [{"name": c.name, "args": {k: [v] for k, v in (c.arguments or {}).items()}} for c in calls]
        return {"mode": "call", "calls": drafted, "escalation_acceptable": False}
    if category == "extraction":
        record = _json_object(text)
        return {"fields": record} if record else "the logged answer is not a non-empty JSON object"
    if category == "classification":
        return {"label": text.strip()} if text.strip() in labels else "the logged answer is not one of the labels"
    lowered = source.casefold()
    picked = [t for t in dict.fromkeys(_FIGURE.findall(text)) if t.casefold() in lowered][:4]
    if len(picked) < 2:
        words = [w for w in dict.fromkeys(_WORD.findall(text)) if w.casefold() not in _STOP and w.casefold() in lowered]
        picked += sorted(words, key=len, reverse=True)[: 3 - len(picked)]
    if not picked:
        return "no fact of the logged answer is stated in the request"
    facts = [{"id": f"f{i + 1}", "fact": f"mentions {p}", "must_include": [[p]]} for i, p in enumerate(picked)]
    return {"key_facts": facts, "max_words": max(30, math.ceil(len(text.split()) * 1.5))}


def _shape(call: TrafficCall) -> str:
    return json.dumps([call.tool_choice, call.response_schema, call.json_requested], sort_keys=True)


def _suite_yaml(
    name: str, surface: str, category: str, reason: str, calls: list[TrafficCall], labels: list[str]
) -> dict[str, Any]:
    first = calls[0]
    toolsets = {json.dumps([t.model_dump(mode="json") for t in c.tools], sort_keys=True) for c in calls}
    uniform = len(toolsets) == 1
    models = Counter(c.model or "unknown" for c in calls).most_common(1)[0][0]
    temps = {c.temperature for c in calls}
    max_tokens = max((c.max_tokens for c in calls if c.max_tokens), default=None)
    choice = first.tool_choice if first.tools or not uniform else None
    if not uniform and choice not in (None, "auto", "required", "none"):
        choice = "required"  # a named tool lives on the cases, where the suite's check cannot see it
    suite: dict[str, Any] = {
        "name": name,
        "version": "1",
        "category": category,
        "description": (
            f"Drafted by `evalkit import traffic` from logged calls of surface {surface!r} (mostly {models}). "
            f"Category {category}: {reason}. Requests are the logged ones, PII scrubbed; expectations are the "
            f"logged answers, `reference: unreviewed` until `evalkit review {name}` confirms them."
        ),
        "primary_metric": PRIMARY[category],
        "prompt": {
            "system": "{{ system }}",
            "user": "{{ source }}" if category == "summarization" else "{{ message }}",
        },
        "tools": [t.model_dump(mode="json") for t in first.tools] if uniform else [],
        "tool_choice": choice,
        "output_schema": first.response_schema,
        "request": {"max_tokens": max_tokens, "temperature": temps.pop() if len(temps) == 1 else None},
        "scorer": {},
    }
    if category == "classification":
        suite["scorer"] = {"labels": labels, "answer_format": "text"}
    if first.response_schema is not None:
        try:
            jsonschema.Draft202012Validator.check_schema(first.response_schema)
        except jsonschema.SchemaError:
            suite["output_schema"] = None
    return suite


def draft_suites(
    samples: dict[str, list[TrafficCall]], counts: Counter[str], regions: tuple[str, ...]
) -> list[SuiteDraft]:
    """One draft per (surface, request shape); `counts` collects the PII replaced, per kind."""
    drafts: list[SuiteDraft] = []
    for surface, calls in samples.items():
        shapes: dict[str, list[TrafficCall]] = {}
        for c in calls:
            shapes.setdefault(_shape(c), []).append(c)
        for k, members in enumerate(sorted(shapes.values(), key=len, reverse=True)):
            name = surface if k == 0 else f"{surface}-{k + 1}"
            category, reason, raw_labels = _category(members)
            labels = [CallScrubber(counts, regions).text(label) for label in raw_labels]
            draft = SuiteDraft(
                name, surface, category, reason, _suite_yaml(name, surface, category, reason, members, labels)
            )
            uniform = not draft.suite["tools"] and any(c.tools for c in members)
            for call in members:
                bad = [t.name for t in call.tools if t.parameters.get("type") != "object"]
                scrubber = CallScrubber(counts, regions)
                messages, text, answer_calls = _scrub_call(call, scrubber)
                parts = _split(messages)
                label_text = (
                    labels[raw_labels.index(call.answer_text.strip())]
                    if call.answer_text.strip() in raw_labels
                    else text
                )
                expected = _expected(
                    category,
                    label_text if labels else text,
                    answer_calls,
                    "" if isinstance(parts, str) else parts[2],
                    labels,
                )
                why = (
                    (f"tool {bad[0]} parameters are not an object schema" if bad else None)
                    or (parts if isinstance(parts, str) else None)
                    or (expected if isinstance(expected, str) else None)
                )
                if why is not None or isinstance(parts, str) or isinstance(expected, str):
                    draft.left_out[why or "not draftable"] += 1
                    continue
                system, prior, user, followup = parts
                case_id = f"{name}-{len(draft.cases) + 1:04d}"
                field_name = "source" if category == "summarization" else "message"
                draft.cases.append(
                    {
                        "id": case_id,
                        "input": {"system": system, field_name: user},
                        "expected": expected,
                        "tags": [surface, call.format, *call.meta.tags[:5]],
                        "prior_turns": [m.model_dump(mode="json", exclude_defaults=True) for m in prior],
                        "followup_turns": [m.model_dump(mode="json", exclude_defaults=True) for m in followup],
                        **({"tools": [t.model_dump(mode="json") for t in call.tools]} if uniform else {}),
                        "reference": "unreviewed",
                    }
                )
                draft.answers.append(
                    {
                        "id": case_id,
                        "text": text,
                        "tool_calls": [c.model_dump(mode="json") for c in answer_calls],
                        "finish_reason": call.finish_reason,
                        "model": call.model,
                        "logged_at": call.where,
                    }
                )
            if draft.cases:
                drafts.append(draft)
    return drafts
