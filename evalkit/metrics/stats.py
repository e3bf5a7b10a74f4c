"""Statistics the migration gate stands on: paired intervals, McNemar, and the n that would decide.

The gate asks one question per category: is the candidate at most `margin` worse than the baseline?
It answers with the one-sided lower bound of (candidate - baseline) against -margin, so that bound has
to be honest at the sizes evals actually have (tens to a few hundred cases). Hence:

- **Paired**: both models answer the same cases and per-case scores correlate strongly, so the
  difference is resampled case by case, never as two independent samples (Miller 2024).
- **BCa, not percentile**: percentile/CLT intervals are too narrow below a few hundred items (Bowyer et
  al. 2025); BCa corrects bias and skew, which binary outcomes near 0 or 1 have plenty of. Measured
  (tests/test_stats.py): 95% one-sided bounds cover 94.5-96.5% at n=100-300, and at n=50 with ~15
  discordant pairs; with only ~7 discordant pairs (n=50) they cover ~92%, as percentile and t do.
- **Clusters**: cases that share a source document, conversation or template are not independent.
  Resampling whole clusters (and jackknifing one cluster at a time inside BCa) keeps the interval
  from claiming precision the data does not have; clustered SEs can be several times naive ones.
- **Never NaN, never a warning as an exception**: a gate that crashes or prints NaN on an all-correct
  category is worse than one that says, in `method`, that the interval collapsed.

Everything random is seeded: the same inputs and seed give the same `Interval`, so a report re-renders
identically.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from evalkit.metrics.planning import cases_to_decide as cases_to_decide  # re-exported: the gate and tests use it here

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

# Resampled index arrays are (batch, units); cap their size so 20k-case suites stay in memory.
_MAX_BATCH_CELLS = 4_000_000


@dataclass(frozen=True)
class Interval:
    """A paired difference (candidate - baseline) with a one-sided bound on each side."""

    estimate: float  # the statistic (candidate - baseline) on the full sample
    lower: float  # one-sided lower bound at `confidence`
    upper: float  # one-sided upper bound at `confidence`
    confidence: float  # e.g. 0.95
    method: str  # human-readable, e.g. "BCa bootstrap over 37 clusters (300 cases), 2000 resamples"
    resamples: int
    cases: int
    clusters: int  # resampling units (== cases when no clusters)
    se: float  # bootstrap standard error of the statistic


@dataclass(frozen=True)
class McNemar:
    """Exact McNemar test on the discordant pairs of two paired binary outcomes."""

    b: int  # baseline right, candidate wrong
    c: int  # baseline wrong, candidate right
    p_value: float  # exact two-sided (binomtest on b of b+c at 0.5); 1.0 when b+c == 0


def _snap(values: npt.ArrayLike) -> FloatArray:
    """Round to 12 significant digits so floating-point noise cannot break exact ties.

    A discrete statistic (accuracy, F1) has many resamples exactly equal to the observed value, and
    BCa's bias correction counts which side of it they fall on; 0.07999999999999996 vs 0.08 must not
    decide that.
    """
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(divide="ignore"):
        digits = np.clip(np.floor(np.log10(np.abs(x))), -250, 250)
    scale = 10.0 ** (11 - digits)
    return np.asarray(np.round(x * scale) / scale, dtype=np.float64)


def _cluster_ids(n_cases: int, clusters: Sequence[str | None] | None) -> IntArray:
    """Dense cluster id per case, in order of first appearance; a None (or no clusters) is its own unit."""
    if clusters is None:
        return np.arange(n_cases, dtype=np.intp)
    if len(clusters) != n_cases:
        raise ValueError(f"clusters has {len(clusters)} entries for {n_cases} cases")
    seen: dict[str, int] = {}
    ids = np.empty(n_cases, dtype=np.intp)
    next_id = 0
    for i, name in enumerate(clusters):
        if name is None:
            ids[i] = next_id
            next_id += 1
        elif name in seen:
            ids[i] = seen[name]
        else:
            ids[i] = seen[name] = next_id
            next_id += 1
    return ids


def _check_common(n_cases: int, confidence: float, resamples: int) -> None:
    if n_cases <= 0:
        raise ValueError("no cases: an interval needs at least one paired case")
    if not 0.5 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0.5, 1), got {confidence}")
    if resamples < 1:
        raise ValueError(f"resamples must be positive, got {resamples}")


def _bootstrap_units(
    n_units: int,
    statistic: Callable[..., Any],
    vectorized: bool,
    n_cases: int,
    clustered: bool,
    confidence: float,
    resamples: int,
    seed: int,
) -> Interval:
    """BCa bootstrap over resampling units 0..n_units-1, with every degenerate case made explicit.

    The two-sided interval at 2*confidence-1 gives both one-sided bounds at `confidence` in one call.
    Warnings are recorded rather than shown, so a `-W error` test run or a strict gate never turns
    scipy's DegenerateDataWarning into a crash; the outcome is described in `method` instead.
    """
    estimate = float(statistic(np.arange(n_units, dtype=np.intp)))
    if not math.isfinite(estimate):
        raise ValueError(f"the statistic is not finite on the full sample ({estimate})")
    where = f"{n_units} clusters ({n_cases} cases)" if clustered else f"{n_cases} cases"
    label, lower, upper, se = "", estimate, estimate, 0.0
    if n_units < 2:
        label = f"degenerate: a single resampling unit ({where}), so every resample is the same"
    else:
        from scipy import stats  # imported here: only the gate and compare bootstrap

        data = (np.arange(n_units, dtype=np.intp),)
        kw: dict[str, Any] = {
            "batch": max(1, min(resamples, _MAX_BATCH_CELLS // n_units)),
            "vectorized": vectorized,
            "confidence_level": 2 * confidence - 1,
            "rng": np.random.default_rng(seed),
        }
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            res = stats.bootstrap(data, statistic, n_resamples=resamples, method="BCa", **kw)
            dist = np.asarray(res.bootstrap_distribution, dtype=np.float64)
            if not np.all(np.isfinite(dist)):
                raise ValueError(
                    "the statistic was not finite on some bootstrap resample; it must be defined "
                    "on every multiset of cases (guard divisions such as cost per resolved task)"
                )
            if float(np.ptp(dist)) == 0.0:
                label = f"degenerate: all {resamples} bootstrap resamples over {where} gave the same value"
            else:
                label, se = "BCa bootstrap", float(np.std(dist, ddof=1))
                lower, upper = float(res.confidence_interval.low), float(res.confidence_interval.high)
                if not (math.isfinite(lower) and math.isfinite(upper)):
                    # The resamples vary but the jackknife does not (acceleration 0/0): BCa is
                    # undefined, so use the percentile interval of the same resamples and say so.
                    pct = {"method": "percentile", "bootstrap_result": res}
                    res = stats.bootstrap(data, statistic, n_resamples=0, **pct, **kw)
                    lower, upper = float(res.confidence_interval.low), float(res.confidence_interval.high)
                    label = "percentile bootstrap (BCa undefined: every leave-one-out value is equal)"
    tail = "; interval collapsed to the estimate" if se == 0.0 else f" over {where}, {resamples} resamples"
    method = label + tail
    return Interval(estimate, lower, upper, confidence, method, resamples, n_cases, n_units, se)


def paired_mean_difference(
    baseline: npt.ArrayLike,
    candidate: npt.ArrayLike,
    *,
    clusters: Sequence[str | None] | None = None,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> Interval:
    """Fast, vectorised path: per-case values (already reduced over repeats) on both sides, paired by
    position; statistic = mean(candidate) - mean(baseline) over the resampled cases. With clusters,
    whole clusters are resampled (cases whose cluster is None are each their own cluster); the mean
    is then the ratio sum/count over the resampled clusters.

    Resampling indexes per-cluster sums and counts, so a resample costs O(clusters) whatever the
    cluster sizes, and the ratio form is exactly the case mean of the expanded multiset.
    """
    base = np.asarray(baseline, dtype=np.float64)
    cand = np.asarray(candidate, dtype=np.float64)
    if base.ndim != 1 or base.shape != cand.shape:
        raise ValueError(f"baseline and candidate must be 1-D and the same length, got {base.shape}, {cand.shape}")
    n_cases = int(base.shape[0])
    _check_common(n_cases, confidence, resamples)
    if not (np.all(np.isfinite(base)) and np.all(np.isfinite(cand))):
        raise ValueError("per-case values must be finite")
    ids = _cluster_ids(n_cases, clusters)
    n_units = int(ids.max()) + 1
    sums = np.bincount(ids, weights=cand - base, minlength=n_units)
    counts = np.bincount(ids, minlength=n_units).astype(np.float64)

    def statistic(units: npt.NDArray[Any], axis: int = -1) -> FloatArray:
        idx = np.asarray(units, dtype=np.intp)
        return _snap(sums[idx].sum(axis=axis) / counts[idx].sum(axis=axis))

    clustered = clusters is not None and n_units < n_cases
    return _bootstrap_units(n_units, statistic, True, n_cases, clustered, confidence, resamples, seed)


def paired_statistic_difference(
    n_cases: int,
    statistic: Callable[[IntArray], float],
    *,
    clusters: Sequence[str | None] | None = None,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> Interval:
    """General path for metrics that are not per-case means (macro-F1, cost per resolved task):
    `statistic(indices)` gets an int array of case positions (with repeats, as one bootstrap resample
    expanded from clusters to cases) and returns candidate-minus-baseline recomputed on that multiset.

    The caller computes both sides on the same indices, which is what makes the bootstrap paired.
    The statistic must be finite on every resample (a ValueError says so otherwise): a ratio whose
    denominator can be 0 on a resample needs a guard, because dropping such resamples would bias the
    interval. With the same data and seed this draws the same resamples as `paired_mean_difference`.
    """
    _check_common(n_cases, confidence, resamples)
    ids = _cluster_ids(n_cases, clusters)
    n_units = int(ids.max()) + 1
    order = np.argsort(ids, kind="stable").astype(np.intp)  # cases grouped by cluster
    sizes = np.bincount(ids, minlength=n_units).astype(np.intp)
    starts = (np.cumsum(sizes) - sizes).astype(np.intp)

    def expand(units: npt.NDArray[Any]) -> IntArray:
        """Case positions of the resampled clusters, each cluster's members contiguous."""
        u = np.asarray(units, dtype=np.intp)
        lens = sizes[u]
        first = np.cumsum(lens) - lens
        pos = np.arange(int(lens.sum()), dtype=np.intp) - np.repeat(first - starts[u], lens)
        return np.asarray(order[pos], dtype=np.intp)

    def on_units(units: npt.NDArray[Any]) -> float:
        return float(_snap(statistic(expand(units))))

    clustered = clusters is not None and n_units < n_cases
    return _bootstrap_units(n_units, on_units, False, n_cases, clustered, confidence, resamples, seed)


