"""The gate's statistics, checked by simulation against truths we can compute exactly.

Every simulation is seeded (data and bootstrap), so each figure below is deterministic; trial counts are
chosen so the Monte-Carlo error is well inside each tolerance (binomial SE of a 95% rate: 0.49 pt at
2000 trials, 0.69 pt at 1000). Paired binary outcomes are drawn from a joint table
(both right, baseline only, candidate only, both wrong) = (a, b, c, d), so the true difference in
accuracy is exactly c - b and the SD of per-case differences is sqrt(b + c - (c - b)**2).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from evalkit.metrics.stats import (
    Interval,
    McNemar,
    cases_to_decide,
    mcnemar,
    paired_mean_difference,
    paired_statistic_difference,
    per_case_sd,
)

Floats = npt.NDArray[np.float64]
MARGIN = 0.05


def paired_binary(rng: np.random.Generator, n: int, table: tuple[float, float, float, float]) -> tuple[Floats, Floats]:
    """n paired 0/1 outcomes from the joint table (a, b, c, d); see the module docstring."""
    k = rng.choice(4, size=n, p=list(table))
    return (k <= 1).astype(np.float64), ((k == 0) | (k == 2)).astype(np.float64)


def lower_bounds(n: int, table: tuple[float, float, float, float], trials: int, seed: int) -> Iterator[Interval]:
    rng = np.random.default_rng(seed)
    for t in range(trials):
        yield paired_mean_difference(*paired_binary(rng, n, table), seed=t)


def test_truly_worse_candidate_rarely_qualifies() -> None:
    """Candidate worse by twice the margin (0.85 vs 0.75, correlated pairs, n=200) must almost never get
    a lower bound above -margin: the gate's false-qualify rate far from the boundary.
    Measured: 0 of 200 trials."""
    table = (0.73, 0.12, 0.02, 0.13)  # baseline 0.85, candidate 0.75
    rate = np.mean([iv.lower > -MARGIN for iv in lower_bounds(200, table, trials=200, seed=1)])
    assert rate <= 0.05


def test_truly_equal_candidate_usually_qualifies() -> None:
    """Equal models (0.85 both, strongly correlated pairs, n=400) show non-inferiority in most trials:
    the gate has power, pairing is doing its job. Measured: 98% of 200 trials."""
    table = (0.82, 0.03, 0.03, 0.12)
    rate = np.mean([iv.lower > -MARGIN for iv in lower_bounds(400, table, trials=200, seed=2)])
    assert rate >= 0.80


def test_cluster_resampling_widens_and_restores_coverage() -> None:
    """30 clusters of 10 cases sharing a cluster effect on the difference (ICC 0.5, design effect 5.5):
    resampling clusters widens the interval by about sqrt(5.5) = 2.3 and brings one-sided coverage of
    the true difference (0) back near 95%, where ignoring clusters covers only ~76%.
    Measured over 300 datasets: width ratio min 1.84, median 2.31; coverage 95.3% vs 78.7%."""
    rng = np.random.default_rng(3)
    k, m, trials = 30, 10, 300
    clusters = [f"doc-{j}" for j in range(k) for _ in range(m)]
    ratios, covered_clustered, covered_naive = [], 0, 0
    for t in range(trials):
        base = np.repeat(rng.normal(0.7, 0.1, k), m) + rng.normal(0, 0.1, k * m)
        cand = base + np.repeat(rng.normal(0, 0.15, k), m) + rng.normal(0, 0.15, k * m)
        clustered = paired_mean_difference(base, cand, clusters=clusters, seed=t)
        naive = paired_mean_difference(base, cand, seed=t)
        assert clustered.clusters == k and naive.clusters == k * m == clustered.cases
        assert "30 clusters (300 cases)" in clustered.method
        ratios.append((clustered.upper - clustered.lower) / (naive.upper - naive.lower))
        covered_clustered += clustered.lower <= 0
        covered_naive += naive.lower <= 0
    assert min(ratios) > 1.3
    assert 1.9 < float(np.median(ratios)) < 2.8
    assert covered_clustered / trials >= 0.90
    assert covered_naive / trials <= 0.85


def coverage(n: int, table: tuple[float, float, float, float], trials: int) -> tuple[float, float]:
    true = table[2] - table[1]
    ivs = list(lower_bounds(n, table, trials, seed=1000 + n))
    return float(np.mean([iv.lower <= true for iv in ivs])), float(np.mean([iv.upper >= true for iv in ivs]))


REALISTIC = (0.75, 0.10, 0.05, 0.10)  # baseline 0.85, candidate 0.80, true difference -0.05 = -margin


@pytest.mark.parametrize(
    ("n", "table", "trials"),
    [
        (100, REALISTIC, 2000),  # measured: lower 95.5%, upper 94.7%
        (300, REALISTIC, 1000),  # measured: lower 96.4%, upper 95.3%
        (50, (0.60, 0.20, 0.10, 0.10), 2000),  # ~15 discordant pairs; measured: lower 95.35%, upper 95.7%
    ],
)
def test_one_sided_bounds_cover_the_true_difference(
    n: int, table: tuple[float, float, float, float], trials: int
) -> None:
    """Each one-sided 95% bound is on the right side of the true difference in 95% +/- 2.5 pt of trials.
    With the true difference at exactly -margin, 1 - lower coverage IS the gate's false-qualify rate
    at the boundary, so this is the test that the 5% error rate the gate promises is real."""
    lower, upper = coverage(n, table, trials)
    assert 0.925 <= lower <= 0.975, lower
    assert 0.925 <= upper <= 0.975, upper


def test_known_undercoverage_with_few_discordant_pairs_at_n50() -> None:
    """A documented shortfall, kept apart from the +/- 2.5 pt test above rather than loosening it: at
    n=50 with the realistic table only ~7.5 pairs are discordant and BCa's lower bound covers about
    92%, not 95% (91.9% over 16,000 trials, SE 0.2 pt), so at the boundary the gate would wrongly
    qualify ~8% of the time instead of 5%. Percentile (92.5%) and t (93.1%) bounds are no better; the
    cause is the handful of discordant pairs, not n (the 15-discordant n=50 case above covers 95%).
    With this test's seed: lower 92.7%, upper 92.6%. This pins the figure so a change is noticed."""
    lower, upper = coverage(50, REALISTIC, trials=2000)
    assert 0.90 <= lower <= 0.94, lower
    assert 0.915 <= upper <= 0.975, upper


