"""The scorer protocol: one module (or package) per category, each a handful of plain functions.

A scorer module defines:
- `Expectation`: pydantic model for a case's `expected` block (validated when the suite loads);
- `Settings`: pydantic model for the suite's `scorer:` block (validated when the suite loads);
- `Detail`: pydantic model of what `score` found on one answer (stored as JSON, read back typed);
- `Summary` (optional): a base class of `Detail` holding only what `aggregate`, `escalation_reason` and
  the gate read; reports parse each stored detail straight into it (an extraction `Detail` is ~17 KB as
  Python objects, its summary a small fraction), so 100,000 answers fit in memory. Default: `Detail`;
- `case_info(case) -> CaseInfo` (optional): what `aggregate` reads of a case, when it is more than the
  id, split and tags (`CaseInfo.of`, the default);
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

from evalkit.inputs.cases import Case, CaseHead
from evalkit.records import Response, Score, ToolDef

D = TypeVar("D", bound=BaseModel, covariant=True)


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


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What `aggregate` and the gate read of a case: a metric never needs the case's input or its
    expectation, and holding 33,333 full `Case` models was a third of a large report's memory."""

    id: str
    split: str
    tags: tuple[str, ...] = ()
    expected_calls: int = 0
    """Tool calls the case expects (tool-call suites; 0 elsewhere): `argument_accuracy` divides by it."""

    @classmethod
    def of(cls, case: Case | CaseHead) -> CaseInfo:
        return cls(case.id, case.split, tuple(case.tags))


@dataclass(frozen=True, slots=True)
class Scored(Generic[D]):
    """A scored case as `aggregate` sees it: the case's id, split and tags, the repeat, the stored score
    (`aggregate` reads its `resolved`; the metrics stage empties its detail and values) and its typed
    detail (the scorer's `Summary`, or the full `Detail`).
    Covariant in the detail: a `Scored[Detail]` is a `Scored[Summary]`, so tests and callers holding
    full details pass them to the same `aggregate`."""

    case: CaseInfo
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
    summary: type[BaseModel] | None = None
    """What reports parse a stored detail into (the module's `Summary`); None: the `Detail` itself."""
    case_info: Callable[[Case | CaseHead], CaseInfo] = CaseInfo.of
    """What `aggregate` reads of a case (the module's `case_info`, else id, split and tags)."""

    @property
    def summary_model(self) -> type[BaseModel]:
        return self.summary or self.detail

    def scored(self, case: Case, repeat: int, score: Score) -> Scored[Any]:
        """The typed view `aggregate` takes, with the full `Detail`; only for `scored` scores. The
        metrics stage builds the lighter `scored_json` view instead; `aggregate` takes either."""
        return Scored(self.case_info(case), repeat, score, self.detail.model_validate(score.detail))

    def scored_json(self, case: CaseInfo, repeat: int, score: Score, detail_json: str) -> Scored[Any]:
        """The same view straight from a stored `detail_json`: pydantic parses the JSON into the small
        summary model without building the dict of the whole detail first."""
        return Scored(case, repeat, score, self.summary_model.model_validate_json(detail_json))


def rate(numerator: float, denominator: float) -> float | None:
    """A ratio that is None (not 0) when there is nothing to divide by."""
    return float(numerator) / float(denominator) if denominator else None
