"""One logged model call in provider-neutral form, whatever wire format it was logged in.

Every later stage (PII scrubbing, surfaces, the workload map, suite drafts) reads only `TrafficCall`, so
a new log format is one parser, and the request is kept as the canonical messages and tools evalkit
replays: that is what lets a drafted case send the logged prompt verbatim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.errors import InputError
from evalkit.records import FinishReason, Message, ToolCall, ToolDef

__all__ = ["Format", "Metadata", "TrafficCall", "Where", "answered", "parse_arguments", "read_metadata"]

Format = Literal["openai", "anthropic", "otel"]


class Metadata(BaseModel):
    """What a gateway or logger adds around the call; every field is optional."""

    model_config = ConfigDict(extra="forbid")

    surface: str | None = None
    tags: list[str] = Field(default_factory=list)
    timestamp: str | None = None
    latency_s: float | None = None
    retries: int | None = None
    """Attempts beyond the first that this logical call needed."""
    escalated: bool | None = None
    """Whether the call was handed to a stronger model or a human afterwards."""


class TrafficCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    line: int
    format: Format
    model: str | None = None
    messages: list[Message] = Field(default_factory=list)
    tools: list[ToolDef] = Field(default_factory=list)
    tool_choice: str | None = None
    response_schema: dict[str, Any] | None = None
    json_requested: bool = False
    """`response_format: json_object` (or a schema) was asked for."""
    max_tokens: int | None = None
    temperature: float | None = None
    answer_text: str = ""
    answer_calls: list[ToolCall] = Field(default_factory=list)
    finish_reason: FinishReason = "other"
    failed: bool = False
    """The logged call has no answer (an error response): counted, never drafted."""
    input_tokens: int | None = None
    cached_input_tokens: int = 0
    output_tokens: int | None = None
    meta: Metadata = Field(default_factory=Metadata)
    undraftable: str | None = None
    """Why this call cannot become a case (images, no user message, no recorded content); None if it can."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def answered(call: TrafficCall, **update: Any) -> TrafficCall:
    """The call with its response fields set, validated (a wrongly typed logged field is bad input)."""
    return TrafficCall.model_validate({**dict(call), **update})


class Where:
    """File and line of the record being parsed, so every parser error names them."""

    def __init__(self, path: Path, line: int) -> None:
        self.path, self.line = path, line

    def error(self, message: str, field: str | None = None) -> InputError:
        return InputError(message, self.path, self.line, field)


def parse_arguments(call_id: str, name: str, raw: Any) -> ToolCall:
    """Tool-call arguments as logged (a JSON string or an object); unparseable ones stay a recorded fact."""
    if isinstance(raw, dict):
        return ToolCall(id=call_id, name=name, arguments=raw, raw_arguments=json.dumps(raw, ensure_ascii=False))
    text = raw if isinstance(raw, str) else ""
    try:
        parsed = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        return ToolCall(id=call_id, name=name, raw_arguments=text, parse_error=exc.msg)
    if not isinstance(parsed, dict):
        return ToolCall(id=call_id, name=name, raw_arguments=text, parse_error="arguments are not a JSON object")
    return ToolCall(id=call_id, name=name, arguments=parsed, raw_arguments=text)


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t) for t in value if isinstance(t, str | int | float)]
    if isinstance(value, dict):
        return [f"{k}:{v}" for k, v in value.items() if isinstance(v, str | int | float | bool)]
    return []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def read_metadata(*sources: Any) -> Metadata:
    """Merge metadata from the record, its `metadata` block and the request's own `metadata` param.

    The first source that names a field wins. `surface` may also come as a `surface:NAME` tag.
    Latency is read from `latency_s`, `latency_ms` or `duration_ms`; retries from `retries` or
    `attempts` (attempts - 1); escalation from `escalated` or `escalation`.
    """
    out: dict[str, Any] = {}
    tags: list[str] = []
    for src in sources:
        if not isinstance(src, dict):
            continue
        if "surface" in src and isinstance(src["surface"], str) and src["surface"].strip():
            out.setdefault("surface", src["surface"].strip())
        tags.extend(_tags(src.get("tags")))
        for key in ("timestamp", "created_at", "time"):
            if isinstance(src.get(key), str | int | float) and not isinstance(src.get(key), bool):
                out.setdefault("timestamp", str(src[key]))
        if (v := _number(src.get("latency_s"))) is not None:
            out.setdefault("latency_s", v)
        for key in ("latency_ms", "duration_ms"):
            if (v := _number(src.get(key))) is not None:
                out.setdefault("latency_s", v / 1000)
        if (v := _number(src.get("retries"))) is not None:
            out.setdefault("retries", int(v))
        if (v := _number(src.get("attempts"))) is not None:
            out.setdefault("retries", max(int(v) - 1, 0))
        for key in ("escalated", "escalation"):
            if isinstance(src.get(key), bool):
                out.setdefault("escalated", src[key])
    if "surface" not in out:
        named = [t.split(":", 1)[1].strip() for t in tags if t.startswith("surface:")]
        if named and named[0]:
            out["surface"] = named[0]
    out["tags"] = list(dict.fromkeys(t for t in tags if not t.startswith("surface:")))
    return Metadata.model_validate(out)
