"""The sample-size formula shared by the gate (after a run) and `evalkit power` (before one).

Its own module, free of numpy and scipy: every `evalkit run` checks its suites' power before the
first call, and importing the bootstrap's stack for one closed-form formula cost each run a few
hundred milliseconds. `evalkit.metrics.stats` re-exports it.
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["cases_to_decide"]


def cases_to_decide(
    estimate: float, sd: float, margin: float, *, confidence: float = 0.95, power: float = 0.8
) -> int | None:
    """Paired cases needed for the one-sided lower bound to clear -margin with probability `power`,
    at observed mean difference `estimate` and SD of per-case paired differences `sd`:
    n = ceil(((z_confidence + z_power) * sd / (estimate + margin))**2). None when estimate <= -margin
    (more cases would not show non-inferiority). 0 sd -> 1.

    This is the normal-approximation power calculation for a one-sided non-inferiority test, which is
    what an INCONCLUSIVE verdict needs to say how far it is from deciding. It treats the observed
    estimate as the truth, so it is a planning figure, not a promise: the estimate is itself noisy.
    The unit of n is the unit `sd` is per: cases for per-case SDs, clusters for `per_case_sd` of a
    clustered interval.
    """
    if not (math.isfinite(estimate) and math.isfinite(sd) and math.isfinite(margin)) or sd < 0:
        raise ValueError(f"estimate, sd and margin must be finite and sd >= 0, got {estimate}, {sd}, {margin}")
    if not 0.5 <= confidence < 1.0 or not 0.0 < power < 1.0:
        raise ValueError(f"confidence must be in [0.5, 1) and power in (0, 1), got {confidence}, {power}")
    gap = estimate + margin
    if gap <= 0:
        return None
    if sd == 0:
        return 1
    # the stdlib's normal quantile (Wichura's AS241, as scipy's ndtri)
    z = NormalDist().inv_cdf(confidence) + NormalDist().inv_cdf(power)
    return max(1, math.ceil((z * sd / gap) ** 2))