def test_cases_to_decide_matches_simulated_power() -> None:
    """The formula's n is within a factor 1.5 of the n simulation needs for 80% power: at n/1.5 the
    simulated power is below 0.8, at n it is roughly 0.8, at 1.5 n above 0.8.
    True difference -0.01 (b=0.06, c=0.05), margin 0.05, sd 0.3315 -> n = 425.
    Measured (200 trials each): power 0.685 at 283, 0.79 at 425, 0.885 at 637."""
    b, c = 0.06, 0.05
    table = (0.80, b, c, 1 - 0.80 - b - c)
    diff, sd = c - b, math.sqrt(b + c - (c - b) ** 2)
    n = cases_to_decide(diff, sd, MARGIN)
    assert n == 425

    def power(cases: int) -> float:
        return float(np.mean([iv.lower > -MARGIN for iv in lower_bounds(cases, table, trials=200, seed=4)]))

    assert power(round(n / 1.5)) < 0.8
    assert 0.65 <= power(n) <= 0.92
    assert power(round(n * 1.5)) > 0.8


def test_cases_to_decide_edges() -> None:
    """The closed form on a hand-computed value, and the two edges the gate branches on: an estimate at
    or below -margin can never be shown non-inferior (None), and zero spread needs one case."""
    # ((1.6449 + 0.8416) * 0.3 / 0.05) ** 2 = 222.6
    assert cases_to_decide(0.0, 0.3, 0.05) == 223
    assert cases_to_decide(-0.05, 0.3, 0.05) is None
    assert cases_to_decide(-0.2, 0.3, 0.05) is None
    assert cases_to_decide(0.0, 0.0, 0.05) == 1
    with pytest.raises(ValueError):
        cases_to_decide(0.0, -1.0, 0.05)


