"""The embedded local model: evalkit starts llama.cpp's server on loopback, uses it, and stops it."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from evalkit import Store
from evalkit.calls.servers import embedded_model_path, endpoint_server, free_port, keep_server_log, launched
from evalkit.cli import main
from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile
from tests.conftest import Project
from tests.fakeserver import FakeLLMServer

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "runners" / "endpoints"


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


def stand_in_vllm(bin_dir: Path) -> Path:
    """A `vllm` executable that runs tests/fakeserver.py's server where `vllm serve` would listen."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    exe = bin_dir / "vllm"
    exe.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from tests.fakeserver import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    exe.chmod(0o755)
    return exe


def test_vllm_launch_waits_for_health_records_its_log_and_stops(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = stand_in_vllm(project.root / "bin")
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKESERVER_HEALTH_AFTER_S", "1.0")  # /v1/models answers at once, /health after 1 s
    nothing_here = f"http://127.0.0.1:{free_port()}/v1"
    args = ["--enable-auto-tool-choice", "--tool-call-parser", "hermes"]
    project.write_endpoint(
        "vllm-launch",
        kind="vllm",
        tier="self-hosted",
        model="served-name",
        base_url=nothing_here,
        stream=False,
        launch={"model_path": "org/checkpoint", "startup_timeout_s": 30, "args": args},
    )
    project.write_suite(n=2)
    assert main(["run", "--suite", "tickets", "--endpoint", "vllm-launch"]) == 0
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        calls = store.calls(run.run_id)
    assert [c.status for c in calls] == ["ok", "ok"]
    assert project.fake.calls("/chat/completions") == []  # answered by the launched stand-in
    server = run.manifest["server"]
    launched_ = server["launched"]
    assert launched_["command"][:3] == [str(exe), "serve", "org/checkpoint"]
    assert launched_["ready_url"].endswith("/health")
    assert server["models"] == ["served-name"]
    assert server["model_details"] == [{"id": "served-name", "root": "org/checkpoint", "max_model_len": 4096}]
    assert server["tool_parser"]["tool_call_parser"] == "hermes" and server["tool_parser_source"] == "launch arguments"
    assert server["chat_template_probe"]["token_count"] == 3
    assert "instance_id" not in server["server_info"]["vllm_config"]
    assert not port_open(server["base_url"])  # stopped when the run ended

    log = Path(launched_["log"]).read_text().splitlines()
    assert "fake vllm: serving org/checkpoint as served-name" in log[0]
    healthy = next(i for i, line in enumerate(log) if '"GET /health HTTP/1.1" 200' in line)
    assert any('"GET /health HTTP/1.1" 503' in line for line in log[:healthy])  # it waited ...
    first_models = next(i for i, line in enumerate(log) if "GET /v1/models" in line)
    assert first_models > healthy  # ... for /health, not for /v1/models
    assert sum("POST /v1/chat/completions" in line for line in log) == 2
    kept = keep_server_log(server, project.root / "reports" / run.run_id)
    assert kept is not None and kept.read_text().splitlines() == log


@pytest.mark.local_model
def test_vllm_profile_attaches_to_a_running_llama_cpp_server(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    model = embedded_model_path()
    tripwire = project.root / "vllm-was-launched"
    bin_dir = project.root / "bin"
    bin_dir.mkdir()
    (bin_dir / "vllm").write_text(f"#!/bin/sh\ntouch {tripwire}\nexit 1\n")
    (bin_dir / "vllm").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "smollm2-attached"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]
    with (project.root / "llama-server.log").open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not port_open(base_url):
            assert proc.poll() is None and time.monotonic() < deadline, "llama.cpp server did not start"
            time.sleep(0.2)
        project.write_endpoint(
            "vllm-attach",
            kind="vllm",
            tier="self-hosted",
            model="smollm2-attached",
            base_url=base_url,
            stream=False,
            concurrency=1,
            timeout_s=120,
            response_format="json_object",
            launch={"startup_timeout_s": 5, "args": ["--tool-call-parser", "hermes"]},
        )
        project.write_suite(n=1)
        assert main(["run", "--suite", "tickets", "--endpoint", "vllm-attach"]) == 0
        with Store.existing(project.store) as store:
            (run,) = store.runs()
            (call,) = store.calls(run.run_id)
        assert call.status == "ok" and call.usage.output_tokens > 0
        assert call.response is not None and call.response.text.strip()
        server = run.manifest["server"]
        assert server["base_url"] == base_url + "/" and server["models"] == ["smollm2-attached"]
        assert "launched" not in server and not tripwire.exists()  # attached, nothing launched
        assert server["chat_template_probe"] == "not exposed (HTTP 404)"  # llama.cpp has no /tokenize
        assert server["tool_parser_source"].startswith("profile launch arguments")
        assert port_open(base_url) and proc.poll() is None  # an attached server is left running
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


DYING_SERVER = """#!{python}
# A `vllm serve` stand-in that crashes mid-run as llama.cpp did on a tool schema: after DIE_AFTER chat
# answers, the next chat request logs a fatal line and the process exits 3 with the request unanswered.
import os, sys
sys.path.insert(0, {repo!r})
from tests.fakeserver import FakeLLMServer, Reply

args = sys.argv[1:]
server = FakeLLMServer(port=int(args[args.index("--port") + 1]))
server.models = [{{"id": args[args.index("--served-model-name") + 1]}}]
server.health = 200
die_after = int(os.environ["STANDIN_DIE_AFTER"])
answered = 0


def reply(path, body):
    global answered
    if answered >= die_after:
        print("llama_grammar_parser: failed to parse grammar: unknown escape \\\\d in tool schema", flush=True)
        os._exit(3)
    answered += 1
    return Reply(text="refund")


server.script(reply)
print("stand-in server: ready", flush=True)
server.httpd.serve_forever()
"""


def test_a_launched_server_that_dies_mid_run_stops_the_run_with_its_log_tail(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bin_dir = project.root / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "vllm"
    exe.write_text(DYING_SERVER.format(python=sys.executable, repo=str(REPO)))
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STANDIN_DIE_AFTER", "3")
    project.write_endpoint(
        "vllm-dies",
        kind="vllm",
        tier="self-hosted",
        model="served-name",
        base_url=f"http://127.0.0.1:{free_port()}/v1",  # nothing there: evalkit launches the stand-in
        stream=False,
        concurrency=1,
        backoff_base_s=0.5,  # the crash is seen long before a retry of the call in flight
        backoff_max_s=1.0,
        launch={"model_path": "org/checkpoint", "startup_timeout_s": 30},
    )
    n = 20
    project.write_suite(n=n)
    assert main(["run", "--suite", "tickets", "--endpoint", "vllm-dies"]) == 1
    err = capsys.readouterr().err
    assert "vllm server exited during the run with exit code 3" in err
    assert "failed to parse grammar" in err  # the log's last lines come with the error
    assert "resume with: evalkit run --resume" in err
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        statuses = Counter(c.status for c in store.calls(run.run_id))
    # the run stopped at the crash: the 3 answers kept, at most the call in flight recorded as an
    # infrastructure error, instead of all 17 remaining cases burnt as "connection" errors
    assert statuses["ok"] == 3 and statuses["infra_error"] <= 1
    assert run.status == "failed" and run.owner is None
    assert "failed to parse grammar" in (project.root / "reports" / run.run_id / "server.log").read_text()

    monkeypatch.setenv("STANDIN_DIE_AFTER", str(n))  # the server fixed: the run resumes and finishes
    assert main(["run", "--resume", run.run_id]) == 0
    with Store.existing(project.store) as store:
        assert [c.status for c in store.calls(run.run_id)] == ["ok"] * n
        assert store.run(run.run_id).status == "finished"
