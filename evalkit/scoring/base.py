"""The scorer protocol: one module per category, each a handful of plain functions.

A scorer module defines:
- `Expectation`: pydantic model for a case's `expected` block (validated when the suite loads);
- `Settings`: pydantic model for the suite's `scorer:` block (validated when the suite loads);
- `METRICS`: the names `aggregate` reports; a suite's `primary_metric` must be one of them;
- `score(ctx, settings) -> CaseScore`: one answered case -> `resolved` + detail (JSON-able);
- `aggregate(items, settings) -> Metrics`: all scored cases of a suite -> metrics.

Scoring is a pure function of what the store holds (suite, case, canonical response, suite assets), so
`evalkit score RUN` reproduces exactly what `evalkit run` computed. Infrastructure errors are never
passed to a scorer: they are not answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evalkit.cases import Case
from evalkit.response import Response
from evalkit.suite import Suite


@dataclass(frozen=True)
class ScoreContext:
    suite: Suite
    case: Case
    response: Response
    assets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Files the suite ships besides its cases (coding repository fixtures): name -> path -> text."""


class CaseScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved: bool
    """Scored correct: the unit of "cost per resolved task" and of pairing cases across runs."""
    detail: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class Scored:
    case: Case
    repeat: int
    score: CaseScore


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
    metrics: tuple[str, ...]
    score: Callable[[ScoreContext, Any], CaseScore]
    aggregate: Callable[[Sequence[Scored], Any], Metrics]
    load_assets: Callable[[Path, Any], dict[str, dict[str, str]]] | None = None
    """Files a suite needs besides its cases, snapshotted into the store with it (coding fixtures)."""
    missing_asset: Callable[[dict[str, Any], dict[str, dict[str, str]]], str | None] | None = None
    """Why a case's expectation refers to an asset the suite does not have (None when fine)."""


def rate(numerator: float, denominator: float) -> float | None:
    """A ratio that is None (not 0) when there is nothing to divide by."""
    return float(numerator) / float(denominator) if denominator else None
