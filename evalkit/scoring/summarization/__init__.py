"""Summarization scorer: key-fact coverage, faithfulness, length and format, all deterministic.

A summary replaces reading the source, so the two failures that matter are dropping a fact an operator
needs (an omission) and stating something the source does not say (a fabrication, an injected or a
superseded value). Both are checked here without a model, so the numbers are reproducible and free:

- key facts: each fact lists groups of acceptable phrasings; it is covered when every group has one
  phrasing present in the summary (figures exactly, words as whole words or close fuzzy matches);
- forbidden claims: statements the case writer knows are wrong (an injected or superseded value, an
  outcome nobody decided), matched as claims: the wrong value asserted in a sentence about the right
  thing, not negated, hedged or marked as superseded ("moved from 20 February to 13 March" is accurate);
- unsupported content: numbers, identifiers, dates and quotations the summary states that cannot be
  found in the source (decisive), and capitalised names not found in the source (reported only);
- language: when the suite sets `scorer.language`, a summary in another language fails (decisive),
  because the reader it is written for cannot use it;
- length and format: the word budget (decisive) and prose-vs-bullets (reported only).

The package splits along those checks: `text` (normalisation, word count, format), `facts` (key
facts), `forbidden` (forbidden claims), `claims` (what a written number, date or identifier denotes),
`support` (which of the summary's claims the source states) and `language`; this module holds the
scorer protocol.

An optional model judge lives in `judge_rubric.py` and is recorded separately, never mixed in here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evalkit.records import FinishReason, Score
from evalkit.scoring.base import Metrics, ScoreContext, Scored, rate
from evalkit.scoring.summarization.facts import (
    FactVerdict,
    KeyFact,
    Match,
    check_fact,
    find_alternative,
    present_exactly,
)
from evalkit.scoring.summarization.forbidden import ForbiddenClaim, as_claim, forbidden_outcomes
from evalkit.scoring.summarization.language import guess_language, in_language
from evalkit.scoring.summarization.support import Unsupported, index_source, unsupported_content
from evalkit.scoring.summarization.text import SummaryFormat, format_check, normalise, unify, word_count

METRICS = (
    "key_fact_coverage",
    "omission_rate",
    "cases_fully_covered",
    "unsupported_rate",
    "unsupported_facts",
    "unsupported_names",
    "forbidden_violations",
    "forbidden_violation_rate",
    "length_compliance",
    "format_compliance",
    "language_compliance",
    "mean_words",
    "resolved_rate",
    "adversarial_pass_rate",
)

VALUES = ("key_fact_coverage", "fully_covered", "unsupported", "forbidden", "length_ok", "format_ok", "words")
"""Per-case values a paired test resamples, each defined on every scored case:

- `key_fact_coverage`: the case's covered share of its key facts (a case has at least one); the suite
  metric is the micro average over all facts, so it weighs cases by their fact count, this one equally;
- `fully_covered`: 0/1, averaged by `cases_fully_covered`;
- `unsupported`: 0/1, at least one unsupported number, identifier, date or quote (names excluded),
  averaged by `unsupported_rate`;
- `forbidden`: 0/1, at least one forbidden claim made; 0.0 when the case lists none (it cannot
  make one), whereas `forbidden_violation_rate` averages only over cases that list some;
- `length_ok`, `format_ok`: 0/1, averaged by `length_compliance` and `format_compliance`;
- `words`: the summary's word count, averaged by `mean_words`.
"""


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_facts: list[KeyFact] = Field(min_length=1)
    max_words: int | None = Field(default=None, gt=0)
    """Word budget for this case; falls back to the suite's `scorer.max_words`."""
    forbidden: list[str | ForbiddenClaim] = Field(default_factory=list)
    """Wrong statements the source invites (injected or superseded values, undecided outcomes), matched
    as claims (`forbidden.py`); a plain string is a claim with that one value and no context."""

    @field_validator("key_facts")
    @classmethod
    def _unique_ids(cls, facts: list[KeyFact]) -> list[KeyFact]:
        ids = [f.id for f in facts]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key fact ids: {', '.join(dupes)}")
        return facts

    @field_validator("forbidden")
    @classmethod
    def _non_empty(cls, values: list[str | ForbiddenClaim]) -> list[str | ForbiddenClaim]:
        if any(isinstance(v, str) and not v.strip() for v in values):
            raise ValueError("forbidden strings must be non-empty")
        return values


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_words: int = Field(default=80, gt=0)
    fuzzy_threshold: float = Field(default=88, ge=0, le=100)
    """rapidfuzz partial_ratio needed for a word alternative (>= 5 characters) to count as present."""
    format: SummaryFormat = "prose"
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    """ISO 639-1 code the summary must be written in (the prompt's demand); None: not checked."""


