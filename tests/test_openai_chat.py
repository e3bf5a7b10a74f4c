"""The openai provider against a loopback server speaking Chat Completions, streamed and not."""

from __future__ import annotations

import asyncio

import pytest

from evalkit.calls.providers import CallContext, CallError, make_provider
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import Message, Request, ToolCall, ToolDef
from tests.fakeserver import FakeLLMServer, Reply

TOOL = ToolDef(
    name="lookup_order",
    description="Look up an order",
    parameters={"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
)


def profile(fake: FakeLLMServer, **kw: object) -> EndpointProfile:
    base = {
        "name": "t",
        "tier": "hosted",
        "kind": "openai-compatible",
        "model": "m",
        "base_url": fake.base_url,
        "timeout_s": 2,
        "stream": False,
    }
    base.update(kw)
    return EndpointProfile.model_validate(base)


def request(**kw: object) -> Request:
    base: dict[str, object] = {"messages": [Message(role="system", content="sys"), Message(role="user", content="hi")]}
    base.update(kw)
    return Request.model_validate(base)


def generate(p: EndpointProfile, r: Request):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        provider = make_provider(p)
        try:
            return await provider.generate(r, CallContext("s", "c1"))
        finally:
            await provider.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("stream", [False, True])
def test_text_answer_usage_and_identity(fake: FakeLLMServer, stream: bool) -> None:
    fake.enqueue(
        Reply(text="refund_request", input_tokens=120, cached_tokens=100, output_tokens=3, model="served-model-v2")
    )
    gen = generate(profile(fake, stream=stream), request())
    r = gen.response
    assert r.text == "refund_request"
    assert r.finish_reason == "stop"
    assert (r.usage.input_tokens, r.usage.cached_input_tokens, r.usage.output_tokens) == (120, 100, 3)
    assert r.model == "served-model-v2"
    assert r.system_fingerprint == "fp_test"
    assert r.request_id
    assert r.latency_s > 0
    assert (r.ttft_s is not None) == stream
    assert gen.raw["choices"][0]["message"]["content"] == "refund_request"


@pytest.mark.parametrize("stream", [False, True])
def test_tool_calls_parsed_and_broken_arguments_recorded(fake: FakeLLMServer, stream: bool) -> None:
    fake.enqueue(Reply(tool_calls=[("lookup_order", {"order_id": "OR-10472"}), ("lookup_order", '{"order_id": ')]))
    r = generate(profile(fake, stream=stream), request(tools=[TOOL], tool_choice="auto")).response
    assert r.finish_reason == "tool_calls"
    good, bad = r.tool_calls
    assert good.name == "lookup_order" and good.arguments == {"order_id": "OR-10472"} and good.parse_error is None
    assert bad.arguments is None and bad.raw_arguments == '{"order_id": ' and "invalid JSON" in (bad.parse_error or "")


def test_canonical_request_is_translated_to_chat_completions(fake: FakeLLMServer) -> None:
    schema = {"type": "object", "properties": {"label": {"type": "string"}}}
    history = [
        Message(role="system", content="sys"),
        Message(role="user", content="refund OR-10472"),
        Message(
            role="assistant",
            tool_calls=[
                ToolCall(
                    id="c1",
                    name="lookup_order",
                    arguments={"order_id": "OR-10472"},
                    raw_arguments='{"order_id": "OR-10472"}',
                )
            ],
        ),
        Message(role="tool", tool_call_id="c1", content='{"error": "timeout"}', is_error=True),
    ]
    generate(
        profile(fake),
        Request(
            messages=history,
            tools=[TOOL],
            tool_choice="lookup_order",
            response_schema=schema,
            max_tokens=33,
            temperature=0.0,
            seed=7,
        ),
    )
    body = fake.calls("/chat/completions")[0].body
    assert body["max_tokens"] == 33 and body["temperature"] == 0.0 and body["seed"] == 7
    assert body["tools"][0]["function"]["parameters"] == TOOL.parameters
    assert body["tool_choice"] == {"type": "function", "function": {"name": "lookup_order"}}
    assert body["response_format"]["json_schema"]["schema"] == schema
    assert body["messages"][2]["tool_calls"][0]["function"]["arguments"] == '{"order_id": "OR-10472"}'
    assert body["messages"][2]["content"] == ""  # llama.cpp's server rejects null here
    assert body["messages"][3] == {"role": "tool", "tool_call_id": "c1", "content": '{"error": "timeout"}'}


def test_openai_kind_uses_max_completion_tokens_and_omits_fixed_sampling(fake: FakeLLMServer) -> None:
    p = profile(fake, kind="openai", api_key_env="EVALKIT_TEST_KEY", omit_params=["temperature"])
    generate(p, request(max_tokens=50, temperature=0.0))
    body = fake.calls("/chat/completions")[0].body
    assert body["max_completion_tokens"] == 50 and "max_tokens" not in body
    assert "temperature" not in body


def test_llama_cpp_style_schema_format(fake: FakeLLMServer) -> None:
    schema = {"type": "object"}
    generate(profile(fake, response_format="json_object"), request(response_schema=schema))
    assert fake.calls()[0].body["response_format"] == {"type": "json_object", "schema": schema}


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after"),
    [
        (Reply(status=429, headers={"retry-after": "3"}), "rate_limit", 3.0),
        (Reply(status=503), "server", None),
        (Reply(status=401), "auth", None),
        (Reply(status=400), "bad_request", None),
        (Reply(malformed=True), "malformed", None),
        (Reply(reset=True), "connection", None),
        (Reply(delay_s=3.0), "timeout", None),
    ],
)
def test_faults_are_classified(fake: FakeLLMServer, reply: Reply, kind: str, retry_after: float | None) -> None:
    fake.enqueue(reply)
    with pytest.raises(CallError) as info:
        generate(profile(fake, timeout_s=1.0), request())
    assert info.value.kind == kind
    assert info.value.retry_after_s == retry_after
