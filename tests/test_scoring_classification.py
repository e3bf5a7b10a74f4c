"""Classification scoring: label parsing rules and metrics equal to scikit-learn's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from evalkit.inputs.suites import load_suite
from evalkit.scoring import classification as cls
from evalkit.scoring import scorer_for
from tests.helpers import ctx, make_case, make_suite, scored

LABELS = ["refund_request", "order_status", "escalate"]
SETTINGS = cls.Settings(labels=LABELS, abstain_label="escalate")


@pytest.mark.parametrize(
    ("text", "label", "how"),
    [
        ("refund_request", "refund_request", "exact"),
        ("  Refund request.\n", "refund_request", "tolerant"),
        ("`order-status`", "order_status", "tolerant"),
        ("Label: escalate", "escalate", "tolerant"),
        ("The intent is order_status.", "order_status", "tolerant"),
        ("refund_request or order_status", cls.INVALID, "invalid"),  # two labels: no answer
        ("order_status\nor maybe refund_request", cls.INVALID, "invalid"),  # a hedge on the next line
        ("escalate\n\norder_status", cls.INVALID, "invalid"),
        ("refund_request\nThe customer wants a refund, not a replacement.", "refund_request", "tolerant"),
        ("not refund_request", cls.INVALID, "invalid"),  # a label named to rule it out
        ("Do not escalate.", cls.INVALID, "invalid"),
        ("It’s not order_status.", cls.INVALID, "invalid"),
        ("No escalation needed: order_status", "order_status", "tolerant"),
        ("I would like to help you with that!", cls.INVALID, "invalid"),
        ("", cls.INVALID, "invalid"),
    ],
)
def test_label_parsing(text: str, label: str, how: str) -> None:
    assert cls.parse_label(text, SETTINGS) == (label, how)


def test_strict_mode_only_takes_exact_labels() -> None:
    strict = cls.Settings(labels=LABELS, tolerant=False)
    assert cls.parse_label("Refund request.", strict) == (cls.INVALID, "invalid")


def test_json_answer_format() -> None:
    s = cls.Settings(labels=LABELS, answer_format="json", json_field="intent")
    assert cls.parse_label('```json\n{"intent": "escalate"}\n```', s) == ("escalate", "json")
    assert cls.parse_label('{"intent": "nonsense"}', s) == (cls.INVALID, "invalid")
    assert cls.parse_label("escalate", s) == (cls.INVALID, "invalid")


def test_invalid_answer_is_unresolved_and_flagged() -> None:
    suite = make_suite("classification")
    result = cls.score(ctx(suite, make_case({"label": "refund_request"}), "dunno"), SETTINGS)
    assert not result.resolved and result.detail["invalid"] and result.detail["predicted"] == cls.INVALID
    assert result.values["invalid"] == 1.0 and result.values["resolved"] == 0.0


@pytest.mark.parametrize(
    ("settings", "answer"),
    [
        (SETTINGS, "refund_request"),
        (SETTINGS, "Refund request."),
        (SETTINGS, "order_status"),
        (SETTINGS, "no idea"),
        (cls.Settings(labels=LABELS, answer_format="json"), '{"label": "escalate"}'),
        (cls.Settings(labels=LABELS, answer_format="json"), "{not json"),
    ],
)
def test_score_carries_every_value_and_a_detail_that_round_trips(settings: cls.Settings, answer: str) -> None:
    suite = make_suite("classification")
    result = cls.score(ctx(suite, make_case({"label": "refund_request"}), answer), settings)
    assert result.is_scored
    assert set(result.values) == {"resolved", *cls.VALUES}
    assert all(v in (0.0, 1.0) for v in result.values.values())
    assert result.values["resolved"] == float(bool(result.resolved))
    detail = scorer_for("classification").detail.model_validate(result.detail)
    assert isinstance(detail, cls.Detail)
    assert detail.model_dump(mode="json") == result.detail
    assert result.values["invalid"] == float(detail.invalid)
    assert result.values["format_deviation"] == float(detail.format_deviation)


def test_metrics_equal_scikit_learn_on_the_same_labels() -> None:
    suite = make_suite("classification")
    pairs = [
        ("refund_request", "refund_request"),
        ("refund_request", "order_status"),
        ("order_status", "order_status"),
        ("escalate", "escalate"),
        ("escalate", "nonsense"),
        ("order_status", "escalate"),
        ("refund_request", "refund_request"),
    ]
    items = []
    for i, (true, answer) in enumerate(pairs):
        case = make_case({"label": true}, case_id=f"c{i}", split="adversarial" if true == "escalate" else "golden")
        items.append(scored(case, cls.score(ctx(suite, case, answer), SETTINGS), category="classification"))
    m = cls.aggregate(items, SETTINGS)
    y_true = [t for t, _ in pairs]
    y_pred = [a if a in LABELS else cls.INVALID for _, a in pairs]
    assert m.values["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, labels=LABELS, average="macro"))
    assert m.values["micro_f1"] == pytest.approx(f1_score(y_true, y_pred, labels=LABELS, average="micro"))
    p, r, f, n = precision_recall_fscore_support(y_true, y_pred, labels=LABELS, zero_division=0)
    for i, label in enumerate(LABELS):
        assert m.tables["per_label"][label] == pytest.approx(
            {"precision": p[i], "recall": r[i], "f1": f[i], "support": n[i]}
        )
    assert (
        m.tables["confusion_matrix"]["matrix"]
        == confusion_matrix(y_true, y_pred, labels=[*LABELS, cls.INVALID]).tolist()
    )
    assert m.values["accuracy"] == pytest.approx(4 / 7)
    assert m.values["invalid_rate"] == pytest.approx(1 / 7)
    # escalate: predicted once correctly, once for an order_status case -> precision 1/2; recall 1/2
    assert (m.values["abstain_precision"], m.values["abstain_recall"]) == (0.5, 0.5)
    assert m.values["adversarial_pass_rate"] == 0.5


def test_averaged_f1_the_gate_resamples_equals_scikit_learn() -> None:
    """The gate recomputes macro-F1 thousands of times with the counting shortcut; it must be the very
    figure `aggregate` reports and scikit-learn computes (absent labels, invalid answers, one-label runs)."""
    labels = ["refund_request", "order_status", "escalate", "complaint", "cancel_order"]
    settings = cls.Settings(labels=labels, abstain_label="escalate")
    suite = make_suite("classification")
    rng = random.Random(5)
    for trial in range(40):
        n = rng.randint(1, 60)
        true_pool = labels[: rng.randint(1, len(labels))]
        answers = [*labels, "no idea"]
        items = []
        for i in range(n):
            case = make_case({"label": rng.choice(true_pool)}, case_id=f"t{trial}-{i}")
            answer = case.expected["label"] if rng.random() < 0.6 else rng.choice(answers)
            items.append(scored(case, cls.score(ctx(suite, case, answer), settings), category="classification"))
        y_true = [i.detail.expected for i in items]
        y_pred = [i.detail.predicted for i in items]
        present = [x for x in labels if x in y_true or x in y_pred]
        m = cls.aggregate(items, settings)
        for average in ("macro", "micro", "weighted"):
            want = f1_score(y_true, y_pred, labels=present, average=average, zero_division=0)
            assert cls.averaged_f1(items, settings, average) == pytest.approx(want, abs=1e-12), (trial, average)
            assert m.values[f"{average}_f1"] == pytest.approx(want, abs=1e-12)
        if present:
            p, r, _, _ = precision_recall_fscore_support(
                y_true, y_pred, labels=present, average="macro", zero_division=0
            )
            assert (m.values["macro_precision"], m.values["macro_recall"]) == pytest.approx((p, r), abs=1e-12)
        p_, r_, f_, n_ = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
        for i, label in enumerate(labels):
            assert m.tables["per_label"][label] == pytest.approx(
                {"precision": p_[i], "recall": r_[i], "f1": f_[i], "support": n_[i]}
            )
        assert (
            m.tables["confusion_matrix"]["matrix"]
            == confusion_matrix(y_true, y_pred, labels=[*labels, cls.INVALID]).tolist()
        )


def test_no_answers_gives_undefined_metrics_not_zero() -> None:
    m = cls.aggregate([], SETTINGS)
    assert m.values["macro_f1"] is None and m.values["accuracy"] is None
    assert all(v is None for v in m.values.values()) and set(m.values) == set(cls.METRICS)


def test_abstain_label_must_be_a_label() -> None:
    with pytest.raises(ValueError, match="abstain_label"):
        cls.Settings(labels=["a", "b"], abstain_label="escalate")


def test_shipped_suite_gold_labels_are_all_declared_labels() -> None:
    loaded = load_suite(Path(__file__).resolve().parents[1] / "suites" / "classification.yaml")
    settings = cls.Settings.model_validate(loaded.suite.scorer)
    assert len(settings.labels) in range(9, 14) and settings.abstain_label == "escalate"
    golden = [c for c in loaded.cases if c.split == "golden"]
    adversarial = [c for c in loaded.cases if c.split == "adversarial"]
    assert len(golden) >= 60 and len(adversarial) >= 25
    for case in loaded.cases:
        assert cls.score(ctx(loaded.suite, case, case.expected["label"]), settings).resolved
