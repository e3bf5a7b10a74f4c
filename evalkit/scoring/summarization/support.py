"""Unsupported content: numbers, identifiers, dates, quotations and names the source does not state.

A fabricated figure or date is the costliest summary error, because a reader acts on it and nothing
flags it. The check indexes the source once (generously: every reading of an ambiguous number or date
counts as stated), collects what the summary states, and reports each claim the index does not hold.
Names are a weaker signal (a capitalised product or team may be legitimate), so they are reported
with kind `name` and the scorer keeps them out of the decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from evalkit.scoring.summarization.claims import (
    BARE_DAY,
    COMPOUND,
    DAY_FIRST,
    DAY_RANGE,
    DIGIT_RUN,
    DOTTED_DAY,
    ID_STRIP,
    ISO_DATE,
    MONTH_FIRST,
    MONTH_RANGE,
    MONTHS,
    NUMERIC_DATE,
    SPACED_THOUSANDS,
    SPELLED,
    Claim,
    ClaimKind,
    compound_claims,
    number_forms,
    spelled_value,
    valid_day_month,
)
from evalkit.scoring.summarization.text import HAS_DIGIT, normalise, unify

QUOTE_MIN_CHARS = 3
QUOTE_SUPPORT = 90.0
"""rapidfuzz partial_ratio a quotation needs against the source (quotes may drop an article)."""
NAME_SUPPORT = 90.0
"""rapidfuzz ratio a name needs against a source word ("Hanna" for "Hannah")."""


class Unsupported(BaseModel):
    """One claim of the summary the source does not support, as stored under `detail.unsupported`."""

    model_config = ConfigDict(extra="forbid")

    kind: ClaimKind
    text: str


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out spans already claimed, keeping offsets, so a date's digits are not read again as numbers."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@dataclass(frozen=True)
class SourceIndex:
    """What a source supports, computed once per source text (repeats and reruns reuse it)."""

    norm: str
    forms: frozenset[str]
    day_months: frozenset[tuple[int, int]]
    bare_days: frozenset[int]
    """Days named without a month ("the 23rd"): supported with any month the source dates mention."""
    words: frozenset[str]


def _month_windows(norm: str) -> str:
    """Only the text around month names, windows joined by " | " (see `digit_windows`)."""
    spans: list[tuple[int, int]] = []
    for name in MONTHS:
        at = norm.find(name)
        while at >= 0:
            spans.append((max(at - _NEAR_DIGIT, 0), at + len(name) + _NEAR_DIGIT))
            at = norm.find(name, at + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return " | ".join(norm[a:b] for a, b in merged)


def _source_dates(near_digits: str) -> set[tuple[int, int]]:
    """Every (day, month) the source names, ranges expanded and both readings of "12/06" kept.

    Month-name patterns run only around month names (a month alternation tried at every position of
    a long thread is slow); numeric ones around digits."""
    found: set[tuple[int, int]] = set()
    norm = _month_windows(near_digits)
    for m in DAY_FIRST.finditer(norm):
        found.add((int(m.group(1)), MONTHS[m.group(2)]))
    for m in MONTH_FIRST.finditer(norm):
        found.add((int(m.group(2)), MONTHS[m.group(1)]))
    for m in DAY_RANGE.finditer(norm):
        found.update({(int(m.group(1)), MONTHS[m.group(3)]), (int(m.group(2)), MONTHS[m.group(3)])})
    for m in MONTH_RANGE.finditer(norm):
        found.update({(int(m.group(2)), MONTHS[m.group(1)]), (int(m.group(3)), MONTHS[m.group(1)])})
    for m in ISO_DATE.finditer(near_digits):
        found.add((int(m.group(3)), int(m.group(2))))
    for m in NUMERIC_DATE.finditer(near_digits):
        a, b = int(m.group(1)), int(m.group(2) or m.group(4))
        found.update({(a, b), (b, a)})
    for m in DOTTED_DAY.finditer(near_digits):
        found.add((int(m.group(1)), int(m.group(2))))
    return {(d, mo) for d, mo in found if valid_day_month(d, mo)}


_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['-][^\W\d_][^\W_]*)*")


def _strip_possessive(word: str) -> str:
    if word.endswith("'s"):
        return word[:-2]
    return word[:-1] if word.endswith("'") else word


_NEAR_DIGIT = 32
"""Characters either side of a digit that a date can span ("12 to 14 de septiembre", "September 3rd")."""


def digit_windows(norm: str) -> str:
    """Only the text near digits, windows joined by " | ": every date names a day in digits, and scanning a
    2,500-word source's words for ninety month spellings is most of the cost of indexing it."""
    spans: list[list[int]] = []
    for m in DIGIT_RUN.finditer(norm):
        start, end = max(m.start() - _NEAR_DIGIT, 0), m.end() + _NEAR_DIGIT
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return " | ".join(norm[a:b] for a, b in spans)


