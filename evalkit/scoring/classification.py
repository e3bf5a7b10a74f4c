"""Classification: parse a label, then precision / recall / F1 and the confusion matrix.

The figures are scikit-learn's definitions (`precision_recall_fscore_support`, `zero_division=0`,
`confusion_matrix`), computed by counting: importing scikit-learn costs seconds (scipy, pandas come
with it), which a one-case run and every report would pay; tests/test_scoring_classification.py
checks every figure against scikit-learn itself.

An answer that is not a label is *invalid*, not silently mapped to the nearest one: a router acting on
it would have nothing to act on. Abstain/escalate is a first-class label, so adversarial cases where
the right answer is "hand this to a human" are scored like any other label.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from evalkit.records import Score
from evalkit.scoring.base import Metrics, ScoreContext, Scored, rate

INVALID = "<invalid>"
"""What `predicted` holds when the answer is not a label; a column of its own in the confusion matrix."""

ParseHow = Literal["exact", "tolerant", "json", "invalid"]

METRICS = (
    "accuracy",
    "macro_f1",
    "micro_f1",
    "weighted_f1",
    "macro_precision",
    "macro_recall",
    "invalid_rate",
    "abstain_precision",
    "abstain_recall",
    "resolved_rate",
    "adversarial_pass_rate",
)

VALUES = ("invalid", "format_deviation")
"""Per-case 0/1 values a paired test resamples: `invalid_rate` averages the first over cases, and the
second is the strictness cost a tolerant parser hides (an answer that only a lenient reading accepts)."""


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str

    @field_validator("label")
    @classmethod
    def _known_label(cls, value: str, info: ValidationInfo) -> str:
        """Checked when the suite loads (its settings are the context): a label outside `scorer.labels`
        can never be answered, so the case could never resolve."""
        settings = (info.context or {}).get("settings")
        if isinstance(settings, Settings) and value not in settings.labels:
            raise ValueError(f"label {value!r} is not one of scorer.labels ({', '.join(settings.labels)})")
        return value


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labels: list[str] = Field(min_length=2)
    abstain_label: str | None = None
    """The label that means "escalate / do not decide"; it must be one of `labels`."""
    answer_format: Literal["text", "json"] = "text"
    json_field: str = "label"
    tolerant: bool = True
    """Accept `Refund request.` for `refund_request`, or one label named inside a short sentence;
    recorded as a format deviation so strictness can be judged separately."""

    @model_validator(mode="after")
    def _abstain_is_a_label(self) -> Settings:
        if self.abstain_label is not None and self.abstain_label not in self.labels:
            raise ValueError(f"abstain_label {self.abstain_label!r} is not in labels")
        return self


class Detail(BaseModel):
    """What `score` found on one answer; the key names are those stored runs already carry."""

    model_config = ConfigDict(extra="forbid")

    expected: str
    """The gold label, copied so the confusion matrix needs only the stored scores."""
    predicted: str
    """The parsed label, or `INVALID`."""
    parse: ParseHow
    """How the label was found: verbatim, by the tolerant reading, from the JSON field, or not at all."""
    invalid: bool
    format_deviation: bool
    """Found only by the tolerant reading: right or wrong, a strict consumer would have rejected it."""


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


_PREFIX = re.compile(r"^(label|intent|category|answer)\s*[:=-]\s*", re.I)
_SEPARATORS = re.compile(r"[\s\-]+")
_TOKEN = re.compile(r"[a-z0-9_]+")


def _canon(text: str) -> str:
    """`Refund-Request.` -> `refund_request`."""
    text = text.strip().strip("`'\"*").strip()
    text = _PREFIX.sub("", text)
    text = text.rstrip(".!;:,").strip().strip("`'\"*").strip()
    return _SEPARATORS.sub("_", text.casefold())


@lru_cache(maxsize=256)
def _canon_labels(labels: tuple[str, ...]) -> dict[str, str]:
    """Canonical spelling -> label, once per label set (a re-score asked for it per answer: a third of
    a tolerant parse's time). Callers only read the shared dict."""
    return {_canon(label): label for label in labels}


def parse_label(text: str, settings: Settings) -> tuple[str, ParseHow]:
    """(label or INVALID, how it was found: exact | tolerant | json | invalid)."""
    raw = text.strip()
    if settings.answer_format == "json":
        match = _FENCE.search(raw)
        try:
            obj = json.loads(match.group(1) if match else raw)
        except json.JSONDecodeError:
            return INVALID, "invalid"
        value = obj.get(settings.json_field) if isinstance(obj, dict) else None
        if isinstance(value, str) and value in settings.labels:
            return value, "json"
        return INVALID, "invalid"
    if raw in settings.labels:
        return raw, "exact"
    if not settings.tolerant:
        return INVALID, "invalid"
    lines = [line for line in raw.splitlines() if line.strip()]
    first = _canon(lines[0]) if lines else ""
    canon_labels = _canon_labels(tuple(settings.labels))
    if first in canon_labels:
        # A second answer on a later line ("order_status\nor maybe refund_request") is a hedge, not a label.
        rest = lines[1:]
        tokens = set(_TOKEN.findall("\n".join(rest).casefold()))
        second = {canon_labels[c] for c in map(_canon, rest) if c in canon_labels}
        second |= {label for label in settings.labels if "_" in label and label in tokens}
        second.discard(canon_labels[first])
        return (INVALID, "invalid") if second else (canon_labels[first], "tolerant")
    # A single label named somewhere in a short answer ("The intent is order_status.").
    words = set(_TOKEN.findall(_SEPARATORS.sub("_", raw.casefold()))) | set(_TOKEN.findall(raw.casefold()))
    found = {label for canon, label in canon_labels.items() if canon in words}
    if len(found) == 1 and len(raw) <= 200:
        label = found.pop()
        return (INVALID, "invalid") if _negated(raw, label) else (label, "tolerant")
    return INVALID, "invalid"


_NEGATION = (
    r"(?:not|no|never|isn't|is not|aren't|don't|do not|doesn't|does not|shouldn't|should not|won't|rather than|"
    r"instead of|anything but|other than|except)"
)


def _negated(text: str, label: str) -> bool:
    """`not refund_request`, `Don't escalate`, `It's not a complaint`: naming a label to rule it out is not
    answering it (the tolerant reading used to credit exactly the label the model rejected)."""
    spelled = r"[\s_\-]+".join(map(re.escape, label.casefold().split("_")))
    filler = r"(?:(?:a|an|the|to|be|as|it|this|that|is)\W+){0,2}"
    return re.search(rf"\b{_NEGATION}\W+{filler}{spelled}\b", text.casefold().replace("\u2019", "'")) is not None


def score(ctx: ScoreContext, settings: Settings) -> Score:
    expected = Expectation.model_validate(ctx.case.expected)
    predicted, how = parse_label(ctx.response.text, settings)
    detail = Detail(
        expected=expected.label,
        predicted=predicted,
        parse=how,
        invalid=predicted == INVALID,
        format_deviation=how == "tolerant",
    )
    return Score.of(
        predicted == expected.label,
        detail,
        invalid=float(detail.invalid),
        format_deviation=float(detail.format_deviation),
    )


class _Counts:
    """Per-label counts of one set of answers: everything precision, recall and F1 are made of."""

    def __init__(self, items: Sequence[Scored[Detail]]) -> None:
        self.expected = [i.detail.expected for i in items]
        self.predicted = [i.detail.predicted for i in items]
        self.true, self.pred = Counter(self.expected), Counter(self.predicted)
        self.hits = Counter(e for e, p in zip(self.expected, self.predicted, strict=True) if e == p)

    def present(self, labels: Sequence[str]) -> list[str]:
        return [label for label in labels if self.true[label] or self.pred[label]]

    def label(self, x: str) -> tuple[float, float, float]:
        tp, n_true, n_pred = self.hits[x], self.true[x], self.pred[x]
        return _div(tp, n_pred), _div(tp, n_true), _div(2 * tp, n_true + n_pred)

    def averaged(self, labels: Sequence[str], average: str) -> tuple[float, float, float]:
        """(precision, recall, F1) averaged over `labels`, as scikit-learn's `precision_recall_fscore_support`
        with `zero_division=0` computes them."""
        if average == "micro":
            tp = sum(self.hits[x] for x in labels)
            n_true, n_pred = sum(self.true[x] for x in labels), sum(self.pred[x] for x in labels)
            return _div(tp, n_pred), _div(tp, n_true), _div(2 * tp, n_true + n_pred)
        rows = [self.label(x) for x in labels]
        if average == "macro":
            weights = [1] * len(rows)
        elif average == "weighted":
            weights = [self.true[x] for x in labels]
        else:
            raise ValueError(f"unknown average {average!r}")
        total = sum(weights)
        return (
            _div(sum(w * r[0] for w, r in zip(weights, rows, strict=True)), total),
            _div(sum(w * r[1] for w, r in zip(weights, rows, strict=True)), total),
            _div(sum(w * r[2] for w, r in zip(weights, rows, strict=True)), total),
        )


def _div(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def averaged_f1(items: Sequence[Scored[Detail]], settings: Settings, average: str) -> float | None:
    """One averaged F1 alone, with scikit-learn's definitions as `aggregate` uses them (labels that occur,
    zero_division=0; tests/test_scoring_classification.py checks both against scikit-learn): the gate
    recomputes the suite metric on thousands of bootstrap resamples."""
    if not items:
        return None
    counts = _Counts(items)
    return counts.averaged(counts.present(settings.labels), average)[2]


def escalation_reason(detail: Detail, settings: Settings) -> str | None:
    """Why a cheap first pass should hand this case to the final authority: no usable label, or the
    model itself said to escalate."""
    if detail.invalid:
        return "no valid label"
    if settings.abstain_label is not None and detail.predicted == settings.abstain_label:
        return f"answered {settings.abstain_label}"
    return None


def aggregate(items: Sequence[Scored[Detail]], settings: Settings) -> Metrics:
    """Label metrics over the scored cases, with scikit-learn's definitions (checked against it in the tests).

    Per-label rows cover every declared label (support 0 included); the averaged F1s cover only the
    labels that occur, so a label no case uses does not drag the macro average to zero.
    """
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    if not items:
        return Metrics(values)
    counts = _Counts(items)
    labels = list(settings.labels)
    per_label: dict[str, dict[str, Any]] = {}
    for label in labels:
        p, r, f = counts.label(label)
        per_label[label] = {"precision": p, "recall": r, "f1": f, "support": counts.true[label]}
    present = counts.present(labels)
    for avg in ("macro", "micro", "weighted"):
        ap, ar, af = counts.averaged(present, avg)
        values[f"{avg}_f1"] = af
        if avg == "macro":
            values["macro_precision"], values["macro_recall"] = ap, ar
    matrix_labels = [*labels, INVALID]
    index = {label: i for i, label in enumerate(matrix_labels)}
    matrix = [[0] * len(matrix_labels) for _ in matrix_labels]
    for e, p_ in zip(counts.expected, counts.predicted, strict=True):
        if e in index and p_ in index:
            matrix[index[e]][index[p_]] += 1
    resolved = [i.resolved for i in items]
    adversarial = [i.resolved for i in items if i.case.split == "adversarial"]
    values["accuracy"] = rate(sum(resolved), len(resolved))
    values["resolved_rate"] = values["accuracy"]
    values["invalid_rate"] = rate(sum(i.detail.invalid for i in items), len(items))
    values["adversarial_pass_rate"] = rate(sum(adversarial), len(adversarial))
    if settings.abstain_label is not None:
        values["abstain_precision"] = per_label[settings.abstain_label]["precision"]
        values["abstain_recall"] = per_label[settings.abstain_label]["recall"]
    return Metrics(
        values,
        {
            "per_label": per_label,
            "confusion_matrix": {"labels": matrix_labels, "matrix": matrix},
        },
    )
