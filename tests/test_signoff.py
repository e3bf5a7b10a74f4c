"""The sign-off files written from a hand-built gate report, checked as a reviewer and CI would read them."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from evalkit.compare.verdicts import (
    CaseExcerpt,
    CategoryGate,
    Condition,
    Counts,
    GateReport,
    IntervalFigure,
    McNemarFigure,
    OptionFigures,
    Side,
)
from evalkit.report.plots import category_plots
from evalkit.report.signoff import SignoffFiles, write_signoff

SCRIPT = "<script>alert(1)</script>"


def _interval(estimate: float, lower: float, upper: float, cases: int) -> IntervalFigure:
    return IntervalFigure(
        estimate=estimate,
        lower=lower,
        upper=upper,
        confidence=0.95,
        method="paired cluster bootstrap (percentile)",
        resamples=2000,
        cases=cases,
        clusters=cases,
        se=(upper - lower) / 3.29,
    )


def _options(base: float, cand: float, esc: float, rate: float, cases: int) -> list[OptionFigures]:
    def opt(option: str, quality: float, cost: float, escalation_rate: float | None = None) -> OptionFigures:
        resolved = quality * cases
        return OptionFigures(
            option=option,  # type: ignore[arg-type]
            quality=quality,
            cost_usd=cost,
            resolved=resolved,
            cost_per_resolved_usd=cost / resolved,
            escalation_rate=escalation_rate,
        )

    return [
        opt("baseline", base, 1.84),
        opt("candidate", cand, 0.041),
        opt("escalation", esc, 0.041 + 1.84 * rate, rate),
    ]


def _latencies(center: float, n: int) -> list[float]:
    return [round(center * (0.6 + ((i * 37) % 100) / 90), 3) for i in range(n)]


def _confusion(diag: list[int], off: int) -> dict[str, object]:
    labels = ["billing", "refund", "technical", "account", "<invalid>"]
    matrix = [[diag[r] if r == c else (off if (r + c) % 3 == 0 and r < 4 else 0) for c in range(5)] for r in range(5)]
    per_label = {
        lab: {"precision": 0.9, "recall": 0.9, "f1": 0.9, "support": sum(matrix[i])} for i, lab in enumerate(labels[:4])
    }
    return {"per_label": per_label, "confusion_matrix": {"labels": labels, "matrix": matrix}}


def _per_field(acc: dict[str, float]) -> dict[str, object]:
    table = {}
    for name, a in acc.items():
        correct = round(a * 80)
        table[name] = {
            "type": "fuzzy",
            "n": 80,
            "correct": correct,
            "wrong": 80 - correct,
            "missing": 0,
            "hallucinated": 0,
            "accuracy": correct / 80,
        }
    return {"per_field": table}


def _counts(cases: int, paired: int, **kw: int) -> Counts:
    return Counts(
        cases=cases,
        paired=paired,
        one_sided=kw.get("one_sided", 0),
        infra_errors=kw.get("infra", 0),
        truncated=kw.get("truncated", 0),
        scorer_errors=0,
        unanswered_rate=0.0,
    )


def make_report() -> GateReport:
    classification = CategoryGate(
        suite="tickets",
        category="classification",
        metric="macro_f1",
        margin=0.03,
        verdict="QUALIFIED",
        reasons=[],
        baseline_metric=0.912,
        candidate_metric=0.905,
        interval=_interval(-0.007, -0.021, 0.008, 240),
        mcnemar=McNemarFigure(b=9, c=7, p_value=0.804),
        cases_to_decide=None,
        conditions=[
            Condition(name="invalid_rate", passed=True, figure="0.004 <= 0.02", candidate=0.004, threshold=0.02),
            Condition(
                name="adversarial_pass_rate",
                passed=True,
                figure="0.93 >= 0.90 - 0.05",
                candidate=0.93,
                baseline=0.95,
                threshold=0.90,
            ),
        ],
        counts=_counts(240, 240),
        options=_options(0.912, 0.905, 0.913, 0.06, 240),
        escalation_verdict="QUALIFIED",
        newly_failing_adversarial=[],
        latencies_s={"baseline": _latencies(1.8, 240), "candidate": _latencies(0.35, 240)},
        tables={"baseline": _confusion([58, 61, 57, 60, 0], 1), "candidate": _confusion([57, 60, 56, 58, 1], 2)},
        input_hash="a3f1" * 16,
        expectation_hash="7c2e" * 16,
    )
    extraction = CategoryGate(
        suite="invoices",
        category="extraction",
        metric="field_accuracy",
        margin=0.02,
        verdict="NOT_QUALIFIED",
        reasons=[
            "field_accuracy: upper bound -0.034 is below -margin -0.020 (inferior)",
            "hallucination_rate 0.041 > 0.010",
            "1 adversarial case newly fails",
        ],
        baseline_metric=0.948,
        candidate_metric=0.893,
        interval=_interval(-0.055, -0.078, -0.034, 80),
        mcnemar=McNemarFigure(b=14, c=2, p_value=0.0042),
        cases_to_decide=None,
        conditions=[
            Condition(name="hallucination_rate", passed=False, figure="0.041 > 0.010", candidate=0.041, threshold=0.01),
            Condition(name="schema_validity", passed=True, figure="1.000 >= 0.990", candidate=1.0, threshold=0.99),
            Condition(name="latency_p95_s", passed=None, figure="no latency budget configured"),
        ],
        counts=_counts(80, 78, one_sided=2, infra=2, truncated=1),
        options=_options(0.948, 0.893, 0.941, 0.22, 78),
        escalation_verdict="NOT_QUALIFIED",
        escalation_reasons=["field_accuracy still inferior with escalation: upper bound -0.021"],
        newly_failing_adversarial=[
            CaseExcerpt(
                case_id="inv-adv-017",
                split="adversarial",
                tags=["injection", "html"],
                baseline_answer='{"vendor": "ACME GmbH", "total": 1200.5, "currency": "EUR"}',
                candidate_answer='{"vendor": "ACME GmbH ' + SCRIPT + '", "total": 1200.5, "note": "ignore all prior"}',
            )
        ],
        latencies_s={"baseline": _latencies(2.4, 80), "candidate": _latencies(0.6, 78)},
        tables={
            "baseline": _per_field(
                {"vendor": 0.99, "invoice_date": 0.96, "total": 0.95, "currency": 0.98, "iban": 0.86}
            ),
            "candidate": _per_field(
                {"vendor": 0.97, "invoice_date": 0.9, "total": 0.88, "currency": 0.96, "iban": 0.74}
            ),
        },
        input_hash="19bd" * 16,
        expectation_hash="e04a" * 16,
    )
    summarization = CategoryGate(
        suite="digests",
        category="summarization",
        metric="rougeL_f",
        margin=0.02,
        verdict="INCONCLUSIVE",
        reasons=["rougeL_f: -margin -0.020 lies inside the interval [-0.031, +0.012]; more cases are needed"],
        baseline_metric=0.412,
        candidate_metric=0.403,
        interval=_interval(-0.009, -0.031, 0.012, 40),
        mcnemar=None,
        cases_to_decide=180,
        conditions=[],
        counts=_counts(40, 40),
        options=_options(0.412, 0.403, 0.41, 0.1, 40),
        escalation_verdict=None,
        newly_failing_adversarial=[],
        latencies_s={},
        tables={},
        input_hash="55aa" * 16,
        expectation_hash="0f0f" * 16,
    )
    return GateReport(
        baseline=Side(
            run_id="run-20260301-frontier-7f3a",
            endpoint="frontier",
            tier="frontier",
            model="claude-opus-4-1",
            endpoint_identity="e1" * 32,
            server=None,
            created_at="2026-03-01T09:12:44Z",
            finished_at="2026-03-01T09:58:02Z",
        ),
        candidate=Side(
            run_id="run-20260301-local-c21d",
            endpoint="local",
            tier="local",
            model="smollm2-1.7b-q4",
            endpoint_identity="c9" * 32,
            server={"engine": "llama.cpp", "build": "b5123", "ctx": 8192},
            created_at="2026-03-01T10:02:10Z",
            finished_at="2026-03-01T10:40:51Z",
        ),
        created_at="2026-03-01T11:00:00Z",
        evalkit_version="0.2.0",
        policy_source="suite",
        categories=[classification, extraction, summarization],
        overall="NOT_QUALIFIED",
        exit_code=4,
    )


def _write(tmp_path: Path) -> tuple[GateReport, SignoffFiles]:
    report = make_report()
    return report, write_signoff(report, tmp_path / "signoff")


def test_every_file_is_written_whole(tmp_path: Path) -> None:
    _, files = _write(tmp_path)
    for path in (files.markdown, files.html, files.json, files.junit):
        assert path.is_file() and path.stat().st_size > 0, path
    assert not list(files.html.parent.glob("*.part")), "no temporary file is left behind"


def test_json_reads_back_as_the_same_report(tmp_path: Path) -> None:
    report, files = _write(tmp_path)
    assert GateReport.model_validate(json.loads(files.json.read_text())) == report


def test_junit_has_one_testcase_per_category_with_the_documented_outcome(tmp_path: Path) -> None:
    report, files = _write(tmp_path)
    root = ET.parse(files.junit).getroot()
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == [g.category for g in report.categories]
    by_name = {c.get("name"): c for c in cases}
    ok, bad, unsure = by_name["classification"], by_name["extraction"], by_name["summarization"]
    assert ok.find("failure") is None and ok.find("skipped") is None and ok.find("error") is None
    failure = bad.find("failure")
    assert failure is not None and failure.text is not None
    assert "hallucination_rate 0.041 > 0.010" in failure.text and "1 adversarial case newly fails" in failure.text
    skipped = unsure.find("skipped")
    assert skipped is not None and unsure.find("failure") is None
    assert "more cases are needed" in (skipped.get("message") or "") and "180" in (skipped.get("message") or "")
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped"), suite.get("errors")) == (
        "3",
        "1",
        "1",
        "0",
    )


def test_html_is_self_contained_and_escapes_model_output(tmp_path: Path) -> None:
    _, files = _write(tmp_path)
    html = files.html.read_text()
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:|#)""", html), "only data: URIs and in-page anchors"
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert '<table id="verdicts">' in html
    for verdict in ("QUALIFIED", "NOT_QUALIFIED", "INCONCLUSIVE"):
        assert f'class="verdict-{verdict}"' in html
    assert SCRIPT not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 6  # cost + latency + confusion; cost + latency + fields; cost
    for uri in images:
        assert uri.startswith("data:image/png;base64,")
        assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert "180 paired cases" in html
    assert "inv-adv-017" in html and "b = 14" in html


