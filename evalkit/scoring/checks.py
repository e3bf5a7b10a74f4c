"""Load-time checks that tie a suite to its category's scorer.

A scorer owns the meaning of `expected` and of the suite's `scorer:` block; validating both when the
suite loads turns a malformed expectation into an input error naming the line, before any call,
rather than a scoring crash after an expensive run. The suite loader asks this module (the registry
side) to check a suite; the scorers themselves never import the loader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from evalkit.errors import InputError
from evalkit.inputs.files import line_of, validation_error
from evalkit.scoring.base import ScorerSpec

if TYPE_CHECKING:
    from evalkit.inputs.cases import Case
    from evalkit.inputs.suites import Suite

_EXTRA_METRIC = re.compile(r"^pass_at_\d+$")


def _check_metric(name: str, spec: ScorerSpec, path: Path, node: yaml.Node | None, loc: list[str]) -> None:
    if name not in spec.metrics and not _EXTRA_METRIC.match(name):
        raise InputError(
            f"{'.'.join(loc)} {name!r} is not a {spec.category} metric; one of: " + ", ".join(spec.metrics),
            path,
            line_of(node, loc),
            ".".join(loc),
        )


def check_scorer_settings(suite: Suite, spec: ScorerSpec, path: Path, node: yaml.Node | None) -> BaseModel:
    try:
        settings = spec.settings.model_validate(suite.scorer)
    except ValidationError as exc:
        raise validation_error(exc, path, node=node, prefix=("scorer",)) from None
    _check_metric(suite.primary_metric, spec, path, node, ["primary_metric"])
    if suite.gate.metric is not None:
        _check_metric(suite.gate.metric, spec, path, node, ["gate", "metric"])
    return settings


def expectation_error(spec: ScorerSpec, settings: BaseModel, file: Path, line: int, case: Case) -> InputError | None:
    """A case's expectation against its schema *and* the suite's scorer settings (passed as validation
    context): a gold label the scorer cannot output is a case that can never resolve, so it is bad input.
    Returned, not raised: the loader checks each case as it reads it and reports the error the
    phase-by-phase order gives (see `inputs/suites.py`)."""
    model: Any = spec.expectation
    try:
        model.model_validate(case.expected, context={"settings": settings})
    except ValidationError as exc:
        return validation_error(exc, file, line=line, prefix=("expected",))
    return None


def load_assets(spec: ScorerSpec, path: Path, settings: BaseModel) -> dict[str, dict[str, str]]:
    """The suite's assets (coding fixtures), snapshotted with it."""
    return spec.load_assets(path, settings) if spec.load_assets else {}


def asset_error(
    spec: ScorerSpec, assets: dict[str, dict[str, str]], file: Path, line: int, case: Case
) -> InputError | None:
    """A case naming an asset (a fixture repository) the suite does not have."""
    if spec.missing_asset is None:
        return None
    problem = spec.missing_asset(case.expected, assets)
    return InputError(problem, file, line, "expected.repo") if problem else None


__all__ = ["asset_error", "check_scorer_settings", "expectation_error", "load_assets"]
