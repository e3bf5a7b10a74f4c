"""Scorers, one module (or package) per category (see `base.py` for the protocol)."""

from __future__ import annotations

import importlib
from functools import cache

from evalkit.errors import InputError
from evalkit.scoring.base import CaseInfo, Metrics, ScoreContext, Scored, ScorerSpec

CATEGORIES = ("classification", "extraction", "summarization", "coding", "toolcall")


@cache
def scorer_for(category: str) -> ScorerSpec:
    """The category's scorer, imported on first use so a run only loads the stacks it needs."""
    if category not in CATEGORIES:
        raise InputError(f"unknown category {category!r}; one of: {', '.join(CATEGORIES)}", field="category")
    module = importlib.import_module(f"evalkit.scoring.{category}")
    return ScorerSpec(
        category=category,
        expectation=module.Expectation,
        settings=module.Settings,
        detail=module.Detail,
        metrics=tuple(module.METRICS),
        values=tuple(module.VALUES),
        score=module.score,
        aggregate=module.aggregate,
        escalation_reason=module.escalation_reason,
        load_assets=getattr(module, "load_fixture_assets", None),
        missing_asset=getattr(module, "missing_asset", None),
        summary=getattr(module, "Summary", None),
        case_info=getattr(module, "case_info", CaseInfo.of),
    )


__all__ = ["CATEGORIES", "CaseInfo", "Metrics", "ScoreContext", "Scored", "ScorerSpec", "scorer_for"]
