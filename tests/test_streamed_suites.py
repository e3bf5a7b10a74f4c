"""The streamed suite loader and lazily parsed cases (issue 10: 100,000 cases in bounded memory).

The loader checks, hashes and snapshots each case as it reads it and keeps only its snapshot JSON;
these tests pin what must not change with that: the cases, the two suite hashes (against the
algorithm written out here), which error a suite with several problems reports, the render check
under `--limit`, and the snapshot the run stores and scores from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite, load_suite
from evalkit.scoring.runner import suite_scorings
from tests.conftest import Project
from tests.fakeserver import Reply


def _reference_hashes(suite: Suite, cases: list[Case]) -> tuple[str, str]:
    """The two suite hashes as evalkit has always defined them (one `model_dump` per field set)."""

    def stream(head: Any, rows: list[dict[str, Any]]) -> str:
        h = hashlib.sha256(json.dumps(head, sort_keys=True, separators=(",", ":")).encode())
        for row in rows:
            h.update(b"\n" + json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
        return h.hexdigest()

    request = {"id", "input", "prior_turns", "followup_turns"}
    inputs = stream(
        suite.model_dump(mode="json", include={"prompt", "tools", "tool_choice", "output_schema", "request"}),
        [c.model_dump(mode="json", include=request | ({"tools"} if c.tools else set())) for c in cases],
    )
    head = {**suite.model_dump(mode="json", include={"category", "primary_metric", "scorer", "reduce"}), "assets": {}}
    expectations = stream(
        head, [c.model_dump(mode="json", include={"id", "expected", "split", "tags", "cluster"}) for c in cases]
    )
    return inputs, expectations


def _errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return [line for line in (out.out + out.err).splitlines() if line.startswith("error:")]


def test_loaded_cases_are_the_files_cases_and_hash_as_before(project: Project) -> None:
    path = project.write_suite(n=5, adversarial=2)
    project.write_cases(
        project.root / "adversarial" / "tickets.jsonl",
        [
            {"id": "a-1", "input": {"ticket": "é ünïcode"}, "expected": {"label": "other"}, "cluster": "k"},
            {"id": "a-2", "input": {"ticket": "t"}, "expected": {"label": "other"}, "tags": ["x"], "cluster": "k"},
        ],
    )
    loaded = load_suite(path)
    expected = [
        Case.model_validate({**json.loads(line), "split": split})
        for split in ("golden", "adversarial")
        for line in (project.root / split / "tickets.jsonl").read_text().splitlines()
    ]
    assert isinstance(loaded.cases, Sequence) and len(loaded.cases) == 7
    assert list(loaded.cases) == expected
    assert loaded.cases[5] == expected[5] and loaded.cases[-1] == expected[-1]
    assert [c.id for c in loaded.cases[1:3]] == ["tickets-g-001", "tickets-g-002"]
    assert list(loaded.cases.clusters) == [None] * 5 + ["k", "k"]
    assert (loaded.input_hash, loaded.expectation_hash) == _reference_hashes(loaded.suite, expected)


def test_a_suite_with_several_problems_reports_the_earliest_check(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Template fields are checked before expectations, whichever case comes first in the file."""
    project.write_suite(n=0)
    golden = project.root / "golden" / "tickets.jsonl"
    project.write_cases(
        golden,
        [
            {"id": "c1", "input": {"ticket": "t"}, "expected": {"label": "not-a-label"}},
            {"id": "c2", "input": {"other": "t"}, "expected": {"label": "refund"}},
        ],
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 2
    (error,) = _errors(capsys)
    assert "golden/tickets.jsonl:2 [input.ticket]" in error and "'c2' lacks input field 'ticket'" in error
    # ...and a line that is not a case at all comes before either
    golden.write_text(golden.read_text() + "{not json\n")
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 2
    (error,) = _errors(capsys)
    assert "golden/tickets.jsonl:3" in error and "invalid JSON" in error
    assert not project.store.exists() and project.fake.received == []


def test_a_case_that_does_not_render_blocks_only_the_runs_that_reach_it(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=0, prompt={"system": "Label it.", "user": "{{ ticket.subject.strip() }}"})
    project.write_cases(
        project.root / "golden" / "tickets.jsonl",
        [{"id": f"c{i}", "input": {"ticket": {"subject": f"s{i}"}}, "expected": {"label": "refund"}} for i in range(2)]
        + [{"id": "c2", "input": {"ticket": "a string has no subject"}, "expected": {"label": "refund"}}],
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 2
    (error,) = _errors(capsys)
    assert "suites/tickets.yaml [prompt]: case 'c2' does not render" in error
    assert not project.store.exists() and project.fake.received == []
    project.fake.script(lambda path, body: Reply(text="refund"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--limit", "2"]) == 0
    sent = sorted((c.body["messages"] for c in project.fake.calls("/chat/completions")), key=json.dumps)
    assert sent == [
        [{"role": "system", "content": "Label it."}, {"role": "user", "content": f"s{i}"}] for i in range(2)
    ]


def test_the_run_stores_and_scores_from_the_snapshot_it_loaded(project: Project) -> None:
    path = project.write_suite(n=3, adversarial=2)
    project.fake.script(lambda path, body: Reply(text="refund"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--repeats", "2"]) == 0
    loaded = load_suite(path)
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        (rec,) = store.suites(run.run_id)
        assert (rec.input_hash, rec.expectation_hash) == (loaded.input_hash, loaded.expectation_hash)
        assert store.cases(run.run_id, "tickets") == list(loaded.cases)
        cases = suite_scorings(store, run.run_id)["tickets"].cases
        assert list(cases) == [c.id for c in loaded.cases] and len(cases) == 5
        assert cases["tickets-a-001"] == loaded.cases[4] and "nope" not in cases
        scores = store.scores(run.run_id)
    assert [(s.case_id, s.repeat, s.score.resolved) for s in scores] == [
        (c.id, r, c.split == "golden") for c in sorted(loaded.cases, key=lambda c: c.id) for r in range(2)
    ]
