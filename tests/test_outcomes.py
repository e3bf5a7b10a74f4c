"""Unscored outcomes: a scorer that raises on one answer, and answers cut off by the token limit.

Both are counted per suite and shown; neither crashes `run`, `show` or `score`, and neither enters the
metrics as a wrong answer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from evalkit import Store, run_metrics
from evalkit.cli import main
from evalkit.scoring import classification, scorer_for
from tests.conftest import Project
from tests.fakeserver import Reply


def only_run(project: Project) -> str:
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        return run.run_id


@pytest.fixture
def fragile_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classification scorer, with a bug that only one odd answer triggers."""
    real = classification.score

    def score(ctx: Any, settings: Any) -> Any:
        if ctx.response.text == "\u2603":
            raise ZeroDivisionError("odd answer")
        return real(ctx, settings)

    monkeypatch.setattr(classification, "score", score)
    scorer_for.cache_clear()
    yield
    scorer_for.cache_clear()


@pytest.mark.usefixtures("fragile_scorer")
def test_a_scorer_error_is_reported_on_its_case_and_run_show_score_finish(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=4)
    project.fake.script(
        lambda path, body: Reply(text="\u2603" if body["messages"][-1]["content"].endswith("2") else "refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    run_id = only_run(project)
    assert main(["show", run_id]) == 0
    assert main(["score", run_id]) == 0
    err = capsys.readouterr().err
    assert "1 answers could not be scored (scorer error)" in err
    with Store.existing(project.store) as store:
        (m,) = run_metrics(store, run_id)
        broken = [s for s in store.scores(run_id) if s.score.status == "scorer_error"]
    assert m.counts["scorer_error"] == 1 and m.counts["scored"] == 3 and m.scored == 3
    assert m.values["macro_f1"] == 1.0 and m.values["accuracy"] == 1.0  # the unscored case is skipped, not wrong
    assert [b.case_id for b in broken] == ["tickets-g-002"]
    assert broken[0].score.resolved is None and "ZeroDivisionError: odd answer" in (broken[0].score.error or "")
    summary = json.loads((project.root / "reports" / run_id / "summary.json").read_text())
    assert summary["suites"][0]["counts"]["scorer_error"] == 1


def test_truncated_answers_are_their_own_outcome_and_warned_about(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=4)
    project.fake.script(
        lambda path, body: Reply(text="ref", finish="length")
        if body["messages"][-1]["content"].endswith(("1", "3"))
        else Reply(text="refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    run_id = only_run(project)
    err = capsys.readouterr().err
    assert "2 of 4 answers were cut off by the output-token limit" in err
    with Store.existing(project.store) as store:
        (m,) = run_metrics(store, run_id)
        statuses = {s.case_id: s.score.status for s in store.scores(run_id)}
    assert m.counts == {"scored": 2, "scorer_error": 0, "truncated": 2, "infra_error": 0, "unanswered": 0}
    assert m.operations["truncated"] == 2
    assert m.values["accuracy"] == 1.0
    assert statuses["tickets-g-001"] == "truncated" and statuses["tickets-g-000"] == "scored"
    report = (project.root / "reports" / run_id / "summary.md").read_text()
    assert "cut off by the output-token limit" in report


def test_anthropic_max_tokens_stop_counts_as_truncated(project: Project) -> None:
    project.write_suite(n=2)
    project.fake.script(lambda path, body: Reply(text="ref", finish="max_tokens"))
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-anthropic"]) == 0
    with Store.existing(project.store) as store:
        (m,) = run_metrics(store, only_run(project))
    assert m.counts["truncated"] == 2 and m.primary is None


def test_reasoning_budget_goes_on_the_wire_but_not_into_the_request_hash(project: Project) -> None:
    project.write_suite(n=1)
    project.write_endpoint("thinker", reasoning={"effort": "low", "budget_tokens": 1000})
    assert main(["run", "--suite", "tickets", "--endpoint", "thinker"]) == 0
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    thinker, plain = project.fake.calls("/chat/completions")
    assert thinker.body["max_tokens"] == 16 + 1000 and thinker.body["reasoning_effort"] == "low"
    assert plain.body["max_tokens"] == 16 and "reasoning_effort" not in plain.body
    with Store.existing(project.store) as store:
        a, b = (store.calls(r.run_id)[0] for r in store.runs())
    assert a.request_hash == b.request_hash
