"""The embedded local model: evalkit starts llama.cpp's server on loopback, uses it, and stops it."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
from pathlib import Path

import pytest

from evalkit import Store
from evalkit.calls.servers import embedded_model_path, endpoint_server, launched
from evalkit.cli import main
from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile
from tests.conftest import Project
from tests.fakeserver import FakeLLMServer

SHIPPED = Path(__file__).resolve().parents[1] / "runners" / "endpoints"


def port_open(url: str) -> bool:
    host, port = url.split("//")[1].split("/")[0].split(":")
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, int(port))) == 0


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    profile = EndpointProfile.model_validate(
        {
            "name": "local",
            "tier": "self-hosted",
            "kind": "local",
            "model": "m",
            "launch": {"model_path": str(tmp_path / "nope.gguf")},
        }
    )

    async def go() -> None:
        async with endpoint_server(profile):
            pass

    with pytest.raises(EndpointError, match=r"local model file not found: .*nope\.gguf"):
        asyncio.run(go())


def test_server_that_dies_at_start_reports_its_log() -> None:
    async def go() -> None:
        async with launched(["sh", "-c", "echo boom-from-server >&2; exit 3"], "http://127.0.0.1:9/v1", "toy", 10):
            pass

    with pytest.raises(EndpointError, match=r"(?s)exit code 3.*boom-from-server"):
        asyncio.run(go())


def test_server_that_never_answers_times_out_and_is_stopped() -> None:
    async def go() -> None:
        async with launched(["sleep", "30"], "http://127.0.0.1:9/v1", "toy", 0.5):
            pass

    with pytest.raises(EndpointError, match="did not answer within"):
        asyncio.run(go())


@pytest.mark.local_model
def test_real_local_model_end_to_end(project: Project) -> None:
    embedded_model_path()  # the package must be installed for this test
    shutil.copy(SHIPPED / "local.yaml", project.root / "runners" / "endpoints" / "local.yaml")
    tool = {
        "name": "lookup_order",
        "description": "Look up an order",
        "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
    }
    project.write_suite(
        n=2,
        prompt={"system": "Answer with one word: refund or other.", "user": "Ticket: {{ ticket }}"},
        tools=[tool],
        tool_choice="auto",
    )
    # a conversation that already holds a tool call and its (failed) result: llama.cpp must accept it
    follow = [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "name": "lookup_order", "arguments": {"order_id": "OR-1"}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": '{"error": "timeout"}', "is_error": True},
    ]
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(
        golden.read_text()
        + json.dumps(
            {
                "id": "t-follow",
                "input": {"ticket": "refund OR-1"},
                "expected": {"label": "refund"},
                "followup_turns": follow,
            }
        )
        + "\n"
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "local"]) == 0
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        calls = store.calls(run.run_id)
    assert len(calls) == 3
    for call in calls:
        assert call.status == "ok" and call.usage.input_tokens > 10 and call.usage.output_tokens > 0
        assert call.response is not None and call.response.text.strip()
        assert call.finish_reason in ("stop", "length")
    server = run.manifest["server"]
    assert server["models"] == ["smollm2-135m-instruct"]
    assert not port_open(server["base_url"])  # stopped when the run ended


def test_vllm_profile_attaches_when_its_server_answers(fake: FakeLLMServer) -> None:
    profile = EndpointProfile.model_validate(
        {"name": "v", "tier": "self-hosted", "kind": "vllm", "model": "m", "base_url": fake.base_url, "launch": {}}
    )

    async def go() -> str | None:
        async with endpoint_server(profile) as url:
            return url

    assert asyncio.run(go()) is None  # nothing launched: the running server is used as is


def test_vllm_launch_without_vllm_installed_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    profile = EndpointProfile.model_validate(
        {
            "name": "v",
            "tier": "self-hosted",
            "kind": "vllm",
            "model": "m",
            "base_url": "http://127.0.0.1:9/v1",
            "launch": {},
        }
    )

    async def go() -> None:
        async with endpoint_server(profile):
            pass

    with pytest.raises(EndpointError, match=r"not answering at http://127.0.0.1:9/v1 and `vllm` is not installed"):
        asyncio.run(go())
