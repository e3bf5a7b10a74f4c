"""Per-call dollars from list prices and from GPU-hour arithmetic (the seed's own figures)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evalkit.inputs.pricing import Price
from evalkit.records import Usage


def test_token_prices_with_cached_input_discount() -> None:
    price = Price(input_per_mtok=5.0, cached_input_per_mtok=0.5, output_per_mtok=25.0)
    usage = Usage(input_tokens=1_000_000, cached_input_tokens=400_000, output_tokens=100_000)
    assert price.cost(usage) == pytest.approx(0.6 * 5.0 + 0.4 * 0.5 + 0.1 * 25.0)


def test_cached_defaults_to_input_price() -> None:
    assert Price(input_per_mtok=0.14, output_per_mtok=0.28).cost(
        Usage(input_tokens=2_000_000, cached_input_tokens=1_000_000, output_tokens=0)
    ) == pytest.approx(0.28)


@pytest.mark.parametrize(
    ("tps", "util", "per_m"), [(800, 1.0, 1.215), (800, 0.3, 4.05), (200, 1.0, 4.86), (200, 0.3, 16.20)]
)
def test_gpu_hour_spread_over_throughput_matches_the_seed(tps: float, util: float, per_m: float) -> None:
    price = Price(gpu_hour_usd=3.50, output_tokens_per_s=tps, utilization=util)
    assert price.effective_output_per_mtok() == pytest.approx(per_m, abs=0.01)
    assert price.cost(Usage(input_tokens=10**6, output_tokens=10**6)) == pytest.approx(per_m, abs=0.01)


def test_mixed_pricing_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Price(input_per_mtok=1.0, gpu_hour_usd=3.5, output_tokens_per_s=100)
    with pytest.raises(ValidationError):
        Price(gpu_hour_usd=3.5)


def test_negative_token_counts_are_never_priced() -> None:
    """Providers reject them as malformed answers (tests/test_faults.py); pricing refuses them too,
    rather than returning a negative cost that would flatter an endpoint."""
    with pytest.raises(ValueError, match="negative token counts"):
        Price(input_per_mtok=1.0, output_per_mtok=2.0).cost(Usage(input_tokens=-5, output_tokens=3))
