"""The scorer protocol: one module (or package) per category, each a handful of plain functions.

A scorer module defines:
- `Expectation`: pydantic model for a case's `expected` block (validated when the suite loads);
- `Settings`: pydantic model for the suite's `scorer:` block (validated when the suite loads);
- `Detail`: pydantic model of what `score` found on one answer (stored as JSON, read back typed);
- `METRICS`: the names `aggregate` reports; a suite's `primary_metric` must be one of them;
- `VALUES`: the named numeric per-case values `score` puts on every scored case (besides `resolved`);
- `score(ctx, settings) -> Score`: one answered case -> `Score.of(resolved, Detail(...), **values)`;
- `aggregate(items, settings) -> Metrics`: the *scored* cases of a suite -> metrics;
- `escalation_reason(detail, settings) -> str | None`: why a cheap first pass should hand this answer to
  the final authority (invalid structured output, unparseable tool call, an abstain label, no code).

Scoring is a pure function of what the store holds (suite, case, canonical response, suite assets), so
`evalkit score RUN` reproduces exactly what `evalkit run` computed. Infrastructure errors, truncated
answers and scorer errors never reach `aggregate`: the metrics layer counts them and skips them, the
way inspect_ai lets a sample be unscored instead of crashing the metric.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from evalkit.inputs.cases import Case
from evalkit.records import Response, Score, ToolDef

D = TypeVar("D", bound=BaseModel)


class SuiteView(Protocol):
    """What a scorer may read of its suite. A protocol, not the `Suite` model, so the scorers never
    import the suite loader that calls them (the loader asks the scorer registry to check a suite)."""

    @property
    def tools(self) -> list[ToolDef]: ...

    @property
    def output_schema(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class ScoreContext:
    suite: SuiteView
    case: Case
    response: Response
    assets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Files the suite ships besides its cases (coding repository fixtures): name -> path -> text."""


@dataclass(frozen=True)
class Scored(Generic[D]):
    """A scored case as `aggregate` sees it: the case, the repeat, the stored score and its typed detail."""

    case: Case
    repeat: int
    score: Score
    detail: D

    @property
    def resolved(self) -> bool:
        return bool(self.score.resolved)


@dataclass
class Metrics:
    values: dict[str, float | int | None] = field(default_factory=dict)
    """Scalar metrics (rates in [0, 1], counts); the primary metric is one of these."""
    tables: dict[str, Any] = field(default_factory=dict)
    """Structured detail for reports: per-label or per-field tables, confusion matrices."""


@dataclass(frozen=True)
class ScorerSpec:
    category: str
    expectation: type[BaseModel]
    settings: type[BaseModel]
    detail: type[BaseModel]
    metrics: tuple[str, ...]
    values: tuple[str, ...]
    score: Callable[[ScoreContext, Any], Score]
    aggregate: Callable[[Sequence[Scored[Any]], Any], Metrics]
    escalation_reason: Callable[[Any, Any], str | None]
    load_assets: Callable[[Path, Any], dict[str, dict[str, str]]] | None = None
    """Files a suite needs besides its cases, snapshotted into the store with it (coding fixtures)."""
    missing_asset: Callable[[dict[str, Any], dict[str, dict[str, str]]], str | None] | None = None
    """Why a case's expectation refers to an asset the suite does not have (None when fine)."""

    def scored(self, case: Case, repeat: int, score: Score) -> Scored[Any]:
        """The typed view `aggregate` takes; only for `scored` scores."""
        return Scored(case, repeat, score, self.detail.model_validate(score.detail))


def rate(numerator: float, denominator: float) -> float | None:
    """A ratio that is None (not 0) when there is nothing to divide by."""
    return float(numerator) / float(denominator) if denominator else None
