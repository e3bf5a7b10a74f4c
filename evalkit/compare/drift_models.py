"""The typed result of `evalkit compare RUN_A RUN_B`: what changed between two runs of the same suites.

A gate asks "may B replace A?"; compare asks "what is different in B?", typically the same endpoint
on two nights, or before and after a vLLM upgrade. Scores are only part of the answer: a tokenizer or
chat-template change shows up in input-token counts before any score moves, a new parser in the tool
calls' format, a new safety layer in refusals, and a silent checkpoint swap in the server's
fingerprint. One model feeds every rendering (terminal, Markdown, HTML, JSON) and the nightly job, so
what a person reads and what the job acts on cannot disagree.

"before" is run A, "after" is run B throughout.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.compare.verdicts import IntervalFigure


class Pair(BaseModel):
    """One figure on both sides, with after − before (None when either side has no value)."""

    model_config = ConfigDict(extra="forbid")

    before: float | None
    after: float | None
    delta: float | None

    @classmethod
    def of(cls, before: float | None, after: float | None) -> Pair:
        delta = None if before is None or after is None else after - before
        return cls(before=before, after=after, delta=delta)

    @property
    def ratio(self) -> float | None:
        """after / before, None when undefined: how latency and throughput changes are judged."""
        if self.before is None or self.after is None or self.before == 0:
            return None
        return self.after / self.before


class CaseChange(BaseModel):
    """A case whose reduced `resolved` flipped between the runs, with both answers to look at."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    split: str
    tags: list[str] = Field(default_factory=list)
    before_answer: str
    after_answer: str


class FlakyCase(BaseModel):
    """A case whose repeats disagree on one side: run-to-run noise, never reported as a regression."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    side: Literal["before", "after", "both"]
    why: str


class MetricDelta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str
    primary: bool
    before: float | None
    after: float | None
    delta: float | None
    interval: IntervalFigure | None = None
    """Primary metric only: the paired BCa bootstrap of after − before over the compared cases."""
    note: str | None = None
    """Why the primary metric has no interval, when it has none."""


class SimilarCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    similarity: float
    before_answer: str
    after_answer: str


class Similarity(BaseModel):
    """Per-case similarity of the two runs' answers (0–100): behaviour drift that scores can hide."""

    model_config = ConfigDict(extra="forbid")

    method: str
    cases: int
    """Non-flaky cases answered on both sides."""
    identical: int
    median: float | None
    p10: float | None
    minimum: float | None
    mean: float | None
    buckets: dict[str, int]
    """`100`, `90-99`, `70-89`, `50-69`, `0-49`: how many cases fall in each."""
    per_case: dict[str, float]
    least_similar: list[SimilarCase]
    """The least similar cases below 100, lowest first."""


FormatKind = Literal["parse_failure", "call_as_text", "argument_keys"]