def test_general_path_agrees_with_mean_path() -> None:
    """With a mean as the statistic, the general path draws the same resamples (same seed, same
    cluster order) and snaps the same ties, so it reproduces the vectorised path; checked with and
    without clusters (some cases with no cluster). Measured difference: 0."""
    rng = np.random.default_rng(6)
    base, cand = paired_binary(rng, 120, REALISTIC)
    clusters: list[str | None] = [None if i % 7 == 0 else f"t{i % 11}" for i in range(120)]

    def diff(idx: npt.NDArray[np.intp]) -> float:
        return float(cand[idx].mean() - base[idx].mean())

    for cl in (None, clusters):
        fast = paired_mean_difference(base, cand, clusters=cl, seed=9)
        general = paired_statistic_difference(120, diff, clusters=cl, seed=9)
        assert general.estimate == pytest.approx(fast.estimate, abs=1e-12)
        assert general.lower == pytest.approx(fast.lower, abs=1e-9)
        assert general.upper == pytest.approx(fast.upper, abs=1e-9)
        assert general.se == pytest.approx(fast.se, abs=1e-9)
        assert (general.clusters, general.cases) == (fast.clusters, fast.cases)


def test_general_path_resamples_whole_clusters() -> None:
    """The statistic sees case positions expanded from whole clusters: every call's multiset is a union
    of complete clusters (a None case being a cluster of one)."""
    clusters = ["a", "b", "a", None, "c", "b", "a", None]
    seen: list[npt.NDArray[np.intp]] = []

    def record(idx: npt.NDArray[np.intp]) -> float:
        seen.append(idx.copy())
        return float(len(idx))

    iv = paired_statistic_difference(8, record, clusters=clusters, resamples=50)
    assert iv.clusters == 5 and iv.cases == 8
    assert sorted(seen[0].tolist()) == list(range(8))
    for idx in seen:
        times = np.bincount(idx, minlength=8)  # how often each case was drawn
        for members in ([0, 2, 6], [1, 5]):
            assert len(set(times[members].tolist())) == 1, idx


def test_same_seed_same_interval() -> None:
    """Reports re-render identically: same inputs and seed give the identical Interval."""
    base, cand = paired_binary(np.random.default_rng(7), 80, REALISTIC)
    assert paired_mean_difference(base, cand, seed=3) == paired_mean_difference(base, cand, seed=3)
    assert paired_mean_difference(base, cand, seed=3) != paired_mean_difference(base, cand, seed=4)


def test_mcnemar_hand_computed() -> None:
    """b=1, c=6 among 12 pairs: exact two-sided p = 2 * P(X <= 1 | n=7, 1/2) = 2 * 8/128 = 0.125."""
    baseline = [True] * 3 + [False] * 2 + [True] + [False] * 6
    candidate = [True] * 3 + [False] * 2 + [False] + [True] * 6
    forward, backward = mcnemar(baseline, candidate), mcnemar(candidate, baseline)
    assert (forward.b, forward.c, backward.b, backward.c) == (1, 6, 6, 1)
    assert forward.p_value == pytest.approx(0.125) and backward.p_value == pytest.approx(0.125)


def test_mcnemar_degenerate() -> None:
    """No discordant pairs, one pair, or no pairs: finite figures, never an exception."""
    assert mcnemar([True, False, True], [True, False, True]) == McNemar(0, 0, 1.0)
    assert mcnemar([True], [False]) == McNemar(1, 0, 1.0)
    assert mcnemar([], []) == McNemar(0, 0, 1.0)
    with pytest.raises(ValueError):
        mcnemar([True], [True, False])