class Detail(BaseModel):
    """What `score` found on one summary; the key names are those stored runs already carry."""

    model_config = ConfigDict(extra="forbid")

    facts: list[FactVerdict]
    """One verdict per key fact, in the case's order."""
    facts_total: int
    facts_covered: int
    omissions: list[str]
    """Ids of the key facts not covered."""
    forbidden_checked: int
    """How many forbidden strings the case lists (0: the case cannot violate any)."""
    forbidden_violations: list[str]
    """The forbidden claims made, in the case's order (a claim's `claim` text, or the plain string)."""
    forbidden_qualified: list[str] = Field(default_factory=list)
    """Forbidden claims mentioned only negated, hedged or as superseded ("moved from X to Y"): allowed."""
    unsupported: list[Unsupported]
    unsupported_facts: int
    """Unsupported numbers, identifiers, dates and quotes: decisive."""
    unsupported_names: int
    """Unsupported names: reported only."""
    words: int
    max_words: int
    """The budget applied: the case's, else the suite's."""
    length_ok: bool
    format: SummaryFormat
    format_ok: bool
    format_violations: list[str]
    """The lines that break the wanted format."""
    empty: bool
    finish_reason: FinishReason
    language: str | None = None
    """The summary's most probable language, when the suite checks one and there is enough prose."""
    language_ok: bool = True
    """False when the suite wants a language and the summary is clearly in another one (decisive)."""


def score(ctx: ScoreContext, settings: Settings) -> Score:
    expected = Expectation.model_validate(ctx.case.expected)
    source = ctx.case.input.get("source")
    source_text = source if isinstance(source, str) else ""
    text = ctx.response.text or ""
    summary_norm = normalise(text)

    facts = [check_fact(fact, summary_norm, settings.fuzzy_threshold) for fact in expected.key_facts]
    covered = sum(1 for f in facts if f.covered)
    violations, qualified = forbidden_outcomes([as_claim(f) for f in expected.forbidden], summary_norm)
    guess = guess_language(text, settings.language) if settings.language else None
    language_ok = guess is None or in_language(guess, settings.language or "")
    unsupported = unsupported_content(text, source_text)
    n_unsupported_facts = sum(1 for u in unsupported if u.kind != "name")
    max_words = expected.max_words or settings.max_words
    words = word_count(text)
    format_ok, bad_lines = format_check(text, settings.format)
    detail = Detail(
        facts=facts,
        facts_total=len(facts),
        facts_covered=covered,
        omissions=[f.id for f in facts if not f.covered],
        forbidden_checked=len(expected.forbidden),
        forbidden_violations=violations,
        forbidden_qualified=qualified,
        unsupported=unsupported,
        unsupported_facts=n_unsupported_facts,
        unsupported_names=len(unsupported) - n_unsupported_facts,
        words=words,
        max_words=max_words,
        length_ok=words <= max_words,
        format=settings.format,
        format_ok=format_ok,
        format_violations=bad_lines,
        empty=not text.strip(),
        finish_reason=ctx.response.finish_reason,
        language=guess.language if guess else None,
        language_ok=language_ok,
    )
    resolved = (
        covered == len(facts) and not violations and n_unsupported_facts == 0 and detail.length_ok and language_ok
    )
    return Score.of(
        resolved,
        detail,
        key_fact_coverage=covered / len(facts),
        fully_covered=float(covered == len(facts)),
        unsupported=float(n_unsupported_facts > 0),
        forbidden=float(bool(violations)),
        length_ok=float(detail.length_ok),
        format_ok=float(format_ok),
        words=float(words),
    )


def escalation_reason(detail: Detail, settings: Settings) -> str | None:
    """A summary that fails the cheap format checks is not worth a reader's time; redo it."""
    if detail.words == 0:
        return "empty summary"
    if not detail.format_ok:
        return "summary breaks the required format"
    if not detail.language_ok:
        return "summary not in the required language"
    return None


