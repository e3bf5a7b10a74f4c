"""Extraction scoring: what an operator sees per field and in the suite metrics, with hand-computed numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evalkit.inputs.cases import Case, Split
from evalkit.inputs.suites import Suite, load_suite
from evalkit.records import Response, Score
from evalkit.scoring import scorer_for
from evalkit.scoring.base import ScoreContext, Scored
from evalkit.scoring.extraction import (
    METRICS,
    VALUES,
    Detail,
    Expectation,
    Settings,
    aggregate,
    parse_answer,
    preprocess,
    score,
    to_date,
    to_number,
)
from tests.helpers import scored

ROOT = Path(__file__).parents[1]

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["issuer", "total_amount", "due_date"],
    "properties": {
        "issuer": {"type": "string"},
        "total_amount": {"type": ["number", "null"]},
        "due_date": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    },
}
SCORER: dict[str, Any] = {
    "fields": {
        "issuer": {"type": "string", "threshold": 85},
        "total_amount": {"type": "number", "tolerance": 0.01},
        "due_date": {"type": "date"},
    }
}
SCORER_DNE: dict[str, Any] = {"fields": {"d": {"type": "date"}, "n": {"type": "number"}, "e": {"type": "enum"}}}
GOLD: dict[str, Any] = {"issuer": "Brightline Analytics LLC", "total_amount": 7550.0, "due_date": None}


def make_suite(scorer: dict[str, Any] | None = None, schema: dict[str, Any] | None = SCHEMA) -> Suite:
    return Suite.model_validate(
        {
            "name": "extraction",
            "version": "1",
            "category": "extraction",
            "primary_metric": "field_accuracy",
            "prompt": {"user": "{{ document }}"},
            "output_schema": schema,
            "scorer": SCORER if scorer is None else scorer,
        }
    )


def make_case(fields: dict[str, Any], split: Split = "golden", case_id: str = "c1") -> Case:
    return Case(id=case_id, input={"document": "doc"}, expected={"fields": fields}, split=split)


def run(
    answer: str | dict[str, Any],
    gold: dict[str, Any] | None = None,
    scorer: dict[str, Any] | None = None,
    schema: dict[str, Any] | None = SCHEMA,
    split: Split = "golden",
) -> Score:
    suite = make_suite(scorer, schema)
    text = answer if isinstance(answer, str) else json.dumps(answer)
    ctx = ScoreContext(suite=suite, case=make_case(GOLD if gold is None else gold, split), response=Response(text=text))
    result = score(ctx, Settings.model_validate(suite.scorer))
    json.dumps(result.detail, allow_nan=False)  # detail must always be plain JSON
    return result


def kinds(result: Score) -> dict[str, str]:
    return {name: f["kind"] for name, f in result.detail["fields"].items()}


def one_field(ftype_spec: dict[str, Any], gold: Any, predicted: Any) -> dict[str, Any]:
    """Score a single field `f` with the given spec; `predicted` ... means absent."""
    answer = {} if predicted is ... else {"f": predicted}
    field: dict[str, Any] = run(answer, gold={"f": gold}, scorer={"fields": {"f": ftype_spec}}, schema=None).detail[
        "fields"
    ]["f"]
    return field


# ---------------------------------------------------------------------------------------------- parsing


def test_plain_json_object_is_parsed_without_deviation() -> None:
    record = {"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None}
    result = run("  " + json.dumps(record) + "\n")
    assert result.detail["parse"] == "ok" and result.detail["format_deviation"] is False
    assert result.resolved is True and result.detail["field_accuracy"] == 1.0


def test_fenced_json_is_scored_but_flagged_as_format_deviation() -> None:
    text = '```json\n{"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": null}\n```'
    result = run(text)
    assert result.detail["parsed"] is True and result.detail["format_deviation"] is True
    assert result.resolved is True  # the values are right; strictness is reported separately
    bare_fence = '```\n{"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": null}\n```'
    assert run(bare_fence).detail["format_deviation"] is True


def test_json_wrapped_in_prose_uses_the_outermost_object() -> None:
    text = (
        'Here is the record: {"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": null, '
        '"meta": {"x": 1}} Hope this helps {not json}'
    )
    record, how = parse_answer(text)
    assert how == "deviation"
    assert record == {"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None, "meta": {"x": 1}}


@pytest.mark.parametrize("text", ["", "APPROVED", '{"issuer": "Brightline"', '{"total_amount": NaN}'])
def test_unparseable_answer_gets_no_credit_for_any_field(text: str) -> None:
    result = run(text)
    assert result.resolved is False and result.detail["parse"] == "unparseable"
    assert result.detail["parsed"] is False and result.detail["format_deviation"] is False
    # Non-null gold fields are missing; even the null-gold field earns nothing.
    assert kinds(result) == {"issuer": "missing", "total_amount": "missing", "due_date": "wrong"}
    assert result.detail["field_accuracy"] == 0.0
    assert result.detail["schema_valid"] is False


# ---------------------------------------------------------------------------------------------- schema


def test_schema_validity_and_first_three_errors() -> None:
    assert (
        run({"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None}).detail["schema_valid"]
        is True
    )
    bad = run({"issuer": 5, "total_amount": "7550", "due_date": "13/04/2026", "x": 1, "y": 2})
    assert bad.detail["schema_valid"] is False
    assert bad.detail["schema_error_count"] == 4  # issuer type, total type, due pattern, extra keys
    assert len(bad.detail["schema_errors"]) == 3
    assert bad.detail["schema_errors"][0] == "$: Additional properties are not allowed ('x', 'y' were unexpected)"


def test_without_schema_validity_is_not_judged() -> None:
    result = run({"issuer": "Brightline Analytics LLC", "total_amount": 7550}, schema=None)
    assert result.detail["schema_valid"] is None and result.detail["schema_errors"] == []
    assert result.resolved is True  # absent null-gold field counts as null


# ---------------------------------------------------------------------------------------------- the brief's case


def test_three_field_case_fuzzy_match_tolerance_miss_and_hallucinated_null() -> None:
    # "brightline analytics, llc" vs "brightline analytics llc": one insertion over 25+24 chars -> 97.96 >= 85.
    result = run({"issuer": "Brightline Analytics, LLC", "total_amount": 7550.02, "due_date": "2026-04-13"})
    fields = result.detail["fields"]
    assert fields["issuer"]["kind"] == "correct"
    assert fields["issuer"]["similarity"] == pytest.approx(100 * (1 - 1 / 49), abs=0.01)
    assert fields["total_amount"]["kind"] == "wrong"  # |7550.02 - 7550| = 0.02 > 0.01
    assert fields["total_amount"]["difference"] == pytest.approx(0.02)
    assert fields["due_date"]["kind"] == "hallucinated"  # the document gives no due date
    assert result.detail["field_accuracy"] == pytest.approx(1 / 3)
    assert result.detail["counts"] == {
        "fields": 3,
        "correct": 1,
        "wrong": 1,
        "missing": 0,
        "hallucinated": 1,
        "extra_keys": 0,
        "tp": 1,
        "fp": 2,
        "fn": 1,
    }
    assert result.resolved is False
    assert result.detail["schema_valid"] is True  # well-formed but wrong: schema validity is a separate concern


# ---------------------------------------------------------------------------------------------- strings


def test_string_threshold_and_default_preprocessing() -> None:
    spec = {"type": "string", "threshold": 90}
    # Default preprocessing ignores case and repeated / surrounding whitespace.
    assert one_field(spec, "Harbor & Finch Outfitters", "  HARBOR   &  finch outfitters ")["correct"] is True
    # "harbor and finch outfitters" vs "harbor & finch outfitters": indel 4 over 27+25 -> 92.3 >= 90.
    assert one_field(spec, "Harbor & Finch Outfitters", "Harbor and Finch Outfitters")["similarity"] == pytest.approx(
        92.31, abs=0.01
    )
    # "harbour freight" vs "harbor & finch outfitters" is far below 90.
    assert one_field(spec, "Harbor & Finch Outfitters", "Harbour Freight")["kind"] == "wrong"


def test_threshold_is_inclusive_and_explicit_preprocess_replaces_the_default() -> None:
    # "net 30" vs "net 45": indel 4 over 6+6 -> 66.67 < 75.
    assert one_field({"type": "string", "threshold": 75}, "Net 30", "Net 45")["correct"] is False
    # "abcd" vs "abce": indel 2 over 8 -> exactly 75.0, which meets a threshold of 75 but not 75.01.
    assert one_field({"type": "string", "threshold": 75}, "abcd", "abce")["correct"] is True
    assert one_field({"type": "string", "threshold": 75.01}, "abcd", "abce")["correct"] is False
    # An explicit list without `lower` makes case significant: "NET 30" vs "Net 30" share N, space, 3, 0
    # -> indel 4 over 12 -> 66.67; with the default (lowercasing) they are identical.
    assert one_field({"type": "string", "preprocess": ["strip"]}, "Net 30", "NET 30")["similarity"] == 66.67
    assert one_field({"type": "string"}, "Net 30", "NET 30")["similarity"] == 100.0


def test_document_number_preprocessing_upper_and_remove_spaces() -> None:
    spec = {"type": "string", "threshold": 95, "preprocess": ["strip", "upper", "remove_spaces"]}
    assert one_field(spec, "BA-2026-0147", " ba - 2026 - 0147 ")["correct"] is True
    # "BA20260147" vs "BA-2026-0147": two dashes missing, indel 2 over 22 -> 90.9 < 95.
    field = one_field(spec, "BA-2026-0147", "BA 2026 0147")
    assert field["kind"] == "wrong" and field["similarity"] == pytest.approx(90.91, abs=0.01)


def test_preprocess_operations() -> None:
    assert preprocess("  Net\t 30 ", ["strip", "collapse_ws"]) == "Net 30"
    assert preprocess("A b\nC", ["remove_spaces", "lower"]) == "abc"
    assert preprocess("abc", ["upper"]) == "ABC"
    assert preprocess("S.L., Inc.!", ["strip_punct"]) == "SL Inc"


def test_number_answered_for_a_string_field_is_compared_as_text() -> None:
    assert one_field({"type": "string", "threshold": 95}, "3318", 3318)["correct"] is True
    assert one_field({"type": "string"}, "3318", {"id": "3318"})["kind"] == "wrong"


# ---------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("predicted", [1234.5, 1234.505, "1,234.50", "1.234,50", "1 234,50", "€1.234,50", "1234.51"])
def test_numbers_and_numeric_strings_within_tolerance(predicted: Any) -> None:
    assert one_field({"type": "number", "tolerance": 0.01}, 1234.5, predicted)["correct"] is True


@pytest.mark.parametrize("predicted", [1234.52, "1,234.52", "twelve", True, [1234.5]])
def test_numbers_outside_tolerance_or_not_numbers_are_wrong(predicted: Any) -> None:
    assert one_field({"type": "number", "tolerance": 0.01}, 1234.5, predicted)["kind"] == "wrong"


def test_number_parsing_formats() -> None:
    assert to_number("1'850.00") == 1850.0
    assert to_number("1,20,000") == 120000.0
    assert to_number("Rs. 1,200") == 1200.0
    assert to_number("12,5") == 12.5
    assert to_number("-3.25") == -3.25
    assert to_number("n/a") is None and to_number(None) is None and to_number(float("nan")) is None


def test_tolerance_boundary_is_inclusive_and_zero_tolerance_is_exact() -> None:
    assert one_field({"type": "number", "tolerance": 0.01}, 100.0, 100.01)["correct"] is True
    assert one_field({"type": "number", "tolerance": 0}, 100.0, 100.0)["correct"] is True
    assert one_field({"type": "number", "tolerance": 0}, 100.0, 100.001)["correct"] is False
    # Default tolerance is 0.01.
    assert one_field({"type": "number"}, 10, 10.01)["correct"] is True


def test_zero_is_a_value_not_a_null() -> None:
    assert one_field({"type": "number"}, 0, None)["kind"] == "missing"
    assert one_field({"type": "number"}, 0, 0.0)["kind"] == "correct"
    assert one_field({"type": "number"}, None, 0)["kind"] == "hallucinated"


# ---------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "predicted", ["2026-03-14", "14.03.2026", "March 14, 2026", "14 Mar 2026", "2026年3月14日", "2026-03-14T09:30:00"]
)
def test_dates_in_common_formats_equal_the_iso_gold(predicted: str) -> None:
    assert one_field({"type": "date"}, "2026-03-14", predicted)["correct"] is True


@pytest.mark.parametrize("predicted", ["2026-03-15", "next Tuesday", 20260314])
def test_other_dates_and_non_dates_are_wrong(predicted: Any) -> None:
    assert one_field({"type": "date"}, "2026-03-14", predicted)["kind"] == "wrong"


def test_ambiguous_slashed_dates_read_month_first() -> None:
    assert to_date("03/04/2026") == "2026-03-04"
    assert to_date("14/03/2026") == "2026-03-14"  # day-first only when month-first is impossible


# ---------------------------------------------------------------------------------------------- enums


def test_enum_is_exact_after_strip() -> None:
    assert one_field({"type": "enum"}, "invoice", " invoice\n")["correct"] is True
    assert one_field({"type": "enum"}, "USD", "usd")["kind"] == "wrong"
    assert one_field({"type": "enum", "preprocess": ["strip", "upper"]}, "USD", "usd")["correct"] is True


# ---------------------------------------------------------------------------------------------- lists


LIST = {"type": "list", "threshold": 80}
ITEMS = ["Dashboard redesign (Phase 2)", "Data pipeline maintenance - March", "Quarterly KPI review workshop"]


def test_list_is_order_insensitive_and_fuzzy_per_item() -> None:
    predicted = ["quarterly kpi review workshop", "Data pipeline maintenance March", "Dashboard redesign (Phase 2)"]
    field = one_field(LIST, ITEMS, predicted)
    assert field["correct"] is True
    assert (field["matched_items"], field["missing_items"], field["extra_items"]) == (3, 0, 0)


def test_list_with_an_extra_item_is_wrong_and_counts_it() -> None:
    field = one_field(LIST, ITEMS, [*ITEMS, "Subtotal"])
    assert field["kind"] == "wrong"
    assert (field["matched_items"], field["missing_items"], field["extra_items"]) == (3, 0, 1)
    assert field["unmatched_predicted"] == ["Subtotal"] and field["unmatched_gold"] == []


def test_list_with_a_missing_and_a_mismatched_item() -> None:
    field = one_field(LIST, ITEMS, ["Dashboard redesign (Phase 2)", "Travel expenses"])
    assert field["kind"] == "wrong"
    assert (field["matched_items"], field["missing_items"], field["extra_items"]) == (1, 2, 1)
    assert field["unmatched_gold"] == ITEMS[1:]


def test_list_matching_is_one_to_one() -> None:
    # Two predicted copies of one gold item cannot both match it.
    field = one_field(LIST, ["Flat White", "Oat Latte"], ["Flat White", "Flat White"])
    assert (field["matched_items"], field["missing_items"], field["extra_items"]) == (1, 1, 1)


def test_list_empty_gold_and_non_list_answer() -> None:
    assert one_field(LIST, [], [])["kind"] == "correct"
    assert one_field(LIST, [], ...)["kind"] == "correct"
    assert one_field(LIST, [], ["Monthly fee"])["kind"] == "hallucinated"
    assert one_field(LIST, ITEMS, [])["kind"] == "missing"
    assert one_field(LIST, ITEMS, "; ".join(ITEMS))["kind"] == "wrong"


# ---------------------------------------------------------------------------------------------- null / missing / extra


@pytest.mark.parametrize("predicted", [None, ..., "", "   ", []])
def test_null_gold_accepts_any_empty_answer(predicted: Any) -> None:
    assert one_field({"type": "string"}, None, predicted)["kind"] == "correct"


def test_value_for_null_gold_is_hallucinated_and_null_for_a_value_is_missing() -> None:
    assert one_field({"type": "string"}, None, "Net 30")["kind"] == "hallucinated"
    assert one_field({"type": "string"}, "Net 30", None)["kind"] == "missing"
    assert one_field({"type": "string"}, "Net 30", ...)["kind"] == "missing"
    assert one_field({"type": "date"}, "2026-03-14", "")["kind"] == "missing"


def test_keys_outside_the_schema_are_hallucinated_and_block_resolution() -> None:
    answer = {"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None, "notes": "rush", "po": None}
    result = run(answer)
    assert result.detail["field_accuracy"] == 1.0
    assert result.detail["extra_keys"] == ["notes", "po"]
    assert result.detail["counts"]["extra_keys"] == 2
    assert result.detail["counts"]["fp"] == 1  # only the non-null extra value is a false positive
    assert result.resolved is False


def test_without_schema_extra_keys_are_those_not_in_gold() -> None:
    result = run({"issuer": "Brightline Analytics LLC", "total_amount": 7550, "notes": "x"}, schema=None)
    assert result.detail["extra_keys"] == ["notes"] and result.resolved is False
    # A schema property that gold does not list is not an extra key.
    schema = {"type": "object", "properties": {**SCHEMA["properties"], "notes": {"type": "string"}}}
    assert run({"issuer": "Brightline Analytics LLC", "total_amount": 7550, "notes": "x"}, schema=schema).resolved


def test_fields_without_settings_are_compared_exactly() -> None:
    gold = {"issuer": "Brightline Analytics LLC", "total_amount": 7550.0, "due_date": None, "po": "PO-1"}
    result = run({"issuer": "Brightline Analytics LLC", "total_amount": 7550, "po": "po-1"}, gold=gold, schema=None)
    assert result.detail["fields"]["po"] == {
        "correct": False,
        "kind": "wrong",
        "type": "exact",
        "gold": "PO-1",
        "predicted": "po-1",
    }
    assert one_field({"type": "enum"}, "x", "x")["type"] == "enum"
    exact = run({"n": 1.0, "tags": ["a", "b"]}, gold={"n": 1, "tags": ["a", "b"]}, scorer={}, schema=None)
    assert exact.resolved is True  # JSON equality: 1 == 1.0


def test_odd_values_never_raise() -> None:
    answer = {"issuer": ["a", {"b": 1}], "total_amount": {"v": 1}, "due_date": [[]]}
    result = run(answer)
    assert kinds(result) == {"issuer": "wrong", "total_amount": "wrong", "due_date": "hallucinated"}
    weird_list = one_field(LIST, ["a"], [{"x": 1}, None, 3])
    assert weird_list["kind"] == "wrong" and weird_list["extra_items"] == 3


# ---------------------------------------------------------------------------------------------- settings


def test_settings_validation() -> None:
    settings = Settings.model_validate(SCORER)
    assert settings.fields["issuer"].threshold == 85 and settings.fields["total_amount"].tolerance == 0.01
    assert Settings.model_validate({"fields": {"x": {"type": "list"}}}).fields["x"].steps() == (
        "strip",
        "lower",
        "collapse_ws",
    )
    for bad in (
        {"fields": {"x": {"type": "string", "threshold": 101}}},
        {"fields": {"x": {"type": "string", "preprocess": ["casefold"]}}},
        {"fields": {"x": {"type": "number", "threshold": 80}}},  # a threshold would do nothing here
        {"fields": {"x": {"type": "date", "preprocess": ["strip"]}}},
        {"fields": {"x": {"type": "string", "tolerance": 1}}},
        {"fields": {"x": {"type": "money"}}},
        {"fields": {}, "mode": "strict"},
    ):
        with pytest.raises(ValidationError):
            Settings.model_validate(bad)
    with pytest.raises(ValidationError):
        Expectation.model_validate({"fields": {}})
    with pytest.raises(ValidationError):
        Expectation.model_validate({"fields": {"a": 1}, "label": "x"})


# ---------------------------------------------------------------------------------------------- aggregate


def answered(
    answer: str | dict[str, Any], split: Split = "golden", case_id: str = "c1", repeat: int = 0
) -> Scored[Detail]:
    result = run(answer, split=split)
    return scored(make_case(GOLD, split, case_id), result, repeat, category="extraction")


def test_aggregate_hand_computed() -> None:
    items = [
        # correct / wrong (tolerance) / hallucinated; schema-valid. tp 1, fp 2, fn 1.
        answered(
            {"issuer": "Brightline Analytics, LLC", "total_amount": 7550.02, "due_date": "2026-04-13"}, case_id="a"
        ),
        # all correct, but fenced and total as a string: deviation + schema-invalid; resolved. tp 2.
        answered(
            '```json\n{"issuer": "Brightline Analytics LLC", "total_amount": "7,550.00", "due_date": null}\n```',
            split="adversarial",
            case_id="b",
        ),
        # unparseable: missing / missing / wrong. fn 2.
        answered("I cannot help with that.", split="adversarial", case_id="c"),
        # correct / missing / correct + extra key "notes" (non-null): schema-invalid. tp 1, fp 1, fn 1.
        answered(
            {"issuer": "Brightline Analytics LLC", "total_amount": None, "due_date": None, "notes": "rush"}, case_id="d"
        ),
    ]
    metrics = aggregate(items, Settings.model_validate(SCORER))
    v = metrics.values
    assert set(METRICS) <= set(v)
    assert v["field_accuracy"] == pytest.approx(6 / 12)
    assert v["schema_validity"] == pytest.approx(1 / 4)
    assert v["parse_rate"] == pytest.approx(3 / 4)
    assert v["format_deviation_rate"] == pytest.approx(1 / 4)
    assert v["hallucinated_fields"] == 2  # one null-gold field filled + one extra key
    assert v["hallucination_rate"] == pytest.approx(2 / 13)  # over 12 field pairs + 1 extra key
    assert v["extra_keys"] == 1
    assert v["missing_fields"] == 3
    assert v["missing_rate"] == pytest.approx(3 / 12)
    assert v["field_precision"] == pytest.approx(4 / 7)  # TP 4, FP 3
    assert v["field_recall"] == pytest.approx(4 / 8)  # TP 4, FN 4
    assert v["resolved_rate"] == pytest.approx(1 / 4)
    assert v["adversarial_pass_rate"] == pytest.approx(1 / 2)
    assert v["answers"] == 4
    per_field = metrics.tables["per_field"]
    assert list(per_field) == ["issuer", "total_amount", "due_date"]
    assert per_field["issuer"] == {
        "type": "string",
        "n": 4,
        "correct": 3,
        "wrong": 0,
        "missing": 1,
        "hallucinated": 0,
        "accuracy": 0.75,
    }
    assert per_field["total_amount"] == {
        "type": "number",
        "n": 4,
        "correct": 1,
        "wrong": 1,
        "missing": 2,
        "hallucinated": 0,
        "accuracy": 0.25,
    }
    assert per_field["due_date"] == {
        "type": "date",
        "n": 4,
        "correct": 2,
        "wrong": 1,
        "missing": 0,
        "hallucinated": 1,
        "accuracy": 0.5,
    }
    json.dumps(metrics.tables, allow_nan=False)


def test_aggregate_counts_every_repeat_and_is_none_when_empty() -> None:
    perfect = {"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None}
    items = [answered(perfect, repeat=0), answered({"issuer": "Someone Else"}, repeat=1)]
    v = aggregate(items, Settings.model_validate(SCORER)).values
    assert v["field_accuracy"] == pytest.approx(4 / 6)  # 3 + (due_date null absent) 1 over 6 pairs
    assert v["adversarial_pass_rate"] is None  # no adversarial cases
    empty = aggregate([], Settings.model_validate(SCORER))
    assert all(empty.values[name] is None for name in METRICS)
    assert empty.tables == {"per_field": {}}


# ---------------------------------------------------------------------------------------------- protocol


@pytest.mark.parametrize(
    ("answer", "gold", "scorer", "schema"),
    [
        ({"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": None}, None, None, SCHEMA),
        ({"issuer": "Brightline Analytics, LLC", "total_amount": 7550.02, "due_date": "2026-04-13"}, None, None, None),
        ('```json\n{"issuer": "Brightline", "total_amount": "7,550.00"}\n```', None, None, SCHEMA),
        ("I cannot help with that.", None, None, SCHEMA),
        ({"issuer": ["a", {"b": 1}], "total_amount": {"v": 1}, "due_date": [[]], "notes": "rush"}, None, None, SCHEMA),
        ({"issuer": "Brightline Analytics LLC", "notes": None}, None, None, None),
        ({"f": ["Flat White", "Flat White", 3]}, {"f": ["Flat White", "Oat Latte"]}, {"fields": {"f": LIST}}, None),
        ({"d": "14.03.2026", "n": "n/a", "e": "USD"}, {"d": "2026-03-14", "n": 5, "e": "usd"}, SCORER_DNE, None),
    ],
)
def test_score_carries_every_value_and_its_detail_round_trips(
    answer: str | dict[str, Any],
    gold: dict[str, Any] | None,
    scorer: dict[str, Any] | None,
    schema: dict[str, Any] | None,
) -> None:
    result = run(answer, gold=gold, scorer=scorer, schema=schema)
    assert result.status == "scored"
    assert set(result.values) == {"resolved", *VALUES}
    assert all(isinstance(v, float) for v in result.values.values())
    assert result.values["resolved"] == float(bool(result.resolved))
    assert Detail.model_validate(result.detail).model_dump(mode="json") == result.detail
    assert scored(make_case(gold or GOLD), result, category="extraction").detail == Detail.model_validate(result.detail)


def test_values_per_case() -> None:
    three = run({"issuer": "Brightline Analytics, LLC", "total_amount": 7550.02, "due_date": "2026-04-13"})
    assert three.values == {
        "resolved": 0.0,
        "field_accuracy": pytest.approx(1 / 3),
        "parsed": 1.0,
        "format_deviation": 0.0,
        "schema_valid": 1.0,
        "hallucinated_fields": 1.0,
        "missing_fields": 0.0,
    }
    unparseable = run("I cannot help with that.")
    assert unparseable.values["parsed"] == 0.0 and unparseable.values["schema_valid"] == 0.0
    assert unparseable.values["missing_fields"] == 2.0 and unparseable.values["field_accuracy"] == 0.0
    extra = run({"issuer": "Brightline Analytics LLC", "total_amount": None, "due_date": None, "notes": "rush"})
    assert extra.values["hallucinated_fields"] == 1.0 and extra.values["missing_fields"] == 1.0
    fenced = run('```json\n{"issuer": "Brightline Analytics LLC", "total_amount": 7550, "due_date": null}\n```')
    assert fenced.values["format_deviation"] == 1.0 and fenced.values["resolved"] == 1.0
    # Without a schema nothing can violate one: 1.0, the same on every case of the suite.
    no_schema = run({"issuer": 5}, schema=None)
    assert no_schema.detail["schema_valid"] is None and no_schema.values["schema_valid"] == 1.0


def test_registered_with_the_scorer_protocol() -> None:
    spec = scorer_for("extraction")
    assert spec.expectation is Expectation and spec.settings is Settings and spec.detail is Detail
    assert spec.metrics == METRICS and spec.values == VALUES
    assert spec.score is score and spec.aggregate is aggregate


# ---------------------------------------------------------------------------------------------- the real suite


def test_real_suite_cases_and_settings_validate_and_gold_answers_resolve() -> None:
    loaded = load_suite(ROOT / "suites" / "extraction.yaml")
    settings = Settings.model_validate(loaded.suite.scorer)
    assert loaded.suite.primary_metric in METRICS
    assert {c.split for c in loaded.cases} == {"golden", "adversarial"}
    items = []
    for case in loaded.cases:
        expected = Expectation.model_validate(case.expected)
        assert set(expected.fields) == set(settings.fields), case.id
        ctx = ScoreContext(suite=loaded.suite, case=case, response=Response(text=json.dumps(expected.fields)))
        result = score(ctx, settings)
        assert result.resolved, (case.id, result.detail)
        assert result.detail["schema_valid"] is True, (case.id, result.detail["schema_errors"])
        items.append(scored(case, result, category="extraction"))
    values = aggregate(items, settings).values
    assert values["field_accuracy"] == 1.0 and values["adversarial_pass_rate"] == 1.0
    assert values["field_precision"] == 1.0 and values["hallucinated_fields"] == 0
