"""`compare_runs`: what changed between two runs of the same suites, on scripted endpoints, offline.

Each test scripts two runs through the real `evalkit run` (engine, store, scoring), injects one kind of
drift into the second, and checks that compare names it where it belongs — and nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from evalkit import Store
from evalkit.cli import main
from evalkit.compare.drift import compare_runs
from evalkit.compare.drift_models import CompareReport, SuiteDrift
from evalkit.errors import InputError, RunNotFound
from evalkit.report.compare import print_compare, write_compare
from tests.conftest import Project

RESAMPLES = 300
N_TICKETS, N_TOOLS = 10, 6
TOOLS = [
    {"name": "lookup_order", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}},
                                            "required": ["order_id"]}},
    {"name": "escalate_to_human", "parameters": {"type": "object", "properties": {"reason": {"type": "string"}}}},
]  # fmt: skip


def gold(i: int) -> str:
    return "escalate" if i % 5 == 0 else ("refund" if i % 2 else "other")


def order(i: int) -> str:
    return f"OR-{10000 + i}"


def write_suites(project: Project, *, system: str = "Label the ticket.", reduce: str = "mean") -> None:
    """`tickets` (classification with an abstain label) and `tools` (tool calls with an escalation tool)."""
    suites: list[dict[str, Any]] = [
        {"name": "tickets", "version": "1", "category": "classification", "primary_metric": "macro_f1",
         "prompt": {"system": system, "user": "Ticket: {{ ticket }}"}, "reduce": reduce,
         "request": {"max_tokens": 16, "temperature": 0},
         "scorer": {"labels": ["refund", "other", "escalate"], "abstain_label": "escalate"}},
        {"name": "tools", "version": "1", "category": "toolcall", "primary_metric": "tool_call_accuracy",
         "prompt": {"system": "Help the customer.", "user": "{{ message }}"}, "tools": TOOLS,
         "request": {"max_tokens": 64, "temperature": 0}, "scorer": {"escalation_tool": "escalate_to_human"}},
    ]  # fmt: skip
    for suite in suites:
        (project.root / "suites" / f"{suite['name']}.yaml").write_text(yaml.safe_dump(suite, sort_keys=False))
    project.write_cases(
        project.root / "golden" / "tickets.jsonl",
        [{"id": f"g{i:03d}", "input": {"ticket": f"ticket {i}"}, "expected": {"label": gold(i)}}
         for i in range(N_TICKETS)],
    )  # fmt: skip
    project.write_cases(
        project.root / "golden" / "tools.jsonl",
        [{"id": f"t{i:03d}", "input": {"message": f"where is {order(i)}?"},
          "expected": {"mode": "call", "calls": [{"name": "lookup_order", "args": {"order_id": [order(i)]},
                                                  "optional_args": {"note": None}}]}}
         for i in range(N_TOOLS)],
    )  # fmt: skip


def answers(
    *, fingerprint: str = "fp_1", extra_input_tokens: int = 0, changes: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Right answers for every case of both suites; `changes` replaces fields of (or adds lines for) a case."""
    lines: list[dict[str, Any]] = []
    for i in range(N_TICKETS):
        lines.append({"case_id": f"g{i:03d}", "text": gold(i), "latency_s": 0.3, "system_fingerprint": fingerprint,
                      "usage": {"input_tokens": 120 + i + extra_input_tokens, "output_tokens": 2}})  # fmt: skip
    for i in range(N_TOOLS):
        call = {"name": "lookup_order", "arguments": {"order_id": order(i)}}
        lines.append({"case_id": f"t{i:03d}", "tool_calls": [call], "latency_s": 0.8, "system_fingerprint": fingerprint,
                      "usage": {"input_tokens": 300 + i + extra_input_tokens, "output_tokens": 20}})  # fmt: skip
    for cid, change in (changes or {}).items():
        base = next(line for line in lines if line["case_id"] == cid)
        if "repeat" in change:  # a per-repeat line beside the case's default one
            lines.append({**base, **change})
        else:
            base.update(change)
            if "text" in change and "tool_calls" not in change:
                base.pop("tool_calls", None)
    return lines


