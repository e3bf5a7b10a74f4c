"""Classification: parse a label, then precision / recall / F1 and the confusion matrix via scikit-learn.

An answer that is not a label is *invalid*, not silently mapped to the nearest one: a router acting on
it would have nothing to act on. Abstain/escalate is a first-class label, so adversarial cases where
the right answer is "hand this to a human" are scored like any other label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from evalkit.scoring.base import CaseScore, Metrics, ScoreContext, Scored, rate

INVALID = "<invalid>"

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


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str


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


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


def _canon(text: str) -> str:
    """`Refund-Request.` -> `refund_request`."""
    text = text.strip().strip("`'\"*").strip()
    text = re.sub(r"^(label|intent|category|answer)\s*[:=-]\s*", "", text, flags=re.I)
    text = text.rstrip(".!;:,").strip().strip("`'\"*").strip()
    return re.sub(r"[\s\-]+", "_", text.casefold())


def parse_label(text: str, settings: Settings) -> tuple[str, str]:
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
        return canon_labels[first], "tolerant"
    # A single label named somewhere in a short answer ("The intent is order_status.").
    words = set(re.findall(r"[a-z0-9_]+", re.sub(r"[\s\-]+", "_", raw.casefold()))) | set(
        re.findall(r"[a-z0-9_]+", raw.casefold())
    )
    found = {label for canon, label in canon_labels.items() if canon in words}
    if len(found) == 1 and len(raw) <= 200:
        return found.pop(), "tolerant"
    return INVALID, "invalid"


def score(ctx: ScoreContext, settings: Settings) -> CaseScore:
    expected = Expectation.model_validate(ctx.case.expected)
    predicted, how = parse_label(ctx.response.text, settings)
    return CaseScore(
        resolved=predicted == expected.label,
        detail={
            "expected": expected.label,
            "predicted": predicted,
            "parse": how,
            "invalid": predicted == INVALID,
            "format_deviation": how == "tolerant",
        },
    )


def aggregate(items: Sequence[Scored], settings: Settings) -> Metrics:
    y_true = [str(i.score.detail["expected"]) for i in items]
    y_pred = [str(i.score.detail["predicted"]) for i in items]
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    if not items:
        return Metrics(values)
    labels = list(settings.labels)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_label = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    present = [label for label in labels if label in y_true or label in y_pred]
    for avg in ("macro", "micro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, labels=present, average=avg, zero_division=0)
        values[f"{avg}_f1"] = float(af)
        if avg == "macro":
            values["macro_precision"], values["macro_recall"] = float(ap), float(ar)
    matrix_labels = [*labels, INVALID]
    matrix = confusion_matrix(y_true, y_pred, labels=matrix_labels)
    resolved = [i.score.resolved for i in items]
    adversarial = [i.score.resolved for i in items if i.case.split == "adversarial"]
    values["accuracy"] = rate(sum(resolved), len(resolved))
    values["resolved_rate"] = values["accuracy"]
    values["invalid_rate"] = rate(sum(p == INVALID for p in y_pred), len(y_pred))
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
