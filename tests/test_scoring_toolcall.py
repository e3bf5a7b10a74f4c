"""Tool-call scoring: names, arguments, alternatives, parallel calls, relevance, format failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evalkit.calls.providers.base import parse_tool_call
from evalkit.inputs.suites import load_suite
from evalkit.records import Score, ToolCall
from evalkit.scoring import scorer_for
from evalkit.scoring import toolcall as tc
from tests.helpers import ctx, make_case, make_suite, scored

TOOLS = [
    {
        "name": "lookup_order",
        "parameters": {
            "type": "object",
            "properties": {"order_id": {"type": "string"}},
            "required": ["order_id"],
            "additionalProperties": False,
        },
    },
    {
        "name": "issue_refund",
        "parameters": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string"},
                "amount": {"type": "number", "exclusiveMinimum": 0},
                "note": {"type": "string"},
            },
            "required": ["order_id", "amount"],
        },
    },
    {
        "name": "escalate_to_human",
        "parameters": {"type": "object", "properties": {"reason": {"type": "string"}, "priority": {"type": "string"}}},
    },
]
SUITE = make_suite("toolcall", tools=TOOLS)
SETTINGS = tc.Settings(escalation_tool="escalate_to_human")
REFUND = {
    "mode": "call",
    "calls": [
        {"name": "issue_refund", "args": {"order_id": ["OR-10472"], "amount": [42.5]}, "optional_args": {"note": None}}
    ],
}


def call(name: str, args: dict[str, Any] | str, i: int = 0) -> ToolCall:
    import json

    return parse_tool_call(f"c{i}", name, args if isinstance(args, str) else json.dumps(args))


def run(expected: dict[str, Any], calls: list[ToolCall], text: str = "") -> Score:
    return tc.score(ctx(SUITE, make_case(expected), text, calls), SETTINGS)


def test_exact_call_resolves_with_optional_free_text() -> None:
    r = run(REFUND, [call("issue_refund", {"order_id": "OR-10472", "amount": 42.50, "note": "dented box"})])
    assert r.resolved and r.detail["pairs"][0]["correct"]


def test_string_normalisation_and_numeric_equality() -> None:
    r = run(REFUND, [call("issue_refund", {"order_id": " or-10472 ", "amount": 42.5})])
    assert r.resolved


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"order_id": "OR-10472"}, "missing"),
        ({"order_id": "OR-10472", "amount": 40}, "wrong_values"),
        ({"order_id": "OR-10472", "amount": 42.5, "reason": "damaged"}, "unexpected"),
        ({"order_id": "OR-10472", "amount": "42.5"}, "schema_errors"),
    ],
)
def test_wrong_arguments_are_named(args: dict[str, Any], problem: str) -> None:
    r = run(REFUND, [call("issue_refund", args)])
    assert not r.resolved
    assert r.detail["pairs"][0][problem]


def test_acceptable_alternatives() -> None:
    expected = {"mode": "call", "calls": [{"name": "lookup_order", "args": {"order_id": ["OR-1", "OR-2"]}}]}
    assert run(expected, [call("lookup_order", {"order_id": "OR-2"})]).resolved
    assert not run(expected, [call("lookup_order", {"order_id": "OR-3"})]).resolved


def test_parallel_calls_are_order_insensitive_with_exact_count() -> None:
    expected = {
        "mode": "call",
        "calls": [
            {"name": "lookup_order", "args": {"order_id": ["OR-1"]}},
            {"name": "lookup_order", "args": {"order_id": ["OR-2"]}},
        ],
    }
    both = [call("lookup_order", {"order_id": "OR-2"}, 0), call("lookup_order", {"order_id": "OR-1"}, 1)]
    assert run(expected, both).resolved
    assert not run(expected, both[:1]).resolved
    assert not run(expected, [*both, call("lookup_order", {"order_id": "OR-1"}, 2)]).resolved


def test_wrong_tool_name() -> None:
    r = run(REFUND, [call("lookup_order", {"order_id": "OR-10472"})])
    assert not r.resolved and not r.detail["pairs"][0]["name_ok"] and not r.detail["format_failure"]


def test_unparseable_arguments_are_a_format_failure_not_a_wrong_call() -> None:
    r = run(REFUND, [call("issue_refund", '{"order_id": "OR-10472", "amount": ')])
    assert not r.resolved and r.detail["format_failure"] and r.detail["parse_failures"] == ["issue_refund"]


def test_call_written_as_text_is_a_format_failure() -> None:
    text = 'I will call {"name": "issue_refund", "arguments": {"order_id": "OR-10472", "amount": 42.5}}'
    r = run(REFUND, [], text)
    assert not r.resolved and r.detail["call_as_text"] == "issue_refund" and r.detail["format_failure"]
    assert run(REFUND, [], "issue_refund(order_id='OR-10472')").detail["call_as_text"] == "issue_refund"


def test_irrelevance_text_answer_or_allowed_escalation() -> None:
    no_call = {"mode": "no_call", "calls": [], "escalation_acceptable": True}
    assert run(no_call, [], "Our return window is 30 days.").resolved
    assert run(no_call, [call("escalate_to_human", {"reason": "x", "priority": "low"})]).resolved
    assert not run(no_call, [call("lookup_order", {"order_id": "OR-1"})]).resolved
    strict = {**no_call, "escalation_acceptable": False}
    assert not run(strict, [call("escalate_to_human", {"reason": "x"})]).resolved


def test_aggregate_rates() -> None:
    no_call = {"mode": "no_call", "calls": [], "escalation_acceptable": False}
    cases = [
        (REFUND, [call("issue_refund", {"order_id": "OR-10472", "amount": 42.5})], "golden"),  # right
        (REFUND, [call("issue_refund", {"order_id": "OR-10472", "amount": 1})], "golden"),  # wrong value
        (REFUND, [], "adversarial"),  # failed to call
        (no_call, [], "adversarial"),  # right
        (no_call, [call("lookup_order", {"order_id": "OR-9"})], "golden"),  # should not call
    ]
    items = []
    for i, (exp, calls, split) in enumerate(cases):
        case = make_case(exp, split=split, case_id=f"c{i}")
        items.append(scored(case, tc.score(ctx(SUITE, case, "", calls), SETTINGS), category="toolcall"))
    m = tc.aggregate(items, SETTINGS)
    v = m.values
    assert v["tool_call_accuracy"] == pytest.approx(2 / 5)
    assert v["relevance"] == pytest.approx(2 / 3)
    assert v["irrelevance"] == pytest.approx(1 / 2)
    assert v["name_accuracy"] == pytest.approx(2 / 3)
    assert v["argument_accuracy"] == pytest.approx(1 / 3)
    assert v["adversarial_pass_rate"] == pytest.approx(1 / 2)
    assert v["format_failure_rate"] == 0.0
    assert v["resolved_rate"] == v["tool_call_accuracy"]
    assert (v["schema_validity"], v["unexpected_argument_rate"], v["call_as_text_rate"]) == (1.0, 0.0, 0.0)
    assert m.tables == {"calls_by_tool": {"issue_refund": {"calls": 2}, "lookup_order": {"calls": 1}}, "escalations": 0}


def test_no_answers_gives_undefined_metrics_not_zero() -> None:
    m = tc.aggregate([], SETTINGS)
    assert set(m.values) == set(tc.METRICS) and all(v is None for v in m.values.values())


def test_detail_fields_follow_the_mode() -> None:
    base = {"called": [], "format_failure": False, "parse_failures": [], "call_as_text": None, "unknown_tools": []}
    assert tc.Detail.model_validate({**base, "mode": "call", "count_ok": True}).pairs == []
    assert tc.Detail.model_validate({**base, "mode": "no_call", "escalated": False}).count_ok is None
    for bad in ({"mode": "call"}, {"mode": "call", "count_ok": True, "escalated": False}, {"mode": "no_call"}):
        with pytest.raises(ValueError, match="detail has"):
            tc.Detail.model_validate({**base, **bad})


NO_CALL = {"mode": "no_call", "calls": [], "escalation_acceptable": True}


@pytest.mark.parametrize(
    ("expected", "calls", "text"),
    [
        (REFUND, [call("issue_refund", {"order_id": "OR-10472", "amount": 42.5})], ""),
        (REFUND, [call("issue_refund", '{"order_id": ')], ""),
        (REFUND, [], 'Calling {"name": "issue_refund"}'),
        (REFUND, [call("lookup_order", {"order_id": "OR-1"}, 0), call("no_such_tool", {}, 1)], ""),
        (NO_CALL, [], "Our return window is 30 days."),
        (NO_CALL, [call("escalate_to_human", {"reason": "x"})], ""),
        (NO_CALL, [], "<tool_call>"),
    ],
)
def test_score_carries_every_value_and_a_detail_that_round_trips(
    expected: dict[str, Any], calls: list[ToolCall], text: str
) -> None:
    result = run(expected, calls, text)
    assert result.is_scored
    assert set(result.values) == {"resolved", *tc.VALUES}
    assert all(v in (0.0, 1.0) for v in result.values.values())
    assert result.values["resolved"] == float(bool(result.resolved))
    detail = scorer_for("toolcall").detail.model_validate(result.detail)
    assert isinstance(detail, tc.Detail)
    assert detail.model_dump(mode="json") == result.detail
    assert result.values["format_failure"] == float(detail.format_failure)
    assert result.values["call_as_text"] == float(detail.call_as_text is not None)
    assert (detail.count_ok is None) == (detail.mode == "no_call") == (detail.escalated is not None)


def test_shipped_suite_gold_calls_score_resolved() -> None:
    loaded = load_suite(Path(__file__).resolve().parents[1] / "suites" / "toolcall.yaml")
    settings = tc.Settings.model_validate(loaded.suite.scorer)
    assert sum(c.split == "golden" for c in loaded.cases) >= 60
    assert sum(c.split == "adversarial" for c in loaded.cases) >= 25
    for case in loaded.cases:
        exp = tc.Expectation.model_validate(case.expected)
        calls = [
            call(
                c.name,
                {
                    **{k: v[0] for k, v in c.args.items()},
                    **{k: (v[0] if v else "free text") for k, v in c.optional_args.items()},
                },
                i,
            )
            for i, c in enumerate(exp.calls)
        ]
        assert tc.score(ctx(loaded.suite, case, "Sure.", calls), settings).resolved, case.id
