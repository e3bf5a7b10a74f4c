"""The LLM judge: its verdicts and cost are stored and reported apart from the deterministic metrics."""

from __future__ import annotations

import json

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from tests.conftest import Project
from tests.fakeserver import Reply

SOURCE = "Customer: my order OR-10472 arrived broken. Agent: I approved a refund of $42.50 today."


def write_summarization_suite(project: Project) -> None:
    suite = {
        "name": "notes",
        "version": "1",
        "category": "summarization",
        "primary_metric": "key_fact_coverage",
        "prompt": {"system": "Summarise.", "user": "{{ source }}"},
        "scorer": {"max_words": 80},
    }
    (project.root / "suites" / "notes.yaml").write_text(yaml.safe_dump(suite))
    facts = [{"id": "k1", "fact": "Refund of $42.50 approved", "must_include": [["42.50"], ["refund"]]}]
    project.write_cases(
        project.root / "golden" / "notes.jsonl",
        [
            {"id": f"n{i}", "input": {"source": SOURCE}, "expected": {"key_facts": facts, "max_words": 80}}
            for i in range(3)
        ],
    )


def test_judge_verdicts_are_stored_with_their_own_cost(project: Project) -> None:
    write_summarization_suite(project)
    project.fake.script(lambda path, body: Reply(text="A refund of $42.50 was approved for OR-10472."))
    assert main(["run", "--suite", "notes", "--endpoint", "fake-openai"]) == 0
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
    before = json.loads((project.root / "reports" / run_id / "summary.json").read_text())

    verdict = {"fidelity": 4, "unsupported_claims": [], "omissions": [], "rationale": "faithful"}
    project.fake.script(lambda path, body: Reply(text=json.dumps(verdict), input_tokens=1000, output_tokens=100))
    assert main(["judge", run_id, "--endpoint", "fake-anthropic"]) == 0

    judge_calls = project.fake.calls("/messages")
    assert len(judge_calls) == 3
    assert "42.50" in judge_calls[0].body["messages"][0]["content"][0]["text"]
    after = json.loads((project.root / "reports" / run_id / "summary.json").read_text())
    j = after["judges"]["notes"]["fake-anthropic"]
    assert j["judged"] == 3 and j["mean_fidelity"] == 4.0 and j["distribution"]["4"] == 3
    assert j["cost_usd"] > 0
    # deterministic metrics untouched by the judge, and the run's own cost does not include it
    assert after["suites"] == before["suites"]

    with Store.existing(project.store) as store:
        verdicts = store.judgements(run_id)
    assert [(j.case_id, j.judge, j.status, j.fidelity) for j in verdicts] == [
        (f"n{i}", "fake-anthropic", "ok", 4) for i in range(3)
    ]
    assert sum(j.cost_usd for j in verdicts) == pytest.approx(j["cost_usd"])

    # judging again only judges what is not judged yet
    assert main(["judge", run_id, "--endpoint", "fake-anthropic"]) == 0
    assert len(project.fake.calls("/messages")) == 3


def test_judge_needs_a_summarization_suite(project: Project) -> None:
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
    assert main(["judge", run_id, "--endpoint", "fake-anthropic"]) == 2
