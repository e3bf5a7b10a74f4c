"""Scorers, one module per category (see `base.py` for the protocol)."""

from __future__ import annotations

import importlib
from functools import cache

from evalkit.scoring.base import CaseScore, Metrics, ScoreContext, Scored, ScorerSpec

CATEGORIES = ("classification", "extraction", "summarization", "coding", "toolcall")


@cache
def scorer_for(category: str) -> ScorerSpec:
    module = importlib.import_module(f"evalkit.scoring.{category}")
    return ScorerSpec(
        category=category,
        expectation=module.Expectation,
        settings=module.Settings,
        metrics=tuple(module.METRICS),
        score=module.score,
        aggregate=module.aggregate,
        load_assets=getattr(module, "load_fixture_assets", None),
        missing_asset=getattr(module, "missing_asset", None),
    )


__all__ = ["CATEGORIES", "CaseScore", "Metrics", "ScoreContext", "Scored", "ScorerSpec", "scorer_for"]