def mcnemar(baseline: Sequence[bool], candidate: Sequence[bool]) -> McNemar:
    """Exact McNemar test: only discordant pairs carry information about which model is better.

    Concordant pairs (both right, both wrong) say nothing about the difference, which is why this is
    far more sensitive than comparing two accuracies as if unpaired. Exact binomial rather than
    chi-squared because eval categories often have only a handful of discordant pairs.
    """
    if len(baseline) != len(candidate):
        raise ValueError(f"baseline has {len(baseline)} outcomes, candidate {len(candidate)}")
    b = sum(1 for x, y in zip(baseline, candidate, strict=True) if x and not y)
    c = sum(1 for x, y in zip(baseline, candidate, strict=True) if y and not x)
    if b + c == 0:
        return McNemar(0, 0, 1.0)
    from scipy import stats

    p = float(stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue)
    return McNemar(b, c, min(1.0, p))


def per_case_sd(interval: Interval) -> float:
    """SD of paired differences per resampling unit implied by a bootstrap SE: se * sqrt(clusters).

    For a mean, SE = SD / sqrt(n), so this inverts it; for statistics that are not means (macro-F1,
    cost per resolved task) it is the SD a per-case mean with the same SE would have, which is what
    `cases_to_decide` needs. With clusters it is per *cluster*, so `cases_to_decide` then counts
    clusters of the current average size: multiply by cases / clusters for cases (equivalently use
    se * sqrt(cases)). A collapsed (degenerate) interval gives 0, hence n = 1: read `method` first.
    """
    return interval.se * math.sqrt(interval.clusters)
