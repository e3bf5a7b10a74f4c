"""Extraction: parse the answer's JSON record, validate it, and compare it field by field with typed rules.

A ledger cares about each field, not about the record as a whole, so the unit of scoring is the
(case, gold field) pair. Each pair lands in exactly one bucket, because the buckets cost an operator
different things:

- correct: the value matches the gold under the field's typed rule (fuzzy strings, numeric tolerance,
  format-independent dates, exact enums, order-insensitive lists);
- wrong: a value was given but it is not the gold one;
- missing: the document states a value and the answer left it null/absent (recoverable by a human);
- hallucinated: the document states nothing (gold null / empty list) and the answer invented a value,
  which is worse than a null because nothing downstream flags it.

Keys outside the schema are hallucinated as well (`extra_keys`): a consumer that maps keys would
either drop or misfile them. Answers wrapped in code fences or prose are still scored (the values may
be right) but recorded as a format deviation, because a strict JSON consumer would have rejected them;
schema validity is reported separately so the two concerns can gate a migration independently.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

import jsonschema
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from evalkit.scoring.base import CaseScore, Metrics, ScoreContext, Scored, rate

METRICS = (
    "field_accuracy",
    "schema_validity",
    "parse_rate",
    "format_deviation_rate",
    "hallucinated_fields",
    "hallucination_rate",
    "missing_fields",
    "missing_rate",
    "field_precision",
    "field_recall",
    "resolved_rate",
    "adversarial_pass_rate",
)

FieldType = Literal["string", "number", "date", "enum", "list"]
Preprocess = Literal["strip", "lower", "upper", "remove_spaces", "collapse_ws", "strip_punct"]
Kind = Literal["correct", "wrong", "missing", "hallucinated"]

DEFAULT_TEXT_PREPROCESS: tuple[Preprocess, ...] = ("strip", "lower", "collapse_ws")
"""Case and spacing differences are formatting, not content, for free-text fields."""
MAX_SCHEMA_ERRORS = 3
_EPS = 1e-9
"""Float slack so that a tolerance of 0.01 accepts 100.01 vs 100.00 (binary rounding makes it 0.0100000...5)."""


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] = Field(min_length=1)
    """The gold record: field name -> value (null / [] when the document does not state it)."""


class FieldSpec(BaseModel):
    """How one field is compared. Options that would have no effect for the type are rejected, so a
    suite author never believes a threshold protects a field that is in fact compared exactly."""

    model_config = ConfigDict(extra="forbid")

    type: FieldType
    threshold: float = Field(default=90.0, ge=0, le=100)
    """rapidfuzz similarity (0-100) at or above which a string / list item matches."""
    tolerance: float = Field(default=0.01, ge=0)
    """Largest absolute difference (inclusive) at which two numbers are equal."""
    preprocess: list[Preprocess] | None = None
    """Applied in order before comparing; default for string/list: strip, lower, collapse_ws;
    for enum: strip (enums are exact codes, so case matters unless the suite says otherwise)."""

    @model_validator(mode="after")
    def _options_fit_type(self) -> FieldSpec:
        useless = {
            "threshold": self.type not in ("string", "list"),
            "tolerance": self.type != "number",
            "preprocess": self.type not in ("string", "list", "enum"),
        }
        for option, is_useless in useless.items():
            if is_useless and option in self.model_fields_set:
                raise ValueError(f"{option} has no effect on a {self.type} field")
        return self

    def steps(self) -> tuple[Preprocess, ...]:
        if self.preprocess is not None:
            return tuple(self.preprocess)
        return ("strip",) if self.type == "enum" else DEFAULT_TEXT_PREPROCESS


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    """Typed comparison per field; a gold field not listed here is compared by exact JSON equality."""


# --------------------------------------------------------------------------------------------------
# Parsing the answer


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; accepting them would also make `detail` unserialisable."""
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.S)


def _outermost_object(text: str) -> dict[str, Any] | None:
    """The first `{...}` in `text` that parses as a JSON object. Scanning from the left and taking the
    first start that decodes yields the outermost object: any object nested inside it starts later."""
    for match in re.finditer(r"\{", text):
        try:
            obj, _ = _DECODER.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            return obj
    return None


