"""Read logged calls: OpenAI Chat Completions pairs, Anthropic Messages pairs, OpenTelemetry GenAI spans.

A log is JSONL, one record a line. The format is detected per line (a gateway log may mix providers)
unless `--format` fixes it; a line that is none of them, or a record whose shape is broken, is an
`InputError` naming the file, line and field, so the import stops before anything is written.

Request/response pairs are `{"request": {...}, "response": {...}}` with optional metadata beside them
(`metadata`, `surface`, `tags`, `timestamp`, `latency_ms`, `retries`, `escalated`; see
`calls.read_metadata`). A `response` that is null or carries `error` is a failed call: counted in the
workload map, never drafted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from evalkit.errors import InputError
from evalkit.inputs.traffic.calls import Format, TrafficCall, Where, answered, parse_arguments, read_metadata
from evalkit.inputs.traffic.otel import otel_calls
from evalkit.records import FinishReason, Message, ToolCall, ToolDef

__all__ = ["FormatChoice", "detect", "read_logs"]

FormatChoice = Literal["auto", "openai", "anthropic", "otel"]

_OPENAI_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}
_ANTHROPIC_FINISH: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def detect(record: dict[str, Any]) -> Format | None:
    """The record's format from its shape, or None when it is none of the three."""
    if "resourceSpans" in record or (isinstance(record.get("attributes"), dict | list) and "name" in record):
        return "otel"
    request, response = record.get("request"), record.get("response")
    if not isinstance(request, dict) or "messages" not in request:
        return None
    if isinstance(response, dict) and "choices" in response:
        return "openai"
    if isinstance(response, dict) and ("stop_reason" in response or response.get("type") == "message"):
        return "anthropic"
    tools = request.get("tools") or []
    if "system" in request or any(isinstance(t, dict) and "input_schema" in t for t in tools):
        return "anthropic"
    return "openai"


def _text_parts(content: Any, where: Where, field: str) -> tuple[str | None, str | None]:
    """(text, why not draftable): text parts joined; images and audio make the call undraftable."""
    if content is None or isinstance(content, str):
        return content, None
    if not isinstance(content, list):
        raise where.error("content must be a string or a list of parts", field)
    texts: list[str] = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif isinstance(part, dict):
            return None, f"non-text content ({part.get('type')})"
        else:
            raise where.error("a content part must be an object", field)
    return "\n".join(texts), None


# --- OpenAI Chat Completions ---------------------------------------------------------------


def _openai_tool_calls(raw: Any, where: Where, field: str) -> list[ToolCall]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise where.error("tool_calls must be a list", field)
    calls: list[ToolCall] = []
    for i, c in enumerate(raw):
        fn = c.get("function") if isinstance(c, dict) else None
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
            raise where.error("a tool call needs function.name", f"{field}[{i}]")
        calls.append(parse_arguments(str(c.get("id") or f"call_{i}"), fn["name"], fn.get("arguments")))
    return calls


def _openai_messages(raw: Any, where: Where) -> tuple[list[Message], str | None]:
    if not isinstance(raw, list) or not raw:
        raise where.error("messages must be a non-empty list", "request.messages")
    out: list[Message] = []
    why: str | None = None
    for i, m in enumerate(raw):
        field = f"request.messages[{i}]"
        if not isinstance(m, dict):
            raise where.error("a message must be an object", field)
        role = {"developer": "system"}.get(m.get("role", ""), m.get("role"))
        if role not in ("system", "user", "assistant", "tool"):
            raise where.error(f"unknown role {m.get('role')!r}", f"{field}.role")
        text, not_text = _text_parts(m.get("content"), where, f"{field}.content")
        why = why or not_text
        calls = _openai_tool_calls(m.get("tool_calls"), where, f"{field}.tool_calls") if role == "assistant" else []
        out.append(
            Message.model_validate(
                {"role": role, "content": text, "tool_calls": calls, "tool_call_id": m.get("tool_call_id")}
            )
        )
    return out, why


