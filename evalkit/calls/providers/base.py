"""What every provider returns and raises.

Failures are classified once, here, into retryable infrastructure faults and final ones, so the
engine's retry loop and the store never look at SDK exception types.

Both what a provider returns and what it raises are redacted as they are made (`CallError` and
`Generation` mask the value of every configured key variable, see `evalkit/redaction.py`): whatever
later records, prints or stores them — the engine, attempt histories, the console — never holds a key.

A 200 is not yet an answer. Anything a server can get wrong while saying 200 — a body that is not a
chat completion, no message, no finish reason (a cut-off stream), negative token counts — is raised
here as a `malformed` CallError: an infrastructure fault, retried, never scored as a wrong answer.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from evalkit.records import FinishReason, Request, Response, ToolCall, Usage
from evalkit.redaction import data_contains_secret, redact, redact_data, secrets_in_environment

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

    def __post_init__(self) -> None:
        self.message = redact(self.message)
        self.args = (self.kind, self.message, self.status, self.retry_after_s)  # Exception keeps its own copy

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE

    def __str__(self) -> str:
        status = f" HTTP {self.status}" if self.status else ""
        return f"{self.kind}{status}: {self.message}"


@dataclass
class Generation:
    """An answer and the provider's raw payload.

    A key in a 200 answer is masked too. The model never receives the key (it travels in a header,
    never in the prompt), so a key in an answer was put there by the serving stack, not by the model:
    it is replaced like everywhere else, and the answer is scored as stored.
    """

    response: Response
    raw: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not secrets_in_environment():
            return  # nothing that could be masked: skip dumping every answer (a hot path at 400 calls/s)
        dumped = self.response.model_dump(mode="json")
        if data_contains_secret([dumped, self.raw]):
            self.response = Response.model_validate(redact_data(dumped))
            self.raw = redact_data(self.raw)


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


def transport_error(exc: Exception) -> CallError | None:
    """A transport error the SDK let through unwrapped.

    Both SDKs wrap errors while sending a request, but the Anthropic one does not while reading a
    streamed body, so a reset or a stall mid-stream arrives as the HTTP library's own exception. The
    SDKs have moved between `httpx` and `httpx2`, which share their exception names, so the class
    hierarchy is matched by name rather than importing either.
    """
    names = {c.__name__ for c in type(exc).__mro__ if c.__module__.split(".")[0] in ("httpx", "httpx2")}
    if "TimeoutException" in names:
        return CallError("timeout", f"{type(exc).__name__} while reading the response")
    if "TransportError" in names:
        return CallError("connection", f"{type(exc).__name__}: {exc}".strip())
    return None


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


def checked_usage(**counts: int | None) -> None:
    """Reject negative token counts as a provider fault.

    A negative count is broken accounting, not a free answer: clamping it to zero would record a
    cost the provider never charged and let a broken endpoint look cheaper. It is a `malformed`
    response, retried like any other; the run never stores a negative count or cost.
    """
    negative = {k: v for k, v in counts.items() if v is not None and v < 0}
    if negative:
        shown = ", ".join(f"{k} {v}" for k, v in negative.items())
        raise CallError("malformed", f"the server reported negative token counts ({shown})")


def checked_usage_record(usage: Usage) -> Usage:
    checked_usage(
        input_tokens=usage.input_tokens,
        cached_input_tokens=usage.cached_input_tokens,
        output_tokens=usage.output_tokens,
    )
    return usage


def require_finish(reason: str | None, streamed: bool) -> None:
    """An answer without a finish reason did not end: a stream cut off before its last chunk, or a
    body that stopped short. Scoring its prefix would count an infrastructure fault as a wrong answer."""
    if not reason:
        where = "the stream ended before a finish reason arrived (cut off)" if streamed else "no finish reason"
        raise CallError("malformed", f"incomplete answer: {where}")


@contextmanager
def response_shape() -> Iterator[None]:
    """Turn a 200 body of the wrong shape (null message, a string where a list belongs, a text body
    where JSON belongs) into a retried `malformed` fault. Only the reading of a response is guarded, so
    a bug in building the request still fails loudly instead of being retried."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, IndexError, RuntimeError, AssertionError) as exc:
        # RuntimeError and AssertionError: how the Anthropic SDK's stream accumulator says that events
        # came out of order, or carried a shape it does not know.
        raise CallError("malformed", f"unexpected response shape: {type(exc).__name__}: {exc}") from None


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