def run(project: Project, lines: list[dict[str, Any]], *, script: str, endpoint: str = "nightly",
        suites: str = "tickets,tools", repeats: int = 1, code: int = 0) -> str:  # fmt: skip
    """Script `endpoint` to answer `lines` (from its own file) and run it; returns the run id."""
    (project.root / "runners" / "endpoints" / script).write_text("".join(json.dumps(x) + "\n" for x in lines))
    project.write_endpoint(
        endpoint, kind="scripted", base_url=None, script=script,
        price={"input_per_mtok": 1.0, "output_per_mtok": 2.0, "source": "test"},
    )  # fmt: skip
    args = ["run", "--suite", suites, "--endpoint", endpoint, "--repeats", str(repeats)]
    assert main(args) == code
    with Store.existing(project.store) as store:
        return store.runs()[-1].run_id


def compare(project: Project, a: str, b: str, **kw: Any) -> CompareReport:
    with Store.existing(project.store) as store:
        return compare_runs(store, a, b, resamples=RESAMPLES, **kw)


def suite(report: CompareReport, name: str) -> SuiteDrift:
    return next(s for s in report.suites if s.suite == name)


def test_a_changed_tool_call_format_is_a_regression_whatever_the_tolerance(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    after = run(project, answers(changes={
        "t001": {"tool_calls": [], "text": '{"name": "lookup_order", "arguments": {"order_id": "OR-10001"}}'},
        "t002": {"tool_calls": [{"name": "lookup_order", "arguments": {"orderId": "OR-10002"}}]},
        "t003": {"tool_calls": [{"name": "lookup_order", "raw_arguments": '{"order_id": "OR-10003"'}]},
        "t005": {"tool_calls": [{"name": "lookup_order", "arguments": {"order_id": "OR-10005", "note": "asap"}}]},
    }), script="b.jsonl")  # fmt: skip
    report = compare(project, before, after, tolerance=10)
    tools = suite(report, "tools")
    changes = {c.case_id: c for c in tools.behaviour.format_changes}
    assert {(cid, c.kind) for cid, c in changes.items()} == {
        ("t001", "call_as_text"), ("t002", "argument_keys"), ("t003", "parse_failure"), ("t005", "argument_keys"),
    }  # fmt: skip
    assert changes["t002"].detail == "lookup_order: argument order_id renamed orderId"
    assert "orderId" in changes["t002"].after_answer and "order_id" in changes["t002"].before_answer
    assert changes["t005"].detail == "lookup_order: argument keys changed (+note)"
    assert tools.behaviour.format_failure_rate.before == 0.0
    assert tools.behaviour.format_failure_rate.after == pytest.approx(2 / N_TOOLS)  # t002 is well-formed, just renamed
    # t005 still passes (an allowed optional argument): the format changed while its score held.
    assert [c.case_id for c in tools.newly_failing] == ["t001", "t002", "t003"]
    assert tools.regressed and report.regressed
    assert any(r.startswith("4 tool-call format change(s): t001: lookup_order: the call is written out as text")
               for r in tools.reasons)  # fmt: skip
    assert not any("newly failing" in r for r in tools.reasons)  # 3 newly failing <= tolerance 10
    assert "3 newly failing case(s), within the tolerance of 10" in tools.drift
    assert not suite(report, "tickets").regressed and suite(report, "tickets").behaviour.format_changes == []


def test_an_extra_system_token_is_input_token_drift_on_every_case(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    after = run(project, answers(extra_input_tokens=1), script="b.jsonl")
    report = compare(project, before, after)
    for name, n in (("tickets", N_TICKETS), ("tools", N_TOOLS)):
        s = suite(report, name)
        drift = s.serving.input_tokens
        assert (drift.compared, drift.changed, drift.deltas) == (n, n, {"+1": n})
        assert (drift.minimum, drift.median, drift.maximum) == (1, 1.0, 1)
        assert f"input tokens of identical requests changed on {n} of {n} (+1 on {n})" in s.drift
        # Only the count moved: same answers, same scores, same output tokens.
        assert s.behaviour.similarity.identical == n and s.serving.output_tokens_same_answer.changed == 0
        assert not s.regressed and s.newly_failing == []
    assert not report.regressed


def test_a_new_refusal_is_newly_failing_and_raises_the_refusal_rate(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    refusal = {"g002": {"text": "I'm sorry, but I can't help with that."}}
    after = run(project, answers(changes=refusal), script="b.jsonl")
    report = compare(project, before, after)
    tickets = suite(report, "tickets")
    (failing,) = tickets.newly_failing
    assert failing.case_id == "g002" and failing.before_answer == "other" and "I can't help" in failing.after_answer
    refusals = tickets.behaviour.refusals
    abstains = sum(gold(i) == "escalate" for i in range(N_TICKETS))  # the abstain label counts as well
    assert refusals.rate.before == pytest.approx(abstains / N_TICKETS)
    assert refusals.rate.after == pytest.approx((abstains + 1) / N_TICKETS)
    assert refusals.by_kind["phrase"].before == 0 and refusals.by_kind["phrase"].after == 1
    assert refusals.by_kind["abstain"].before == refusals.by_kind["abstain"].after == abstains
    assert refusals.newly_refusing == ["g002"]
    assert tickets.regressed and tickets.reasons[0] == "1 newly failing case(s) (tolerance 0): g002"
    assert report.reasons[0] == "tickets: 1 newly failing case(s) (tolerance 0): g002"
    assert any(n.startswith("refusal/abstain rate 20.0% -> 30.0%") for n in tickets.drift)
    assert not suite(report, "tools").regressed


def test_nothing_changed_reports_nothing(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    after = run(project, answers(), script="a.jsonl")
    report = compare(project, before, after)
    assert not report.regressed and report.reasons == []
    assert report.same_endpoint and report.fingerprint_changes == [] and report.differences == []
    assert report.headline == f"No regression, no drift: {after} answered as {before} did"
    for s in report.suites:
        assert s.drift == [] and s.reasons == [] and s.flaky == []
        assert s.newly_failing == [] and s.newly_passing == [] and s.behaviour.format_changes == []
        assert s.behaviour.similarity.identical == s.behaviour.similarity.cases == s.counts.cases
        assert s.serving.input_tokens.changed == 0 and s.serving.input_tokens.compared == s.counts.cases
        (primary,) = [m for m in s.metrics if m.primary]
        assert primary.interval is not None and primary.interval.estimate == 0.0 and primary.interval.upper >= 0.0
        assert all(m.delta == 0.0 for m in s.metrics)


def test_a_flaky_case_is_reported_as_flaky_not_as_a_regression(project: Project) -> None:
    # reduce: all -> a case wrong in any repeat is reduced to 0: without the flaky rule g003 would newly fail.
    write_suites(project, reduce="all")
    before = run(project, answers(changes={"g004": {"repeat": 1, "text": "Other."}}), script="a.jsonl", repeats=2)
    after = run(project, answers(changes={"g003": {"repeat": 1, "text": "other"}}), script="b.jsonl", repeats=2)
    report = compare(project, before, after)
    tickets = suite(report, "tickets")
    flaky = {f.case_id: f for f in tickets.flaky}
    assert flaky.keys() == {"g003", "g004"}
    assert flaky["g003"].side == "after" and flaky["g003"].why == "resolved on 1 of 2 scored repeats"
    assert flaky["g004"].side == "before" and flaky["g004"].why == "2 different answers across 2 repeats"
    assert tickets.newly_failing == [] and not tickets.regressed and not report.regressed
    assert (tickets.counts.paired, tickets.counts.compared, tickets.counts.flaky) == (N_TICKETS, N_TICKETS - 2, 2)
    assert tickets.behaviour.similarity.cases == N_TICKETS - 2  # flaky answers are not drift either


def test_a_changed_server_fingerprint_is_the_first_line(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(fingerprint="fp_a"), script="a.jsonl")
    after = run(project, answers(fingerprint="fp_b"), script="b.jsonl")
    report = compare(project, before, after)
    first = (
        "server fingerprint changed on endpoint 'nightly' (same profile): system_fingerprint on answers: fp_a -> fp_b"
    )
    assert report.fingerprint_changed and report.headline == first
    assert report.differences[0] == report.fingerprint_changes[0] == first
    assert any(line.startswith("server-reported script_sha256:") for line in report.fingerprint_changes[1:])
    assert report.before.system_fingerprints == {"fp_a": N_TICKETS + N_TOOLS}
    assert not report.regressed  # a new fingerprint alone is news, not a regression
    console = Console(record=True, width=250)
    print_compare(report, console)
    assert console.export_text().splitlines()[0] == first
    files = write_compare(report, project.root / "out")
    assert files.markdown.read_text().splitlines()[0] == "# ⚠️ " + first

    # Another endpoint answering with another fingerprint is a different endpoint, not a changed one.
    other = run(project, answers(fingerprint="fp_c"), script="c.jsonl", endpoint="elsewhere")
    report = compare(project, before, other)
    assert not report.fingerprint_changed and not report.same_endpoint
    assert report.differences[0].startswith("different endpoints: nightly")
    assert "system_fingerprint on answers: fp_a -> fp_c" in report.differences


def test_incomparable_runs_are_refused(project: Project) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    write_suites(project, system="Label the support ticket.")  # a different prompt: a different suite input hash
    changed = run(project, answers(), script="a.jsonl")
    with pytest.raises(InputError, match=r"not comparable[\s\S]*suite 'tickets': the runs sent different suites"):
        compare(project, before, changed)
    only_tools = run(project, answers(), script="a.jsonl", suites="tools")
    with pytest.raises(InputError, match="do not hold the same suites; only in one: tickets"):
        compare(project, before, only_tools)
    assert compare(project, before, only_tools, suites=["tools"]).suites[0].suite == "tools"
    with pytest.raises(InputError, match=r"tickets \(not in"):
        compare(project, before, only_tools, suites=["tickets"])
    with pytest.raises(RunNotFound):
        compare(project, before, "no-such-run")


def test_the_report_files_are_self_contained_and_round_trip(project: Project, tmp_path: Path) -> None:
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    after = run(project, answers(changes={
        "g001": {"text": "<script>alert(1)</script> see https://example.com"},
        "t002": {"tool_calls": [{"name": "lookup_order", "arguments": {"orderId": "OR-10002"}}]},
    }), script="b.jsonl", endpoint="candidate")  # fmt: skip
    report = compare(project, before, after)
    assert report.headline.startswith("REGRESSED in 2 of 2 suite(s) (tickets, tools): tickets: 1 newly failing")
    files = write_compare(report, tmp_path / "compare")
    html = files.html.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html  # the answer is shown, escaped
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html)  # nothing to fetch
    assert not re.search(r"https?://(?!example\.com)", html)  # the only URL is the answer's own text
    assert "data:image/png;base64," in html  # the similarity histograms, inline
    assert CompareReport.model_validate_json(files.json.read_text()) == report
    markdown = files.markdown.read_text()
    assert markdown.splitlines()[0] == "# ❌ " + report.headline
    assert "g001" in markdown and "lookup\\_order" not in markdown and "orderId" in markdown
    console = Console(record=True, width=250)
    print_compare(report, console)
    text = console.export_text()
    assert re.search(r"tickets\s+│\s+1\s+│\s+0\s+│\s+0\s+│\s+macro_f1", text)
    assert "tools: 1 tool-call format change(s): t002: lookup_order: argument order_id renamed orderId" in text
    assert text.rstrip().endswith("overall: REGRESSED (tolerance 0 newly failing per suite)")


def test_an_endpoint_that_now_fails_is_a_named_regression(project: Project) -> None:
    """A serving change that kills the server (llama.cpp failing to compile a tool schema, say) shows as
    calls failing after retries on cases answered before: a regression that names the errors."""
    write_suites(project)
    before = run(project, answers(), script="a.jsonl")
    broken = {f"t{i:03d}": {"error": {"kind": "connection", "message": "All connection attempts failed"}}
              for i in range(N_TOOLS)}  # fmt: skip
    after = run(project, answers(changes=broken), script="b.jsonl", code=1)
    tools = suite(compare(project, before, after), "tools")
    assert tools.regressed
    (reason,) = [r for r in tools.reasons if "now fail with infrastructure errors" in r]
    assert f"{N_TOOLS} cases answered before" in reason and "connection" in reason
    assert "serving configuration broke" in reason