class FormatChange(BaseModel):
    """A tool-call format change on one case: what a different parser or chat template does first."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    kind: FormatKind
    """`parse_failure`: arguments that do not parse, new in B; `call_as_text`: a call written out as text
    instead of made, new in B; `argument_keys`: the same tool called with a different set of argument
    keys (a renamed key: `order_id` -> `orderId`)."""
    detail: str
    before_answer: str
    after_answer: str


class Refusals(BaseModel):
    """Refusals and abstentions among answered calls.

    A call counts once, by the first matching kind: `abstain` (classification: the suite's abstain
    label), `escalation` (tool calls: a call to the suite's escalation tool), `phrase` (a refusal phrase
    in the text, see `evalkit.compare.drift_signals.REFUSAL_PHRASES`).
    """

    model_config = ConfigDict(extra="forbid")

    rate: Pair
    by_kind: dict[str, Pair]
    """Counts per kind."""
    newly_refusing: list[str]
    """Cases with a refusing call after and none before."""
    no_longer_refusing: list[str]


class Behaviour(BaseModel):
    """How the answers changed. Similarity and format changes compare the first answer on each side of
    the non-flaky cases (a flaky case's answers differ from themselves); the rates count every answered
    call."""

    model_config = ConfigDict(extra="forbid")

    similarity: Similarity
    format_changes: list[FormatChange]
    format_fixed: list[str]
    """Cases whose tool-call format failure (before) is gone (after)."""
    format_failure_rate: Pair
    """Answered calls with unparseable arguments or a call written as text."""
    refusals: Refusals
    finish_reasons: dict[str, Pair]
    """Counts of answered calls per finish reason."""
    truncation_rate: Pair
    output_chars: Pair
    """Mean characters per answered call (text plus the canonical tool calls)."""
    output_tokens: Pair
    """Mean output tokens per answered call."""


class TokenExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    before: int
    after: int


class TokenDrift(BaseModel):
    """Token counts of the same thing on both sides, case by case.

    For input tokens "the same thing" is an identical request (equal request hash): any difference is
    the server's doing (tokenizer, chat template, an injected system prompt); `+1` on every case is a
    template change. For output tokens it is an identical answer text, where a difference means a
    different tokenizer.
    """

    model_config = ConfigDict(extra="forbid")

    compared: int
    changed: int
    deltas: dict[str, int]
    """after − before (`+1`, `-3`, ...) -> number of cases, most frequent first; changed cases only."""
    minimum: int | None
    median: float | None
    maximum: int | None
    examples: list[TokenExample]


class Serving(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input_tokens: TokenDrift
    output_tokens_same_answer: TokenDrift
    output_tokens: Pair
    """Total output tokens of answered calls."""
    latency_p50_s: Pair
    latency_p95_s: Pair
    ttft_p50_s: Pair
    throughput_tok_s: Pair
    """Output tokens per second of live calls: total output tokens over total latency."""


class SuiteCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: int
    paired: int
    """Scored on both sides."""
    compared: int
    """Paired and not flaky: what newly failing/passing and the metric interval use."""
    flaky: int
    one_sided: int
    newly_unscored: dict[str, int]
    """Cases scored before and not after, by the after-side status (`truncated`, `infra_error`, ...)."""


class SuiteDrift(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    category: str
    primary_metric: str
    counts: SuiteCounts
    newly_failing: list[CaseChange]
    newly_passing: list[CaseChange]
    flaky: list[FlakyCase]
    metrics: list[MetricDelta]
    """The primary metric first, then the category's main metrics, over the compared cases."""
    behaviour: Behaviour
    serving: Serving
    drift: list[str]
    """What changed without being a regression (answers, tokens, refusals, finish reasons, speed)."""
    regressed: bool
    reasons: list[str]
    """Why `regressed`: newly failing cases beyond the tolerance, a primary-metric interval entirely
    below 0, tool-call format changes."""
    input_hash: str
    expectation_hash: str


class RunSide(BaseModel):
    """One run's provenance and what its server said about itself."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    endpoint: str
    tier: str
    model: str
    endpoint_identity: str | None
    """Hash of the identity below."""
    identity: dict[str, Any] | None
    server: dict[str, Any] | None
    """What the server reported before the first call (model list, vLLM version, script hash)."""
    system_fingerprints: dict[str, int]
    """`system_fingerprint` values stamped on answers -> how many answers carried each."""
    reported_models: dict[str, int]
    """Model ids the server reported on answers -> count."""
    created_at: str
    finished_at: str | None


class CompareReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headline: str
    """The report's first line: the fingerprint change when the same endpoint now serves something
    else, otherwise the verdict."""
    before: RunSide
    after: RunSide
    same_endpoint: bool
    """Both runs used the same endpoint profile name: differences below are the server's drift."""
    fingerprint_changes: list[str]
    """Same endpoint, but what the server stamps on answers or reports about itself changed: one line per
    change (empty when nothing changed or the endpoints differ). The first is the report's headline."""
    differences: list[str]
    """Endpoint and server differences, fingerprint changes first."""
    created_at: str
    evalkit_version: str
    confidence: float
    resamples: int
    seed: int
    tolerance: int
    """Newly failing cases allowed per suite before it counts as regressed."""
    suites: list[SuiteDrift]
    regressed: bool
    reasons: list[str]
    """Every suite's reasons, prefixed with the suite name."""

    @property
    def fingerprint_changed(self) -> bool:
        return bool(self.fingerprint_changes)
