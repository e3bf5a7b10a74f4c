"""Typed records <-> SQLite rows, in one place, so no other module knows a column name or position."""

from __future__ import annotations

import json
import json.encoder
from dataclasses import dataclass
from typing import Any, NamedTuple

from evalkit.records import CallRecord, Judgement, Request, Response, Score, ScoreRecord, Usage


def dumps(obj: Any) -> str:
    """Canonical JSON for storage: sorted keys, compact, unicode kept."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_ENCODE = (
    None
    if _make_encoder is None
    else _make_encoder(None, _CANONICAL.default, json.encoder.encode_basestring, None, ":", ",", True, False, True)
)


def _score_json(obj: Any) -> str:
    """`dumps`, byte for byte, for the two JSON columns of every score row: the C encoder `json.dumps`
    builds on each call, built once (a re-score writes 200,000 of these). No circular-reference
    check: a score's values and detail are trees of fresh JSON values."""
    return dumps(obj) if _ENCODE is None else "".join(_ENCODE(obj, 0))


CALL_COLUMNS = (
    "run_id", "suite", "case_id", "repeat", "status", "error_kind", "error_message", "attempts", "cache_hit",
    "latency_s", "ttft_s", "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "finish_reason",
    "model", "system_fingerprint", "request_id", "started_at", "finished_at", "request_json", "response_json",
    "raw_json", "request_hash", "cache_key", "cached_from", "original_latency_s",
)  # fmt: skip


INSERT_CALL = f"INSERT OR REPLACE INTO results ({', '.join(CALL_COLUMNS)}) VALUES ({','.join('?' * len(CALL_COLUMNS))})"
KEEP_HISTORY = (
    f"INSERT INTO call_history ({', '.join(CALL_COLUMNS)}, superseded_at) SELECT {', '.join(CALL_COLUMNS)}, ? "
    "FROM results WHERE run_id = ? AND suite = ? AND case_id = ? AND repeat = ?"
)
"""Run before `INSERT_CALL` replaces a row (a resumed infrastructure error): the old row, with its
attempts, error and timing, moves to `call_history` instead of being lost."""


def call_row(rec: CallRecord) -> tuple[Any, ...]:
    """The request and response are written by pydantic's own serialiser (field order, compact): the
    same JSON values as a sorted dump, 4x cheaper on the writer thread, which shares the GIL with the
    calls. Readers parse them; nothing compares their text (request hashes are digests of the values)."""
    return (
        rec.run_id, rec.suite, rec.case_id, rec.repeat, rec.status, rec.error_kind, rec.error_message, rec.attempts,
        int(rec.cache_hit), rec.latency_s, rec.ttft_s, rec.usage.input_tokens, rec.usage.cached_input_tokens,
        rec.usage.output_tokens, rec.cost_usd, rec.finish_reason, rec.model, rec.system_fingerprint, rec.request_id,
        rec.started_at, rec.finished_at, rec.request.model_dump_json(),
        rec.response.model_dump_json() if rec.response is not None else None,
        dumps(rec.raw) if rec.raw is not None else None, rec.request_hash, rec.cache_key, rec.cached_from,
        rec.original_latency_s,
    )  # fmt: skip


def call_record(row: tuple[Any, ...], *, with_raw: bool = True) -> CallRecord:
    r = dict(zip(CALL_COLUMNS, row, strict=True))
    return CallRecord.model_construct(
        run_id=r["run_id"],
        suite=r["suite"],
        case_id=r["case_id"],
        repeat=r["repeat"],
        status=r["status"],
        error_kind=r["error_kind"],
        error_message=r["error_message"],
        attempts=r["attempts"],
        cache_hit=bool(r["cache_hit"]),
        cached_from=r["cached_from"],
        latency_s=r["latency_s"],
        ttft_s=r["ttft_s"],
        original_latency_s=r["original_latency_s"],
        usage=Usage(
            input_tokens=r["input_tokens"],
            cached_input_tokens=r["cached_input_tokens"],
            output_tokens=r["output_tokens"],
        ),
        cost_usd=r["cost_usd"],
        finish_reason=r["finish_reason"],
        model=r["model"],
        system_fingerprint=r["system_fingerprint"],
        request_id=r["request_id"],
        started_at=r["started_at"],
        finished_at=r["finished_at"],
        request_hash=r["request_hash"],
        cache_key=r["cache_key"],
        request=Request.model_validate_json(r["request_json"]),
        response=Response.model_validate_json(r["response_json"]) if r["response_json"] else None,
        raw=json.loads(r["raw_json"]) if with_raw and r["raw_json"] else None,
    )


SCORE_COLUMNS = ("suite", "case_id", "repeat", "status", "resolved", "values_json", "detail_json", "error")


