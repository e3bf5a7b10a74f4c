"""Scoring from the store: `evalkit run` scores as it goes and `evalkit score` reproduces it offline."""

from __future__ import annotations

import json

import pytest

from evalkit import Store, run_metrics
from evalkit.cli import main
from tests.conftest import Project
from tests.fakeserver import Reply


def answer(path: str, body: dict) -> Reply:  # type: ignore[type-arg]
    ticket = body["messages"][-1]["content"]
    # golden tickets 0 and 1 right, the rest wrong; adversarial always "other" (right)
    if "tricky" in ticket:
        return Reply(text="other", input_tokens=100, output_tokens=10)
    return Reply(text="refund" if ticket.endswith((" 0", " 1")) else "no idea", input_tokens=100, output_tokens=10)


def scores(project: Project) -> list[tuple[str, str, int, bool | None, str]]:
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        return [(r.suite, r.case_id, r.repeat, r.score.resolved, r.score.status) for r in store.scores(run.run_id)]


def test_run_scores_and_rescore_reproduces_it(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_suite(n=4, adversarial=2)
    project.fake.script(answer)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    live = scores(project)
    assert [(r[1], r[3]) for r in live] == [
        ("tickets-a-000", 1),
        ("tickets-a-001", 1),
        ("tickets-g-000", 1),
        ("tickets-g-001", 1),
        ("tickets-g-002", 0),
        ("tickets-g-003", 0),
    ]
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
    first = json.loads((project.root / "reports" / run_id / "summary.json").read_text())
    calls = len(project.fake.received)
    assert main(["score", run_id]) == 0
    assert len(project.fake.received) == calls  # no model called
    assert [r[:4] for r in scores(project)] == [r[:4] for r in live]
    again = json.loads((project.root / "reports" / run_id / "summary.json").read_text())
    assert again["suites"] == first["suites"]
    out = capsys.readouterr().out
    assert "macro_f1" in out and "tickets" in out


def test_metrics_and_cost_per_resolved_task(project: Project) -> None:
    project.write_suite(n=4, adversarial=2)
    project.fake.script(answer)
    project.fake.enqueue(Reply(status=429, headers={"retry-after": "0"}))  # one retry, not billed
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    store = Store(project.store)
    try:
        (run_id,) = [r.run_id for r in store.runs()]
        (m,) = run_metrics(store, run_id)
    finally:
        store.close()
    assert m.primary_metric == "macro_f1" and m.scored == 6 and m.planned == 6
    assert m.values["accuracy"] == pytest.approx(4 / 6)
    assert m.values["adversarial_pass_rate"] == 1.0
    # 6 calls x (100 in x $1/M + 10 out x $2/M) = 6 x 0.00012; 4 resolved
    assert m.operations["cost_usd"] == pytest.approx(6 * 0.00012)
    assert m.operations["cost_per_resolved_usd"] == pytest.approx(6 * 0.00012 / 4)
    assert m.operations["retries"] == 1


def test_infra_errors_are_not_scored_as_wrong(project: Project) -> None:
    project.write_suite(n=3)
    project.fake.script(
        lambda path, body: Reply(status=500) if body["messages"][-1]["content"].endswith("2") else Reply(text="refund")
    )
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 1
    store = Store(project.store)
    try:
        (m,) = run_metrics(store, store.runs()[0].run_id)
    finally:
        store.close()
    assert m.scored == 2 and m.values["accuracy"] == 1.0
    assert m.operations["infra_errors"] == 1