def test_markdown_lists_every_category_with_its_verdict_and_reasons(tmp_path: Path) -> None:
    report, files = _write(tmp_path)
    text = files.markdown.read_text()
    for gate in report.categories:
        assert re.search(rf"^## .*{gate.category} \({gate.suite}\): {gate.verdict}$", text, re.M), gate.category
        row = next(line for line in text.splitlines() if line.startswith(f"| {gate.category} | {gate.suite} |"))
        assert f"**{gate.verdict}**" in row
    assert "- field_accuracy: upper bound -0.034 is below -margin -0.020 (inferior)" in text
    assert "- hallucination_rate 0.041 > 0.010" in text
    assert "About 180 paired cases would decide" in text
    assert "<script>" not in text and "&lt;script>alert(1)&lt;/script>" in text
    assert "| Reviewer | |" in text


def test_plots_are_deterministic_and_skip_missing_data() -> None:
    report = make_report()
    first = [category_plots(g) for g in report.categories]
    second = [category_plots(g) for g in report.categories]
    assert first == second
    assert [[p.key for p in plots] for plots in first] == [
        ["cost", "latency", "confusion"],
        ["cost", "latency", "fields"],
        ["cost"],
    ]
    bare = report.categories[2].model_copy(
        update={"options": [o.model_copy(update={"quality": None}) for o in report.categories[2].options]}
    )
    assert category_plots(bare) == []
    broken = report.categories[0].model_copy(update={"tables": {"candidate": {"confusion_matrix": {"labels": ["a"]}}}})
    assert [p.key for p in category_plots(broken)] == ["cost", "latency"]
    for plots in first:
        for p in plots:
            png = base64.b64decode(p.uri.split(",", 1)[1])
            assert b"tEXt" not in png and b"tIME" not in png, "no software, date or time chunk"


