"""Tool calls: the right function (or none) with the right arguments, checked argument by argument.

Format failures (arguments that do not parse, a call written out as text instead of a tool call) are
reported apart from wrong calls: the first is a serving/formatting problem a parser or a different
chat template may fix, the second is the model deciding wrongly. Relevance (must call) and
irrelevance (must not call; answering in text or escalating is right) are separate rates because a
cheaper model often fails exactly one of them.

Not calling is only half of a must-not-call case: the text reply must also do what the case needs
(ask for what is missing, decline, report a tool's result). `reply.py` checks that deterministically.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from evalkit.inputs.cases import Case, CaseHead
from evalkit.records import Score, ToolCall, ToolDef
from evalkit.scoring.base import CaseInfo, Metrics, ScoreContext, Scored, rate
from evalkit.scoring.schemas import json_value, validator_for
from evalkit.scoring.toolcall.models import (
    CalledTool,
    CallPair,
    Detail,
    Expectation,
    ExpectedCall,
    Settings,
    Summary,
)
from evalkit.scoring.toolcall.reply import (
    ReplyPatterns,
    ReplyVerdict,
    check_reply,
)
from evalkit.scoring.toolcall.values import values_equal

METRICS = (
    "tool_call_accuracy",
    "relevance",
    "irrelevance",
    "reply_accuracy",
    "name_accuracy",
    "argument_accuracy",
    "format_failure_rate",
    "call_as_text_rate",
    "schema_validity",
    "unexpected_argument_rate",
    "resolved_rate",
    "adversarial_pass_rate",
)

VALUES = ("format_failure", "call_as_text")
"""Per-case 0/1 values a paired test resamples: the two format rates are averages over every case, and
they are what a different parser or chat template changes, so a comparison must see them per case."""


def case_info(case: Case | CaseHead) -> CaseInfo:
    """`argument_accuracy` divides by the calls each case expects: the one thing of the expectation
    the metrics read (validated when the suite loaded)."""
    return CaseInfo(case.id, case.split, tuple(case.tags), len(case.expected.get("calls", ())))


def compare_call(got: ToolCall, want: ExpectedCall, tools: dict[str, ToolDef], settings: Settings) -> CallPair:
    """Argument-by-argument verdict for one predicted call against one expected call."""
    args = got.arguments or {}

    def acceptable(key: str, ok: list[Any]) -> bool:
        ops = want.normalize.get(key, settings.string_normalize)
        return any(values_equal(args[key], v, ops, settings.number_tolerance) for v in ok)

    missing = sorted(k for k in want.args if k not in args)
    wrong = sorted(k for k, ok in want.args.items() if k in args and not acceptable(k, ok))
    wrong_optional = sorted(
        k for k, ok in want.optional_args.items() if k in args and ok is not None and not acceptable(k, ok)
    )
    unexpected = sorted(k for k in args if k not in want.args and k not in want.optional_args)
    schema_errors: list[str] = []
    tool = tools.get(got.name)
    if tool is not None and got.arguments is not None and settings.schema_check:
        validator = validator_for(tool.parameters)  # built once per tool, not per answer
        schema_errors = [e.message for e in itertools.islice(validator.iter_errors(got.arguments), 3)]
    name_ok = got.name == want.name
    correct = (
        name_ok
        and got.parse_error is None
        and not missing
        and not wrong
        and not wrong_optional
        and not unexpected
        and not schema_errors
    )
    return CallPair(
        expected=want.name,
        got=got.name,
        name_ok=name_ok,
        missing=missing,
        wrong_values=wrong + wrong_optional,
        unexpected=unexpected,
        schema_errors=schema_errors,
        correct=correct,
    )


_TEXT_CALL = re.compile(r"<tool_call>|\"(name|function)\"\s*:\s*\"(?P<name>[A-Za-z0-9_]+)\"")


def call_written_as_text(text: str, tools: dict[str, ToolDef]) -> str | None:
    """The tool name when the answer spells a call out in text instead of making one."""
    if not tools:
        return None
    for m in _TEXT_CALL.finditer(text):
        if m.group("name") in tools:
            return m.group("name")
        if m.group(0) == "<tool_call>":
            return "<tool_call>"
    for name in tools:
        if re.search(rf"\b{re.escape(name)}\s*\(", text):
            return name
    return None


def _best_assignment(
    got: list[ToolCall], want: list[ExpectedCall], tools: dict[str, ToolDef], settings: Settings
) -> list[CallPair]:
    """Pair predicted with expected calls, order-insensitive, maximising correct pairs (in expected order).

    Each (expected, predicted) pair is compared once: BFCL's parallel cases have up to 8 calls, whose
    8! pairings would otherwise re-validate the same arguments hundreds of thousands of times."""
    best: list[CallPair] = []
    best_key = (-1, -1)
    k = min(len(got), len(want))
    table = [[compare_call(g, w, tools, settings) for g in got] for w in want]
    for chosen in itertools.permutations(range(len(got)), k):
        pairs = [table[w][g] for w, g in enumerate(chosen)]
        key = (sum(p.correct for p in pairs), sum(p.name_ok for p in pairs))
        if key > best_key:
            best, best_key = pairs, key
    return best


def score(ctx: ScoreContext, settings: Settings) -> Score:
    expected = Expectation.model_validate(ctx.case.expected)
    offered = [*ctx.suite.tools, *ctx.case.tools]
    tools = {t.name: t for t in offered}
    calls = ctx.response.tool_calls
    parse_failures = [c.name for c in calls if c.parse_error is not None]
    as_text = call_written_as_text(ctx.response.text, tools) if not calls else None
    format_failure = bool(parse_failures) or as_text is not None
    escalated: bool | None = None
    pairs: list[CallPair] = []
    count_ok: bool | None = None
    reply: ReplyVerdict | None = None
    if expected.mode == "no_call":
        escalated = (
            expected.escalation_acceptable
            and settings.escalation_tool is not None
            and len(calls) == 1
            and calls[0].name == settings.escalation_tool
            and calls[0].parse_error is None
        )
        answered_in_text = not calls and as_text is None
        if expected.reply is not None and answered_in_text:
            patterns = ReplyPatterns(
                settings.reply_patterns, settings.question_pattern, settings.decline_pattern, settings.id_patterns
            )
            reply = check_reply(ctx.response.text, expected.reply, patterns, ctx.case, offered)
        # an acceptable hand-over replaces the reply: the human answers the customer
        resolved = (answered_in_text and (reply is None or reply.ok)) or escalated
    else:
        pairs = _best_assignment(calls, expected.calls, tools, settings)
        count_ok = len(calls) == len(expected.calls)
        resolved = count_ok and all(p.correct for p in pairs) and not format_failure
    # The `Detail` as its JSON-mode dump, built directly: validating the model (its calls, its mode
    # check) and dumping it again was a third of a tool-call answer's re-score. Both branches above
    # give exactly the shape `Detail._fields_match_mode` requires; tests/test_rescore_fast.py checks
    # the dict against the model for every shape.
    detail: dict[str, Any] = {
        "mode": expected.mode,
        "called": [{"name": c.name, "arguments": json_value(c.arguments), "parse_error": c.parse_error} for c in calls],
        "format_failure": format_failure,
        "parse_failures": parse_failures,
        "call_as_text": as_text,
        "unknown_tools": [c.name for c in calls if c.name not in tools],
        "escalated": escalated,
        "pairs": [p.model_dump(mode="json") for p in pairs],
        "count_ok": count_ok,
        "reply": None if reply is None else reply.model_dump(mode="json"),
    }
    return Score(
        status="scored",
        resolved=resolved,
        values={
            "resolved": float(resolved),
            "format_failure": float(format_failure),
            "call_as_text": float(as_text is not None),
        },
        detail=detail,
    )


def escalation_reason(detail: Summary, settings: Settings) -> str | None:
    """A tool call the runtime could not execute safely goes to the final authority instead."""
    if detail.format_failure:
        return "unparseable tool call or a call written as text"
    if detail.unknown_tools:
        return "call to an undeclared tool"
    if any(p.schema_errors for p in detail.pairs):
        return "arguments violate the tool schema"
    if settings.escalation_tool is not None and any(c.name == settings.escalation_tool for c in detail.called):
        return f"called {settings.escalation_tool}"
    return None


def _no_call_kept(detail: Summary) -> bool:
    """The call decision of a must-not-call case was right: no call (nor one written as text), or an
    acceptable hand-over. What the reply said is `reply_accuracy`'s business."""
    return bool(detail.escalated) or (not detail.called and detail.call_as_text is None)


