"""`evalkit review SUITE`: a person accepts, corrects or drops each drafted expectation.

A drafted expectation is the frontier's own logged answer; until a person vouches for it, a gate that
compares a candidate with that frontier would be grading the frontier against itself. Review records
who and when in the case line (`reference: reviewed`, `reviewer`, `reviewed_at`), replaces a corrected
expectation (validated by the category's scorer first), and removes a dropped case.

Human-vs-scorer agreement: for each accepted or corrected case, the logged frontier answer is scored
against the final expectation with the suite's own scorer. Accepting says "the frontier answer is
right", correcting says "it is wrong"; the scorer agrees when it passes the first and fails the
second. A low rate means the scorer (or the drafting heuristic) does not measure what the reviewer
means, and the suite's scores should not be trusted before that is fixed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from evalkit.errors import InputError
from evalkit.inputs.cases import Case
from evalkit.inputs.files import validation_error
from evalkit.inputs.suites import LoadedSuite, load_suite
from evalkit.records import Response, ToolCall

__all__ = ["Decision", "ReviewResult", "golden_path", "read_decisions", "review_suite"]

Action = Literal["accept", "correct", "drop", "skip"]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    action: Action
    expected: dict[str, Any] | None = None
    """The corrected expectation (`correct` only)."""


class ReviewResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    reviewer: str
    reviewed_at: str
    accepted: int = 0
    corrected: int = 0
    dropped: int = 0
    skipped: int = 0
    still_unreviewed: int = 0
    agreement: float | None = None
    """Share of accepted + corrected cases where the scorer's verdict on the logged answer matches the person's."""
    disagreements: list[str] = []


def golden_path(loaded: LoadedSuite) -> Path:
    spec = loaded.suite.cases.golden or f"../golden/{loaded.name}.jsonl"
    return Path(os.path.normpath(loaded.path.parent / spec))


def read_decisions(path: Path) -> dict[str, tuple[int, Decision]]:
    """Decisions by case id, with their line numbers; a malformed line is an input error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read decisions: {exc.strerror}", path) from None
    out: dict[str, tuple[int, Decision]] = {}
    for lineno, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            decision = Decision.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path, lineno) from None
        except ValidationError as exc:
            raise validation_error(exc, path, line=lineno) from None
        if decision.action == "correct" and decision.expected is None:
            raise InputError("a correction needs `expected`", path, lineno, "expected")
        if decision.id in out:
            raise InputError(f"second decision for case {decision.id!r}", path, lineno, "id")
        out[decision.id] = (lineno, decision)
    return out


def _response(answer: dict[str, Any]) -> Response:
    return Response(
        text=answer.get("text") or "",
        tool_calls=[ToolCall.model_validate(c) for c in answer.get("tool_calls") or []],
        finish_reason=answer.get("finish_reason") or "stop",
    )


def review_suite(
    suite_path: Path,
    answers: dict[str, dict[str, Any]],
    decide: Callable[[Case, dict[str, Any] | None], Decision | None],
    reviewer: str,
    *,
    where: Callable[[str], tuple[Path | None, int | None]] = lambda _id: (None, None),
) -> ReviewResult:
    """Ask `decide` about every unreviewed case (None: stop asking), then rewrite the golden file once.

    `where` names the file and line a decision came from, for errors on a bad correction."""
    from evalkit.scoring import scorer_for
    from evalkit.scoring.base import ScoreContext

    loaded = load_suite(suite_path)
    path = golden_path(loaded)
    spec = scorer_for(loaded.suite.category)
    settings = spec.settings.model_validate(loaded.suite.scorer)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    result = ReviewResult(suite=loaded.name, reviewer=reviewer, reviewed_at=now)
    rows = [json.loads(t) if t.strip() else None for t in path.read_text(encoding="utf-8").splitlines()]
    asking = True
    agree: list[bool] = []
    for i, row in enumerate(rows):
        if row is None or row.get("reference") != "unreviewed":
            continue
        case = Case.model_validate(row)
        decision = decide(case, answers.get(case.id)) if asking else None
        if decision is None or decision.action == "skip":
            asking = asking and decision is not None
            result.skipped += decision is not None
            result.still_unreviewed += 1
            continue
        if decision.action == "drop":
            rows[i] = None
            result.dropped += 1
            continue
        expected = decision.expected if decision.action == "correct" else case.expected
        try:
            spec.expectation.model_validate(expected, context={"settings": settings})
        except ValidationError as exc:
            file, line = where(case.id)
            raise validation_error(exc, file or path, line=line or i + 1, prefix=("expected",)) from None
        assert expected is not None
        rows[i] = {**row, "expected": expected, "reference": "reviewed", "reviewer": reviewer, "reviewed_at": now}
        result.accepted += decision.action == "accept"
        result.corrected += decision.action == "correct"
        if case.id in answers:
            final = case.model_copy(update={"expected": expected})
            score = spec.score(ScoreContext(loaded.suite, final, _response(answers[case.id]), loaded.assets), settings)
            human_pass = decision.action == "accept"
            agree.append(bool(score.resolved) == human_pass)
            if not agree[-1]:
                result.disagreements.append(case.id)
    if not any(r is not None for r in rows):
        raise InputError("these decisions would drop every case; a suite needs at least one", path)
    if result.accepted + result.corrected + result.dropped:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r is not None)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        load_suite(suite_path)  # still a valid suite (e.g. not every case dropped)
    result.agreement = sum(agree) / len(agree) if agree else None
    return result
