"""One (case, gold field) pair: typed normalisers, the comparison rule per field type, and the verdict.

This is where "is 1.234,50 the same as 1234.5?" is decided, and nothing else: parsing the answer and
summing verdicts into metrics live elsewhere. Each pair lands in exactly one `Kind`, because the kinds
cost an operator different things (see the package docstring). `score_field` never raises on odd
values: an unforeseen value shape is a wrong answer, not a crash.

pandas (dates no fast path reads) and numpy/scipy (list matching) are imported where they are used:
`evalkit show` loads this package for `aggregate` alone, and a score needs them only for those values.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, TypedDict

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from rapidfuzz import fuzz, process

from evalkit.scoring.schemas import json_value

FieldType = Literal["string", "number", "date", "enum", "list"]
Preprocess = Literal["strip", "lower", "upper", "remove_spaces", "collapse_ws", "strip_punct"]
Kind = Literal["correct", "wrong", "missing", "hallucinated"]

DEFAULT_TEXT_PREPROCESS: tuple[Preprocess, ...] = ("strip", "lower", "collapse_ws")
"""Case and spacing differences are formatting, not content, for free-text fields."""
_EPS = 1e-9
"""Float slack so that a tolerance of 0.01 accepts 100.01 vs 100.00 (binary rounding makes it 0.0100000...5)."""


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
    match_digits: bool = False
    """string/list: the runs of digits must also be identical. A fuzzy ratio scores "Net 30" against
    "Net 60" at 83 and "Eggs x12" against "Eggs" at 88, so a threshold alone passes a wrong term, a
    kept quantity or a document number one digit off; the digits are where those values live."""

    @model_validator(mode="after")
    def _options_fit_type(self) -> FieldSpec:
        useless = {
            "threshold": self.type not in ("string", "list"),
            "match_digits": self.type not in ("string", "list"),
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


class Notes(TypedDict, total=False):
    """What a comparison observed besides equal / not equal; only the keys its field type produces."""

    note: str
    difference: float
    normalised: str
    similarity: float
    matched_items: int
    missing_items: int
    extra_items: int
    unmatched_gold: list[JsonValue]
    unmatched_predicted: list[JsonValue]


_NOTE_KEYS = frozenset(Notes.__annotations__)


class FieldKind(BaseModel):
    """The one thing the metrics read of a field verdict (its bucket): what a report parses of each
    stored verdict, leaving the gold and predicted values unread. Frozen and shared: a report of
    33,333 answers of 11 fields holds four of these, not 366,663."""

    model_config = ConfigDict(frozen=True)

    kind: Kind

    @model_validator(mode="after")
    def _shared(self) -> FieldKind:
        if type(self) is not FieldKind:
            return self  # a full `FieldVerdict`
        return _KINDS.setdefault(self.kind, self)


_KINDS: dict[str, FieldKind] = {}


class FieldVerdict(FieldKind):
    """One (case, gold field) pair as stored under `detail.fields[name]`.

    The notes (`note` and below) are stored only when the comparison produced them, exactly as the
    old plain-dict detail did, so `{"correct", "kind", "type", "gold", "predicted"}` is the whole
    verdict of an exact-equality field.
    """

    model_config = ConfigDict(extra="forbid", frozen=False)

    correct: bool
    type: FieldType | Literal["exact"]
    """The comparison rule; `exact` (JSON equality) for a gold field the settings do not list."""
    gold: JsonValue
    predicted: JsonValue
    note: str | None = None
    """Why a value could not be compared under its type ("not a number", "answer unparseable")."""
    difference: float | None = None
    """number: |gold - predicted|."""
    normalised: str | None = None
    """date: the predicted date as ISO `YYYY-MM-DD`."""
    similarity: float | None = None
    """string: rapidfuzz ratio (0-100) after preprocessing."""
    matched_items: int | None = None
    """list: items matched one-to-one (with the two counts and item lists below)."""
    missing_items: int | None = None
    extra_items: int | None = None
    unmatched_gold: list[JsonValue] | None = None
    unmatched_predicted: list[JsonValue] | None = None

    @model_serializer(mode="wrap")
    def _only_notes_made(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if not (k in _NOTE_KEYS and v is None)}


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


_NUMBER = re.compile(r"-?\s*\d(?:[\d.,'’\s\u00a0\u202f]*\d)?")
"""The first number in the text, with its thousands/decimal separators (so "Rs. 1,200" -> "1,200")."""
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


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
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it falls back to day-first; that is intended
        try:
            stamp = pd.to_datetime(s, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            return None
    if pd.isna(stamp):
        return None
    return str(stamp.date().isoformat())


def digit_runs(text: str) -> tuple[str, ...]:
    """The runs of digits in `text`, full-width digits read as ASCII ("１２" and "12" are the same number)."""
    return tuple(re.findall(r"[0-9]+", unicodedata.normalize("NFKC", text)))


def match_lists(
    gold: Sequence[str], predicted: Sequence[str], threshold: float, *, match_digits: bool = False
) -> list[tuple[int, int, float]]:
    """Optimal one-to-one matching of predicted to gold items: (gold index, predicted index, similarity).

    Pairs below the threshold get no weight and matched pairs weigh more than any similarity, so the
    assignment maximises the NUMBER of matches first and their similarity second (plain
    max-similarity could trade a match for two near misses)."""
    if not gold or not predicted:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    similarity = process.cdist(gold, predicted, scorer=fuzz.ratio, dtype=np.float64)
    if match_digits:
        runs = [digit_runs(p) for p in predicted]
        for r, g in enumerate(gold):
            gold_runs = digit_runs(g)
            similarity[r] = [s if gold_runs == runs[c] else 0.0 for c, s in enumerate(similarity[r])]
    weight = np.where(similarity >= threshold, 1000.0 + similarity, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [
        (int(r), int(c), float(similarity[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if similarity[r, c] >= threshold
    ]


# --------------------------------------------------------------------------------------------------
# Per-field comparison


def _compare(gold: Any, predicted: Any, spec: FieldSpec | None) -> tuple[bool, Notes]:
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
        pairs = match_lists(gold_items, pred_items, spec.threshold, match_digits=spec.match_digits)
        hit_gold = {r for r, _, _ in pairs}
        hit_pred = {c for _, c, _ in pairs}
        notes: Notes = {
            "matched_items": len(pairs),
            "missing_items": len(gold) - len(pairs),
            "extra_items": len(predicted) - len(pairs),
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
    if spec.match_digits and digit_runs(g_norm) != digit_runs(p_norm):
        return False, {"similarity": round(similarity, 2), "note": "numbers differ"}
    return similarity >= spec.threshold, {"similarity": round(similarity, 2)}


def _rule(spec: FieldSpec | None) -> FieldType | Literal["exact"]:
    return spec.type if spec is not None else "exact"


def judge_field(gold: Any, predicted: Any, spec: FieldSpec | None) -> tuple[Kind, Notes]:
    """One (case, field) pair -> its kind and the comparison's notes; never raises on odd values."""
    gold_empty, pred_empty = is_empty(gold), is_empty(predicted)
    if gold_empty:
        return ("correct" if pred_empty else "hallucinated"), {}
    if pred_empty:
        return "missing", {}
    try:
        equal, notes = _compare(gold, predicted, spec)
    except Exception as exc:  # an unforeseen value shape is a wrong answer, not a crash
        equal, notes = False, {"note": f"cannot compare: {type(exc).__name__}"}
    return ("correct" if equal else "wrong"), notes


