"""Load-time checks that tie a suite to its category's scorer.

A scorer owns the meaning of `expected` and of the suite's `scorer:` block; validating both when the
suite loads turns a malformed expectation into an input error naming the line, before any call,
rather than a scoring crash after an expensive run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from evalkit.errors import InputError
from evalkit.sourcefile import line_of, validation_error

if TYPE_CHECKING:
    from evalkit.cases import Case
    from evalkit.scoring.base import ScorerSpec
    from evalkit.suite import Suite

_EXTRA_METRIC = re.compile(r"^pass_at_\d+$")


def check_scorer_settings(suite: Suite, spec: ScorerSpec, path: Path, node: yaml.Node | None) -> BaseModel:
    try:
        settings = spec.settings.model_validate(suite.scorer)
    except ValidationError as exc:
        raise validation_error(exc, path, node=node, prefix=("scorer",)) from None
    if suite.primary_metric not in spec.metrics and not _EXTRA_METRIC.match(suite.primary_metric):
        raise InputError(
            f"primary_metric {suite.primary_metric!r} is not a {suite.category} metric; one of: "
            + ", ".join(spec.metrics),
            path,
            line_of(node, ["primary_metric"]),
            "primary_metric",
        )
    return settings


def check_expectations(spec: ScorerSpec, positioned: list[tuple[Path, int, Case]]) -> None:
    model: Any = spec.expectation
    for file, line, case in positioned:
        try:
            model.model_validate(case.expected)
        except ValidationError as exc:
            raise validation_error(exc, file, line=line, prefix=("expected",)) from None