def parse_answer(text: str) -> tuple[dict[str, Any] | None, Literal["ok", "deviation", "unparseable"]]:
    """(record, how): `ok` for a bare JSON object, `deviation` when it had to be dug out of a code
    fence or prose, `unparseable` when no JSON object can be found."""
    stripped = text.strip()
    try:
        obj = _DECODER.decode(stripped)
    except (ValueError, RecursionError):
        obj = None
    if isinstance(obj, dict):
        return obj, "ok"
    for match in _FENCE.finditer(stripped):
        try:
            fenced = _DECODER.decode(match.group(1).strip())
        except (ValueError, RecursionError):
            fenced = None
        if isinstance(fenced, dict):
            return fenced, "deviation"
    found = _outermost_object(stripped)
    if found is not None:
        return found, "deviation"
    return None, "unparseable"


def schema_errors(record: Any, schema: dict[str, Any]) -> list[str]:
    """Every Draft 2020-12 violation, in a stable order (by location, then message)."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(record), key=lambda e: (e.json_path, e.message))
    return [f"{e.json_path}: {e.message}" for e in errors]


# --------------------------------------------------------------------------------------------------
# Typed normalisers


def is_empty(value: Any) -> bool:
    """ "Not stated": null, absent, a blank string or an empty list all mean the same to a consumer."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | dict) and not value


def preprocess(text: str, steps: Sequence[Preprocess]) -> str:
    for step in steps:
        if step == "strip":
            text = text.strip()
        elif step == "lower":
            text = text.lower()
        elif step == "upper":
            text = text.upper()
        elif step == "remove_spaces":
            text = re.sub(r"\s+", "", text)
        elif step == "collapse_ws":
            text = re.sub(r"\s+", " ", text)
        elif step == "strip_punct":
            text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return text


def _as_text(value: Any) -> str | None:
    """Scalars as text (a document number answered as 3318 still names "3318"); structures are not."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def _item_text(value: Any) -> str:
    text = _as_text(value)
    return text if text is not None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def to_number(value: Any) -> float | None:
    """A JSON number or a numeric string in US, European, Swiss or Indian notation ("1,234.50",
    "1.234,50", "1 234,50", "1'850.00", "1,20,000", "€ 12,5"); None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    token = _NUMBER.search(value)
    if token is None:
        return None
    s = re.sub(r"[^0-9.,-]", "", token.group())
    if "." in s and "," in s:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        s = s.replace(thousands, "").replace(decimal, ".")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        # One comma followed by exactly three digits reads as thousands ("1,234"); otherwise decimal.
        s = s.replace(",", "") if s.count(",") > 1 or len(tail) == 3 else f"{head}.{tail}"
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        number = float(s)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


