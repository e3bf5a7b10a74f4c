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


REPLY_SETTINGS = tc.Settings(
    escalation_tool="escalate_to_human",
    reply_patterns={"order_id": r"order (id|number)", "amount": r"amount|how much"},
    id_patterns=[r"\b[A-Z]{2}-\d{5}\b"],
)


def reply_case(
    reply: dict[str, Any], message: str = "?", escalation: bool = False, **kw: Any
) -> tuple[dict[str, Any], Any]:
    expected = {"mode": "no_call", "calls": [], "escalation_acceptable": escalation, "reply": reply}
    return expected, make_case(expected, **kw).model_copy(update={"input": {"q": message}})


def reply_score(
    reply: dict[str, Any], text: str, calls: list[ToolCall] | None = None, message: str = "?", **kw: Any
) -> Score:
    _, case = reply_case(reply, message, **kw)
    return tc.score(ctx(SUITE, case, text, calls), REPLY_SETTINGS)


def test_a_no_call_reply_must_ask_for_the_missing_field() -> None:
    """The old scorer passed any text on a must-not-call case: not asking for the order id passed."""
    ask = {"ask_for": ["order_id"]}
    assert reply_score(ask, "Could you send me your order number?").resolved
    r = reply_score(ask, "Thanks, I'll look into it right away.")
    assert not r.resolved and r.detail["reply"]["missing_asks"] == ["order_id"]
    r = reply_score(ask, "Your order number is on its way.")  # names the field but asks nothing
    assert not r.resolved and r.detail["reply"]["no_question"]


def test_a_reply_must_state_required_facts_and_no_forbidden_ones() -> None:
    """A wrong fact passed before: now the figure the context gives is required, a contradicting one fails."""
    facts = {"require": [r"\b30\b"], "forbid": [r"\b(60|90) days"]}
    assert reply_score(facts, "You can return it within 30 days of delivery.").resolved
    r = reply_score(facts, "You have 90 days to return it.")
    assert not r.resolved and r.detail["reply"]["missing_required"] == [r"\b30\b"]
    assert r.detail["reply"]["forbidden"] == [r"\b(60|90) days"]


def test_an_off_topic_request_must_be_declined_not_answered() -> None:
    """Writing the requested poem passed before."""
    decline = {"decline": True, "forbid": [r"(?:[^\n]*\n){4,}"]}
    assert reply_score(decline, "Sorry, I can only help with Larkspur orders.").resolved
    poem = "Leaves of amber\ndrifting down\nautumn whispers\nover town\n"
    r = reply_score(decline, poem)
    assert not r.resolved and r.detail["reply"]["no_decline"] and r.detail["reply"]["forbidden"]
    assert not reply_score(decline, "Sorry - but here goes:\n" + poem).resolved


def test_an_invented_order_id_fails_a_reply_and_a_normalised_one_does_not() -> None:
    assert not reply_score({}, "I've checked OR-10472: it shipped.", message="my order number is 10472").resolved
    assert reply_score({}, "I've checked OR-10472: it shipped.", message="where is or 10472").resolved
    r = reply_score({}, "Is it WB-55555?", message="where is OR-12345")
    assert r.detail["reply"]["invented_ids"] == ["WB-55555"]


def test_an_acceptable_hand_over_replaces_the_reply_and_a_call_is_still_wrong() -> None:
    hand_over = [call("escalate_to_human", {"reason": "outage", "priority": "normal"})]
    r = reply_score({"ask_for": ["order_id"]}, "", hand_over, escalation=True)
    assert r.resolved and r.detail["escalated"] and r.detail["reply"] is None
    assert not reply_score({"ask_for": ["order_id"]}, "", hand_over).resolved
    r = reply_score(
        {"ask_for": ["order_id"]}, "Could you send your order id?", [call("lookup_order", {"order_id": "OR-1"})]
    )
    assert not r.resolved and r.detail["reply"] is None


def test_reply_checks_are_validated() -> None:
    with pytest.raises(ValueError, match="must-not-call"):
        tc.Expectation.model_validate({**REFUND, "reply": {"ask_for": ["order_id"]}})
    with pytest.raises(ValueError, match="invalid regular expression"):
        tc.Expectation.model_validate({"mode": "no_call", "reply": {"require": ["(unclosed"]}})
    with pytest.raises(ValueError, match="invalid regular expression"):
        tc.Settings(reply_patterns={"order_id": "[oops"})
    with pytest.raises(ValueError, match="does not define"):
        reply_score({"ask_for": ["postcode"]}, "What's your postcode?")
    with pytest.raises(ValueError, match="does not define"):  # when the suite loads, with its settings
        tc.Expectation.model_validate(
            {"mode": "no_call", "reply": {"ask_for": ["postcode"]}}, context={"settings": REPLY_SETTINGS}
        )


def test_irrelevance_is_the_call_decision_and_reply_accuracy_the_text() -> None:
    items = []
    answers = [
        ("Could you send your order number?", []),
        ("Done!", []),
        ("", [call("lookup_order", {"order_id": "OR-1"})]),
    ]
    for i, (text, calls) in enumerate(answers):
        _, case = reply_case({"ask_for": ["order_id"]}, case_id=f"c{i}")
        items.append(scored(case, tc.score(ctx(SUITE, case, text, calls), REPLY_SETTINGS), category="toolcall"))
    values = tc.aggregate(items, REPLY_SETTINGS).values
    assert values["irrelevance"] == pytest.approx(2 / 3)
    assert values["reply_accuracy"] == pytest.approx(1 / 2)
    assert values["tool_call_accuracy"] == pytest.approx(1 / 3)


def test_the_shipped_suite_needs_the_state_of_a_us_address() -> None:
    """change_address had no state field: a US address changed without its state passed."""
    loaded = load_suite(Path(__file__).resolve().parents[1] / "suites" / "toolcall.yaml")
    settings = tc.Settings.model_validate(loaded.suite.scorer)
    (tool,) = [t for t in loaded.suite.tools if t.name == "change_address"]
    assert "state" in tool.parameters["properties"]
    case = next(
        c for c in loaded.cases
        if c.expected["calls"] and c.expected["calls"][0]["args"].get("country") == ["US"]
        and c.expected["calls"][0]["args"].get("state")
    )  # fmt: skip
    gold = {k: v[0] for k, v in case.expected["calls"][0]["args"].items()}
    assert tc.score(ctx(loaded.suite, case, "", [call("change_address", gold)]), settings).resolved
    stateless = {k: v for k, v in gold.items() if k != "state"}
    assert not tc.score(ctx(loaded.suite, case, "", [call("change_address", stateless)]), settings).resolved
    spelled = {**gold, "state": "Oregonia"}
    r = tc.score(ctx(loaded.suite, case, "", [call("change_address", spelled)]), settings)
    assert not r.resolved and r.detail["pairs"][0]["schema_errors"]
