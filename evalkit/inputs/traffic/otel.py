"""OpenTelemetry GenAI spans (the `gen_ai.*` semantic conventions) as logged calls.

A line is either one span (`{"name", "attributes": {...}, "events": [...]}`, attributes as a plain
object or as OTLP `[{key, value: {stringValue | intValue | ...}}]`) or an OTLP/JSON export
(`{"resourceSpans": [{"scopeSpans": [{"spans": [...]}]}]}`), where each inference span is one call.
Spans that are not inference (`gen_ai.operation.name` other than chat / text_completion /
generate_content, or no `gen_ai.*` attribute at all, such as HTTP spans in the same export) are
skipped. Content is read from, in order:

1. v1.37+: `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages` (parts of
   type text / tool_call / tool_call_response; JSON strings or structured), `gen_ai.tool.definitions`;
2. the older events `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`,
   `gen_ai.tool.message` and `gen_ai.choice` (their `content`, `tool_calls`, `id` attributes);
3. OpenLLMetry's flattened `gen_ai.prompt.N.role/content` and `gen_ai.completion.N.*`.

Usage comes from `gen_ai.usage.input_tokens` / `output_tokens` (or the older `prompt_tokens` /
`completion_tokens`), the model from `gen_ai.response.model` else `gen_ai.request.model`, latency
from the span's start and end times. Content capture is opt-in in every instrumentation, so a span
without it still counts in the workload map and is only left out of the drafts.
"""

from __future__ import annotations

import json
from typing import Any

from evalkit.inputs.traffic.calls import TrafficCall, Where, parse_arguments, read_metadata
from evalkit.records import FinishReason, Message, ToolCall, ToolDef

__all__ = ["otel_calls"]

_INFERENCE = {"chat", "text_completion", "generate_content", "completion"}
_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "end_turn": "stop",
    "length": "length",
    "max_tokens": "length",
    "tool_calls": "tool_calls",
    "tool_call": "tool_calls",
    "tool_use": "tool_calls",
    "content_filter": "content_filter",
}


def _value(v: Any) -> Any:
    """An OTLP AnyValue as a Python value (intValue is a string in OTLP/JSON)."""
    if not isinstance(v, dict):
        return v
    if "stringValue" in v:
        return v["stringValue"]
    if "intValue" in v:
        return int(v["intValue"])
    if "doubleValue" in v:
        return float(v["doubleValue"])
    if "boolValue" in v:
        return bool(v["boolValue"])
    if "arrayValue" in v:
        return [_value(x) for x in v["arrayValue"].get("values", [])]
    if "kvlistValue" in v:
        return {kv["key"]: _value(kv.get("value")) for kv in v["kvlistValue"].get("values", [])}
    return None


def _attributes(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, list):
        return {kv["key"]: _value(kv.get("value")) for kv in raw if isinstance(kv, dict) and "key" in kv}
    return {}


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _parts_message(m: dict[str, Any], i: int) -> list[Message]:
    """One semconv message (role + parts) as canonical messages; tool responses become tool turns."""
    role = m.get("role", "user")
    texts: list[str] = []
    calls: list[ToolCall] = []
    out: list[Message] = []
    for j, p in enumerate(m.get("parts") or []):
        if not isinstance(p, dict):
            continue
        kind = p.get("type")
        if kind == "text":
            texts.append(str(p.get("content", "")))
        elif kind == "tool_call":
            calls.append(
                parse_arguments(str(p.get("id") or f"call_{i}_{j}"), str(p.get("name")), _json(p.get("arguments")))
            )
        elif kind == "tool_call_response":
            result = p.get("response", p.get("result"))
            text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
            out.append(Message(role="tool", content=text, tool_call_id=str(p.get("id", "")).strip()))
    if role in ("system", "user", "assistant") and (texts or calls or not out):
        out.append(Message(role=role, content="\n".join(texts), tool_calls=calls if role == "assistant" else []))
    return out


def _event_messages(events: list[dict[str, Any]]) -> tuple[list[Message], dict[str, Any] | None]:
    messages: list[Message] = []
    choice: dict[str, Any] | None = None
    for e in events:
        name, attrs = e.get("name", ""), _attributes(e.get("attributes"))
        body = _json(attrs.get("body")) if "body" in attrs else attrs
        if not isinstance(body, dict):
            continue
        role = name.removeprefix("gen_ai.").removesuffix(".message")
        if name == "gen_ai.choice":
            choice = _json(body.get("message")) if isinstance(_json(body.get("message")), dict) else body
            choice = {**choice, "finish_reason": body.get("finish_reason")}
        elif role in ("system", "user", "assistant"):
            calls = [
                parse_arguments(
                    str(c.get("id")), str(c.get("function", {}).get("name")), c.get("function", {}).get("arguments")
                )
                for c in _json(body.get("tool_calls")) or []
                if isinstance(c, dict)
            ]
            messages.append(Message(role=role, content=body.get("content"), tool_calls=calls))
        elif role == "tool":
            messages.append(
                Message(role="tool", content=str(body.get("content", "")), tool_call_id=str(body.get("id")))
            )
    return messages, choice


