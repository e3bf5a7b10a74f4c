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

The package splits along those concerns: `parse` reads the answer and checks the schema, `fields`
judges one (case, field) pair, and this module holds the scorer protocol (`score`, `aggregate`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evalkit.records import Score
from evalkit.scoring.base import Metrics, ScoreContext, Scored, rate
from evalkit.scoring.extraction.fields import (
    UNANSWERED,
    FieldKind,
    FieldSpec,
    FieldType,
    FieldVerdict,
    Kind,
    Preprocess,
    is_empty,
    judge_field,
    match_lists,
    preprocess,
    score_field,
    to_date,
    to_number,
    unanswered_kind,
    verdict_json,
)
from evalkit.scoring.extraction.parse import ParseHow, answer_schema_errors, parse_answer, schema_errors

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

VALUES = ("field_accuracy", "parsed", "format_deviation", "schema_valid", "hallucinated_fields", "missing_fields")
"""Per-case values a paired test resamples, each defined on every scored case:

- `field_accuracy`: the case's correct share of its gold fields (the suite metric is the micro average
  over all field pairs, so it weighs cases by their field count; this one weighs cases equally);
- `parsed`, `format_deviation`: 0/1, averaged by `parse_rate` and `format_deviation_rate`;
- `schema_valid`: 0/1, averaged by `schema_validity`; 1.0 when the suite declares no `output_schema`
  (nothing to violate; the same on every case of that suite, so it never differs between two runs);
- `hallucinated_fields`: null-gold fields filled in plus extra keys; `missing_fields`: gold values
  left null or absent (counts, summed by the suite metrics of the same names).
"""

MAX_SCHEMA_ERRORS = 3


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] = Field(min_length=1)
    """The gold record: field name -> value (null / [] when the document does not state it)."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    """Typed comparison per field; a gold field not listed here is compared by exact JSON equality."""


class Counts(BaseModel):
    """One answer's field verdicts counted; `aggregate` sums these, so the suite metrics are micro averages."""

    model_config = ConfigDict(extra="forbid")

    fields: int
    correct: int
    wrong: int
    missing: int
    hallucinated: int
    extra_keys: int
    tp: int
    """Gold fields answered with a value that is correct."""
    fp: int
    """Values given that are not correct: wrong or hallucinated fields, and non-null extra keys."""
    fn: int
    """Gold values not answered correctly (wrong or missing)."""


class Summary(BaseModel):
    """What `aggregate`, `escalation_reason` and the gate read of a stored detail: the counts, the flags
    and each field's bucket. Reports parse the stored JSON straight into this (other keys ignored): a
    whole `Detail` with its gold and predicted values is ~17 KB as Python objects."""

    parsed: bool
    format_deviation: bool
    """Scored, but only after digging the record out of a code fence or prose."""
    schema_valid: bool | None
    """None when the suite declares no `output_schema`."""
    fields: Mapping[str, FieldKind]
    """Gold field name -> its verdict (the bucket only, here), in the gold record's order."""
    counts: Counts


class Detail(Summary):
    """What `score` found on one answer; the key names are those stored runs already carry."""

    model_config = ConfigDict(extra="forbid")

    parse: ParseHow
    schema_errors: list[str]
    """The first `MAX_SCHEMA_ERRORS` violations; `schema_error_count` has them all."""
    schema_error_count: int
    extra_keys: list[str]
    """Keys outside the schema's properties (outside the gold record when there is no schema)."""
    fields: dict[str, FieldVerdict]
    """Gold field name -> verdict, in the gold record's order."""
    field_accuracy: float | None


def _allowed_keys(ctx: ScoreContext, gold: dict[str, Any]) -> set[str]:
    schema = ctx.suite.output_schema
    props = schema.get("properties") if isinstance(schema, dict) else None
    return set(props) if isinstance(props, dict) else set(gold)