_NUMBER = re.compile(r"-?\s*\d(?:[\d.,'’\s\u00a0\u202f]*\d)?")
"""The first number in the text, with its thousands/decimal separators (so "Rs. 1,200" -> "1,200")."""
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def to_date(value: Any) -> str | None:
    """An ISO `YYYY-MM-DD` for an ISO date/datetime or another common format ("14.03.2026",
    "Mar 3, 2026", "19JAN26", "2026年3月14日"); None when it is not a date. Ambiguous slashed dates
    read month-first ("03/04/2026" = 4 March), as pandas does; day-first only when month-first fails."""
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    if m := _CJK_DATE.search(s):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it falls back to day-first; that is intended
        try:
            stamp = pd.to_datetime(s, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            return None
    if pd.isna(stamp):
        return None
    return str(stamp.date().isoformat())


def match_lists(gold: Sequence[str], predicted: Sequence[str], threshold: float) -> dict[str, Any]:
    """Optimal one-to-one matching of predicted to gold items. Pairs below the threshold get no weight
    and matched pairs weigh more than any similarity, so the assignment maximises the NUMBER of matches
    first and their similarity second (plain max-similarity could trade a match for two near misses)."""
    if not gold or not predicted:
        return {"matched": 0, "pairs": []}
    similarity = process.cdist(gold, predicted, scorer=fuzz.ratio, dtype=np.float64)
    weight = np.where(similarity >= threshold, 1000.0 + similarity, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    pairs = [
        (int(r), int(c), float(similarity[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if similarity[r, c] >= threshold
    ]
    return {"matched": len(pairs), "pairs": pairs}


# --------------------------------------------------------------------------------------------------
# Per-field comparison


def _compare(gold: Any, predicted: Any, spec: FieldSpec | None) -> tuple[bool, dict[str, Any]]:
    """(equal, notes) for two non-empty values under the field's rule."""
    if spec is None:
        return gold == predicted, {}
    if spec.type == "number":
        g, p = to_number(gold), to_number(predicted)
        if g is None or p is None:
            return False, {"note": "not a number"}
        diff = abs(g - p)
        return diff <= spec.tolerance + _EPS, {"difference": round(diff, 9)}
    if spec.type == "date":
        g_date, p_date = to_date(gold), to_date(predicted)
        if p_date is None:
            return False, {"note": "not a date"}
        return g_date == p_date, {"normalised": p_date}
    if spec.type == "list":
        if not isinstance(gold, list) or not isinstance(predicted, list):
            return False, {"note": "not a list"}
        gold_items = [preprocess(_item_text(x), spec.steps()) for x in gold]
        pred_items = [preprocess(_item_text(x), spec.steps()) for x in predicted]
        matched = match_lists(gold_items, pred_items, spec.threshold)
        hit_gold = {r for r, _, _ in matched["pairs"]}
        hit_pred = {c for _, c, _ in matched["pairs"]}
        notes = {
            "matched_items": matched["matched"],
            "missing_items": len(gold) - matched["matched"],
            "extra_items": len(predicted) - matched["matched"],
            "unmatched_gold": [gold[i] for i in range(len(gold)) if i not in hit_gold],
            "unmatched_predicted": [predicted[i] for i in range(len(predicted)) if i not in hit_pred],
        }
        return notes["missing_items"] == 0 and notes["extra_items"] == 0, notes
    g_text, p_text = _as_text(gold), _as_text(predicted)
    if g_text is None or p_text is None:
        return gold == predicted, {}
    g_norm, p_norm = preprocess(g_text, spec.steps()), preprocess(p_text, spec.steps())
    if spec.type == "enum":
        return g_norm == p_norm, {}
    similarity = float(fuzz.ratio(g_norm, p_norm))
    return similarity >= spec.threshold, {"similarity": round(similarity, 2)}


def score_field(gold: Any, predicted: Any, spec: FieldSpec | None) -> dict[str, Any]:
    """One (case, field) pair -> {correct, kind, gold, predicted, ...}; never raises on odd values."""
    gold_empty, pred_empty = is_empty(gold), is_empty(predicted)
    notes: dict[str, Any] = {}
    if gold_empty:
        kind: Kind = "correct" if pred_empty else "hallucinated"
    elif pred_empty:
        kind = "missing"
    else:
        try:
            equal, notes = _compare(gold, predicted, spec)
        except Exception as exc:  # an unforeseen value shape is a wrong answer, not a crash
            equal, notes = False, {"note": f"cannot compare: {type(exc).__name__}"}
        kind = "correct" if equal else "wrong"
    return {
        "correct": kind == "correct",
        "kind": kind,
        "type": spec.type if spec is not None else "exact",
        "gold": gold,
        "predicted": predicted,
        **notes,
    }


def _allowed_keys(ctx: ScoreContext, gold: dict[str, Any]) -> set[str]:
    schema = ctx.suite.output_schema
    props = schema.get("properties") if isinstance(schema, dict) else None
    return set(props) if isinstance(props, dict) else set(gold)


def score(ctx: ScoreContext, settings: Settings) -> CaseScore:
    expected = Expectation.model_validate(ctx.case.expected)
    gold = expected.fields
    record, how = parse_answer(ctx.response.text)
    parsed = record is not None

    schema_valid: bool | None = None
    errors: list[str] = []
    if ctx.suite.output_schema is not None:
        errors = schema_errors(record, ctx.suite.output_schema) if parsed else ["answer is not a JSON object"]
        schema_valid = not errors

    fields: dict[str, dict[str, Any]] = {}
    for name, gold_value in gold.items():
        spec = settings.fields.get(name)
        if record is None:
            # Nothing was answered: no credit, not even for fields whose gold is null.
            kind: Kind = "wrong" if is_empty(gold_value) else "missing"
            fields[name] = {
                "correct": False,
                "kind": kind,
                "type": spec.type if spec else "exact",
                "gold": gold_value,
                "predicted": None,
                "note": "answer unparseable",
            }
        else:
            fields[name] = score_field(gold_value, record.get(name), spec)

    extra_keys = sorted(set(record) - _allowed_keys(ctx, gold)) if record is not None else []
    kinds = [f["kind"] for f in fields.values()]
    tp = sum(f["correct"] and not is_empty(f["predicted"]) for f in fields.values())
    fp = sum(not f["correct"] and not is_empty(f["predicted"]) for f in fields.values())
    fp += sum(not is_empty(record[k]) for k in extra_keys) if record is not None else 0
    fn = sum(not f["correct"] and not is_empty(f["gold"]) for f in fields.values())
    counts = {
        "fields": len(fields),
        "correct": kinds.count("correct"),
        "wrong": kinds.count("wrong"),
        "missing": kinds.count("missing"),
        "hallucinated": kinds.count("hallucinated"),
        "extra_keys": len(extra_keys),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
    return CaseScore(
        resolved=parsed and counts["correct"] == len(fields) and not extra_keys,
        detail={
            "parse": how,
            "parsed": parsed,
            "format_deviation": how == "deviation",
            "schema_valid": schema_valid,
            "schema_errors": errors[:MAX_SCHEMA_ERRORS],
            "schema_error_count": len(errors),
            "extra_keys": extra_keys,
            "fields": fields,
            "counts": counts,
            "field_accuracy": rate(counts["correct"], len(fields)),
        },
    )


# --------------------------------------------------------------------------------------------------
# Aggregation


def aggregate(items: Sequence[Scored], settings: Settings) -> Metrics:
    """Micro averages over every (answer, gold field) pair, so a suite with more fields per document
    weighs each field equally rather than each document. Extra keys count as hallucinations."""
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    values["answers"] = len(items)
    values["extra_keys"] = None
    if not items:
        return Metrics(values, {"per_field": {}})
    details = [i.score.detail for i in items]
    totals = {
        k: sum(int(d["counts"][k]) for d in details)
        for k in ("fields", "correct", "missing", "hallucinated", "extra_keys", "tp", "fp", "fn")
    }
    hallucinated = totals["hallucinated"] + totals["extra_keys"]
    checked = [d["schema_valid"] for d in details if d["schema_valid"] is not None]
    adversarial = [i.score.resolved for i in items if i.case.split == "adversarial"]
    values.update(
        {
            "field_accuracy": rate(totals["correct"], totals["fields"]),
            "schema_validity": rate(sum(bool(v) for v in checked), len(checked)),
            "parse_rate": rate(sum(bool(d["parsed"]) for d in details), len(details)),
            "format_deviation_rate": rate(sum(bool(d["format_deviation"]) for d in details), len(details)),
            "hallucinated_fields": hallucinated,
            # Extra keys widen the denominator too, so the rate stays a share of everything judged.
            "hallucination_rate": rate(hallucinated, totals["fields"] + totals["extra_keys"]),
            "missing_fields": totals["missing"],
            "missing_rate": rate(totals["missing"], totals["fields"]),
            "field_precision": rate(totals["tp"], totals["tp"] + totals["fp"]),
            "field_recall": rate(totals["tp"], totals["tp"] + totals["fn"]),
            "resolved_rate": rate(sum(i.score.resolved for i in items), len(items)),
            "adversarial_pass_rate": rate(sum(adversarial), len(adversarial)),
            "extra_keys": totals["extra_keys"],
        }
    )
    return Metrics(values, {"per_field": per_field_table(details, settings)})


def per_field_table(details: Sequence[dict[str, Any]], settings: Settings) -> dict[str, dict[str, Any]]:
    """field -> counts per kind and accuracy; configured fields first (suite order), then the rest."""
    counts: dict[str, Counter[str]] = {}
    for d in details:
        for name, f in d["fields"].items():
            counts.setdefault(name, Counter())[str(f["kind"])] += 1
    order = [n for n in settings.fields if n in counts] + [n for n in counts if n not in settings.fields]
    table: dict[str, dict[str, Any]] = {}
    for name in order:
        row = {kind: counts[name][kind] for kind in ("correct", "wrong", "missing", "hallucinated")}
        n = sum(row.values())
        spec = settings.fields.get(name)
        table[name] = {"type": spec.type if spec else "exact", "n": n, **row, "accuracy": rate(row["correct"], n)}
    return table
