"""The nightly configuration (`runners/nightly.yaml`): which suites against which endpoints, compared
with what tolerance against their blessed baselines. Typed like every other input, so a misspelt key
is an error naming its line, not a nightly job that silently checks less than it should."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from evalkit.inputs.files import load_yaml_model


class NightlyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suites: str = "all"
    """As `--suite`: a name, a path, a comma list or `all`."""
    endpoints: list[str] = Field(min_length=1)
    """Endpoint profiles (names or paths); each is run fresh (never from the cache) and compared with
    its blessed run per suite."""
    repeats: int = Field(default=1, ge=1)
    limit: int | None = Field(default=None, ge=1)
    tolerance: int = Field(default=0, ge=0)
    """Newly failing (non-flaky) cases allowed per suite before the night counts as a regression."""
    gate_baseline: str | None = None
    """An endpoint whose blessed run is the frontier baseline: each endpoint's blessed run and tonight's
    run are gated against it, and a verdict that flips from qualified to not is a regression."""
    out: str = "reports/nightly"
    """Where the nightly folder (compare reports, index page, JUnit XML) is written."""


def load_nightly(path: Path) -> NightlyConfig:
    return load_yaml_model(NightlyConfig, path)