def score_field(gold: Any, predicted: Any, spec: FieldSpec | None) -> FieldVerdict:
    """One (case, field) pair -> its verdict; never raises on odd values."""
    kind, notes = judge_field(gold, predicted, spec)
    return FieldVerdict(correct=kind == "correct", kind=kind, type=_rule(spec), gold=gold, predicted=predicted, **notes)


UNANSWERED: Notes = {"note": "answer unparseable"}


def unanswered_kind(gold: Any) -> Kind:
    """A field of an answer with no JSON record: no credit, not even for a field whose gold is null."""
    return "wrong" if is_empty(gold) else "missing"


def unanswered_field(gold: Any, spec: FieldSpec | None) -> FieldVerdict:
    """A field of an answer with no JSON record: no credit, not even for a field whose gold is null."""
    return FieldVerdict(
        correct=False, kind=unanswered_kind(gold), type=_rule(spec), gold=gold, predicted=None, **UNANSWERED
    )


def verdict_json(kind: Kind, spec: FieldSpec | None, gold: Any, predicted: Any, notes: Notes) -> dict[str, Any]:
    """`FieldVerdict(...).model_dump(mode="json")`, built as the plain dict it is.

    What `score` stores: gold and predicted are JSON values already (the case's expectation, the
    parsed answer), and the notes only hold the keys the comparison made, none of them None, which
    is exactly what the model's serializer keeps. Validating eleven verdicts per answer and running
    that serializer on each was over a third of an extraction re-score's time;
    tests/test_rescore_fast.py checks that the model reads every shape back to the same dict."""
    out: dict[str, Any] = {"correct": kind == "correct", "kind": kind, "type": _rule(spec), "gold": json_value(gold)}
    out["predicted"] = json_value(predicted)
    for key, note in notes.items():
        out[key] = json_value(note)
    return out
