"""Classification: parse a label, then precision / recall / F1 and the confusion matrix via scikit-learn.

An answer that is not a label is *invalid*, not silently mapped to the nearest one: a router acting on
it would have nothing to act on. Abstain/escalate is a first-class label, so adversarial cases where
the right answer is "hand this to a human" are scored like any other label.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

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


def _canon(text: str) -> str:
    """`Refund-Request.` -> `refund_request`."""
    text = text.strip().strip("`'\"*").strip()
    text = re.sub(r"^(label|intent|category|answer)\s*[:=-]\s*", "", text, flags=re.I)
    text = text.rstrip(".!;:,").strip().strip("`'\"*").strip()
    return re.sub(r"[\s\-]+", "_", text.casefold())


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
    canon_labels = {_canon(label): label for label in settings.labels}
    if first in canon_labels:
        # A second answer on a later line ("order_status\nor maybe refund_request") is a hedge, not a label.
        rest = lines[1:]
        tokens = set(re.findall(r"[a-z0-9_]+", "\n".join(rest).casefold()))
        second = {canon_labels[c] for c in map(_canon, rest) if c in canon_labels}
        second |= {label for label in settings.labels if "_" in label and label in tokens}
        second.discard(canon_labels[first])
        return (INVALID, "invalid") if second else (canon_labels[first], "tolerant")
    # A single label named somewhere in a short answer ("The intent is order_status.").
    words = set(re.findall(r"[a-z0-9_]+", re.sub(r"[\s\-]+", "_", raw.casefold()))) | set(
        re.findall(r"[a-z0-9_]+", raw.casefold())
    )
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


def _averaged(y_true: list[str], y_pred: list[str], labels: list[str], average: str) -> tuple[Any, Any, Any, Any]:
    present = [label for label in labels if label in y_true or label in y_pred]
    result: tuple[Any, Any, Any, Any] = precision_recall_fscore_support(
        y_true, y_pred, labels=present, average=average, zero_division=0
    )
    return result


def averaged_f1(items: Sequence[Scored[Detail]], settings: Settings, average: str) -> float | None:
    """One averaged F1 alone, with scikit-learn's definitions as `aggregate` uses them (labels that occur,
    zero_division=0; tests/test_scoring_classification.py checks the two agree): the gate recomputes the
    suite metric on thousands of bootstrap resamples, where scikit-learn's input validation (~45 ms a call
    on 600 string labels) made one classification gate take minutes. Counting is enough: per label F1 is
    2·tp / (2·tp + fp + fn)."""
    if not items:
        return None
    details = [i.detail for i in items]
    expected, predicted = [d.expected for d in details], [d.predicted for d in details]
    true, pred = Counter(expected), Counter(predicted)
    hits = Counter(e for e, p in zip(expected, predicted, strict=True) if e == p)
    present = [label for label in settings.labels if true[label] or pred[label]]

    def f1(tp: int, n_true: int, n_pred: int) -> float:
        return 2 * tp / (n_true + n_pred) if n_true + n_pred else 0.0

    if average == "micro":
        return f1(sum(hits[x] for x in present), sum(true[x] for x in present), sum(pred[x] for x in present))
    scores = [f1(hits[x], true[x], pred[x]) for x in present]
    if average == "macro":
        return sum(scores) / len(scores) if scores else 0.0
    if average == "weighted":
        support = sum(true[x] for x in present)
        return sum(s * true[x] for s, x in zip(scores, present, strict=True)) / support if support else 0.0
    raise ValueError(f"unknown average {average!r}")


def escalation_reason(detail: Detail, settings: Settings) -> str | None:
    """Why a cheap first pass should hand this case to the final authority: no usable label, or the
    model itself said to escalate."""
    if detail.invalid:
        return "no valid label"
    if settings.abstain_label is not None and detail.predicted == settings.abstain_label:
        return f"answered {settings.abstain_label}"
    return None


def aggregate(items: Sequence[Scored[Detail]], settings: Settings) -> Metrics:
    """Label metrics over the scored cases, with scikit-learn's definitions so they can be checked.

    Per-label rows cover every declared label (support 0 included); the averaged F1s cover only the
    labels that occur, so a label no case uses does not drag the macro average to zero.
    """
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    if not items:
        return Metrics(values)
    y_true = [i.detail.expected for i in items]
    y_pred = [i.detail.predicted for i in items]
    labels = list(settings.labels)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_label = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    for avg in ("macro", "micro", "weighted"):
        ap, ar, af, _ = _averaged(y_true, y_pred, labels, avg)
        values[f"{avg}_f1"] = float(af)
        if avg == "macro":
            values["macro_precision"], values["macro_recall"] = float(ap), float(ar)
    matrix_labels = [*labels, INVALID]
    matrix = confusion_matrix(y_true, y_pred, labels=matrix_labels)
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
            "confusion_matrix": {"labels": matrix_labels, "matrix": matrix.tolist()},
        },
    )