INSERT_SCORE = (
    "INSERT OR REPLACE INTO scores (run_id, suite, case_id, repeat, resolved, detail_json, scored_at, status, "
    "values_json, error) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def score_row(run_id: str, rec: ScoreRecord, scored_at: str) -> tuple[Any, ...]:
    return score_row_of(run_id, rec.suite, rec.case_id, rec.repeat, rec.score, scored_at)


def score_row_of(run_id: str, suite: str, case_id: str, repeat: int, s: Score, scored_at: str) -> tuple[Any, ...]:
    """`score_row` without building a `ScoreRecord`: a re-scoring worker process returns these ready
    rows (strings and numbers), so the parent inserts them instead of re-serialising pydantic records."""
    return (
        run_id,
        suite,
        case_id,
        repeat,
        None if s.resolved is None else int(s.resolved),
        _score_json(s.detail),
        scored_at,
        s.status,
        _score_json(s.values),
        s.error,
    )


def score_record(row: tuple[Any, ...]) -> ScoreRecord:
    r = dict(zip(SCORE_COLUMNS, row, strict=True))
    return ScoreRecord(
        suite=r["suite"],
        case_id=r["case_id"],
        repeat=r["repeat"],
        score=Score(
            status=r["status"],
            resolved=None if r["resolved"] is None else bool(r["resolved"]),
            values=json.loads(r["values_json"]),
            detail=json.loads(r["detail_json"]),
            error=r["error"],
        ),
    )


JUDGEMENT_COLUMNS = (
    "run_id", "suite", "case_id", "repeat", "judge", "status", "fidelity", "detail_json", "input_tokens",
    "output_tokens", "cost_usd", "latency_s", "judged_at",
)  # fmt: skip


INSERT_JUDGEMENT = (
    f"INSERT OR REPLACE INTO judgements ({', '.join(JUDGEMENT_COLUMNS)}) "
    f"VALUES ({','.join('?' * len(JUDGEMENT_COLUMNS))})"
)


def judgement_row(j: Judgement) -> tuple[Any, ...]:
    return (
        j.run_id, j.suite, j.case_id, j.repeat, j.judge, j.status, j.fidelity, dumps(j.detail),
        j.usage.input_tokens, j.usage.output_tokens, j.cost_usd, j.latency_s, j.judged_at,
    )  # fmt: skip


def judgement_record(row: tuple[Any, ...]) -> Judgement:
    r = dict(zip(JUDGEMENT_COLUMNS, row, strict=True))
    return Judgement(
        run_id=r["run_id"],
        suite=r["suite"],
        case_id=r["case_id"],
        repeat=r["repeat"],
        judge=r["judge"],
        status=r["status"],
        fidelity=r["fidelity"],
        detail=json.loads(r["detail_json"]),
        usage=Usage(input_tokens=r["input_tokens"], output_tokens=r["output_tokens"]),
        cost_usd=r["cost_usd"],
        latency_s=r["latency_s"],
        judged_at=r["judged_at"],
    )


# --- light reads for large runs ------------------------------------------------------------------
# A report needs a call's figures and a re-score its answer, never its request: parsing the stored
# request (a long system prompt, tool schemas) was most of the time `evalkit show`/`score` spent.


@dataclass(frozen=True, slots=True)
class Tokens:
    """A call's token counts as the operations figures read them (`Usage`'s attribute names), without a
    pydantic model per call: a report builds 100,000 of these."""

    input_tokens: int
    cached_input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class CallFigures:
    """What the operations figures read of one call (the attributes `CallRecord` has by those names)."""

    status: str
    cache_hit: bool
    attempts: int
    cost_usd: float
    latency_s: float | None
    ttft_s: float | None
    original_latency_s: float | None
    usage: Tokens
    truncated: bool


FIGURE_COLUMNS = (
    "status, cache_hit, attempts, cost_usd, latency_s, ttft_s, original_latency_s, input_tokens, "
    "cached_input_tokens, output_tokens, CASE WHEN response_json IS NOT NULL AND finish_reason = 'length' "
    "THEN 1 ELSE 0 END"
)


def call_figures(row: tuple[Any, ...]) -> CallFigures:
    return CallFigures(
        status=row[0],
        cache_hit=bool(row[1]),
        attempts=row[2],
        cost_usd=row[3],
        latency_s=row[4],
        ttft_s=row[5],
        original_latency_s=row[6],
        usage=Tokens(row[7], row[8], row[9]),
        truncated=bool(row[10]),
    )


class StoredAnswer(NamedTuple):
    """What scoring reads of one call. The response stays JSON until it is scored (in a worker process
    when a large run is re-scored); the request is read only for a truncated answer, whose score
    names its token limit. A named tuple: built straight from the row and pickled to the workers as
    a plain tuple (a frozen dataclass costs several times more to build and to pickle)."""

    suite: str
    case_id: str
    repeat: int
    status: str
    error_message: str | None
    response_json: str | None
    request_json: str | None


ANSWER_CASE_COLUMNS = (
    "r.suite, r.case_id, r.repeat, r.status, r.error_message, r.response_json, "
    "CASE WHEN r.finish_reason = 'length' THEN r.request_json END, c.case_json"
)
"""A `StoredAnswer`'s columns of `results r` (the request only for a truncated answer, the one
score that reads it) and the case's snapshot JSON of `cases c` (None when it is missing)."""

AnswerKey = tuple[str, str, int]
"""(suite, case id, repeat): the order answers are read and scores written in."""


@dataclass(frozen=True)
class StoredScore:
    """One score row as a report reads it: the detail stays JSON, for the scorer's compact summary
    model to parse directly (a report never needs the detail as a dict)."""

    suite: str
    case_id: str
    repeat: int
    status: str
    resolved: bool | None
    values_json: str
    detail_json: str
    error: str | None

    def values(self) -> dict[str, float]:
        return {k: float(v) for k, v in json.loads(self.values_json).items()}

    def score(self, *, values: bool = True) -> Score:
        """The score without its detail (emptied, as the metrics stage holds it), and without its
        values when the caller has read them already (`values()`): 33,333 dicts of floats a report
        does not keep."""
        return Score.model_construct(
            status=self.status,
            resolved=self.resolved,
            values=self.values() if values else {},
            detail={},
            error=self.error,
        )


def stored_score(row: tuple[Any, ...]) -> StoredScore:
    return StoredScore(row[0], row[1], row[2], row[3], None if row[4] is None else bool(row[4]), *row[5:])
