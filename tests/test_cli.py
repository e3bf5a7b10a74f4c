"""`evalkit run` end to end against the loopback server: store, summary, errors, repeats, export."""

from __future__ import annotations

import json

import pytest

from evalkit import Store, load_run
from evalkit.cli import main
from tests.conftest import TEST_KEY_ENV, Project
from tests.fakeserver import Reply


def run_ids(project: Project) -> list[str]:
    with Store.existing(project.store) as store:
        return [r.run_id for r in store.runs()]


def test_run_stores_every_case_and_prints_a_summary(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=3, adversarial=2)
    project.fake.script(lambda path, body: Reply(text="refund", input_tokens=1000, output_tokens=500))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    err = capsys.readouterr().err
    (run_id,) = run_ids(project)
    assert run_id in err and "tickets" in err and "finished" in err
    frame = load_run(run_id, project.store)
    assert len(frame) == 5 and set(frame["status"]) == {"ok"}
    assert list(frame["split"]) == ["golden"] * 3 + ["adversarial"] * 2
    assert set(frame["text"]) == {"refund"}
    assert list(frame["resolved"]) == [True, True, True, False, False]  # adversarial gold is "other"
    assert json.loads(frame["score_detail"][0])["predicted"] == "refund"
    # $1/M in + $2/M out: 1000 * 1e-6 + 500 * 2e-6 = 0.002 per call
    assert frame["cost_usd"].sum() == pytest.approx(5 * 0.002)
    assert len(project.fake.calls("/chat/completions")) == 5


def test_manifest_records_provenance_but_no_key(project: Project) -> None:
    project.write_suite(n=1)
    project.write_endpoint("keyed", api_key_env=TEST_KEY_ENV)
    assert main(["run", "--suite", "tickets", "--endpoint", "keyed"]) == 0
    (run_id,) = run_ids(project)
    with Store.existing(project.store) as store:
        m = store.run(run_id).manifest
    everything = b"".join(p.read_bytes() for p in project.store.parent.glob("evalkit.db*"))
    assert m["suites"][0]["input_hash"] and m["suites"][0]["name"] == "tickets"
    assert m["endpoint"]["api_key_env"] == TEST_KEY_ENV
    assert m["server"]["models"] == ["fake-model"]
    assert m["packages"]["openai"]
    assert b"sk-test-not-a-real-key" not in everything
    assert project.fake.calls()[0].body["messages"][-1] == {"role": "user", "content": "Ticket: golden ticket 0"}


def test_missing_key_fails_before_anything_is_written(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=1)
    project.write_endpoint("needs-key", api_key_env="EVALKIT_ABSENT_KEY")
    monkeypatch.delenv("EVALKIT_ABSENT_KEY", raising=False)
    assert main(["run", "--suite", "tickets", "--endpoint", "needs-key"]) == 2
    assert "EVALKIT_ABSENT_KEY" in capsys.readouterr().err
    assert not project.store.exists()
    assert project.fake.received == []


def test_broken_suite_exits_2_and_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=1)
    (project.root / "golden" / "tickets.jsonl").write_text(
        '{"id": "a", "input": {"ticket": "x"}, "expected": {}}\n{"id": "a", "input": {"ticket": "y"}, "expected": {}}\n'
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 2
    assert "golden/tickets.jsonl:2 [id]: duplicate case id 'a'" in capsys.readouterr().err
    assert not project.store.exists()


def test_unknown_endpoint_lists_profiles(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "nope"]) == 2
    assert "fake-anthropic, fake-openai" in capsys.readouterr().err


def test_dead_endpoint_is_one_clear_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=2)
    project.write_endpoint("dead", base_url="http://127.0.0.1:9/v1", connect_timeout_s=1, timeout_s=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "dead"]) == 1
    err = capsys.readouterr().err
    assert "endpoint 'dead' at http://127.0.0.1:9/v1 is not usable: connection" in err
    assert "--resume" in err


def test_failed_calls_are_infra_errors_after_retries(project: Project) -> None:
    project.write_suite(n=2)
    project.fake.script(lambda path, body: Reply(status=503))
    # every call failed after retries: the run is incomplete (exit 1) and resumable, not "finished"
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1
    frame = load_run(run_ids(project)[0], project.store)
    assert set(frame["status"]) == {"infra_error"}
    assert set(frame["attempts"]) == {3}  # max_attempts in the test profile
    assert set(frame["error_kind"]) == {"server"}
    assert frame["response_json"].isna().all()


