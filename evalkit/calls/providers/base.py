"""What every provider returns and raises.

Failures are classified once, here, into retryable infrastructure faults and final ones, so the
engine's retry loop and the store never look at SDK exception types.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from evalkit.records import FinishReason, Request, Response, ToolCall

ErrorKind = Literal[
    "rate_limit", "server", "timeout", "connection", "auth", "bad_request", "not_found", "malformed", "other"
]
RETRYABLE: frozenset[str] = frozenset({"rate_limit", "server", "timeout", "connection", "malformed"})


@dataclass
class CallError(Exception):
    kind: ErrorKind
    message: str
    status: int | None = None
    retry_after_s: float | None = None

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE

    def __str__(self) -> str:
        status = f" HTTP {self.status}" if self.status else ""
        return f"{self.kind}{status}: {self.message}"


@dataclass
class Generation:
    response: Response
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallContext:
    """Which case a call is for. Real providers ignore it; the scripted provider answers by it."""

    suite: str
    case_id: str
    repeat: int = 0


class Provider(Protocol):
    """The one narrow extension point: a wire format behind `generate()` (cf. httpx's BaseTransport)."""

    async def generate(self, request: Request, call: CallContext) -> Generation: ...

    async def describe(self) -> dict[str, Any]:
        """What the server says about itself (models, versions); raises CallError if unreachable."""
        ...

    async def aclose(self) -> None: ...


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def kind_for_status(status: int) -> ErrorKind:
    if status == 429:
        return "rate_limit"
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    if status in (408,):
        return "timeout"
    if status >= 500:
        return "server"
    return "bad_request"


def parse_tool_call(call_id: str, name: str, raw_arguments: str) -> ToolCall:
    """Arguments that do not parse into an object are kept verbatim and flagged, never raised."""
    if raw_arguments.strip() == "":
        return ToolCall(id=call_id, name=name, arguments={}, raw_arguments=raw_arguments)
    try:
        parsed = json.loads(raw_arguments)
    except json.JSONDecodeError as exc:
        return ToolCall(id=call_id, name=name, raw_arguments=raw_arguments, parse_error=f"invalid JSON: {exc.msg}")
    if not isinstance(parsed, dict):
        return ToolCall(
            id=call_id,
            name=name,
            raw_arguments=raw_arguments,
            parse_error=f"arguments are a JSON {type(parsed).__name__}, not an object",
        )
    return ToolCall(id=call_id, name=name, arguments=parsed, raw_arguments=raw_arguments)


def normalise_finish(reason: str | None, mapping: dict[str, FinishReason]) -> FinishReason:
    if reason is None:
        return "other"
    return mapping.get(reason, "other")


async def describe_models(
    list_models: Callable[[], Awaitable[Any]], classify: Callable[[Exception], CallError], base_url: str
) -> dict[str, Any]:
    """The model list a server reports, for the run manifest.

    An unreachable server or a refused key is fatal before the run starts; a server that merely has
    no model-list route (many compatible hosts) is recorded and the run goes on.
    """
    info: dict[str, Any] = {"base_url": base_url}
    try:
        page = await list_models()
        info["models"] = [m.id for m in page.data]
        # vLLM adds the checkpoint behind a served name and its context length: a swapped checkpoint
        # under the same name shows here before any answer does.
        details = [
            {"id": m.id, **{k: extra[k] for k in ("root", "max_model_len") if k in extra}}
            for m in page.data
            if (extra := getattr(m, "model_extra", None) or {}) and ("root" in extra or "max_model_len" in extra)
        ]
        if details:
            info["model_details"] = details
    except Exception as exc:
        err = classify(exc)
        if err.kind in ("auth", "connection", "timeout"):
            raise err from None
        info["models_error"] = str(err)
    return info