def _indexed(attrs: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """OpenLLMetry's `gen_ai.prompt.0.role` style attributes as a list of dicts."""
    rows: dict[int, dict[str, Any]] = {}
    for key, value in attrs.items():
        if key.startswith(prefix):
            index, _, rest = key[len(prefix) :].partition(".")
            if index.isdigit() and rest:
                rows.setdefault(int(index), {})[rest] = value
    return [rows[i] for i in sorted(rows)]


def _tools(attrs: dict[str, Any]) -> list[ToolDef]:
    raw = _json(attrs.get("gen_ai.tool.definitions"))
    if not isinstance(raw, list):
        raw = [
            {"name": r.get("name"), "description": r.get("description"), "parameters": _json(r.get("parameters"))}
            for r in _indexed(attrs, "llm.request.functions.")
        ]
    tools: list[ToolDef] = []
    for t in raw:
        fn = t.get("function", t) if isinstance(t, dict) else {}
        if isinstance(fn.get("name"), str):
            given = fn.get("parameters")
            params: dict[str, Any] = given if isinstance(given, dict) else {"type": "object", "properties": {}}
            tools.append(ToolDef(name=fn["name"], description=fn.get("description") or "", parameters=params))
    return tools


def _span(span: dict[str, Any], where: Where) -> TrafficCall | None:
    attrs = _attributes(span.get("attributes"))
    operation = attrs.get("gen_ai.operation.name")
    if not any(k.startswith("gen_ai.") for k in attrs) or (operation is not None and operation not in _INFERENCE):
        return None
    messages: list[Message] = []
    answer: dict[str, Any] | None = None
    system = _json(attrs.get("gen_ai.system_instructions"))
    if isinstance(system, list):
        texts = [str(p.get("content", "")) for p in system if isinstance(p, dict) and p.get("type") == "text"]
        messages.append(Message(role="system", content="\n".join(texts)))
    inputs, outputs = _json(attrs.get("gen_ai.input.messages")), _json(attrs.get("gen_ai.output.messages"))
    if isinstance(inputs, list):
        for i, m in enumerate(inputs):
            messages.extend(_parts_message(m, i) if isinstance(m, dict) else [])
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], dict):
        (msg, *_) = _parts_message({**outputs[0], "role": "assistant"}, -1) or [Message(role="assistant")]
        answer = {"content": msg.content, "calls": msg.tool_calls, "finish_reason": outputs[0].get("finish_reason")}
    if not isinstance(inputs, list):
        event_msgs, choice = _event_messages([e for e in span.get("events") or [] if isinstance(e, dict)])
        prompts = _indexed(attrs, "gen_ai.prompt.")
        messages += event_msgs or [
            Message(role=p.get("role", "user"), content=p.get("content"))
            for p in prompts
            if p.get("role") in ("system", "user", "assistant")
        ]
        completions = _indexed(attrs, "gen_ai.completion.")
        if choice is not None:
            calls = [
                parse_arguments(
                    str(c.get("id")), str(c.get("function", {}).get("name")), c.get("function", {}).get("arguments")
                )
                for c in _json(choice.get("tool_calls")) or []
                if isinstance(c, dict)
            ]
            answer = {"content": choice.get("content"), "calls": calls, "finish_reason": choice.get("finish_reason")}
        elif completions:
            c0 = completions[0]
            calls = [
                parse_arguments(str(t.get("id") or f"call_{k}"), str(t.get("name")), t.get("arguments"))
                for k, t in enumerate(_indexed(c0, "tool_calls."))
            ]
            answer = {"content": c0.get("content"), "calls": calls, "finish_reason": c0.get("finish_reason")}
    finish = attrs.get("gen_ai.response.finish_reasons")
    finish = finish[0] if isinstance(finish, list) and finish else finish
    start, end = span.get("startTimeUnixNano"), span.get("endTimeUnixNano")
    latency = (int(end) - int(start)) / 1e9 if start and end else None
    meta = read_metadata(
        {
            k.removeprefix("evalkit.").removeprefix("app."): v
            for k, v in attrs.items()
            if k in ("surface", "evalkit.surface", "app.surface", "tags", "retries", "escalated")
        },
        {"latency_s": latency, "retries": attrs.get("http.request.resend_count")},
    )
    error = span.get("status", {}).get("code") in (2, "STATUS_CODE_ERROR") or "error.type" in attrs
    tokens_in = attrs.get("gen_ai.usage.input_tokens", attrs.get("gen_ai.usage.prompt_tokens"))
    tokens_out = attrs.get("gen_ai.usage.output_tokens", attrs.get("gen_ai.usage.completion_tokens"))
    has_user = any(m.role == "user" for m in messages)
    return TrafficCall(
        file=str(where.path),
        line=where.line,
        format="otel",
        model=attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model"),
        messages=messages,
        tools=_tools(attrs),
        max_tokens=attrs.get("gen_ai.request.max_tokens"),
        temperature=attrs.get("gen_ai.request.temperature"),
        json_requested=attrs.get("gen_ai.output.type") == "json",
        answer_text=(answer or {}).get("content") or "",
        answer_calls=(answer or {}).get("calls") or [],
        finish_reason=_FINISH.get(str((answer or {}).get("finish_reason") or finish), "other"),
        failed=bool(error) and answer is None,
        input_tokens=None if tokens_in is None else int(tokens_in),
        output_tokens=None if tokens_out is None else int(tokens_out),
        meta=meta,
        undraftable=None if has_user and answer is not None else "no recorded prompt or answer (content capture off)",
    )


def otel_calls(record: dict[str, Any], where: Where) -> list[TrafficCall]:
    """The inference calls in one line: a single span, or every span of an OTLP/JSON export."""
    if "resourceSpans" in record:
        spans = [
            s
            for rs in record.get("resourceSpans") or []
            for ss in (rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or [])
            for s in ss.get("spans") or []
            if isinstance(s, dict)
        ]
    else:
        spans = [record]
    try:
        return [c for c in (_span(s, where) for s in spans) if c is not None]
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise where.error(f"malformed OpenTelemetry span: {exc}".splitlines()[0]) from None
