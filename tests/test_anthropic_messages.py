"""The anthropic provider against a loopback server speaking the Messages API, streamed and not."""

from __future__ import annotations

import asyncio

import pytest

from evalkit.calls.providers import CallContext, CallError, Generation, make_provider
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import Message, Request, ToolCall, ToolDef
from tests.fakeserver import FakeLLMServer, Reply

TOOL = ToolDef(
    name="issue_refund",
    description="Refund an order",
    parameters={
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "amount": {"type": "number"}},
        "required": ["order_id", "amount"],
    },
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALKIT_TEST_KEY", "sk-ant-test-0000")


def profile(fake: FakeLLMServer, **kw: object) -> EndpointProfile:
    base = {
        "name": "a",
        "tier": "frontier",
        "kind": "anthropic",
        "model": "claude-test",
        "base_url": fake.root_url,
        "api_key_env": "EVALKIT_TEST_KEY",
        "timeout_s": 2,
        "stream": False,
    }
    base.update(kw)
    return EndpointProfile.model_validate(base)


def generate(p: EndpointProfile, r: Request) -> Generation:
    async def go() -> Generation:
        provider = make_provider(p)
        try:
            return await provider.generate(r, CallContext("s", "c1"))
        finally:
            await provider.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("stream", [False, True])
def test_text_and_usage_including_cache_reads(fake: FakeLLMServer, stream: bool) -> None:
    fake.enqueue(Reply(text="order_status", input_tokens=500, cached_tokens=400, output_tokens=4))
    r = generate(profile(fake, stream=stream), Request(messages=[Message(role="user", content="where?")])).response
    assert r.text == "order_status"
    assert r.finish_reason == "stop" and r.raw_finish_reason == "end_turn"
    assert (r.usage.input_tokens, r.usage.cached_input_tokens, r.usage.output_tokens) == (500, 400, 4)
    assert (r.ttft_s is not None) == stream
    assert r.model == "claude-test"


@pytest.mark.parametrize("stream", [False, True])
def test_tool_use_blocks_become_canonical_calls(fake: FakeLLMServer, stream: bool) -> None:
    fake.enqueue(Reply(text="Refunding.", tool_calls=[("issue_refund", {"order_id": "OR-1", "amount": 12.5})]))
    r = generate(
        profile(fake, stream=stream), Request(messages=[Message(role="user", content="refund")], tools=[TOOL])
    ).response
    assert r.finish_reason == "tool_calls"
    assert r.text == "Refunding."
    (call,) = r.tool_calls
    assert call.name == "issue_refund" and call.arguments == {"order_id": "OR-1", "amount": 12.5}
    assert call.parse_error is None


def test_canonical_conversation_maps_to_messages_shape(fake: FakeLLMServer) -> None:
    msgs = [
        Message(role="system", content="policy"),
        Message(role="user", content="refund OR-1 12.50"),
        Message(
            role="assistant",
            content="Checking.",
            tool_calls=[
                ToolCall(id="t1", name="issue_refund", arguments={"order_id": "OR-1", "amount": 12.5}, raw_arguments="")
            ],
        ),
        Message(role="tool", tool_call_id="t1", content="service down", is_error=True),
    ]
    schema = {"type": "object", "properties": {"x": {"type": "string"}}}
    generate(
        profile(fake),
        Request(
            messages=msgs,
            tools=[TOOL],
            tool_choice="required",
            response_schema=schema,
            max_tokens=99,
            temperature=0.0,
            seed=3,
        ),
    )
    body = fake.calls("/messages")[0].body
    assert body["system"] == "policy"
    assert body["max_tokens"] == 99 and "seed" not in body
    assert body["tools"] == [
        {"name": "issue_refund", "description": "Refund an order", "input_schema": TOOL.parameters}
    ]
    assert body["tool_choice"] == {"type": "any"}
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": schema}}
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1]["content"][1] == {
        "type": "tool_use",
        "id": "t1",
        "name": "issue_refund",
        "input": {"order_id": "OR-1", "amount": 12.5},
    }
    assert body["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "t1", "content": "service down", "is_error": True}
    ]


def test_key_travels_in_header_not_body(fake: FakeLLMServer) -> None:
    generate(profile(fake), Request(messages=[Message(role="user", content="x")]))
    got = fake.calls("/messages")[0]
    assert "sk-ant-test-0000" not in str(got.body)
    assert "x-api-key" not in got.headers  # the fake strips it before recording; it was sent


@pytest.mark.parametrize(("status", "kind"), [(529, "server"), (429, "rate_limit"), (401, "auth")])
def test_http_faults_are_classified(fake: FakeLLMServer, status: int, kind: str) -> None:
    fake.enqueue(Reply(status=status, headers={"retry-after": "2"}))
    with pytest.raises(CallError) as info:
        generate(profile(fake), Request(messages=[Message(role="user", content="x")]))
    assert info.value.kind == kind and info.value.status == status and info.value.retry_after_s == 2.0
