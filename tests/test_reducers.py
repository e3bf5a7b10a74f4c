"""Repeats reduced to one outcome per case, by the suite's declared rule, the same for every category."""

from __future__ import annotations

import pytest

from evalkit.metrics.reducers import pass_at_k, reduce_case
from evalkit.records import Score


def s(resolved: bool, **values: float) -> Score:
    return Score(status="scored", resolved=resolved, values={"resolved": float(resolved), **values})


def test_mean_all_any() -> None:
    scores = [s(True, x=1.0), s(False, x=0.0), s(True, x=0.5)]
    assert reduce_case("c", scores, "mean").resolved == pytest.approx(2 / 3)
    assert reduce_case("c", scores, "all").resolved == 0.0
    assert reduce_case("c", scores, "any").resolved == 1.0
    assert reduce_case("c", scores, "mean").values["x"] == pytest.approx(0.5)


def test_unscored_repeats_are_counted_and_left_out() -> None:
    out = reduce_case("c", [s(True), Score.unscored("truncated"), Score.unscored("infra_error")], "all")
    assert (out.repeats, out.scored, out.resolved) == (3, 1, 1.0)
    assert out.statuses == {"scored": 1, "truncated": 1, "infra_error": 1}
    nothing = reduce_case("c", [Score.unscored("scorer_error", "boom")], "mean")
    assert nothing.resolved is None and nothing.values == {}


def test_pass_at_k_is_the_unbiased_estimator() -> None:
    assert pass_at_k(5, 0, 1) == 0.0
    assert pass_at_k(5, 5, 3) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    assert pass_at_k(10, 3, 2) == pytest.approx(1 - (7 * 6) / (10 * 9))
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)
