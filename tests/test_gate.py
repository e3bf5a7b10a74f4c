"""`evalkit gate`: verdicts per category with their evidence, exit codes CI can act on, escalation,
the router policy and the sign-off files — on scripted runs, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from evalkit.compare.gate import gate_runs
from evalkit.compare.verdicts import GateReport
from tests.conftest import Project

LABELS = ["refund", "other", "escalate"]
N_GOLDEN, N_ADV = 40, 12


def gold(i: int, split: str) -> str:
    return "escalate" if split == "adversarial" and i % 3 == 0 else ("refund" if i % 2 else "other")


def setup_suite(project: Project, **gate: Any) -> None:
    suite = {
        "name": "tickets",
        "version": "1",
        "category": "classification",
        "primary_metric": "macro_f1",
        "prompt": {"system": "Label the ticket.", "user": "Ticket: {{ ticket }}"},
        "request": {"max_tokens": 16, "temperature": 0},
        "scorer": {"labels": LABELS, "abstain_label": "escalate"},
        "gate": {"min_cases": 20, "bootstrap_resamples": 500, **gate},
    }
    (project.root / "suites" / "tickets.yaml").write_text(yaml.safe_dump(suite, sort_keys=False))
    for split, n in (("golden", N_GOLDEN), ("adversarial", N_ADV)):
        project.write_cases(
            project.root / split / "tickets.jsonl",
            [
                {"id": f"{split[0]}{i:03d}", "input": {"ticket": f"{split} ticket {i}"},
                 "expected": {"label": gold(i, split)}}
                for i in range(n)
            ],
        )  # fmt: skip


def scripted(project: Project, name: str, answer: Any, price: tuple[float, float], latency: float) -> None:
    """A scripted endpoint answering `answer(case_id, gold_label)` for every case."""
    lines = []
    for split, n in (("golden", N_GOLDEN), ("adversarial", N_ADV)):
        for i in range(n):
            cid = f"{split[0]}{i:03d}"
            lines.append(
                {"case_id": cid, "text": answer(cid, gold(i, split)), "latency_s": latency,
                 "usage": {"input_tokens": 1000, "output_tokens": 10}}
            )  # fmt: skip
    (project.root / "runners" / "endpoints" / f"{name}.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines)
    )
    project.write_endpoint(
        name,
        kind="scripted",
        base_url=None,
        script=f"{name}.jsonl",
        price={"input_per_mtok": price[0], "output_per_mtok": price[1], "source": "test"},
    )


def run(project: Project, endpoint: str, code: int = 0) -> str:
    assert main(["run", "--suite", "tickets", "--endpoint", endpoint]) == code
    with Store.existing(project.store) as store:
        return store.runs()[-1].run_id


def perfect(cid: str, label: str) -> str:
    return label


@pytest.fixture
def baseline(project: Project) -> str:
    setup_suite(project)
    scripted(project, "frontier", perfect, (3.0, 15.0), 2.0)
    return run(project, "frontier")


def gate(project: Project, base: str, cand: str, *extra: str) -> tuple[int, GateReport, Path]:
    out = project.root / "gate"
    code = main(["gate", "--baseline", base, "--candidate", cand, "--out", str(out), *extra])
    report = GateReport.model_validate_json((out / "signoff.json").read_text())
    return code, report, out


def test_an_equal_cheaper_candidate_qualifies_with_its_evidence(project: Project, baseline: str) -> None:
    scripted(project, "cheap", perfect, (0.14, 0.28), 0.5)
    code, report, out = gate(project, baseline, run(project, "cheap"))
    (g,) = report.categories
    assert code == 0 and g.verdict == "QUALIFIED" and g.reasons == []
    assert g.counts.paired == N_GOLDEN + N_ADV and g.interval is not None
    assert g.interval.estimate == 0.0 and g.mcnemar is not None and (g.mcnemar.b, g.mcnemar.c) == (0, 0)
    # cost per resolved task by hand: 1000 input + 10 output tokens per case, every case resolved
    per_case = {"baseline": (1000 * 3.0 + 10 * 15.0) / 1e6, "candidate": (1000 * 0.14 + 10 * 0.28) / 1e6}
    options = {o.option: o for o in g.options}
    for option, cost in per_case.items():
        assert options[option].cost_per_resolved_usd == pytest.approx(cost)
    assert options["escalation"].escalation_rate == pytest.approx(4 / (N_GOLDEN + N_ADV))  # the escalate answers
    policy = yaml.safe_load((out / "router-policy.yaml").read_text())
    route = policy["categories"]["tickets"]
    assert policy["schema"] == "evalkit.router-policy/1"
    assert route["route"] == "candidate" and route["endpoint"]["name"] == "cheap"
    assert route["kill_switch"]["fallback"] == "frontier"
    assert route["evidence"]["baseline_run"] == baseline
    for name in ("signoff.md", "signoff.html", "signoff.junit.xml"):
        assert (out / name).stat().st_size > 0


def test_a_clearly_worse_candidate_is_not_qualified_with_every_reason(project: Project, baseline: str) -> None:
    def sloppy(cid: str, label: str) -> str:
        return "other" if cid.startswith("a") or int(cid[1:]) % 4 == 0 else label

    scripted(project, "sloppy", sloppy, (0.14, 0.28), 0.5)
    code, report, _ = gate(project, baseline, run(project, "sloppy"))
    (g,) = report.categories
    assert code == 4 and g.verdict == "NOT_QUALIFIED" and report.overall == "NOT_QUALIFIED"
    text = "\n".join(g.reasons)
    assert "worse than the margin" in text
    assert "adversarial pass rate" in text
    assert "must-escalate cases handed on" in text
    assert g.newly_failing_adversarial and g.newly_failing_adversarial[0].candidate_answer == "other"


def test_too_few_cases_is_inconclusive_with_the_cases_that_would_decide(project: Project, baseline: str) -> None:
    def close(cid: str, label: str) -> str:
        return "other" if cid in ("g001", "g013") else label

    scripted(project, "close", close, (0.14, 0.28), 0.5)
    cand = run(project, "close")
    policy = project.root / "policy.yaml"
    policy.write_text(yaml.safe_dump({"default": {"non_inferiority_margin": 0.05, "min_cases": 20,
                                                  "bootstrap_resamples": 500, "escalation": False}}))  # fmt: skip
    code, report, _ = gate(project, baseline, cand, "--policy", str(policy))
    (g,) = report.categories
    assert code == 3 and g.verdict == "INCONCLUSIVE"
    assert g.interval is not None and g.interval.lower < -0.05 < g.interval.estimate
    assert g.cases_to_decide is not None and g.cases_to_decide > g.counts.paired
    assert "straddles the margin" in g.reasons[0] and f"about {g.cases_to_decide} paired cases" in g.reasons[0]
    assert report.policy_source == str(policy)


def test_a_candidate_that_escalates_its_doubts_qualifies_with_escalation(project: Project, baseline: str) -> None:
    def unsure(cid: str, label: str) -> str:  # abstains or answers garbage on a quarter of the golden cases
        if cid.startswith("g") and int(cid[1:]) % 4 == 0:
            return "escalate" if int(cid[1:]) % 8 == 0 else "I am not sure"
        return label

    scripted(project, "unsure", unsure, (0.14, 0.28), 0.5)
    code, report, out = gate(project, baseline, run(project, "unsure"))
    (g,) = report.categories
    assert g.verdict == "QUALIFIED_WITH_ESCALATION" and code == 0
    assert g.escalation_verdict == "QUALIFIED"
    esc = {o.option: o for o in g.options}["escalation"]
    assert esc.quality == pytest.approx(1.0)
    route = yaml.safe_load((out / "router-policy.yaml").read_text())["categories"]["tickets"]
    assert route["route"] == "candidate_with_escalation" and route["escalation"]["to"] == "frontier"


def test_infrastructure_errors_and_truncation_qualify_nothing(project: Project, baseline: str) -> None:
    def broken(cid: str, label: str) -> str:
        return label

    scripted(project, "flaky", broken, (0.14, 0.28), 0.5)
    script = project.root / "runners" / "endpoints" / "flaky.jsonl"
    lines = [json.loads(x) for x in script.read_text().splitlines()]
    for line in lines[:6]:
        line["finish_reason"] = "length"
    for line in lines[6:9]:
        line["error"] = {"kind": "bad_request", "status": 400}
    script.write_text("".join(json.dumps(x) + "\n" for x in lines))
    code, report, _ = gate(project, baseline, run(project, "flaky", code=1))
    (g,) = report.categories
    assert code == 4 and g.verdict == "NOT_QUALIFIED"
    assert g.counts.truncated == 6 and g.counts.infra_errors == 3 and g.counts.paired == N_GOLDEN + N_ADV - 9
    text = "\n".join(g.reasons)
    assert "infrastructure errors 3 of 52" in text and "cut off by the token limit 6 of 49" in text
    assert "not scored on both sides" in text


def test_incomparable_runs_are_refused_naming_the_difference(
    project: Project, baseline: str, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_suite(project)
    suite = project.root / "suites" / "tickets.yaml"
    suite.write_text(suite.read_text().replace("Label the ticket.", "Classify the ticket."))
    scripted(project, "cheap", perfect, (0.14, 0.28), 0.5)
    cand = run(project, "cheap")
    assert main(["gate", "--baseline", baseline, "--candidate", cand]) == 2
    assert "not comparable" in capsys.readouterr().err
    with Store.existing(project.store) as store, pytest.raises(Exception, match="input hash"):
        gate_runs(store, baseline, cand)


def test_a_misspelt_policy_key_is_bad_input(
    project: Project, baseline: str, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = project.root / "policy.yaml"
    policy.write_text("default:\n  non_inferiority_margn: 0.1\n")
    assert main(["gate", "--baseline", baseline, "--candidate", baseline, "--policy", str(policy)]) == 2
    assert "policy.yaml:2 [default.non_inferiority_margn]: unknown field" in capsys.readouterr().err
