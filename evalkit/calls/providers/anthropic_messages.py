"""Anthropic Messages through the official `anthropic` SDK.

The canonical conversation maps onto Messages' shape here: the system prompt is a parameter, tool
calls are `tool_use` blocks, tool results are `tool_result` blocks in the following user turn, and
tools carry `input_schema`. The current Messages API (and SDK) takes no seed, temperature or top_p,
so those are dropped; a profile that targets an older model can pass them through `extra_body`.

What a 200 carries is checked before it becomes a `Response` (see `providers/base.py`): a body that is
not a message, `null` content, no `stop_reason` (a stream cut before `message_delta`), negative usage
are `malformed` faults, retried, never scored.
"""

from __future__ import annotations

import json
import time
from typing import Any

import anthropic

from evalkit.calls.providers.base import (
    CallContext,
    CallError,
    Generation,
    checked_usage,
    describe_models,
    kind_for_status,
    normalise_finish,
    parse_retry_after,
    require_finish,
    response_shape,
    transport_error,
)
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import FinishReason, Message, Request, Response, ToolCall, Usage

_FINISH: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def to_anthropic_messages(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """(system prompt, messages) with tool results folded into user turns."""
    system_parts: list[str] = []
    out: list[dict[str, Any]] = []

    def append(role: str, blocks: list[dict[str, Any]]) -> None:
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})

    for m in messages:
        if m.role == "system":
            system_parts.append(m.content or "")
        elif m.role == "user":
            append("user", [{"type": "text", "text": m.content or ""}])
        elif m.role == "tool":
            block: dict[str, Any] = {
                "type": "tool_result",
                "tool_use_id": m.tool_call_id,
                "content": m.content or "",
            }
            if m.is_error:
                block["is_error"] = True
            append("user", [block])
        else:
            blocks: list[dict[str, Any]] = []
            if m.content:
                blocks.append({"type": "text", "text": m.content})
            for c in m.tool_calls:
                args = c.arguments
                if args is None:
                    try:
                        args = json.loads(c.raw_arguments)
                    except json.JSONDecodeError:
                        args = {}
                blocks.append({"type": "tool_use", "id": c.id, "name": c.name, "input": args})
            append("assistant", blocks)
    return "\n\n".join(p for p in system_parts if p), out


