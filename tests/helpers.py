"""Small builders shared by scorer tests."""

from __future__ import annotations

from typing import Any

from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite
from evalkit.records import Response, Score, ToolCall
from evalkit.scoring import ScoreContext, Scored, scorer_for


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


def scored(case: Case, score: Score, repeat: int = 0, *, category: str) -> Scored[Any]:
    """The typed view `aggregate` takes, built exactly as the metrics stage builds it."""
    return scorer_for(category).scored(case, repeat, score)
