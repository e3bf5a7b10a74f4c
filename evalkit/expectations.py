"""Per-category checks of a case's `expected` block, run at load time.

A scorer owns the meaning of its expectation; this module asks the category's expectation model to
validate, so a malformed expectation is an input error before any call rather than a scoring crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from evalkit.sourcefile import validation_error

if TYPE_CHECKING:
    from evalkit.cases import Case
    from evalkit.suite import Suite


def expectation_model(category: str) -> type[BaseModel] | None:
    """The pydantic model a category's `expected` must satisfy (None: any mapping)."""
    return None


def check_expectations(suite: Suite, positioned: list[tuple[Path, int, Case]]) -> None:
    model = expectation_model(suite.category)
    if model is None:
        return
    for file, line, case in positioned:
        try:
            model.model_validate(case.expected)
        except ValidationError as exc:
            raise validation_error(exc, file, line=line, prefix=("expected",)) from None
