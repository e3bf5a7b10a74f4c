"""The typed vocabulary every stage shares: conversation pieces, the canonical request and response.

They are provider-neutral on purpose: a suite is written once and replayed identically against every
endpoint, and the provider modules are the only places that know a wire format.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ToolCall(BaseModel):
    """A tool call as the model made it.

    `raw_arguments` keeps the exact string so a format failure (arguments that do not parse) is a
    recorded fact rather than a crash; `arguments` is None exactly when `parse_error` is set.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    arguments: dict[str, Any] | None = None
    raw_arguments: str = ""
    parse_error: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    is_error: bool = False


class ToolDef(BaseModel):
    """A function tool in canonical JSON-Schema form, sent identically to every provider."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


ToolChoice = Literal["auto", "required", "none"] | None


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[Message]
    tools: list[ToolDef] = Field(default_factory=list)
    tool_choice: ToolChoice | str = None
    """`auto | required | none`, a tool name to force that tool, or None to leave it to the provider."""
    response_schema: dict[str, Any] | None = None
    max_tokens: int = 512
    temperature: float | None = 0.0
    top_p: float | None = None
    seed: int | None = None


FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "other"]


class Usage(BaseModel):
    """Token counts. `input_tokens` includes the cached ones, whatever the provider's convention."""

    model_config = ConfigDict(extra="forbid")

    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    finish_reason: FinishReason = "other"
    raw_finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    ttft_s: float | None = None
    model: str | None = None
    """The model id the server reported, which may differ from the one requested."""
    system_fingerprint: str | None = None
    request_id: str | None = None


ScoreStatus = Literal["scored", "scorer_error", "infra_error", "truncated"]
"""`scored` is the only status that enters metrics. `scorer_error` is a bug in a scorer on one odd
answer; `infra_error` (the endpoint never answered) and `truncated` (the answer hit the token limit)
are answer-level outcomes that are counted and shown, never scored as right or wrong."""


class Score(BaseModel):
    """One case's score, as stored and as every later stage reads it (metrics, pairing, the gate).

    A score can be *unscored* (any status but `scored`): it then has no `resolved` and no values, so
    it drops out of metrics instead of crashing them, and the reason is counted per suite.
    """

    model_config = ConfigDict(extra="forbid")

    status: ScoreStatus
    resolved: bool | None = None
    """Scored correct: the unit of "cost per resolved task" and of pairing cases across runs."""
    values: dict[str, float] = Field(default_factory=dict)
    """Named numeric per-case values the category defines (always `resolved` as 0/1); what a paired
    test resamples."""
    detail: dict[str, Any] = Field(default_factory=dict)
    """The category's typed `Detail`, dumped; `ScorerSpec.detail` reads it back."""
    error: str | None = None

    @classmethod
    def of(cls, resolved: bool, detail: BaseModel, **values: float) -> Score:
        """A scored case: the one constructor scorers use, so `values` always carries `resolved`."""
        return cls(
            status="scored",
            resolved=resolved,
            values={"resolved": float(resolved), **{k: float(v) for k, v in values.items()}},
            detail=detail.model_dump(mode="json"),
        )

    @classmethod
    def unscored(cls, status: ScoreStatus, error: str | None = None) -> Score:
        return cls(status=status, error=error)

    @property
    def is_scored(self) -> bool:
        return self.status == "scored"


CallStatus = Literal["ok", "infra_error"]


class CallRecord(BaseModel):
    """One (suite, case, repeat) of a run: the exact request, what came back, and what it cost.

    Written as each case finishes, so a killed run loses at most the calls in flight. An
    `infra_error` row has no response: the endpoint never answered, which is never a wrong answer.
    """

    model_config = ConfigDict(extra="forbid")

    run_id: str
    suite: str
    case_id: str
    repeat: int
    status: CallStatus
    error_kind: str | None = None
    error_message: str | None = None
    attempts: int
    cache_hit: bool = False
    cached_from: str | None = None
    """The run whose answer a cache hit reuses."""
    latency_s: float | None = None
    """This run's wall time for the call; None for a cache hit, which made no call."""
    ttft_s: float | None = None
    original_latency_s: float | None = None
    """For a cache hit: the latency when the answer was first produced, labelled as such."""
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    """Dollars this run spent on the call: 0 for a cache hit."""
    finish_reason: FinishReason | None = None
    model: str | None = None
    system_fingerprint: str | None = None
    request_id: str | None = None
    started_at: str
    finished_at: str
    request_hash: str
    """sha256 of the canonical request (no model name in it): equal across two runs means the same
    prompt, tools, schema and settings were sent for this case."""
    cache_key: str | None = None
    request: Request
    response: Response | None = None
    raw: dict[str, Any] | None = None

    @property
    def truncated(self) -> bool:
        return self.response is not None and self.response.finish_reason == "length"


class ScoreRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    case_id: str
    repeat: int
    score: Score


class Judgement(BaseModel):
    """An LLM judge's verdict on one answer: kept apart from the measured metrics, with its own cost."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    suite: str
    case_id: str
    repeat: int
    judge: str
    status: Literal["ok", "infra_error", "unparsed"]
    fidelity: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_s: float | None = None
    judged_at: str