@pytest.mark.parametrize(
    ("base", "cand", "estimate"),
    [
        ([1.0] * 30, [1.0] * 30, 0.0),  # every case right on both sides
        ([0.5, 0.25, 1.0], [1.0, 0.75, 1.5], 0.5),  # constant difference
        ([1.0], [0.0], -1.0),  # n = 1
        ([1.0, 1.0], [0.0, 0.0], -1.0),  # n = 2, identical
    ],
)
def test_degenerate_intervals_are_finite_and_labelled(base: list[float], cand: list[float], estimate: float) -> None:
    """When every resample gives the same value BCa is undefined; the interval collapses to the
    estimate with se 0, says so in `method`, and no warning escapes even under -W error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        iv = paired_mean_difference(base, cand)
        general = paired_statistic_difference(
            len(base), lambda i: float(np.mean(np.asarray(cand)[i] - np.asarray(base)[i]))
        )
    for got in (iv, general):
        assert (got.estimate, got.lower, got.upper, got.se) == (estimate, estimate, estimate, 0.0)
        assert got.method.startswith("degenerate") and "collapsed" in got.method
        assert per_case_sd(got) == 0.0


def test_tiny_samples_give_finite_bounds() -> None:
    """Two or three differing cases: BCa is defined but crude; the bounds are finite and ordered."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for base, cand in (([1.0, 0.0], [0.0, 0.0]), ([1.0, 1.0, 0.0], [0.0, 1.0, 1.0])):
            iv = paired_mean_difference(base, cand)
            assert all(math.isfinite(x) for x in (iv.lower, iv.upper, iv.se))
            assert iv.lower <= iv.estimate <= iv.upper


def test_bca_undefined_falls_back_to_percentile() -> None:
    """A statistic whose resamples vary but whose leave-one-out values are all equal makes BCa's
    acceleration 0/0; the interval falls back to the percentile interval of the same resamples, says
    so, and is finite."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        iv = paired_statistic_difference(3, lambda i: float(np.count_nonzero(i == 0) >= 2))
    assert iv.method.startswith("percentile bootstrap")
    assert (iv.estimate, iv.lower, iv.upper) == (0.0, 0.0, 1.0) and iv.se > 0


def test_invalid_inputs_raise() -> None:
    """Empty samples, mismatched lengths, NaN values and statistics that are not finite are errors,
    never a NaN interval."""
    with pytest.raises(ValueError):
        paired_mean_difference(np.array([]), np.array([]))
    with pytest.raises(ValueError):
        paired_statistic_difference(0, lambda i: 0.0)
    with pytest.raises(ValueError):
        paired_mean_difference([1.0, 0.0], [1.0])
    with pytest.raises(ValueError):
        paired_mean_difference([1.0, math.nan], [1.0, 0.0])
    with pytest.raises(ValueError):
        paired_mean_difference([1.0, 0.0], [1.0, 0.0], clusters=["a"])
    # 1 / (number of times case 0 was drawn): infinite on resamples that miss case 0
    with pytest.raises(ValueError), np.errstate(divide="ignore"):
        paired_statistic_difference(4, lambda i: float(np.float64(1.0) / np.count_nonzero(i == 0)))


def test_per_case_sd_inverts_the_standard_error() -> None:
    """For a per-case mean, se * sqrt(units) recovers the SD of paired differences (to bootstrap
    noise and the plug-in (n-1)/n factor), which is what makes it a fair input to cases_to_decide."""
    base, cand = paired_binary(np.random.default_rng(8), 400, REALISTIC)
    iv = paired_mean_difference(base, cand)
    assert per_case_sd(iv) == pytest.approx(float(np.std(cand - base, ddof=1)), rel=0.05)