def test_retry_after_is_honoured_and_attempts_counted(project: Project) -> None:
    project.write_suite(n=1)
    project.fake.enqueue(Reply(status=429, headers={"retry-after": "0.3"}), Reply(text="refund"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    row = load_run(run_ids(project)[0], project.store).iloc[0]
    assert row["status"] == "ok" and row["attempts"] == 2


def test_rejected_key_stops_the_run_naming_the_variable(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=3)
    project.write_endpoint("keyed", api_key_env=TEST_KEY_ENV)
    project.fake.script(lambda path, body: Reply(status=401))
    assert main(["run", "--suite", "tickets", "--endpoint", "keyed"]) == 1
    err = capsys.readouterr().err
    assert f"${TEST_KEY_ENV}" in err and "sk-test-not-a-real-key" not in err


def test_repeats_and_limit(project: Project) -> None:
    project.write_suite(n=5)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--repeats", "3", "--limit", "2"]) == 0
    frame = load_run(run_ids(project)[0], project.store)
    assert sorted(zip(frame["case_id"], frame["repeat"], strict=True)) == [
        (f"tickets-g-00{i}", r) for i in range(2) for r in range(3)
    ]
    assert len(project.fake.calls("/chat/completions")) == 6


def test_anthropic_endpoint_runs_the_same_suite(project: Project) -> None:
    project.write_suite(
        n=2,
        tools=[{"name": "lookup_order", "description": "d", "parameters": {"type": "object", "properties": {}}}],
        tool_choice="auto",
    )
    project.fake.script(lambda path, body: Reply(tool_calls=[("lookup_order", {})]))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-anthropic"]) == 0
    frame = load_run(run_ids(project)[0], project.store)
    calls = [json.loads(r)["tool_calls"] for r in frame["response_json"]]
    assert [c[0]["name"] for c in calls] == ["lookup_order", "lookup_order"]
    assert project.fake.calls("/messages")[0].body["tools"][0]["input_schema"] == {"type": "object", "properties": {}}


def test_export_jsonl_and_parquet(project: Project) -> None:
    import pandas as pd

    project.write_suite(n=2)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    (run_id,) = run_ids(project)
    assert main(["export", run_id, "--format", "jsonl"]) == 0
    lines = (project.root / "reports" / f"{run_id}.jsonl").read_text().splitlines()
    assert [json.loads(line)["case_id"] for line in lines] == ["tickets-g-000", "tickets-g-001"]
    out = project.root / "x.parquet"
    assert main(["export", run_id, "--format", "parquet", "--out", str(out)]) == 0
    assert list(pd.read_parquet(out)["case_id"]) == ["tickets-g-000", "tickets-g-001"]
    assert main(["export", "no-such-run"]) == 2


def test_a_day_long_retry_after_does_not_stall_the_run(project: Project) -> None:
    project.write_suite(n=2)
    project.write_endpoint("capped", max_retry_after_s=1)
    project.fake.script(
        lambda path, body: Reply(status=429, headers={"retry-after": "86400"})
        if body["messages"][-1]["content"].endswith("0")
        else Reply(text="refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "capped"]) == 1  # resumable, not finished
    frame = load_run(run_ids(project)[0], project.store)
    assert list(frame["status"]) == ["infra_error", "ok"]
    assert "asked to wait 86400 s" in frame["error_message"][0]


def test_a_template_reaching_python_internals_is_bad_input_and_runs_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = project.root / "pwned"
    attack = "{{ ''.__class__.__mro__[1].__subclasses__() }} "
    attack += f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    project.write_suite(n=1, prompt={"user": attack})
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 2
    assert "does not render" in capsys.readouterr().err
    assert not marker.exists() and not project.store.exists() and project.fake.received == []


def test_a_provider_error_echoing_the_key_never_stores_or_prints_it(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=2)
    project.write_endpoint("keyed", api_key_env=TEST_KEY_ENV)
    echo = {"error": {"message": "invalid request from key sk-test-not-a-real-key-0000", "type": "invalid"}}
    project.fake.script(lambda path, body: Reply(status=400, error_body=echo))
    assert main(["run", "--suite", "tickets", "--endpoint", "keyed"]) == 1
    printed = capsys.readouterr()
    stored = b"".join(p.read_bytes() for p in project.store.parent.rglob("*") if p.is_file())
    assert b"sk-test-not-a-real-key" not in stored
    assert "sk-test-not-a-real-key" not in printed.out + printed.err
    frame = load_run(run_ids(project)[0], project.store)
    assert f"<${TEST_KEY_ENV}>" in frame["error_message"][0]