def aggregate(items: Sequence[Scored[Summary]], settings: Settings) -> Metrics:
    """Rates over the scored cases; per-call rates count expected calls, so a missing call counts as wrong.

    `name_accuracy` and `argument_accuracy` divide by the calls the cases expected (a call never made
    is a wrong one), while `schema_validity` and `unexpected_argument_rate` describe the calls that
    were made and paired. One pass, nothing re-validated: the gate calls this on every bootstrap
    resample and jackknife leave-one-out, thousands of times per comparison.
    """
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    if not items:
        return Metrics(values)
    resolved = fmt = as_text = adversarial = adversarial_ok = 0
    must_call = called = expected = pairs = name_ok = correct = schema_ok = unexpected = 0
    must_not = kept = replies = reply_ok = escalations = 0
    by_tool: dict[str, dict[str, int]] = {}
    for item in items:
        detail, ok = item.detail, bool(item.score.resolved)
        resolved += ok
        fmt += detail.format_failure
        as_text += detail.call_as_text is not None
        if item.case.split == "adversarial":
            adversarial += 1
            adversarial_ok += ok
        for c in detail.called:
            by_tool.setdefault(c.name, {"calls": 0})["calls"] += 1
        if detail.mode == "call":
            must_call += 1
            called += bool(detail.called)
            expected += item.case.expected_calls
            for p in detail.pairs:
                pairs += 1
                name_ok += p.name_ok
                correct += p.correct
                schema_ok += not p.schema_errors
                unexpected += bool(p.unexpected)
        else:
            must_not += 1
            kept += _no_call_kept(detail)
            escalations += bool(detail.escalated)
            if detail.reply is not None:
                replies += 1
                reply_ok += detail.reply.ok
    values.update(
        {
            "tool_call_accuracy": rate(resolved, len(items)),
            "resolved_rate": rate(resolved, len(items)),
            "relevance": rate(called, must_call),
            "irrelevance": rate(kept, must_not),
            "reply_accuracy": rate(reply_ok, replies),
            "name_accuracy": rate(name_ok, expected),
            "argument_accuracy": rate(correct, expected),
            "format_failure_rate": rate(fmt, len(items)),
            "call_as_text_rate": rate(as_text, len(items)),
            "schema_validity": rate(schema_ok, pairs),
            "unexpected_argument_rate": rate(unexpected, pairs),
            "adversarial_pass_rate": rate(adversarial_ok, adversarial),
        }
    )
    return Metrics(values, {"calls_by_tool": by_tool, "escalations": escalations})


__all__ = [
    "METRICS",
    "VALUES",
    "CallPair",
    "CalledTool",
    "Detail",
    "Expectation",
    "ExpectedCall",
    "ReplyVerdict",
    "Settings",
    "Summary",
    "aggregate",
    "call_written_as_text",
    "case_info",
    "compare_call",
    "escalation_reason",
    "score",
]
