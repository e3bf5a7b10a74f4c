"""Small builders shared by scorer tests."""

from __future__ import annotations

from typing import Any

from evalkit.cases import Case
from evalkit.messages import ToolCall
from evalkit.response import Response
from evalkit.scoring import CaseScore, ScoreContext, Scored
from evalkit.suite import Suite


def make_suite(category: str, **kw: Any) -> Suite:
    base: dict[str, Any] = {
        "name": "s",
        "version": "1",
        "category": category,
        "primary_metric": "x",
        "prompt": {"user": "{{ q }}"},
    }
    base.update(kw)
    return Suite.model_validate(base)


def make_case(expected: dict[str, Any], split: str = "golden", case_id: str = "c1", **kw: Any) -> Case:
    return Case.model_validate({"id": case_id, "input": {"q": "?"}, "expected": expected, "split": split, **kw})


def ctx(suite: Suite, case: Case, text: str = "", calls: list[ToolCall] | None = None) -> ScoreContext:
    return ScoreContext(suite, case, Response(text=text, tool_calls=calls or []))


def scored(case: Case, score: CaseScore, repeat: int = 0) -> Scored:
    return Scored(case, repeat, score)