def to_anthropic_params(request: Request, profile: EndpointProfile) -> dict[str, Any]:
    system, messages = to_anthropic_messages(request.messages)
    reasoning = profile.reasoning
    limit = reasoning.output_limit(request.max_tokens) if reasoning else request.max_tokens
    params: dict[str, Any] = {"model": profile.model, "max_tokens": limit, "messages": messages}
    if reasoning is not None and reasoning.budget_tokens:
        # Extended thinking: the budget is part of max_tokens, which output_limit() already added.
        params["thinking"] = {"type": "enabled", "budget_tokens": reasoning.budget_tokens}
    if system:
        params["system"] = system
    if request.tools:
        params["tools"] = [
            {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in request.tools
        ]
        choice = request.tool_choice
        if choice == "auto":
            params["tool_choice"] = {"type": "auto"}
        elif choice == "required":
            params["tool_choice"] = {"type": "any"}
        elif choice == "none":
            params["tool_choice"] = {"type": "none"}
        elif choice:
            params["tool_choice"] = {"type": "tool", "name": choice}
    if request.response_schema is not None and profile.response_format != "none":
        params["output_config"] = {"format": {"type": "json_schema", "schema": request.response_schema}}
    if profile.extra_body:
        params["extra_body"] = profile.extra_body
    return params


def classify(exc: Exception) -> CallError:
    if (transport := transport_error(exc)) is not None:
        return transport
    if isinstance(exc, anthropic.APITimeoutError):
        return CallError("timeout", "request timed out")
    if isinstance(exc, anthropic.APIConnectionError):
        cause = exc.__cause__ or exc
        return CallError("connection", f"{type(cause).__name__}: {cause}".strip())
    if isinstance(exc, anthropic.APIStatusError):
        message = str(exc.message)[:500]
        body = exc.body
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = str(body["error"].get("message", message))[:500]
        status = exc.status_code
        kind = "server" if status == 529 else kind_for_status(status)
        return CallError(kind, message, status, parse_retry_after(exc.response.headers))
    if isinstance(exc, anthropic.APIResponseValidationError | json.JSONDecodeError | ValueError):
        return CallError("malformed", f"unparseable response: {exc}")
    if isinstance(exc, anthropic.APIError):
        return CallError("malformed", str(exc))
    return CallError("other", f"{type(exc).__name__}: {exc}")


def _response(message: Any, latency: float, ttft: float | None, request_id: str | None, streamed: bool) -> Response:
    require_finish(message.stop_reason, streamed)
    text: list[str] = []
    calls: list[ToolCall] = []
    for block in message.content:
        if block.type == "text":
            text.append(block.text)
        elif block.type == "tool_use":
            args = block.input if isinstance(block.input, dict) else None
            raw = json.dumps(block.input)
            calls.append(
                ToolCall(
                    id=block.id,
                    name=block.name,
                    arguments=args,
                    raw_arguments=raw,
                    parse_error=None if args is not None else "tool input is not an object",
                )
            )
    u = message.usage
    cache_read = getattr(u, "cache_read_input_tokens", None) or 0
    cache_write = getattr(u, "cache_creation_input_tokens", None) or 0
    checked_usage(
        input_tokens=u.input_tokens,
        cache_read_input_tokens=cache_read,
        cache_creation_input_tokens=cache_write,
        output_tokens=u.output_tokens,
    )
    usage = Usage(
        input_tokens=(u.input_tokens or 0) + cache_read + cache_write,
        cached_input_tokens=cache_read,
        output_tokens=u.output_tokens or 0,
    )
    return Response(
        text="".join(text),
        tool_calls=calls,
        finish_reason=normalise_finish(message.stop_reason, _FINISH),
        raw_finish_reason=message.stop_reason,
        usage=usage,
        latency_s=latency,
        ttft_s=ttft,
        model=message.model,
        system_fingerprint=None,
        request_id=request_id or message.id,
    )


def message_generation(
    message: object, latency: float, ttft: float | None, request_id: str | None, streamed: bool
) -> Generation:
    """A whole Messages answer, checked and read into a `Generation`. One function for every path that
    receives one (a live call, streamed or not, and a batch API result), so an answer is read, and
    therefore scored, the same whichever way it arrived."""
    if not isinstance(message, anthropic.types.Message):  # a text/html body comes back as a str
        shown = f"{type(message).__name__} {repr(message)[:80]}"
        raise CallError("malformed", f"the server answered 200 without a message: {shown}")
    with response_shape():
        response = _response(message, latency, ttft, request_id, streamed)
        raw = message.model_dump(mode="json")
    return Generation(response, raw)


def anthropic_client(
    profile: EndpointProfile, *, base_url: str | None = None, max_retries: int = 0
) -> anthropic.AsyncAnthropic:
    """The SDK client for a profile, live or batch: evalkit retries live calls itself (max_retries 0);
    the batch mode lets the SDK retry its few bookkeeping calls."""
    return anthropic.AsyncAnthropic(
        api_key=profile.api_key() or "no-key-needed",
        base_url=base_url or profile.base_url,
        max_retries=max_retries,
        timeout=anthropic.Timeout(profile.timeout_s, connect=profile.connect_timeout_s),
    )


class AnthropicMessages:
    def __init__(self, profile: EndpointProfile, base_url: str | None = None) -> None:
        self.profile = profile
        self.client = anthropic_client(profile, base_url=base_url)

    async def aclose(self) -> None:
        await self.client.close()

    async def describe(self) -> dict[str, Any]:
        return await describe_models(self.client.models.list, classify, str(self.client.base_url))

    async def generate(self, request: Request, call: CallContext) -> Generation:
        params = to_anthropic_params(request, self.profile)
        streamed = self.profile.stream
        try:
            start = time.perf_counter()
            message: Any
            if streamed:
                ttft: float | None = None
                async with self.client.messages.stream(**params) as stream:
                    with response_shape():
                        async for event in stream:
                            if ttft is None and event.type in ("text", "input_json"):
                                ttft = time.perf_counter() - start
                        try:
                            message = await stream.get_final_message()
                        except AssertionError:  # the SDK's way of saying no message_start ever came
                            raise CallError("malformed", "the stream ended before a message started") from None
                    request_id = stream.request_id
            else:
                message = await self.client.messages.create(**params)
                ttft = None
                request_id = getattr(message, "_request_id", None)
            latency = time.perf_counter() - start
            generation = message_generation(message, latency, ttft, request_id, streamed)
        except CallError:
            raise
        except Exception as exc:
            raise classify(exc) from None
        if streamed:
            generation.raw["streamed"] = True
        return generation
