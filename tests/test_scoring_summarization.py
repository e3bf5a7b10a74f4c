"""Summarization scorer: key-fact coverage, forbidden strings, unsupported content, length and format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite, load_suite
from evalkit.records import Response, Score
from evalkit.scoring import scorer_for
from evalkit.scoring.base import ScoreContext, Scored
from evalkit.scoring.summarization import (
    METRICS,
    VALUES,
    Detail,
    Expectation,
    Settings,
    aggregate,
    escalation_reason,
    normalise,
    present_exactly,
    score,
    unsupported_content,
)
from tests.helpers import scored

ROOT = Path(__file__).parents[1]

SOURCE = (
    "Customer: Hi, my blender arrived with a cracked jug. Order #A-20931, I paid $89.99.\n"
    "Agent (Luis): Sorry Hannah. The replacement jug is out of stock, so I approved a partial refund of $42.50 "
    "to your Visa. It takes 3-5 business days. Earlier I said the refund would land by 31 May, but it is 12 June now.\n"
    "Agent (Luis): Our courier collects the old jug on 22 August at 10:30, and again on the 23rd if needed. "
    'Your account was credited 1,200.00 points. Your note reads "no return needed".'
)

REFUND_FACT = {"id": "k1", "fact": "Refund of $42.50", "must_include": [["42.50", "42.5"], ["refund", "refunded"]]}
STOCK_FACT = {"id": "k2", "fact": "Jug out of stock", "must_include": [["out of stock", "unavailable"]]}


def make_suite(**scorer: Any) -> Suite:
    return Suite.model_validate(
        {
            "name": "summ",
            "version": "1",
            "category": "summarization",
            "primary_metric": "key_fact_coverage",
            "prompt": {"user": "{{ source }}"},
            "scorer": {"max_words": 80, "fuzzy_threshold": 88, "format": "prose", **scorer},
        }
    )


def make_case(
    expected: dict[str, Any] | None = None,
    source: str = SOURCE,
    case_id: str = "c1",
    split: str = "golden",
    tags: list[str] | None = None,
) -> Case:
    return Case.model_validate(
        {
            "id": case_id,
            "input": {"source": source, "kind": "support thread"},
            "expected": expected or {"key_facts": [REFUND_FACT, STOCK_FACT], "max_words": 80},
            "split": split,
            "tags": tags or [],
        }
    )


def run(text: str, expected: dict[str, Any] | None = None, source: str = SOURCE, **scorer: Any) -> Score:
    suite = make_suite(**scorer)
    settings = Settings.model_validate(suite.scorer)
    return score(ScoreContext(suite=suite, case=make_case(expected, source), response=Response(text=text)), settings)


def one_fact(*groups: list[str], forbidden: list[str] | None = None, max_words: int = 80) -> dict[str, Any]:
    expected: dict[str, Any] = {
        "key_facts": [{"id": "k", "fact": "f", "must_include": [list(g) for g in groups]}],
        "max_words": max_words,
    }
    if forbidden is not None:
        expected["forbidden"] = forbidden
    return expected


def covered(text: str, *groups: list[str], **scorer: Any) -> bool:
    return bool(run(text, one_fact(*groups), **scorer).detail["facts"][0]["covered"])


# ------------------------------------------------------------------ models


def test_settings_and_expectation_validate_strictly() -> None:
    assert Settings.model_validate({"max_words": 60, "fuzzy_threshold": 90, "format": "bullets"}).format == "bullets"
    with pytest.raises(ValidationError):
        Settings.model_validate({"max_words": 80, "colour": "blue"})
    with pytest.raises(ValidationError):
        Settings.model_validate({"format": "haiku"})
    assert Expectation.model_validate({"key_facts": [REFUND_FACT]}).max_words is None
    with pytest.raises(ValidationError):
        Expectation.model_validate({"key_facts": [{**REFUND_FACT, "must_include": [[]]}]})
    with pytest.raises(ValidationError):
        Expectation.model_validate({"key_facts": [REFUND_FACT, REFUND_FACT]})  # duplicate fact ids
    with pytest.raises(ValidationError):
        Expectation.model_validate({"key_facts": [REFUND_FACT], "surprise": 1})


def test_registered_with_the_scorer_protocol() -> None:
    spec = scorer_for("summarization")
    assert spec.expectation is Expectation
    assert spec.settings is Settings
    assert "key_fact_coverage" in spec.metrics
    assert spec.detail is Detail and spec.values == VALUES
    assert spec.score is score and spec.aggregate is aggregate


# ------------------------------------------------------------------ key-fact coverage


def test_a_fact_needs_every_group_and_reports_the_missing_ones() -> None:
    full = run("Luis approved a refund of $42.50; the jug is out of stock.")
    assert full.resolved
    assert full.detail["facts_covered"] == 2
    partial = run("Luis approved $42.50; the jug is out of stock.")
    fact = partial.detail["facts"][0]
    assert not fact["covered"]
    assert fact["missing_groups"] == [["refund", "refunded"]]
    assert fact["matched"][0]["alternative"] == "42.50"
    assert partial.detail["omissions"] == ["k1"]
    assert not partial.resolved


def test_figures_match_only_with_digit_boundaries() -> None:
    assert not covered("a refund of $142.50", ["42.5"])
    assert not covered("a refund of $42.50", ["42.5"])  # 42.50 is its own alternative in the case files
    assert covered("a refund of $42.50", ["42.50"])
    assert covered("a refund of $102.00", ["102"])  # trailing .00 is the same amount
    assert not covered("a refund of $10.50", ["10"])
    assert not covered("1,200 points", ["200"])
    assert not covered("the 18,000 budget", ["18"])
    assert not covered("call at 10:30", ["10"])
    assert covered("within 3–5 business days", ["3-5"])  # en dash unified


def test_words_match_whole_with_light_inflection() -> None:
    assert covered("Takes five days.", ["day"])
    assert covered("The item was dropped.", ["drop"])
    assert covered("The fee was waived.", ["waive"])
    assert not covered("Thanks for the feedback.", ["fee"])
    assert not covered("A rapid reply.", ["API"])
    assert covered("The customer won’t be charged.", ["won't be charged"])  # curly apostrophe unified
    assert covered("THE JUG IS OUT OF STOCK", ["out of stock"])  # casefolded


def test_fuzzy_matching_for_long_word_alternatives_only() -> None:
    assert covered("The case was escalated to billing.", ["escalat"])  # stem via partial_ratio 100
    assert covered("A replacment jug.", ["replacement"])  # typo: partial_ratio 95.2 >= 88
    assert not covered("A replacment jug.", ["replacement"], fuzzy_threshold=100)
    assert not covered("She was lat.", ["late"])  # under five characters: exact only
    assert not covered("A refund of $42.60.", ["42.50"])  # figures are never fuzzy
    detail = run("A replacment jug.", one_fact(["replacement"])).detail
    assert detail["facts"][0]["matched"][0]["how"] == "fuzzy"


# ------------------------------------------------------------------ forbidden strings


def test_forbidden_strings_are_exact_and_decisive() -> None:
    expected = one_fact(["refund"], forbidden=["31 May", "500", "disband"])
    assert run("A refund, no charge for May.", expected).detail["forbidden_violations"] == []
    hit = run("A refund lands by 31 May.", expected)
    assert hit.detail["forbidden_violations"] == ["31 May"]
    assert hit.detail["facts_covered"] == 1
    assert not hit.resolved
    assert run("A refund of $500.00.", expected).detail["forbidden_violations"] == ["500"]
    assert run("A refund of $1,500 or 5000.", expected).detail["forbidden_violations"] == []
    assert run("A refund; the team is disbanded.", expected).detail["forbidden_violations"] == ["disband"]


# ------------------------------------------------------------------ forbidden claims (issue 12)

CLAIMS_SOURCE = (
    "Customer: my SoundCore 300 headphones crackle in the left ear. Also the boots from order BT-20566 "
    "(£139) never came, so do I get a full refund and new boots?\n"
    "Agent (Paula): I can't confirm warranty cover without proof of purchase, so nothing is approved yet; "
    "the ticket stays open for 14 days. For the boots, the carrier investigation INV-33710 takes up to "
    "8 business days, and I can't decide between a refund and a replacement before it ends.\n"
    "Ola: Agent training is on 20 February. Later: the launch moves, so training moves to 13 March."
)
OPEN_FACT = {"id": "k1", "fact": "Warranty cover not confirmed", "must_include": [["not yet", "can't confirm"]]}
APPROVED = {"claim": "The warranty claim was approved", "value": ["approved", "accepted", "granted"],
            "context": [["claim", "warranty", "cover"]]}  # fmt: skip
BOOTS = {"claim": "A full refund and new boots were agreed", "value": ["full refund"],
         "context": [["agreed", "approved", "will receive", "issued", "offered"]]}  # fmt: skip
TRAINING = {"claim": "Training on 20 February", "value": ["20 February", "February 20"], "context": [["training"]]}


def claims_case(*forbidden: Any) -> dict[str, Any]:
    return {"key_facts": [OPEN_FACT], "max_words": 80, "forbidden": list(forbidden)}


def made(text: str, *forbidden: Any) -> list[str]:
    return list(run(text, claims_case(*forbidden), source=CLAIMS_SOURCE).detail["forbidden_violations"])


def test_invented_outcomes_fail_even_with_every_key_fact() -> None:
    """sum-a-013 / sum-a-015 of the old suite: "claim approved" and "full refund and new boots" scored
    resolved because no forbidden string covered them. A forbidden claim names the outcome, not a string."""
    bad = run("Cover can't confirm yet. The warranty claim was approved.", claims_case(APPROVED), CLAIMS_SOURCE)
    assert bad.detail["facts_covered"] == 1 and bad.detail["forbidden_violations"] == [APPROVED["claim"]]
    assert not bad.resolved
    assert made("Paula agreed to a full refund and new boots.", BOOTS) == [BOOTS["claim"]]
    # The same words, negated, hedged or attributed to the customer's request, make no claim.
    for text in (
        "Warranty cover not yet confirmed; the claim has not been approved.",
        "The claim can only be approved once proof of purchase arrives.",
        "The claim is yet to be approved.",
    ):
        assert made(text, APPROVED) == [], text
    for text in (
        "The customer asked for a full refund and new boots; nothing agreed yet.",
        "A full refund or new boots depends on the investigation, which has not agreed anything yet.",
    ):
        assert made(text, BOOTS) == [], text
    fine = run("Warranty cover not yet confirmed; nothing approved, claim not yet approved.", claims_case(APPROVED),
               source=CLAIMS_SOURCE)  # fmt: skip
    assert fine.resolved and fine.detail["forbidden_qualified"] == [APPROVED["claim"]]


def test_superseded_values_mentioned_as_superseded_pass() -> None:
    """sum-a-006/007/008/010/017 of the old suite failed accurate "moved from X to Y" summaries, which
    golden sum-g-017/034 wrote in exactly that form: a superseded value fails only when asserted."""
    for text in (
        "Agent training moved from 20 February to 13 March.",
        "Agent training is on 13 March (was 20 February).",
        "Training is 13 March, not 20 February.",
        "The 20 February training was cancelled; training is now 13 March.",
        "Training originally set for 20 February now happens on 13 March.",
    ):
        assert made(text, TRAINING) == [], text
    for text in (
        "Agent training is on 20 February.",
        "Training was moved to 20 February.",
        "Training on 20 February, moved from 13 March.",  # "moved from" points the other way
    ):
        assert made(text, TRAINING) == [TRAINING["claim"]], text
    assert made("Launch on 20 February; training on 13 March.", TRAINING) == []  # said of something else
    # A plain string is a claim with that one value: superseded mentions pass, assertions fail.
    assert made("Training moved from 20 February to 13 March.", "20 February") == []
    assert made("Training on 20 February.", "20 February") == ["20 February"]


SPANISH = "Cliente: El pedido 88213 llegó roto. Agente (Andrés): Te devuelvo 4,95 € y el reemplazo llega el 9 de mayo."
SPANISH_FACT = {"key_facts": [{"id": "k1", "fact": "4.95 refunded", "must_include": [["4,95", "4.95"]]}]}


def test_a_summary_in_the_wrong_language_fails_when_the_suite_sets_one() -> None:
    """sum-a-021..026 of the old suite accepted an all-Spanish summary although the prompt asks for English."""
    spanish = "Andrés devuelve 4,95 € por el pedido 88213, que llegó roto, y el reemplazo llega el 9 de mayo."
    english = "Andrés refunds 4,95 € for broken order 88213; the replacement arrives on 9 May."
    bad = run(spanish, SPANISH_FACT, source=SPANISH, language="en")
    assert bad.detail["facts_covered"] == 1 and bad.detail["language"] == "es"
    assert not bad.detail["language_ok"] and not bad.resolved
    assert bad.values["resolved"] == 0.0
    assert escalation_reason(Detail.model_validate(bad.detail), Settings()) == "summary not in the required language"
    good = run(english, SPANISH_FACT, source=SPANISH, language="en")
    assert good.detail["language"] == "en" and good.resolved
    assert run("4,95 € ok.", SPANISH_FACT, source=SPANISH, language="en").detail["language"] is None  # too little prose
    assert run(spanish, SPANISH_FACT, source=SPANISH).resolved  # a suite that sets no language checks none
    german = "Andrés erstattet 4,95 € für die kaputte Bestellung 88213, der Ersatz kommt am 9. Mai."
    assert not run(german, SPANISH_FACT, source=SPANISH, language="en").detail["language_ok"]


# ------------------------------------------------------------------ unsupported content


def kinds(text: str, source: str = SOURCE) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in unsupported_content(text, source)]


def test_numbers_match_in_any_normal_form() -> None:
    assert kinds("Credited 1200 points, 1,200 points and 1200.00 points.") == []
    assert kinds("A refund of $42.5 on a $89.99 order, in 3-5 days.") == []
    assert kinds("A refund of $43.") == [("number", "43")]
    assert kinds("A 15% discount.") == [("number", "15")]


def test_identifiers_are_compared_whole_with_optional_hyphens() -> None:
    assert kinds("Order A-20931 and order A20931.") == []
    assert kinds("Order A-20932.") == [("identifier", "a-20932")]


def test_dates_are_supported_by_day_and_month_in_any_form() -> None:
    assert kinds("Refund by June 12, pickup on 22 August.") == []
    assert kinds("Refund by 12/06.") == []
    assert kinds("Refund by 13 June.") == [("date", "13 june")]
    # "the 23rd" next to "22 August" supports 23 August.
    assert kinds("A second pickup on 23 August.") == []


def test_quotes_must_be_in_the_source() -> None:
    assert kinds('The note says "no return needed".') == []
    assert kinds("The agent said “full refund guaranteed”.") == [("quote", "full refund guaranteed")]


def test_names_are_reported_but_not_decisive() -> None:
    assert kinds("The refund from Luis reached Hanna.") == []  # "Hanna" ~ "Hannah" (ratio 90.9)
    assert kinds("Stephanie approved it.") == []  # sentence start: not treated as a name
    result = run("Luis and Stephanie approved a refund of $42.50; the jug is out of stock.")
    assert result.detail["unsupported"] == [{"kind": "name", "text": "Stephanie"}]
    assert result.detail["unsupported_names"] == 1
    assert result.detail["unsupported_facts"] == 0
    assert result.resolved


def test_an_unsupported_fact_makes_the_case_unresolved() -> None:
    result = run("A refund of $42.50 plus $20 credit; the jug is out of stock.")
    assert result.detail["facts_covered"] == 2
    assert result.detail["unsupported"] == [{"kind": "number", "text": "20"}]
    assert result.detail["unsupported_facts"] == 1
    assert not result.resolved


# ------------------------------------------------------------------ length and format


def test_word_budget_is_decisive_and_the_case_overrides_the_suite() -> None:
    base = "A refund of $42.50; the jug is out of stock."  # 10 words
    padding = " ok" * 71
    assert run(base + padding).detail["words"] == 81
    assert not run(base + padding).resolved
    assert run(base + " ok" * 70).resolved  # exactly 80
    tight = {"key_facts": [REFUND_FACT, STOCK_FACT], "max_words": 9}
    assert run(base, tight).detail["max_words"] == 9
    assert not run(base, tight).resolved
    no_case_budget = {"key_facts": [REFUND_FACT, STOCK_FACT]}
    assert run(base, no_case_budget, max_words=10).resolved
    assert not run(base, no_case_budget, max_words=9).resolved


def test_format_is_reported_but_not_decisive() -> None:
    bullets = "- A refund of $42.50.\n- The jug is out of stock."
    prose = run(bullets)
    assert not prose.detail["format_ok"]
    assert prose.detail["format_violations"] == ["- A refund of $42.50.", "- The jug is out of stock."]
    assert prose.resolved
    assert run(bullets, format="bullets").detail["format_ok"]
    assert not run("1. A refund of $42.50.\nThe jug is out of stock.", format="bullets").detail["format_ok"]
    assert run("A refund of $42.50. The jug is out of stock.").detail["format_ok"]


def test_empty_or_odd_output_is_a_recorded_failure() -> None:
    empty = run("")
    assert not empty.resolved
    assert empty.detail["empty"]
    assert empty.detail["facts_covered"] == 0
    odd = run('\x00 "unclosed ¶ 1/1/1 99.99.99 𝟘 \u200b -- • ')
    assert not odd.resolved
    json.dumps(odd.detail)  # detail is JSON-serialisable


def test_html_entities_in_the_source_are_decoded() -> None:
    assert kinds("She paid €649.", source="<p>I paid &euro;649.</p>") == []
    assert normalise("A&nbsp;B  “C”") == 'a b "c"'
    assert present_exactly("3-5", normalise("3—5"))


# ------------------------------------------------------------------ aggregate


def answered(case: Case, text: str, repeat: int = 0) -> Scored[Detail]:
    suite = make_suite()
    settings = Settings.model_validate(suite.scorer)
    result = score(ScoreContext(suite=suite, case=case, response=Response(text=text)), settings)
    return scored(case, result, repeat, category="summarization")


def test_aggregate_metrics_by_hand() -> None:
    case_a = make_case(
        {"key_facts": [REFUND_FACT, STOCK_FACT], "max_words": 80, "forbidden": ["31 May"]}, case_id="a", tags=["refund"]
    )
    case_b = make_case({"key_facts": [STOCK_FACT], "max_words": 80}, case_id="b", split="adversarial")
    items = [
        answered(case_a, "A refund of $42.50; the jug is out of stock."),  # 10 words, resolved
        answered(case_a, "A refund of $42.50 by 31 May.", repeat=1),  # 7 words, 1/2 facts, forbidden hit
        answered(case_b, "The jug is out of stock, Stephanie says, with $999 credit."),  # 11 words, unsupported
    ]
    assert [i.score.resolved for i in items] == [True, False, False]
    metrics = aggregate(items, Settings())
    assert set(METRICS) <= set(metrics.values)
    v = metrics.values
    assert v["key_fact_coverage"] == pytest.approx(4 / 5)
    assert v["omission_rate"] == pytest.approx(1 / 5)
    assert v["cases_fully_covered"] == pytest.approx(2 / 3)
    assert v["unsupported_rate"] == pytest.approx(1 / 3)
    assert v["unsupported_facts"] == 1
    assert v["unsupported_names"] == 1
    assert v["forbidden_violations"] == 1
    assert v["forbidden_violation_rate"] == pytest.approx(1 / 2)  # over the answers that had forbidden strings
    assert v["length_compliance"] == 1.0
    assert v["format_compliance"] == 1.0
    assert v["mean_words"] == pytest.approx(28 / 3)
    assert v["resolved_rate"] == pytest.approx(1 / 3)
    assert v["adversarial_pass_rate"] == 0.0
    tables = metrics.tables
    assert tables["omissions"] == [
        {"case": "a", "fact_id": "k2", "fact": "Jug out of stock", "answers": 2, "missed": 1},
    ]
    assert tables["forbidden"] == [{"case": "a", "repeat": 1, "string": "31 May"}]
    assert {"case": "b", "repeat": 0, "kind": "number", "text": "999"} in tables["unsupported"]
    assert tables["by_tag"]["refund"]["key_fact_coverage"] == pytest.approx(3 / 4)


def test_aggregate_of_nothing_is_undefined_not_zero() -> None:
    values = aggregate([], Settings()).values
    assert set(METRICS) <= set(values)
    assert values["key_fact_coverage"] is None
    assert values["omission_rate"] is None
    assert values["resolved_rate"] is None
    assert values["adversarial_pass_rate"] is None
    assert values["forbidden_violation_rate"] is None
    assert values["unsupported_facts"] == 0


# ------------------------------------------------------------------ protocol


@pytest.mark.parametrize(
    ("text", "expected", "fmt"),
    [
        ("Luis approved a refund of $42.50; the jug is out of stock.", None, "prose"),
        ("", None, "prose"),
        ("- A replacment jug.\n- A refund of $42.50.", None, "bullets"),
        ("A refund of $42.50 plus $20 credit by 13 June, Stephanie said \"all settled\".", None, "prose"),
        ("A refund lands by 31 May.", one_fact(["refund"], forbidden=["31 May", "500"]), "prose"),
        ('\x00 "unclosed ¶ 1/1/1 99.99.99 𝟘 \u200b -- • ', None, "bullets"),
        ("A refund of $42.50; the jug is out of stock." + " ok" * 80, None, "prose"),
    ],
)
def test_score_carries_every_value_and_its_detail_round_trips(
    text: str, expected: dict[str, Any] | None, fmt: str
) -> None:
    result = run(text, expected, format=fmt)
    assert result.status == "scored"
    assert set(result.values) == {"resolved", *VALUES}
    assert all(isinstance(v, float) for v in result.values.values())
    assert result.values["resolved"] == float(bool(result.resolved))
    assert Detail.model_validate(result.detail).model_dump(mode="json") == result.detail
    assert scored(make_case(expected), result, category="summarization").detail == Detail.model_validate(result.detail)


def test_values_per_case() -> None:
    partial = run("A refund of $42.50 by 31 May, Stephanie says.", one_fact(["refund"], ["jug"], forbidden=["31 May"]))
    assert partial.values == {
        "resolved": 0.0,
        "key_fact_coverage": 0.0,
        "fully_covered": 0.0,
        "unsupported": 0.0,  # 31 May is in the source; Stephanie is a name, reported only
        "forbidden": 1.0,
        "length_ok": 1.0,
        "format_ok": 1.0,
        "words": 9.0,
    }
    two = run("A refund of $42.50 plus $20 credit.\n- The jug is out of stock." + " ok" * 70)
    assert two.values["key_fact_coverage"] == 1.0 and two.values["fully_covered"] == 1.0
    assert two.values["unsupported"] == 1.0 and two.values["length_ok"] == 0.0 and two.values["format_ok"] == 0.0
    assert two.values["forbidden"] == 0.0  # the case lists no forbidden strings, so none can be present
    half = run("A refund of $42.50.")
    assert half.values["key_fact_coverage"] == 0.5 and half.values["words"] == 4.0


# ------------------------------------------------------------------ the real suite


def test_real_suite_validates_and_gold_answers_resolve() -> None:
    loaded = load_suite(ROOT / "suites" / "summarization.yaml")
    settings = Settings.model_validate(loaded.suite.scorer)
    assert loaded.suite.primary_metric in METRICS
    assert any(c.split == "adversarial" for c in loaded.cases)
    items = []
    for case in loaded.cases:
        expected = Expectation.model_validate(case.expected)
        # A perfect answer: the first alternative of every group, one sentence per fact.
        text = " ".join(" ".join(g[0] for g in f.must_include) + "." for f in expected.key_facts)
        result = score(ScoreContext(suite=loaded.suite, case=case, response=Response(text=text)), settings)
        assert result.resolved, (case.id, result.detail)
        assert result.detail["unsupported"] == [], (case.id, result.detail["unsupported"])
        json.dumps(result.detail)
        items.append(scored(case, result, category="summarization"))
    values = aggregate(items, settings).values
    assert values["key_fact_coverage"] == 1.0
    assert values["adversarial_pass_rate"] == 1.0
