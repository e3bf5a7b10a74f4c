"""The tool-call scorer's typed vocabulary: a case's expectation, the suite's settings, and what `score`
found on one answer (`Detail`), with the part the metrics and the gate read (`Summary`) as its base so
a report parses only that. Apart from the scoring functions so each module stays readable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from evalkit.scoring.toolcall.reply import (
    DECLINE,
    QUESTION,
    ReplyCheck,
    ReplyOutcome,
    ReplyVerdict,
    compiles,
)
from evalkit.scoring.toolcall.values import Normaliser

Mode = Literal["call", "no_call"]


class ExpectedCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    args: dict[str, list[Any]] = Field(default_factory=dict)
    """Required arguments, each with its acceptable values."""
    optional_args: dict[str, list[Any] | None] = Field(default_factory=dict)
    """May be present; a list of acceptable values, or None for any value."""
    normalize: dict[str, list[Normaliser]] = Field(default_factory=dict)
    """Per argument, string normalisers that replace the suite's `string_normalize` for it."""

    @model_validator(mode="after")
    def _normalize_names_arguments(self) -> ExpectedCall:
        unknown = sorted(set(self.normalize) - set(self.args) - set(self.optional_args))
        if unknown:
            raise ValueError(f"normalize names {unknown}, which are neither args nor optional_args")
        return self


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode
    calls: list[ExpectedCall] = Field(default_factory=list)
    escalation_acceptable: bool = False
    reply: ReplyCheck | None = None
    """must-not-call only: checks on the text reply (None: any text reply is right)."""

    @model_validator(mode="after")
    def _reply_fits(self, info: ValidationInfo) -> Expectation:
        if self.reply is not None and self.mode != "no_call":
            raise ValueError("`reply` checks belong to must-not-call cases")
        named = getattr((info.context or {}).get("settings"), "reply_patterns", None)
        unknown = [n for n in self.reply.ask_for if n not in named] if self.reply and named is not None else []
        if unknown:
            raise ValueError(f"reply.ask_for names {unknown} that the suite's scorer `reply_patterns` does not define")
        return self


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    string_normalize: list[Normaliser] = Field(default_factory=lambda: list[Normaliser](["strip", "lower"]))
    escalation_tool: str | None = None
    number_tolerance: float = 1e-6
    schema_check: bool = True
    """Check arguments against the tool's JSON Schema too. Off where the answer key is the only
    authority: BFCL lists values its own schemas do not allow (null, out-of-enum spellings)."""
    reply_patterns: dict[str, str] = Field(default_factory=dict)
    """Named regexes for `reply.ask_for` (e.g. `order_id`: the ways a reply names an order id)."""
    question_pattern: str = QUESTION
    """What makes a reply ask (a question mark, "could you", "please send"... in several languages)."""
    decline_pattern: str = DECLINE
    id_patterns: list[str] = Field(default_factory=list)
    """Identifiers a reply must never invent: a match absent from the case's messages, tool calls and
    results and the tool definitions fails the reply."""

    @field_validator("question_pattern", "decline_pattern")
    @classmethod
    def _one_compiles(cls, v: str) -> str:
        return compiles([v])[0]

    @field_validator("id_patterns")
    @classmethod
    def _all_compile(cls, v: list[str]) -> list[str]:
        return compiles(v)

    @field_validator("reply_patterns")
    @classmethod
    def _named_compile(cls, v: dict[str, str]) -> dict[str, str]:
        compiles(list(v.values()))
        return v


class PairOutcome(BaseModel):
    """What the metrics read of a call pair (what a report parses of a stored one)."""

    name_ok: bool
    unexpected: list[str]
    """Arguments the expectation neither requires nor allows."""
    schema_errors: list[str]
    """The first few JSON-Schema violations against the tool's declared parameters."""
    correct: bool


class CallPair(PairOutcome):
    """One predicted call paired with one expected call, with what is wrong named argument by argument."""

    model_config = ConfigDict(extra="forbid")

    expected: str
    got: str
    missing: list[str]
    """Required arguments the call left out."""
    wrong_values: list[str]
    """Required or constrained optional arguments whose value is none of the acceptable ones."""


class CalledName(BaseModel):
    """What the metrics read of a call the model made: the tool's name."""

    name: str


class CalledTool(CalledName):
    """A call as the model made it, minus the raw string (kept in the stored response)."""

    model_config = ConfigDict(extra="forbid")

    arguments: dict[str, Any] | None
    """None exactly when the arguments did not parse (`parse_error` says why)."""
    parse_error: str | None


class Summary(BaseModel):
    """What `aggregate`, `escalation_reason` and the gate read of a stored detail; reports parse the
    stored JSON straight into this (other keys ignored), never building the arguments or the reply's
    findings of 33,333 answers."""

    mode: Mode
    called: Sequence[CalledName]
    format_failure: bool
    call_as_text: str | None
    unknown_tools: list[str]
    escalated: bool | None = None
    pairs: Sequence[PairOutcome] = ()
    count_ok: bool | None = None
    reply: ReplyOutcome | None = None


class Detail(Summary):
    """What `score` found on one answer; the key names are those stored runs already carry.

    A must-call case has `pairs` and `count_ok`; a must-not-call case has `escalated`. The validator
    holds that, so `aggregate` can read either without guarding against a missing value.
    """

    model_config = ConfigDict(extra="forbid")

    mode: Mode
    called: list[CalledTool]
    format_failure: bool
    """Arguments that did not parse, or a call written out as text instead of made."""
    parse_failures: list[str]
    """Names of the calls whose arguments did not parse."""
    call_as_text: str | None
    """The tool named by a call spelled out in the text (or `<tool_call>`), when no call was made."""
    unknown_tools: list[str]
    """Names of calls to tools the suite does not declare."""
    escalated: bool | None = None
    """must-not-call only: the answer was a single well-formed call to an acceptable escalation tool."""
    pairs: list[CallPair] = Field(default_factory=list)
    """must-call only: predicted calls paired with expected ones (order-insensitive, best pairing)."""
    count_ok: bool | None = None
    """must-call only: as many calls as expected (parallel calls must all be made, no extra ones)."""
    reply: ReplyVerdict | None = None
    """must-not-call only, when the case checks the reply and the answer was text without a call."""

    @model_validator(mode="after")
    def _fields_match_mode(self) -> Detail:
        if self.mode == "call" and (self.count_ok is None or self.escalated is not None or self.reply is not None):
            raise ValueError("a must-call detail has count_ok and no escalated or reply")
        if self.mode == "no_call" and (self.escalated is None or self.count_ok is not None or self.pairs):
            raise ValueError("a must-not-call detail has escalated and no count_ok or pairs")
        return self