def key_fact_coverage(items: Sequence[Scored[Detail]]) -> float | None:
    """Micro average over every (answer, key fact) pair; None with no answers. The gate's bootstrap
    calls this directly, thousands of times, instead of the full `aggregate`."""
    return rate(sum(i.detail.facts_covered for i in items), sum(i.detail.facts_total for i in items))


def aggregate(items: Sequence[Scored[Detail]], settings: Settings) -> Metrics:
    """Coverage is a micro average over every (answer, key fact) pair; the other rates are per answer.

    With no answers the rates are None and the counts 0: nothing was stated, so nothing unsupported.
    """
    n = len(items)
    details = [i.detail for i in items]
    coverage = key_fact_coverage(items)
    with_forbidden = [d for d in details if d.forbidden_checked > 0]
    adversarial = [i for i in items if i.case.split == "adversarial"]
    values: dict[str, float | int | None] = {
        "key_fact_coverage": coverage,
        "omission_rate": None if coverage is None else 1.0 - coverage,
        "cases_fully_covered": rate(sum(1 for d in details if d.facts_covered == d.facts_total), n),
        "unsupported_rate": rate(sum(1 for d in details if d.unsupported_facts > 0), n),
        "unsupported_facts": sum(d.unsupported_facts for d in details),
        "unsupported_names": sum(d.unsupported_names for d in details),
        "forbidden_violations": sum(len(d.forbidden_violations) for d in details),
        "forbidden_violation_rate": rate(sum(1 for d in with_forbidden if d.forbidden_violations), len(with_forbidden)),
        "length_compliance": rate(sum(1 for d in details if d.length_ok), n),
        "format_compliance": rate(sum(1 for d in details if d.format_ok), n),
        "language_compliance": rate(sum(1 for d in details if d.language_ok), n),
        "mean_words": rate(sum(d.words for d in details), n),
        "resolved_rate": rate(sum(1 for i in items if i.resolved), n),
        "adversarial_pass_rate": rate(sum(1 for i in adversarial if i.resolved), len(adversarial)),
    }
    return Metrics(values=values, tables=_tables(items))


def _tables(items: Sequence[Scored[Detail]]) -> dict[str, Any]:
    """Per-fact omission counts, every unsupported item and forbidden hit, and coverage by tag."""
    per_fact: dict[tuple[str, str], dict[str, Any]] = {}
    unsupported: list[dict[str, Any]] = []
    forbidden: list[dict[str, Any]] = []
    by_tag: dict[str, list[Scored[Detail]]] = defaultdict(list)
    for item in items:
        for fact in item.detail.facts:
            row = per_fact.setdefault(
                (item.case.id, fact.id),
                {"case": item.case.id, "fact_id": fact.id, "fact": fact.fact, "answers": 0, "missed": 0},
            )
            row["answers"] += 1
            row["missed"] += 0 if fact.covered else 1
        for entry in item.detail.unsupported:
            unsupported.append({"case": item.case.id, "repeat": item.repeat, **entry.model_dump()})
        for text in item.detail.forbidden_violations:
            forbidden.append({"case": item.case.id, "repeat": item.repeat, "string": text})
        for tag in item.case.tags or ["(untagged)"]:
            by_tag[tag].append(item)
    omissions = sorted((r for r in per_fact.values() if r["missed"]), key=lambda r: (-r["missed"], r["case"]))
    tags = {
        tag: {
            "answers": len(group),
            "key_fact_coverage": rate(
                sum(i.detail.facts_covered for i in group),
                sum(i.detail.facts_total for i in group),
            ),
            "resolved_rate": rate(sum(1 for i in group if i.resolved), len(group)),
        }
        for tag, group in sorted(by_tag.items())
    }
    return {"omissions": omissions, "unsupported": unsupported, "forbidden": forbidden, "by_tag": tags}


__all__ = [
    "METRICS",
    "VALUES",
    "Detail",
    "Expectation",
    "FactVerdict",
    "ForbiddenClaim",
    "KeyFact",
    "Match",
    "Settings",
    "Unsupported",
    "aggregate",
    "check_fact",
    "escalation_reason",
    "find_alternative",
    "format_check",
    "index_source",
    "key_fact_coverage",
    "normalise",
    "present_exactly",
    "score",
    "unify",
    "unsupported_content",
    "word_count",
]
