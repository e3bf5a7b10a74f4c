"""Deterministic checks on the text reply of a must-not-call case.

Not calling is only half of such a case: the reply must also do what the case needs (ask for the
missing order id, decline the off-topic request, report the tool's result without contradicting it).
The checks are named fields asked for in a question, required and forbidden patterns, a decline, and
no identifier the conversation never contained. They are keyword checks, not comprehension: a reply
that names the field while saying it is not needed passes, one that asks in words the patterns do not
know fails. Case writers keep the patterns to what any correct reply must contain (a figure, an id,
the word for the missing field), and every case's reference reply must pass its own checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evalkit.inputs.cases import Case
from evalkit.records import ToolDef


def compiles(patterns: list[str]) -> list[str]:
    """The patterns, once each is known to compile: a broken regex is an input error when the suite loads."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
    return patterns


QUESTION = (
    r"\?|¿|\b(please (send|share|provide|confirm|tell|reply|check|let)|let me know|could you|can you|would you)\b"
    r"|por favor|bitte|merci de|pourriez|per favore|alsjeblieft|graag"
)
DECLINE = (
    r"\b(sorry|unfortunately|can't|cannot|can not|unable|not able|only (help|assist)|outside|not something)\b"
    r"|lo siento|no puedo|leider|kann ich nicht|d[ée]sol[ée]|je ne peux|mi dispiace|non posso|desculp"
    r"|n[ãa]o posso|helaas|kan ik niet"
)


@dataclass(frozen=True)
class ReplyPatterns:
    """The suite's side of the checks (its scorer settings)."""

    named: dict[str, str] = field(default_factory=dict)
    question: str = QUESTION
    decline: str = DECLINE
    ids: list[str] = field(default_factory=list)


class ReplyCheck(BaseModel):
    """What the text reply of a must-not-call case must do; patterns are case-insensitive regexes."""

    model_config = ConfigDict(extra="forbid")

    ask_for: list[str] = Field(default_factory=list)
    """Names of the suite's `reply_patterns` the reply must mention, in a question or request."""
    require: list[str] = Field(default_factory=list)
    """Each must match (a fact from the context, the reply's language, the options of a clarification)."""
    forbid: list[str] = Field(default_factory=list)
    """None may match (a fact that contradicts the context, a claim that an action was taken, compliance
    with an off-topic request)."""
    decline: bool = False
    """The reply must decline (the suite's `decline_pattern`)."""
    reference: str | None = None
    """A reply that passes, written with the case: documentation and the scripted demo's answer. The
    scorer never compares against it."""

    @field_validator("require", "forbid")
    @classmethod
    def _patterns_compile(cls, v: list[str]) -> list[str]:
        return compiles(v)


class ReplyOutcome(BaseModel):
    """The one thing the metrics read of a reply verdict (what a report parses of a stored one)."""

    ok: bool


class ReplyVerdict(ReplyOutcome):
    """What the reply checks found on the text reply of a must-not-call case."""

    model_config = ConfigDict(extra="forbid")

    missing_asks: list[str]
    """Fields the reply should have asked for and does not name."""
    no_question: bool
    """Fields were to be asked for, but the reply asks nothing."""
    missing_required: list[str]
    forbidden: list[str]
    """Forbidden patterns the reply matched."""
    no_decline: bool
    invented_ids: list[str]
    """Identifiers in the reply that the conversation never contained."""


_LOOSE_ID = re.compile(r"\b[A-Za-z]+[ \-]?\d+\b")


def _id_key(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _known_ids(case: Case, tools: Sequence[ToolDef]) -> set[str]:
    """Every identifier-like token the conversation and the tool definitions contain, normalised, so an
    id the customer wrote as "or 10472" is known as OR-10472 while "order 10472" gives no OR-10472."""
    parts = [json.dumps(case.input, ensure_ascii=False)]
    for turn in [*case.prior_turns, *case.followup_turns]:
        parts.append(turn.content or "")
        parts.extend(json.dumps(c.arguments, ensure_ascii=False) for c in turn.tool_calls)
    parts.extend(t.model_dump_json() for t in tools)
    return {_id_key(m.group(0)) for m in _LOOSE_ID.finditer("\n".join(parts))}


def check_reply(
    text: str, check: ReplyCheck, patterns: ReplyPatterns, case: Case, tools: Sequence[ToolDef]
) -> ReplyVerdict:
    """The reply checks of one must-not-call case; an `ask_for` name the suite does not define is an error."""
    unknown = [name for name in check.ask_for if name not in patterns.named]
    if unknown:
        raise ValueError(f"reply.ask_for names {unknown} that the suite's scorer `reply_patterns` does not define")

    def found(pattern: str) -> bool:
        return re.search(pattern, text, re.IGNORECASE) is not None

    missing_asks = [name for name in check.ask_for if not found(patterns.named[name])]
    no_question = bool(check.ask_for) and not found(patterns.question)
    missing_required = [p for p in check.require if not found(p)]
    forbidden = [p for p in check.forbid if found(p)]
    no_decline = check.decline and not found(patterns.decline)
    invented: list[str] = []
    if patterns.ids:
        known = _known_ids(case, tools)
        for pattern in patterns.ids:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                if _id_key(m.group(0)) not in known and m.group(0) not in invented:
                    invented.append(m.group(0))
    ok = not (missing_asks or no_question or missing_required or forbidden or no_decline or invented)
    return ReplyVerdict(
        missing_asks=missing_asks,
        no_question=no_question,
        missing_required=missing_required,
        forbidden=forbidden,
        no_decline=no_decline,
        invented_ids=invented,
        ok=ok,
    )
