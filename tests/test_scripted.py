"""The scripted provider: canned answers by case id through the same engine, store, scoring and cost
path as a live endpoint (what httpx's MockTransport is to httpx)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store, run_metrics
from evalkit.calls.providers import make_provider
from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.inputs.endpoints import EndpointProfile
from tests.conftest import Project


def write_script(project: Project, answers: list[dict[str, Any]], name: str = "answers.jsonl") -> Path:
    path = project.root / "runners" / "endpoints" / name
    path.write_text("".join(json.dumps(a) + "\n" for a in answers))
    project.write_endpoint(
        "canned",
        kind="scripted",
        base_url=None,
        script=name,
        price={"input_per_mtok": 1.0, "output_per_mtok": 2.0, "source": "test"},
    )
    return path


def test_a_suite_runs_offline_against_scripted_answers(project: Project) -> None:
    project.write_suite(n=3)
    write_script(
        project,
        [
            {"case_id": "tickets-g-000", "text": "refund", "usage": {"input_tokens": 1000, "output_tokens": 500},
             "latency_s": 0.4, "system_fingerprint": "fp_script"},
            {"case_id": "tickets-g-001", "text": "other", "latency_s": 0.2},
            {"case_id": "tickets-g-002", "text": "refu", "finish_reason": "length"},
        ],
    )  # fmt: skip
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 0
    assert project.fake.received == []  # nothing went over the network
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        calls = {c.case_id: c for c in store.calls(run.run_id)}
        (m,) = run_metrics(store, run.run_id)
    first = calls["tickets-g-000"]
    assert first.response is not None and first.response.text == "refund"
    assert first.latency_s == 0.4 and first.system_fingerprint == "fp_script"
    assert first.cost_usd == pytest.approx(1000 * 1e-6 + 500 * 2e-6)
    assert m.counts["scored"] == 2 and m.counts["truncated"] == 1
    assert m.values["accuracy"] == 0.5
    assert run.manifest["server"]["answers"] == 3


def test_scripted_faults_are_infrastructure_errors_and_retried(project: Project) -> None:
    project.write_suite(n=2)
    write_script(
        project,
        [
            {"case_id": "tickets-g-000", "text": "refund"},
            {"case_id": "tickets-g-001", "error": {"kind": "server", "status": 503}},
        ],
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 1
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        failed = store.calls(run.run_id)[1]
    assert failed.status == "infra_error" and failed.attempts == 3 and failed.error_kind == "server"


def test_tool_calls_and_repeats_are_scripted_per_case(project: Project) -> None:
    project.write_suite(
        n=1, tools=[{"name": "lookup", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}]
    )
    write_script(
        project,
        [
            {"case_id": "tickets-g-000", "repeat": 0, "tool_calls": [{"name": "lookup", "arguments": {"id": "7"}}]},
            {"case_id": "tickets-g-000", "repeat": 1, "tool_calls": [{"name": "lookup", "raw_arguments": "{oops"}]},
        ],
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "canned", "--repeats", "2"]) == 0
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        first, second = store.calls(run.run_id)
    assert first.response is not None and first.response.tool_calls[0].arguments == {"id": "7"}
    assert first.finish_reason == "tool_calls"
    assert second.response is not None and second.response.tool_calls[0].parse_error is not None


def test_a_case_missing_from_the_script_is_bad_input(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=2)
    write_script(project, [{"case_id": "tickets-g-000", "text": "refund"}])
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 2
    assert "no scripted answer for case 'tickets-g-001'" in capsys.readouterr().err
    assert not project.store.exists()


def test_a_broken_script_line_is_named(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=1)
    path = write_script(project, [{"case_id": "tickets-g-000", "text": "refund"}])
    path.write_text(path.read_text() + '{"case_id": "x", "finish_reason": "sideways"}\n')
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 2
    assert "answers.jsonl:2 [finish_reason]" in capsys.readouterr().err


def test_an_unregistered_kind_is_a_clear_error() -> None:
    profile = EndpointProfile.model_construct(name="x", kind="carrier-pigeon", model="m")
    with pytest.raises(InputError, match="no provider for kind 'carrier-pigeon'"):
        make_provider(profile)


def test_a_scripted_answer_with_negative_usage_is_a_fault_like_a_live_one(project: Project) -> None:
    """The scripted provider applies the live providers' rule: negative token counts are a malformed
    response (retried, then an infrastructure error), never a negative cost."""
    project.write_suite(n=1)
    write_script(project, [{"case_id": "tickets-g-000", "text": "refund", "usage": {"input_tokens": -4}}])
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 1
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        (call,) = store.calls(run.run_id)
    assert (call.status, call.error_kind, call.attempts, call.cost_usd) == ("infra_error", "malformed", 3, 0.0)
    assert "negative token counts (input_tokens -4)" in (call.error_message or "")