@lru_cache(maxsize=1024)
def index_source(source: str) -> SourceIndex:
    """Every number form, identifier, day-month and word of a source, for support look-ups.

    Deliberately generous (digits inside identifiers, spelled numbers, both readings of ambiguous
    dates count) so that "unsupported" means the summary really introduced something new.
    """
    norm = normalise(source)
    forms: set[str] = set()
    # Long sources repeat most tokens: each distinct one is read once (a 2,500-word thread in ~10 ms).
    for token in set(COMPOUND.findall(norm)):
        forms.add(token)
        if any(ch in "-.,:/_" for ch in token):
            forms.add(ID_STRIP.sub("", token))
        if HAS_DIGIT.search(token):
            for claim in compound_claims(token):
                forms.update(claim.forms)
    near_digits = digit_windows(norm)
    for run in set(DIGIT_RUN.findall(near_digits)):
        forms.update(number_forms(run))
    for m in SPACED_THOUSANDS.finditer(near_digits):
        forms.update(number_forms(m.group(0).replace(" ", "")))
    forms.update(str(spelled_value(m)) for m in SPELLED.finditer(norm))
    dates = _source_dates(near_digits)
    words: set[str] = set()
    for word in set(_WORD.findall(norm)):
        words.update({word, _strip_possessive(word), *word.split("-")})
    return SourceIndex(
        norm=norm,
        forms=frozenset(forms),
        day_months=frozenset(dates),
        bare_days=frozenset(int(d) for d in BARE_DAY.findall(near_digits) if 1 <= int(d) <= 31),
        words=frozenset(words),
    )