def _openai_tools(raw: Any, where: Where) -> list[ToolDef]:
    tools: list[ToolDef] = []
    for i, t in enumerate(raw or []):
        fn = t.get("function") if isinstance(t, dict) else None
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
            raise where.error("a tool needs function.name", f"request.tools[{i}]")
        params = fn.get("parameters") or {"type": "object", "properties": {}}
        tools.append(ToolDef(name=fn["name"], description=fn.get("description") or "", parameters=params))
    return tools


def _openai_choice(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("function"), dict):
        name = raw["function"].get("name")
        return name if isinstance(name, str) else None
    return None


def _openai(record: dict[str, Any], where: Where) -> TrafficCall:
    req, resp = record["request"], record.get("response")
    messages, why = _openai_messages(req.get("messages"), where)
    fmt = _obj(req.get("response_format"))
    schema = _obj(fmt.get("json_schema")).get("schema") if fmt.get("type") == "json_schema" else None
    call = TrafficCall(
        file=str(where.path),
        line=where.line,
        format="openai",
        model=req.get("model"),
        messages=messages,
        tools=_openai_tools(req.get("tools"), where),
        tool_choice=_openai_choice(req.get("tool_choice")),
        response_schema=schema if isinstance(schema, dict) else None,
        json_requested=fmt.get("type") in ("json_object", "json_schema"),
        max_tokens=req.get("max_completion_tokens") or req.get("max_tokens"),
        temperature=req.get("temperature"),
        meta=read_metadata(record, record.get("metadata"), req.get("metadata")),
        undraftable=why,
    )
    if not isinstance(resp, dict) or "error" in resp:
        return answered(call, failed=True)
    choices = resp.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise where.error("response.choices must be a non-empty list", "response.choices")
    msg = choices[0].get("message")
    if not isinstance(msg, dict):
        raise where.error("choices[0].message must be an object", "response.choices[0].message")
    text, not_text = _text_parts(msg.get("content"), where, "response.choices[0].message.content")
    usage = _obj(resp.get("usage"))
    details = _obj(usage.get("prompt_tokens_details"))
    raw_finish = choices[0].get("finish_reason")
    return answered(
        call,
        **{
            "model": resp.get("model") or call.model,
            "answer_text": text or "",
            "answer_calls": _openai_tool_calls(msg.get("tool_calls"), where, "response.choices[0].message.tool_calls"),
            "finish_reason": _OPENAI_FINISH.get(str(raw_finish), "other"),
            "input_tokens": usage.get("prompt_tokens"),
            "cached_input_tokens": details.get("cached_tokens") or 0,
            "output_tokens": usage.get("completion_tokens"),
            "undraftable": call.undraftable or not_text,
        },
    )


# --- Anthropic Messages --------------------------------------------------------------------


def _anthropic_blocks(content: Any, where: Where, field: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list) or not all(isinstance(b, dict) for b in content):
        raise where.error("content must be a string or a list of blocks", field)
    return content


def _anthropic_turn(
    role: str, blocks: list[dict[str, Any]], where: Where, field: str
) -> tuple[list[Message], str | None]:
    texts: list[str] = []
    calls: list[ToolCall] = []
    results: list[Message] = []
    why: str | None = None
    for j, b in enumerate(blocks):
        kind = b.get("type")
        if kind == "text":
            texts.append(str(b.get("text", "")))
        elif kind == "tool_use" and role == "assistant":
            calls.append(parse_arguments(str(b.get("id")), str(b.get("name")), b.get("input")))
        elif kind == "tool_result" and role == "user":
            text, not_text = _text_parts(b.get("content") or "", where, f"{field}[{j}].content")
            why = why or not_text
            results.append(
                Message(
                    role="tool", content=text, tool_call_id=str(b.get("tool_use_id")), is_error=bool(b.get("is_error"))
                )
            )
        elif kind in ("thinking", "redacted_thinking"):
            continue
        else:
            why = why or f"non-text content ({kind})"
    out = list(results)
    if texts or calls or not results:
        out.append(Message(role=role, content="\n".join(texts) if texts else None, tool_calls=calls))  # type: ignore[arg-type]
    return out, why


