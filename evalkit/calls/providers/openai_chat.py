"""OpenAI Chat Completions through the official `openai` SDK.

Used for OpenAI itself and for every OpenAI-compatible host (DeepSeek, Together, Fireworks, Groq,
Gemini's compatibility layer), vLLM and the embedded llama.cpp server: one code path for all of them.
The SDK's own retries are off; the engine retries so that every attempt is counted and costed.

The SDK hands back whatever a 200 carried — a text body as a `str`, a `null` message, a stream that
stopped before its finish chunk — so every answer is checked here before it becomes a `Response`
(see `providers/base.py`): what does not hold together is a `malformed` fault, retried.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from typing import Any

import httpx2
import openai
import pydantic
from openai.types.chat import ChatCompletion

from evalkit.calls.fingerprint import stack_facts
from evalkit.calls.providers.base import (
    CallContext,
    CallError,
    Generation,
    checked_usage,
    describe_models,
    kind_for_status,
    normalise_finish,
    parse_retry_after,
    parse_tool_call,
    require_finish,
    response_shape,
    transport_error,
)
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import FinishReason, Message, Request, Response, Usage

_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}


def to_openai_messages(messages: list[Message]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "tool":
            out.append({"role": "tool", "tool_call_id": m.tool_call_id, "content": m.content or ""})
        elif m.role == "assistant":
            # "" rather than null beside tool calls: OpenAI and vLLM take both, llama.cpp's server only "".
            msg: dict[str, Any] = {"role": "assistant", "content": m.content or ""}
            if m.tool_calls:
                msg["tool_calls"] = [
                    {
                        "id": c.id,
                        "type": "function",
                        "function": {
                            "name": c.name,
                            "arguments": c.raw_arguments or json.dumps(c.arguments or {}),
                        },
                    }
                    for c in m.tool_calls
                ]
            out.append(msg)
        else:
            out.append({"role": m.role, "content": m.content or ""})
    return out


def to_openai_params(request: Request, profile: EndpointProfile) -> dict[str, Any]:
    params: dict[str, Any] = {"model": profile.model, "messages": to_openai_messages(request.messages)}
    reasoning = profile.reasoning
    limit = reasoning.output_limit(request.max_tokens) if reasoning else request.max_tokens
    # OpenAI's current models reject max_tokens; compatible servers mostly only know max_tokens.
    params["max_completion_tokens" if profile.kind == "openai" else "max_tokens"] = limit
    if reasoning is not None and reasoning.effort is not None:
        params["reasoning_effort"] = reasoning.effort
    if request.temperature is not None and "temperature" not in profile.omit_params:
        params["temperature"] = request.temperature
    if request.top_p is not None and "top_p" not in profile.omit_params:
        params["top_p"] = request.top_p
    if request.seed is not None and "seed" not in profile.omit_params:
        params["seed"] = request.seed
    if request.tools:
        params["tools"] = [
            {
                "type": "function",
                "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
            }
            for t in request.tools
        ]
        choice = request.tool_choice
        if choice in ("auto", "required", "none"):
            params["tool_choice"] = choice
        elif choice:
            params["tool_choice"] = {"type": "function", "function": {"name": choice}}
    if request.response_schema is not None and profile.response_format == "json_schema":
        params["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "output", "schema": request.response_schema},
        }
    elif request.response_schema is not None and profile.response_format == "json_object":
        params["response_format"] = {"type": "json_object", "schema": request.response_schema}
    if profile.extra_body:
        params["extra_body"] = profile.extra_body
    return params


def _usage(raw: Any) -> Usage:
    if raw is None:
        return Usage()
    details = getattr(raw, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) or 0
    prompt, completion = raw.prompt_tokens or 0, raw.completion_tokens or 0
    checked_usage(input_tokens=prompt, cached_input_tokens=cached, output_tokens=completion)
    return Usage(input_tokens=prompt, cached_input_tokens=cached, output_tokens=completion)


def _not_a_completion(body: object) -> CallError:
    shown = repr(body)[:80]
    return CallError("malformed", f"the server answered 200 without a chat completion: {type(body).__name__} {shown}")


def classify(exc: Exception) -> CallError:
    if (transport := transport_error(exc)) is not None:
        return transport
    if isinstance(exc, openai.APITimeoutError):
        return CallError("timeout", "request timed out")
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc
        return CallError("connection", f"{type(cause).__name__}: {cause}".strip())
    if isinstance(exc, openai.APIStatusError):
        return CallError(
            kind_for_status(exc.status_code),
            _status_message(exc),
            exc.status_code,
            parse_retry_after(exc.response.headers),
        )
    if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError | ValueError):
        return CallError("malformed", f"unparseable response: {exc}")
    if isinstance(exc, openai.APIError):
        return CallError("malformed", str(exc))
    return CallError("other", f"{type(exc).__name__}: {exc}")


def _status_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])[:500]
    return str(exc.message)[:500]


def _completion_of(http: httpx2.Response) -> object:
    """The body of a non-streamed answer as the SDK would hand it over (`cast_to=ChatCompletion`): a
    `ChatCompletion`, or the text of a body that is not JSON. Read here rather than by the SDK because
    its generic `construct` walks every field in Python (~12% of a call's CPU, benchmarks/README.md);
    pydantic's own validation builds the same model, and a body that does not validate is built the
    SDK's lenient way, so a malformed answer still reaches the same checks."""
    try:
        data = json.loads(http.content)
    except ValueError:
        return http.text
    if not isinstance(data, dict):
        return data
    try:
        return ChatCompletion.model_validate(data)
    except pydantic.ValidationError:
        return ChatCompletion.construct(**data)


def completion_generation(completion: object, latency: float, request_id: str | None) -> Generation:
    """A non-streamed chat completion, checked and read into a `Generation`. One function for every
    path that receives a whole completion (a live call, a batch API result line), so an answer is
    read, and therefore scored, the same whichever way it arrived."""
    if not isinstance(completion, ChatCompletion):  # a text/html body comes back as a str
        raise _not_a_completion(completion)
    with response_shape():
        if not completion.choices:
            raise CallError("malformed", "response has no choices")
        choice = completion.choices[0]
        msg = choice.message
        if msg is None:
            raise CallError("malformed", "the response's choice has no message (null)")
        require_finish(choice.finish_reason, streamed=False)
        calls = [
            parse_tool_call(c.id, function.name, function.arguments or "")
            for c in (msg.tool_calls or [])
            if (function := getattr(c, "function", None)) is not None
        ]
        response = Response(
            text=msg.content or "",
            tool_calls=calls,
            finish_reason=normalise_finish(choice.finish_reason, _FINISH),
            raw_finish_reason=choice.finish_reason,
            usage=_usage(completion.usage),
            latency_s=latency,
            ttft_s=None,
            model=completion.model,
            system_fingerprint=completion.system_fingerprint,
            request_id=request_id or completion.id,
        )
        raw = completion.model_dump(mode="json")
    return Generation(response, raw)


def openai_client(profile: EndpointProfile, *, base_url: str | None = None, max_retries: int = 0) -> openai.AsyncOpenAI:
    """The SDK client for a profile, live or batch: evalkit retries live calls itself (max_retries 0);
    the batch mode lets the SDK retry its few bookkeeping calls."""
    return openai.AsyncOpenAI(
        api_key=profile.api_key() or "no-key-needed",
        base_url=base_url or profile.base_url,
        max_retries=max_retries,
        timeout=openai.Timeout(profile.timeout_s, connect=profile.connect_timeout_s),
    )


class OpenAIChat:
    def __init__(self, profile: EndpointProfile, base_url: str | None = None) -> None:
        self.profile = profile
        self.client = openai_client(profile, base_url=base_url)
        # The SDK draws a uuid4 per request for its idempotency key when none is given (os.urandom each
        # time, ~5% of a fast run's CPU, benchmarks/README.md); a process prefix and a counter are as unique.
        self._key_prefix = f"evalkit-{secrets.token_hex(8)}-"
        self._keys = itertools.count()

    async def aclose(self) -> None:
        await self.client.close()

    async def describe(self) -> dict[str, Any]:
        """The model list, and for vLLM and the embedded server what the stack says about itself
        (`calls/fingerprint.py`): recorded in every run's manifest, its stable part in the cache key."""
        base_url = str(self.client.base_url)
        info = await describe_models(self.client.models.list, classify, base_url)
        info.update(await stack_facts(self.profile, base_url))
        return info

    async def generate(self, request: Request, call: CallContext) -> Generation:
        params = to_openai_params(request, self.profile)
        try:
            if self.profile.stream:
                return await self._stream(params)
            return await self._once(params)
        except CallError:
            raise
        except Exception as exc:
            raise classify(exc) from None

    async def _once(self, params: dict[str, Any]) -> Generation:
        # The SDK's documented raw `post` ("custom/undocumented requests"), parsed into the same
        # `ChatCompletion` on the same request path: `create()` first walks every parameter through its
        # TypedDict transform, a third of each call's CPU (benchmarks/README.md), and `params` is already
        # the wire body. `extra_body` is merged at the top level, as `create()` merges it.
        body = {k: v for k, v in params.items() if k != "extra_body"}
        body.update(params.get("extra_body") or {})
        start = time.perf_counter()
        http = await self.client.post(
            "/chat/completions",
            body=body,
            cast_to=httpx2.Response,
            options={"idempotency_key": f"{self._key_prefix}{next(self._keys)}"},
        )
        latency = time.perf_counter() - start
        return completion_generation(_completion_of(http), latency, http.headers.get("x-request-id"))

    async def _stream(self, params: dict[str, Any]) -> Generation:
        params = {**params, "stream": True, "stream_options": {"include_usage": True}}
        start = time.perf_counter()
        stream = await self.client.chat.completions.create(**params)
        ttft: float | None = None
        text: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        finish: str | None = None
        usage_raw: Any = None
        model = fingerprint = chunk_id = None
        chunks = 0
        try:
            with response_shape():
                async for chunk in stream:
                    chunks += 1
                    model = chunk.model or model
                    fingerprint = chunk.system_fingerprint or fingerprint
                    chunk_id = chunk.id or chunk_id
                    if chunk.usage is not None:
                        usage_raw = chunk.usage
                    for choice in chunk.choices or []:
                        delta = choice.delta
                        if delta.content:
                            ttft = ttft if ttft is not None else time.perf_counter() - start
                            text.append(delta.content)
                        for tc in delta.tool_calls or []:
                            ttft = ttft if ttft is not None else time.perf_counter() - start
                            slot = calls.setdefault(tc.index, {"id": "", "name": "", "arguments": ""})
                            if tc.id:
                                slot["id"] = tc.id
                            if tc.function is not None:
                                slot["name"] += tc.function.name or ""
                                slot["arguments"] += tc.function.arguments or ""
                        if choice.finish_reason:
                            finish = choice.finish_reason
        finally:
            if isinstance(stream, openai.AsyncStream):
                await stream.close()  # also when the attempt's deadline cancels us mid-stream
        latency = time.perf_counter() - start
        if chunks == 0:
            raise CallError("malformed", "stream ended without a chunk")
        # No finish reason: the stream was cut (no finish chunk, no [DONE]); its text is a fragment.
        require_finish(finish, streamed=True)
        with response_shape():
            usage = _usage(usage_raw)
        request_id = stream.response.headers.get("x-request-id") or chunk_id
        tool_calls = [
            parse_tool_call(slot["id"] or f"call_{i}", slot["name"], slot["arguments"])
            for i, slot in sorted(calls.items())
        ]
        response = Response(
            text="".join(text),
            tool_calls=tool_calls,
            finish_reason=normalise_finish(finish, _FINISH),
            raw_finish_reason=finish,
            usage=usage,
            latency_s=latency,
            ttft_s=ttft,
            model=model,
            system_fingerprint=fingerprint,
            request_id=request_id,
        )
        raw = {
            "streamed": True,
            "chunks": chunks,
            "id": chunk_id,
            "model": model,
            "system_fingerprint": fingerprint,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish,
                    "message": {
                        "role": "assistant",
                        "content": "".join(text) or None,
                        "tool_calls": [
                            {
                                "id": s["id"],
                                "type": "function",
                                "function": {"name": s["name"], "arguments": s["arguments"]},
                            }
                            for _, s in sorted(calls.items())
                        ]
                        or None,
                    },
                }
            ],
            "usage": usage_raw.model_dump(mode="json") if usage_raw is not None else None,
        }
        return Generation(response, raw)