def summary_claims(summary: str) -> list[Claim]:
    """Dates, numbers, identifiers and quotations the summary states, in order, de-duplicated.

    Dates are taken first and masked so "12 June" is one date claim, not a bare number 12.
    """
    norm = normalise(summary)
    claims: list[Claim] = []
    spans: list[tuple[int, int]] = []
    for m in DAY_FIRST.finditer(norm):
        day, month = int(m.group(1)), MONTHS[m.group(2)]
        if valid_day_month(day, month):
            claims.append(Claim("date", m.group(0).strip().rstrip("."), frozenset({f"{day}-{month}"})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in MONTH_FIRST.finditer(masked):
        day, month = int(m.group(2)), MONTHS[m.group(1)]
        if valid_day_month(day, month):
            claims.append(Claim("date", m.group(0).strip().rstrip("."), frozenset({f"{day}-{month}"})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in ISO_DATE.finditer(masked):
        day, month = int(m.group(3)), int(m.group(2))
        if valid_day_month(day, month):
            claims.append(Claim("date", m.group(0), frozenset({f"{day}-{month}", m.group(0)})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in NUMERIC_DATE.finditer(masked):
        a, b = int(m.group(1)), int(m.group(2) or m.group(4))
        readings = {f"{d}-{mo}" for d, mo in ((a, b), (b, a)) if valid_day_month(d, mo)}
        if readings:
            claims.append(Claim("date", m.group(0), frozenset({*readings, m.group(0)})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in SPACED_THOUSANDS.finditer(masked):
        components = tuple(frozenset(number_forms(p)) for p in m.group(0).split(" "))
        claims.append(Claim("number", m.group(0), frozenset(number_forms(m.group(0).replace(" ", ""))), components))
        spans.append(m.span())
    masked = _mask(norm, spans)
    for m in COMPOUND.finditer(masked):
        claims.extend(compound_claims(m.group(0)))
    for m in re.finditer(r'"([^"\n]{1,300})"', norm):
        span = m.group(1).strip()
        if len(span) >= QUOTE_MIN_CHARS:
            claims.append(Claim("quote", span))
    unique: dict[tuple[str, str], Claim] = {}
    for claim in claims:
        unique.setdefault((claim.kind, claim.text), claim)
    return list(unique.values())


def claim_supported(claim: Claim, src: SourceIndex) -> bool:
    """A date by its day and month (any reading); a quote fuzzily; a number or identifier by its forms."""
    if claim.kind == "date":
        for form in claim.forms:
            parts = form.split("-")
            if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                day, month = int(parts[0]), int(parts[1])
                if (day, month) in src.day_months:
                    return True
                if day in src.bare_days and any(mo == month for _, mo in src.day_months):
                    return True
            elif form in src.forms:
                return True
        return False
    if claim.kind == "quote":
        return fuzz.partial_ratio(claim.text, src.norm) >= QUOTE_SUPPORT
    if claim.forms & src.forms:
        return True
    if claim.alternatives and all(c & src.forms for c in claim.alternatives):
        return True
    if claim.kind == "identifier":
        pattern = r"(?<![^\W_])" + re.escape(claim.text) + r"(?![^\W_])"
        return re.search(pattern, src.norm) is not None
    return False


# --------------------------------------------------------------------------------------------------
# Names

_STOP_WORDS = """
i i'm i've i'll i'd a an the and but or if so as at by for from in into of on to with without he she
it we they you his her hers its their our your my me him them us this that these those there then
also however although because after before when while where which who whom what no not yes ok okay
please thanks thank hi hello dear regards mr mrs ms dr sir madam monday tuesday wednesday thursday
friday saturday sunday mon tue tues wed thu thur thurs fri sat sun january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept oct nov
dec english spanish german french italian portuguese dutch customer agent summary note notes asap
eta faq usd eur gbp utc cet am pm id eu uk usa
"""
NAME_STOPLIST = frozenset(_STOP_WORDS.split())
"""Common capitalised words (sentence openers, weekdays, months, languages) that are not names."""


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start]
    trimmed = re.sub(r"[\s\"'(\[{*•\-]+$", "", before)
    if not trimmed:
        return True
    return trimmed[-1] in ".!?:;" or "\n" in before[len(trimmed) :]


def name_claims(summary: str) -> list[Claim]:
    """Capitalised words not opening a sentence and not common words: probably names.

    A weak signal (a capitalised product or team may be legitimate), so names are reported apart from
    unsupported facts and never decide `resolved`.
    """
    text = unify(summary)
    seen: dict[str, Claim] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or HAS_DIGIT.search(word) or _sentence_start(text, m.start()):
            continue
        key = _strip_possessive(word.casefold())
        if all(part in NAME_STOPLIST for part in key.split("-") if part):
            continue
        seen.setdefault(key, Claim("name", _strip_possessive(word), frozenset({key})))
    return list(seen.values())


def name_supported(claim: Claim, src: SourceIndex) -> bool:
    """The name (or each hyphenated part) is a source word, or a close spelling of one."""
    key = next(iter(claim.forms))
    if key in src.words or all(part in src.words for part in key.split("-") if part):
        return True
    return process.extractOne(key, src.words, scorer=fuzz.ratio, score_cutoff=NAME_SUPPORT) is not None


def unsupported_content(summary: str, source: str) -> list[Unsupported]:
    """Every claim of the summary the source does not support: facts first, in order, then names."""
    src = index_source(source)
    out = [Unsupported(kind=c.kind, text=c.text) for c in summary_claims(summary) if not claim_supported(c, src)]
    out.extend(Unsupported(kind="name", text=c.text) for c in name_claims(summary) if not name_supported(c, src))
    return out
