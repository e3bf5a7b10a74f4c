"""Dollar cost of a call, from list prices or from a GPU-hour price spread over throughput.

Cost is computed per call from the usage the provider reported, so retries and cache misses are paid
for exactly as often as they happened; that is what "cost per resolved task" needs.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evalkit.records import Usage


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input_per_mtok: float | None = Field(default=None, ge=0)
    cached_input_per_mtok: float | None = Field(default=None, ge=0)
    """Falls back to the input price when the provider has no cache discount."""
    output_per_mtok: float | None = Field(default=None, ge=0)
    gpu_hour_usd: float | None = Field(default=None, ge=0)
    output_tokens_per_s: float | None = Field(default=None, gt=0)
    """Sustained batched throughput that one GPU-hour is spread over (self-hosted only)."""
    utilization: float = Field(default=1.0, gt=0, le=1)
    source: str = ""
    """Where the numbers come from and as of when; a price with no provenance is not evidence."""
    batch_discount: float | None = Field(default=None, ge=0, lt=1)
    """Fraction off every token price through the provider's batch API (`evalkit run --batch`); None:
    the provider's usual discount (OpenAI's and Anthropic's batch APIs both bill half)."""
    batch_input_per_mtok: float | None = Field(default=None, ge=0)
    batch_cached_input_per_mtok: float | None = Field(default=None, ge=0)
    batch_output_per_mtok: float | None = Field(default=None, ge=0)
    """Explicit batch rates; each one given wins over the discount for its kind of token."""

    @model_validator(mode="after")
    def _one_kind(self) -> Price:
        token_priced = self.input_per_mtok is not None or self.output_per_mtok is not None
        gpu_priced = self.gpu_hour_usd is not None
        if token_priced and gpu_priced:
            raise ValueError("give either per-token prices or a GPU-hour price, not both")
        if gpu_priced and self.output_tokens_per_s is None:
            raise ValueError("a GPU-hour price needs output_tokens_per_s to spread it over")
        if gpu_priced and self.has_batch_rates():
            raise ValueError("batch rates apply to per-token prices, not to a GPU-hour price")
        return self

    def has_batch_rates(self) -> bool:
        """Whether the profile states its own batch pricing (how an OpenAI-compatible host says it has
        a batch API at all; OpenAI and Anthropic have one by definition)."""
        explicit = (self.batch_input_per_mtok, self.batch_cached_input_per_mtok, self.batch_output_per_mtok)
        return self.batch_discount is not None or any(v is not None for v in explicit)

    def batch(self, default_discount: float = 0.5) -> Price:
        """The price a batch-API call is billed at: explicit batch rates where given, else the list
        price less the discount. Why a separate price rather than a flag: every stored cost is
        computed from one `Price`, so a batch run's costs, reports and cost-per-resolved-task are
        right without any later stage knowing the run was a batch run."""
        keep = 1.0 - (self.batch_discount if self.batch_discount is not None else default_discount)

        def rate(explicit: float | None, listed: float | None) -> float | None:
            return explicit if explicit is not None else (None if listed is None else listed * keep)

        input_rate = rate(self.batch_input_per_mtok, self.input_per_mtok)
        cached = rate(self.batch_cached_input_per_mtok, self.cached_input_per_mtok)
        return Price(
            input_per_mtok=input_rate,
            cached_input_per_mtok=cached,
            output_per_mtok=rate(self.batch_output_per_mtok, self.output_per_mtok),
            source=f"{self.source} (batch rate)".strip(),
        )

    def effective_output_per_mtok(self) -> float:
        """Per-million output-token price; for GPU pricing, the seed's utilization arithmetic."""
        if self.gpu_hour_usd is not None and self.output_tokens_per_s is not None:
            tokens_per_hour = self.output_tokens_per_s * 3600 * self.utilization
            return self.gpu_hour_usd / tokens_per_hour * 1e6
        return self.output_per_mtok or 0.0

    def cost(self, usage: Usage) -> float:
        """Dollars for one call. Negative token counts are refused, never priced: the providers reject
        them as a malformed response (a retried infrastructure fault) before a Usage is made, so one
        reaching here is a bug, and a negative cost would silently flatter an endpoint."""
        if min(usage.input_tokens, usage.cached_input_tokens, usage.output_tokens) < 0:
            raise ValueError(f"negative token counts cannot be priced: {usage.model_dump()}")
        if self.gpu_hour_usd is not None:
            return usage.output_tokens * self.effective_output_per_mtok() / 1e6
        p_in = self.input_per_mtok or 0.0
        p_cached = self.cached_input_per_mtok if self.cached_input_per_mtok is not None else p_in
        cached = min(usage.cached_input_tokens, usage.input_tokens)
        uncached = usage.input_tokens - cached
        return (uncached * p_in + cached * p_cached + usage.output_tokens * (self.output_per_mtok or 0.0)) / 1e6