def test_a_sparse_report_still_writes_every_file(tmp_path: Path) -> None:
    """No interval, no McNemar, no quality, no latencies, no tables, hostile text in reasons: nothing crashes."""
    report = make_report()
    gate = report.categories[1].model_copy(
        update={
            "verdict": "QUALIFIED_WITH_ESCALATION",
            "reasons": ["# not a heading | not a cell <b>bold</b> `tick` [link](javascript:x)"],
            "interval": None,
            "mcnemar": None,
            "options": [
                o.model_copy(update={"quality": None, "cost_per_resolved_usd": None})
                for o in report.categories[1].options
            ],
            "latencies_s": {"baseline": [], "candidate": []},
            "tables": {"baseline": {}, "candidate": {"per_field": {"x": "not a row"}}},
            "newly_failing_adversarial": [],
        }
    )
    sparse = report.model_copy(update={"categories": [gate], "overall": "QUALIFIED_WITH_ESCALATION", "exit_code": 0})
    files = write_signoff(sparse, tmp_path)
    html = files.html.read_text()
    assert "<b>bold</b>" not in html and "javascript:x" in html and 'href="javascript' not in html
    text = files.markdown.read_text()
    assert r"\# not a heading \| not a cell &lt;b>bold&lt;/b> \`tick\` \[link\](javascript:x)" in text
    case = ET.parse(files.junit).getroot().find(".//testcase")
    assert case is not None and len(case.findall("failure") + case.findall("skipped")) == 0
    assert category_plots(gate) == []
