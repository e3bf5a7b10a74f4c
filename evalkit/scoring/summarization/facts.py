"""Key-fact coverage, and where a phrasing occurs in the summary.

Key facts and forbidden claims (`forbidden.py`) both ask "where does this alternative occur in the
summary", answered with one matcher so a case writer's alternative means the same thing in
`must_include` and in `forbidden`: figures exactly and digit-bounded, words as whole words with light
inflection. Only key facts may also match fuzzily (typos, stems); a forbidden value is matched exactly,
never fuzzily, so a near miss is not a violation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz

from evalkit.scoring.summarization.text import HAS_DIGIT, normalise

FUZZY_MIN_CHARS = 5
"""Shorter word alternatives match exactly only: at four characters a fuzzy hit is mostly noise."""


class KeyFact(BaseModel):
    """A fact the summary must carry, as the case writer lists it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    fact: str = Field(min_length=1)
    """The fact in words, for reports; matching uses `must_include` only."""
    must_include: list[list[str]] = Field(min_length=1)
    """Groups of alternatives: every group needs one alternative present for the fact to count."""

    @field_validator("must_include")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if not group:
                raise ValueError("a must_include group needs at least one alternative")
            if any(not alt.strip() for alt in group):
                raise ValueError("must_include alternatives must be non-empty strings")
        return groups


class Match(BaseModel):
    """How one group of a fact was found: the alternative, exactly or fuzzily, and the similarity."""

    model_config = ConfigDict(extra="forbid")

    alternative: str
    how: Literal["exact", "fuzzy"]
    score: float
    """100.0 for an exact match; rapidfuzz partial_ratio (rounded to 0.1) for a fuzzy one."""


class FactVerdict(BaseModel):
    """One key fact on one answer, as stored under `detail.facts`."""

    model_config = ConfigDict(extra="forbid")

    id: str
    fact: str
    covered: bool
    """Every `must_include` group has an alternative present."""
    matched: list[Match | None]
    """Per group, in order: the alternative found, or None."""
    missing_groups: list[list[str]]
    """The groups with no alternative present, for the omissions report."""


# A figure must not be part of a longer figure: "42.5" is absent from "142.50" and from "42.50",
# "200" from "1,200", "18" from "18,000" and "10" from "10:30"; a trailing ".00" is the same amount.
_DIGIT_BEFORE = r"(?<!\d)(?<!\d[.,:])"
_DIGIT_AFTER = r"(?!\d)(?!:\d)(?![.,](?!0{1,2}(?!\d))\d)"


@lru_cache(maxsize=4096)
def _alternative_regex(alternative: str) -> re.Pattern[str]:
    """Exact-presence pattern for one alternative (already stripped, original case).

    Figures match as digit-bounded substrings. Words match as whole words with light English
    inflection (refund/refunds/refunded, waive/waived/waiving, drop/dropped, day/days) because the
    case files list stems ("day", "fee", "flag") that a summary naturally inflects; capitalised
    alternatives (names, months, acronyms) only take a plural or possessive.
    """
    norm = normalise(alternative)
    core = re.escape(norm)
    if HAS_DIGIT.search(norm):
        head = _DIGIT_BEFORE if norm[0].isdigit() else ""
        tail = _DIGIT_AFTER if norm[-1].isdigit() else ""
        return re.compile(head + core + tail)
    head = r"(?<!\w)" if norm[0].isalnum() else ""
    if not norm[-1].isalpha():
        tail = r"(?!\w)" if norm[-1].isalnum() else ""
        return re.compile(head + core + tail)
    last_word = re.split(r"[^\w]+", norm)[-1]
    if len(last_word) < 3:
        options = [core + r"(?:'s)?"]
    elif alternative.strip()[0].isupper():
        options = [core + r"(?:'s|s)?"]
    elif norm.endswith("e"):
        options = [core + r"(?:s|d|r|rs|'s)?", re.escape(norm[:-1]) + r"(?:ing|ion|ions)"]
    else:
        options = [core + r"(?:s|es|ed|ing|er|ers|'s)?"]
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", norm):
            options.append(core + re.escape(norm[-1]) + r"(?:ed|ing|er)")
        if re.search(r"[^aeiou]y$", norm):
            options.append(re.escape(norm[:-1]) + r"(?:ies|ied)")
    return re.compile(head + "(?:" + "|".join(options) + r")(?!\w)")


def present_exactly(alternative: str, summary_norm: str) -> bool:
    """Whole-word / digit-bounded presence in an already normalised summary; no fuzziness."""
    if not alternative.strip():
        return False
    return _alternative_regex(alternative.strip()).search(summary_norm) is not None


def find_alternative(group: Sequence[str], summary_norm: str, threshold: float) -> Match | None:
    """The first alternative of a group present exactly, else the best fuzzy one above `threshold`.

    Fuzzy matching (rapidfuzz partial_ratio) absorbs typos and stems ("escalat", "locali") but only for
    word alternatives of at least five characters: a fuzzy figure would accept a wrong amount.
    """
    for alt in group:
        if present_exactly(alt, summary_norm):
            return Match(alternative=alt, how="exact", score=100.0)
    best: Match | None = None
    for alt in group:
        norm = normalise(alt)
        if HAS_DIGIT.search(norm) or len(norm) < FUZZY_MIN_CHARS:
            continue
        value = float(fuzz.partial_ratio(norm, summary_norm, score_cutoff=threshold))
        if value >= threshold and (best is None or value > best.score):
            best = Match(alternative=alt, how="fuzzy", score=round(value, 1))
    return best


def check_fact(fact: KeyFact, summary_norm: str, threshold: float) -> FactVerdict:
    """Which groups of the fact the summary carries; covered only when every group does."""
    matched: list[Match | None] = []
    missing: list[list[str]] = []
    for group in fact.must_include:
        found = find_alternative(group, summary_norm, threshold)
        matched.append(found)
        if found is None:
            missing.append(list(group))
    return FactVerdict(id=fact.id, fact=fact.fact, covered=not missing, matched=matched, missing_groups=missing)


def alternative_spans(alternatives: Sequence[str], text_norm: str) -> list[tuple[int, int]]:
    """Where any of the alternatives occurs exactly (whole-word / digit-bounded) in normalised text.

    Forbidden claims are located with this, never fuzzily: a near miss of a wrong value is not a claim.
    """
    spans: set[tuple[int, int]] = set()
    for alt in alternatives:
        if alt.strip():
            spans.update(m.span() for m in _alternative_regex(alt.strip()).finditer(text_norm))
    return sorted(spans)