def score(ctx: ScoreContext, settings: Settings) -> Score:
    """One answer -> its score. The detail is built as the plain dict `Detail(...).model_dump(mode="json")`
    gives (`verdict_json`), not through the models: validating and serialising a `Detail` with its
    eleven verdicts was most of the ~0.3 ms an extraction answer cost to re-score. The models stay the
    definition (reports read the stored JSON through them); tests/test_rescore_fast.py checks that they
    read every detail `score` makes back to the same dict."""
    gold = Expectation.model_validate(ctx.case.expected).fields
    record, how = parse_answer(ctx.response.text)
    parsed = record is not None

    schema_valid: bool | None = None
    errors: list[str] = []
    if ctx.suite.output_schema is not None:
        schema = ctx.suite.output_schema
        errors = answer_schema_errors(ctx.response.text, record, schema) if parsed else ["answer is not a JSON object"]
        schema_valid = not errors

    fields: dict[str, dict[str, Any]] = {}
    tally = Counter[str]()
    tp = fp = fn = 0
    for name, gold_value in gold.items():
        spec = settings.fields.get(name)
        if record is None:
            predicted, kind, notes = None, unanswered_kind(gold_value), UNANSWERED
        else:
            predicted = record.get(name)
            kind, notes = judge_field(gold_value, predicted, spec)
        fields[name] = verdict_json(kind, spec, gold_value, predicted, notes)
        tally[kind] += 1
        correct, answered = kind == "correct", not is_empty(predicted)
        tp += correct and answered
        fp += not correct and answered
        fn += not correct and not is_empty(gold_value)
    extra_keys = sorted(set(record) - _allowed_keys(ctx, gold)) if record is not None else []
    fp += sum(not is_empty(record[k]) for k in extra_keys) if record is not None else 0
    counts = {
        "fields": len(fields),
        "correct": tally["correct"],
        "wrong": tally["wrong"],
        "missing": tally["missing"],
        "hallucinated": tally["hallucinated"],
        "extra_keys": len(extra_keys),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
    accuracy = rate(counts["correct"], counts["fields"])
    detail = {
        "parse": how,
        "parsed": parsed,
        "format_deviation": how == "deviation",
        "schema_valid": schema_valid,
        "schema_errors": errors[:MAX_SCHEMA_ERRORS],
        "schema_error_count": len(errors),
        "extra_keys": extra_keys,
        "fields": fields,
        "counts": counts,
        "field_accuracy": accuracy,
    }
    resolved = parsed and counts["correct"] == counts["fields"] and not extra_keys
    values = {
        # Expectation needs at least one field, so the accuracy is always defined.
        "field_accuracy": accuracy or 0.0,
        "parsed": float(parsed),
        "format_deviation": float(how == "deviation"),
        "schema_valid": float(schema_valid is not False),
        "hallucinated_fields": float(counts["hallucinated"] + counts["extra_keys"]),
        "missing_fields": float(counts["missing"]),
    }
    # What `Score.of` builds from a model, from the dict: `values` carries `resolved` first.
    return Score(status="scored", resolved=resolved, values={"resolved": float(resolved), **values}, detail=detail)


def escalation_reason(detail: Summary, settings: Settings) -> str | None:
    """Structured output a downstream system cannot consume goes to the final authority."""
    if not detail.parsed:
        return "no JSON record in the answer"
    if detail.schema_valid is False:
        return "record violates the output schema (missing or mistyped required fields)"
    return None


def field_accuracy(items: Sequence[Scored[Summary]]) -> float | None:
    """The primary metric alone (micro average over field pairs), as `aggregate` computes it: what a
    bootstrap recomputes thousands of times, without building the report tables."""
    correct = fields = 0
    for item in items:
        counts = item.detail.counts
        correct += counts.correct
        fields += counts.fields
    return rate(correct, fields)


def aggregate(items: Sequence[Scored[Summary]], settings: Settings) -> Metrics:
    """Micro averages over every (answer, gold field) pair, so a suite with more fields per document
    weighs each field equally rather than each document. Extra keys count as hallucinations."""
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    values["answers"] = len(items)
    values["extra_keys"] = None
    if not items:
        return Metrics(values, {"per_field": {}})
    details = [i.detail for i in items]
    totals = Counter[str]()
    for d in details:
        totals.update(d.counts.model_dump())
    hallucinated = totals["hallucinated"] + totals["extra_keys"]
    checked = [d.schema_valid for d in details if d.schema_valid is not None]
    adversarial = [i.resolved for i in items if i.case.split == "adversarial"]
    values.update(
        {
            "field_accuracy": rate(totals["correct"], totals["fields"]),
            "schema_validity": rate(sum(checked), len(checked)),
            "parse_rate": rate(sum(d.parsed for d in details), len(details)),
            "format_deviation_rate": rate(sum(d.format_deviation for d in details), len(details)),
            "hallucinated_fields": hallucinated,
            # Extra keys widen the denominator too, so the rate stays a share of everything judged.
            "hallucination_rate": rate(hallucinated, totals["fields"] + totals["extra_keys"]),
            "missing_fields": totals["missing"],
            "missing_rate": rate(totals["missing"], totals["fields"]),
            "field_precision": rate(totals["tp"], totals["tp"] + totals["fp"]),
            "field_recall": rate(totals["tp"], totals["tp"] + totals["fn"]),
            "resolved_rate": rate(sum(i.resolved for i in items), len(items)),
            "adversarial_pass_rate": rate(sum(adversarial), len(adversarial)),
            "extra_keys": totals["extra_keys"],
        }
    )
    return Metrics(values, {"per_field": per_field_table(details, settings)})


def per_field_table(details: Sequence[Summary], settings: Settings) -> dict[str, dict[str, Any]]:
    """field -> counts per kind and accuracy; configured fields first (suite order), then the rest."""
    counts: dict[str, Counter[Kind]] = {}
    for d in details:
        for name, f in d.fields.items():
            if name not in counts:  # not setdefault: that builds a Counter per pair, which a bootstrap pays for
                counts[name] = Counter()
            counts[name][f.kind] += 1
    order = [n for n in settings.fields if n in counts] + [n for n in counts if n not in settings.fields]
    table: dict[str, dict[str, Any]] = {}
    for name in order:
        row = {kind: counts[name][kind] for kind in ("correct", "wrong", "missing", "hallucinated")}
        n = sum(row.values())
        spec = settings.fields.get(name)
        table[name] = {"type": spec.type if spec else "exact", "n": n, **row, "accuracy": rate(row["correct"], n)}
    return table


__all__ = [
    "METRICS",
    "VALUES",
    "Counts",
    "Detail",
    "Expectation",
    "FieldKind",
    "FieldSpec",
    "FieldType",
    "FieldVerdict",
    "Kind",
    "Preprocess",
    "Settings",
    "Summary",
    "aggregate",
    "field_accuracy",
    "is_empty",
    "match_lists",
    "parse_answer",
    "per_field_table",
    "preprocess",
    "schema_errors",
    "score",
    "score_field",
    "to_date",
    "to_number",
]