def _anthropic(record: dict[str, Any], where: Where) -> TrafficCall:
    req, resp = record["request"], record.get("response")
    messages: list[Message] = []
    why: str | None = None
    if req.get("system"):
        system, why = _text_parts(req["system"], where, "request.system")
        messages.append(Message(role="system", content=system))
    raw = req.get("messages")
    if not isinstance(raw, list) or not raw:
        raise where.error("messages must be a non-empty list", "request.messages")
    for i, m in enumerate(raw):
        field = f"request.messages[{i}]"
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
            raise where.error("a message needs role user or assistant", f"{field}.role")
        turn, not_text = _anthropic_turn(m["role"], _anthropic_blocks(m.get("content"), where, field), where, field)
        messages.extend(turn)
        why = why or not_text
    tools: list[ToolDef] = []
    for i, t in enumerate(req.get("tools") or []):
        if not isinstance(t, dict) or not isinstance(t.get("name"), str):
            raise where.error("a tool needs a name", f"request.tools[{i}]")
        if "input_schema" not in t:  # server tools (web search, ...) have no schema to replay
            why = why or f"server tool {t.get('type') or t['name']}"
            continue
        tools.append(ToolDef(name=t["name"], description=t.get("description") or "", parameters=t["input_schema"]))
    choice = _obj(req.get("tool_choice"))
    tool_choice = {"auto": "auto", "any": "required", "none": "none"}.get(str(choice.get("type")), choice.get("name"))
    call = TrafficCall(
        file=str(where.path),
        line=where.line,
        format="anthropic",
        model=req.get("model"),
        messages=messages,
        tools=tools,
        tool_choice=tool_choice,
        max_tokens=req.get("max_tokens"),
        temperature=req.get("temperature"),
        meta=read_metadata(record, record.get("metadata"), req.get("metadata")),
        undraftable=why,
    )
    if not isinstance(resp, dict) or "error" in resp or resp.get("type") == "error":
        return answered(call, failed=True)
    (answer, *_), not_text = _anthropic_turn(
        "assistant", _anthropic_blocks(resp.get("content"), where, "response.content"), where, "response.content"
    )
    usage = _obj(resp.get("usage"))
    cached = int(usage.get("cache_read_input_tokens") or 0)
    created = int(usage.get("cache_creation_input_tokens") or 0)
    uncached = usage.get("input_tokens")
    return answered(
        call,
        **{
            "model": resp.get("model") or call.model,
            "answer_text": answer.content or "",
            "answer_calls": answer.tool_calls,
            "finish_reason": _ANTHROPIC_FINISH.get(str(resp.get("stop_reason")), "other"),
            "input_tokens": None if uncached is None else int(uncached) + cached + created,
            "cached_input_tokens": cached,
            "output_tokens": usage.get("output_tokens"),
            "undraftable": call.undraftable or not_text,
        },
    )


# --- files ---------------------------------------------------------------------------------


def _parse(record: dict[str, Any], fmt: Format, where: Where) -> list[TrafficCall]:
    if fmt == "otel":
        return otel_calls(record, where)
    if not isinstance(record.get("request"), dict):
        raise where.error(f"a {fmt} record needs a request object", "request")
    try:
        return [_openai(record, where) if fmt == "openai" else _anthropic(record, where)]
    except InputError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:  # a wrongly typed field deep in the record
        raise where.error(f"malformed {fmt} record: {exc}".splitlines()[0]) from None


def read_logs(paths: list[Path], fmt: FormatChoice = "auto") -> Iterator[TrafficCall]:
    """Every call in every file, in file order; the first bad line raises (nothing is written)."""
    for path in paths:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise InputError("log file not found", path) from None
        except OSError as exc:
            raise InputError(f"cannot read log file: {exc.strerror}", path) from None
        with handle:
            for lineno, data in enumerate(handle, start=1):
                where = Where(path, lineno)
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise where.error(
                        f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {exc.start + 1}"
                    ) from None
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise where.error(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
                found = detect(record) if isinstance(record, dict) else None
                if found is None or (fmt != "auto" and found != fmt and not (fmt != "otel" and found != "otel")):
                    raise where.error(
                        "not a logged model call: expected {request, response} of OpenAI Chat Completions or "
                        "Anthropic Messages, or an OpenTelemetry span with gen_ai.* attributes"
                        + ("" if fmt == "auto" else f" (--format {fmt})")
                    )
                yield from _parse(record, found if fmt == "auto" else fmt, where)
