"""Summarization scorer: key-fact coverage, faithfulness, length and format, all deterministic.

A summary replaces reading the source, so the two failures that matter are dropping a fact an operator
needs (an omission) and stating something the source does not say (a fabrication, an injected or a
superseded value). Both are checked here without a model, so the numbers are reproducible and free:

- key facts: each fact lists groups of acceptable phrasings; it is covered when every group has one
  phrasing present in the summary (figures exactly, words as whole words or close fuzzy matches);
- forbidden strings: values the case writer knows are wrong (injected or superseded), matched exactly;
- unsupported content: numbers, identifiers, dates and quotations the summary states that cannot be
  found in the source (decisive), and capitalised names not found in the source (reported only);
- length and format: the word budget (decisive) and prose-vs-bullets (reported only).

An optional model judge lives in `judge_rubric.py` and is recorded separately, never mixed in here.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz, process

from evalkit.scoring.base import CaseScore, Metrics, ScoreContext, Scored, rate

# --------------------------------------------------------------------------------------------------
# Models


class KeyFact(BaseModel):
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


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_facts: list[KeyFact] = Field(min_length=1)
    max_words: int | None = Field(default=None, gt=0)
    """Word budget for this case; falls back to the suite's `scorer.max_words`."""
    forbidden: list[str] = Field(default_factory=list)
    """Injected or superseded values that must not appear (matched exactly, never fuzzily)."""

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
    def _non_empty(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("forbidden strings must be non-empty")
        return values


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_words: int = Field(default=80, gt=0)
    fuzzy_threshold: float = Field(default=88, ge=0, le=100)
    """rapidfuzz partial_ratio needed for a word alternative (>= 5 characters) to count as present."""
    format: Literal["prose", "bullets"] = "prose"


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
    "mean_words",
    "resolved_rate",
    "adversarial_pass_rate",
)

FUZZY_MIN_CHARS = 5
QUOTE_MIN_CHARS = 3
QUOTE_SUPPORT = 90.0
NAME_SUPPORT = 90.0

# --------------------------------------------------------------------------------------------------
# Normalisation

_UNIFY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)


def unify(text: str) -> str:
    """HTML entities decoded, compatibility forms folded, curly quotes and dashes made ASCII; case kept.

    Sources carry HTML remnants (`&euro;649`) and typographic punctuation (`3–5`, `won’t`) that the case
    writers' alternatives spell plainly; unifying both sides makes those differences invisible.
    """
    return unicodedata.normalize("NFKC", html.unescape(text)).translate(_UNIFY)


def normalise(text: str) -> str:
    """`unify`, casefolded, whitespace collapsed: the form every presence check compares."""
    return re.sub(r"\s+", " ", unify(text)).strip().casefold()


def word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------------------------------
# Presence of an alternative (key facts and forbidden strings)

_HAS_DIGIT = re.compile(r"\d")
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
    if _HAS_DIGIT.search(norm):
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


@dataclass(frozen=True)
class Match:
    alternative: str
    how: Literal["exact", "fuzzy"]
    score: float


def find_alternative(group: Sequence[str], summary_norm: str, threshold: float) -> Match | None:
    """The first alternative of a group present exactly, else the best fuzzy one above `threshold`.

    Fuzzy matching (rapidfuzz partial_ratio) absorbs typos and stems ("escalat", "locali") but only for
    word alternatives of at least five characters: a fuzzy figure would accept a wrong amount.
    """
    for alt in group:
        if present_exactly(alt, summary_norm):
            return Match(alt, "exact", 100.0)
    best: Match | None = None
    for alt in group:
        norm = normalise(alt)
        if _HAS_DIGIT.search(norm) or len(norm) < FUZZY_MIN_CHARS:
            continue
        value = float(fuzz.partial_ratio(norm, summary_norm, score_cutoff=threshold))
        if value >= threshold and (best is None or value > best.score):
            best = Match(alt, "fuzzy", round(value, 1))
    return best


def check_fact(fact: KeyFact, summary_norm: str, threshold: float) -> dict[str, Any]:
    matched: list[dict[str, Any] | None] = []
    missing: list[list[str]] = []
    for group in fact.must_include:
        found = find_alternative(group, summary_norm, threshold)
        if found is None:
            matched.append(None)
            missing.append(list(group))
        else:
            matched.append({"alternative": found.alternative, "how": found.how, "score": found.score})
    return {"id": fact.id, "fact": fact.fact, "covered": not missing, "matched": matched, "missing_groups": missing}


# --------------------------------------------------------------------------------------------------
# Numbers, identifiers and dates

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "janvier", "januar", "jänner", "gennaio", "janeiro", "januari"),
    2: ("february", "feb", "febrero", "février", "fevrier", "februar", "febbraio", "fevereiro", "februari"),
    3: ("march", "mar", "marzo", "mars", "märz", "maerz", "março", "maart"),
    4: ("april", "apr", "abril", "avril", "aprile"),
    5: ("may", "mayo", "mai", "maggio", "maio"),
    6: ("june", "jun", "junio", "juin", "juni", "giugno", "junho"),
    7: ("july", "jul", "julio", "juillet", "juli", "luglio", "julho"),
    8: ("august", "aug", "agosto", "août", "aout", "augustus"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "septembre", "settembre", "setembro"),
    10: ("october", "oct", "octubre", "octobre", "oktober", "ottobre", "outubro"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "décembre", "decembre", "dezember", "dicembre", "dezembro"),
}
MONTHS: dict[str, int] = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|º|°|\.)?"
_DAY_FIRST = re.compile(rf"(?<![\w.,:])(\d{{1,2}}){_ORDINAL}\s?(?:of |de |del )?({_MONTH_ALT})\.?(?!\w)")
_MONTH_FIRST = re.compile(rf"(?<!\w)({_MONTH_ALT})\.? (?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?![.,:]\d)")
_DAY_RANGE = re.compile(
    rf"(?<![\w.,:])(\d{{1,2}}){_ORDINAL} ?(?:-|to|and|&|or|y|et|und) ?"
    rf"(\d{{1,2}}){_ORDINAL} ?(?:of |de )?({_MONTH_ALT})(?!\w)"
)
_MONTH_RANGE = re.compile(rf"(?<!\w)({_MONTH_ALT})\.? (\d{{1,2}})(?:st|nd|rd|th)? ?(?:-|to|and|&) ?(\d{{1,2}})(?!\d)")
_BARE_DAY = re.compile(r"(?<![\w.,:])(\d{1,2})(?:st|nd|rd|th)(?!\w)")
_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# Numeric day-month needs a slash, or dots with a year ("12/06", "12.06.2024"), so that an amount such as
# "12.50" or "2.10." is never read as a date.
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/])(\d{1,2})(?:/(\d{1,2})(?:/(\d{2}|\d{4}))?|\.(\d{1,2})\.(\d{2}|\d{4}))(?![\d/])"
)
# Sources also write "12.06." without a year (German); not after a currency sign, where it is an amount.
_DOTTED_DAY = re.compile(r"(?<![\w.,/€$£])(\d{1,2})\.(\d{1,2})\.(?!\d)")

_SPACED_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?!\w)(?![.,]\d)")
_COMPOUND = re.compile(r"[^\W_]+(?:[-.,:/_][^\W_]+)*")
_NUMBER = re.compile(r"^\d+(?:[.,:]\d+)*$")
_UNIT = re.compile(
    r"^(\d+(?:[.,:]\d+)*)(st|nd|rd|th|am|pm|a|p|h|hr|hrs|min|mins|k|m|bn|x|s|d|w|y|kg|g|km|cm|mm|gb|mb|tb|ml|l)$"
)
_DIGIT_RUN = re.compile(r"\d+(?:[.,:]\d+)*")
_ID_STRIP = re.compile(r"[-.,:/_]")
# Alphanumeric terms so common that a summary may use them whether or not the source spells them so.
COMMON_TERMS = frozenset({"2fa", "3g", "4g", "5g", "24/7", "b2b", "b2c", "p2p", "mp3", "mp4", "a4", "3d"})
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12, "hundred": 100,
    "thousand": 1000, "million": 1_000_000, "once": 1, "twice": 2, "single": 1, "double": 2,
}  # fmt: skip
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}  # fmt: skip
_SPELLED = re.compile(
    r"(?<!\w)(?:("
    + "|".join(_TENS_WORDS)
    + r")(?:[- ](one|two|three|four|five|six|seven|eight|nine))?|("
    + "|".join(_UNITS_WORDS)
    + r"))(?!\w)"
)


def _canon(value: Decimal) -> str:
    return format(value.normalize(), "f")


def number_values(number: str) -> set[Decimal]:
    """Every value a written number may denote: "1,200.00" -> 1200; "11,40" -> 11.4; "1.999" -> both.

    A comma followed by exactly three digits is a thousands separator; a lone dot followed by three
    digits is ambiguous (English decimal, European thousands), so both readings are kept. A string
    that is no number (a version "4.2.1") has no values and is compared verbatim.
    """
    pieces = re.split(r"([.,])", number)
    digits, seps = pieces[0::2], pieces[1::2]
    values: set[Decimal] = set()
    try:
        if not seps:
            values.add(Decimal(number))
        elif len(set(seps)) == 2:
            decimal_sep = seps[-1]
            if seps.count(decimal_sep) == 1 and all(len(g) == 3 for g in digits[1:-1]):
                values.add(Decimal("".join(digits[:-1]) + "." + digits[-1]))
        else:
            grouped = 1 <= len(digits[0]) <= 3 and all(len(g) == 3 for g in digits[1:])
            if grouped:
                values.add(Decimal("".join(digits)))
            if len(seps) == 1 and (not grouped or seps[0] == "."):
                values.add(Decimal(digits[0] + "." + digits[1]))
    except InvalidOperation:
        return set()
    return values


def number_forms(number: str, unit: str = "") -> set[str]:
    """The comparable forms of a number (with an optional unit suffix such as "k", "pm", "th").

    Two numbers are the same when their form sets intersect: canonical values ("42.5" for "42.50"),
    the verbatim string, and for clock times the hour alone and its 12/24-hour twin ("18:00" ~ "6pm").
    """
    forms = {number}
    time = re.fullmatch(r"(\d{1,2})[:.](\d{2})", number)
    if time and (":" in number or unit in ("am", "pm", "a", "p", "h")):
        hour, minute = int(time.group(1)), time.group(2)
        hours = {hour}
        if unit in ("pm", "p") and hour < 12:
            hours.add(hour + 12)
        if 13 <= hour <= 23:
            hours.add(hour - 12)
        for h in hours:
            forms.update({f"{h}:{minute}", f"{h}.{minute}"})
            if minute == "00":
                forms.add(str(h))
        if ":" in number:
            return forms
    for value in number_values(number):
        forms.add(_canon(value))
        if unit in _MULTIPLIERS:
            forms.add(_canon(value * _MULTIPLIERS[unit]))
        if unit in ("pm", "p") and value < 12:
            forms.add(_canon(value + 12))
    return forms


@dataclass(frozen=True)
class Claim:
    """One checkable item the summary states: what it is, its text, and the forms it may match."""

    kind: Literal["number", "identifier", "date", "quote", "name"]
    text: str
    forms: frozenset[str] = frozenset()
    alternatives: tuple[frozenset[str], ...] = ()
    """For spaced thousands ("12 000"): the claim also holds if each component does on its own."""


def _classify_part(part: str) -> str:
    if _NUMBER.match(part):
        return "number"
    if _UNIT.match(part):
        return "unit"
    if not _HAS_DIGIT.search(part):
        return "word"
    return "mixed"


def compound_claims(token: str) -> list[Claim]:
    """Claims in one joined token: "42.50", "3-5", "4x10", "14-day", "6pm", "40k" are numbers; "A-20931",
    "THANKS10", "Q2", "LF-2" are identifiers (compared as a whole, hyphens optional)."""
    if not _HAS_DIGIT.search(token):
        return []
    if token in COMMON_TERMS:
        return []
    parts = [p for p in re.split(r"[-/]|(?<=\d)x(?=\d)", token) if p]
    kinds = [_classify_part(p) for p in parts]
    identifier = "mixed" in kinds or (kinds[0] == "word" and any(k != "word" for k in kinds))
    if identifier:
        return [Claim("identifier", token, frozenset({token, _ID_STRIP.sub("", token)}))]
    claims: list[Claim] = []
    for part, kind in zip(parts, kinds, strict=True):
        if kind == "number":
            claims.append(Claim("number", part, frozenset(number_forms(part))))
        elif kind == "unit":
            m = _UNIT.match(part)
            assert m is not None
            claims.append(Claim("number", part, frozenset(number_forms(m.group(1), m.group(2)))))
    return claims


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
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


def _source_dates(norm: str) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for m in _DAY_FIRST.finditer(norm):
        found.add((int(m.group(1)), MONTHS[m.group(2)]))
    for m in _MONTH_FIRST.finditer(norm):
        found.add((int(m.group(2)), MONTHS[m.group(1)]))
    for m in _DAY_RANGE.finditer(norm):
        found.update({(int(m.group(1)), MONTHS[m.group(3)]), (int(m.group(2)), MONTHS[m.group(3)])})
    for m in _MONTH_RANGE.finditer(norm):
        found.update({(int(m.group(2)), MONTHS[m.group(1)]), (int(m.group(3)), MONTHS[m.group(1)])})
    for m in _ISO_DATE.finditer(norm):
        found.add((int(m.group(3)), int(m.group(2))))
    for m in _NUMERIC_DATE.finditer(norm):
        a, b = int(m.group(1)), int(m.group(2) or m.group(4))
        found.update({(a, b), (b, a)})
    for m in _DOTTED_DAY.finditer(norm):
        found.add((int(m.group(1)), int(m.group(2))))
    return {(d, mo) for d, mo in found if _valid_day_month(d, mo)}


_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['-][^\W\d_][^\W_]*)*")


def _strip_possessive(word: str) -> str:
    return re.sub(r"'s$|'$", "", word)


@lru_cache(maxsize=512)
def index_source(source: str) -> SourceIndex:
    """Every number form, identifier, day-month and word of a source, for support look-ups.

    Deliberately generous (digits inside identifiers, spelled numbers, both readings of ambiguous
    dates count) so that "unsupported" means the summary really introduced something new.
    """
    norm = normalise(source)
    forms: set[str] = set()
    for m in _COMPOUND.finditer(norm):
        token = m.group(0)
        forms.update({token, _ID_STRIP.sub("", token)})
        for claim in compound_claims(token):
            forms.update(claim.forms)
    for m in _DIGIT_RUN.finditer(norm):
        forms.update(number_forms(m.group(0)))
    for m in _SPACED_THOUSANDS.finditer(norm):
        forms.update(number_forms(m.group(0).replace(" ", "")))
    for m in _SPELLED.finditer(norm):
        if m.group(1):
            value = _TENS_WORDS[m.group(1)] + (_UNITS_WORDS[m.group(2)] if m.group(2) else 0)
        else:
            value = _UNITS_WORDS[m.group(3)]
        forms.add(str(value))
    dates = _source_dates(norm)
    words: set[str] = set()
    for m in _WORD.finditer(norm):
        word = m.group(0)
        words.update({word, _strip_possessive(word), *word.split("-")})
    return SourceIndex(
        norm=norm,
        forms=frozenset(forms),
        day_months=frozenset(dates),
        bare_days=frozenset(int(m.group(1)) for m in _BARE_DAY.finditer(norm) if 1 <= int(m.group(1)) <= 31),
        words=frozenset(words),
    )


def summary_claims(summary: str) -> list[Claim]:
    """Dates, numbers, identifiers and quotations the summary states, in order, de-duplicated.

    Dates are taken first and masked so "12 June" is one date claim, not a bare number 12.
    """
    norm = normalise(summary)
    claims: list[Claim] = []
    spans: list[tuple[int, int]] = []
    for m in _DAY_FIRST.finditer(norm):
        day, month = int(m.group(1)), MONTHS[m.group(2)]
        if _valid_day_month(day, month):
            claims.append(Claim("date", m.group(0).strip().rstrip("."), frozenset({f"{day}-{month}"})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in _MONTH_FIRST.finditer(masked):
        day, month = int(m.group(2)), MONTHS[m.group(1)]
        if _valid_day_month(day, month):
            claims.append(Claim("date", m.group(0).strip().rstrip("."), frozenset({f"{day}-{month}"})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in _ISO_DATE.finditer(masked):
        day, month = int(m.group(3)), int(m.group(2))
        if _valid_day_month(day, month):
            claims.append(Claim("date", m.group(0), frozenset({f"{day}-{month}", m.group(0)})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in _NUMERIC_DATE.finditer(masked):
        a, b = int(m.group(1)), int(m.group(2) or m.group(4))
        readings = {f"{d}-{mo}" for d, mo in ((a, b), (b, a)) if _valid_day_month(d, mo)}
        if readings:
            claims.append(Claim("date", m.group(0), frozenset({*readings, m.group(0)})))
            spans.append(m.span())
    masked = _mask(norm, spans)
    for m in _SPACED_THOUSANDS.finditer(masked):
        components = tuple(frozenset(number_forms(p)) for p in m.group(0).split(" "))
        claims.append(Claim("number", m.group(0), frozenset(number_forms(m.group(0).replace(" ", ""))), components))
        spans.append(m.span())
    masked = _mask(norm, spans)
    for m in _COMPOUND.finditer(masked):
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
        if not word[0].isupper() or _HAS_DIGIT.search(word) or _sentence_start(text, m.start()):
            continue
        key = _strip_possessive(word.casefold())
        if all(part in NAME_STOPLIST for part in key.split("-") if part):
            continue
        seen.setdefault(key, Claim("name", _strip_possessive(word), frozenset({key})))
    return list(seen.values())


def name_supported(claim: Claim, src: SourceIndex) -> bool:
    key = next(iter(claim.forms))
    if key in src.words or all(part in src.words for part in key.split("-") if part):
        return True
    return process.extractOne(key, src.words, scorer=fuzz.ratio, score_cutoff=NAME_SUPPORT) is not None


# --------------------------------------------------------------------------------------------------
# Format

_BULLET = re.compile(r"^\s*(?:[-*•‣◦▪●]|\d{1,2}[.)])\s+")


def format_check(text: str, wanted: Literal["prose", "bullets"]) -> tuple[bool, list[str]]:
    """(compliant, offending lines): prose has no bullet lines; bullets has nothing but bullet lines."""
    lines = [line for line in unify(text).splitlines() if line.strip()]
    if wanted == "prose":
        bad = [line.strip() for line in lines if _BULLET.match(line)]
        return not bad, bad
    bad = [line.strip() for line in lines if not _BULLET.match(line)]
    return bool(lines) and not bad, bad


# --------------------------------------------------------------------------------------------------
# Score and aggregate


def unsupported_content(summary: str, source: str) -> list[dict[str, str]]:
    """Every claim of the summary the source does not support, as {"kind", "text"} records."""
    src = index_source(source)
    out: list[dict[str, str]] = []
    for claim in summary_claims(summary):
        if not claim_supported(claim, src):
            out.append({"kind": claim.kind, "text": claim.text})
    for claim in name_claims(summary):
        if not name_supported(claim, src):
            out.append({"kind": "name", "text": claim.text})
    return out


def score(ctx: ScoreContext, settings: Settings) -> CaseScore:
    expected = Expectation.model_validate(ctx.case.expected)
    source = ctx.case.input.get("source")
    source_text = source if isinstance(source, str) else ""
    text = ctx.response.text or ""
    summary_norm = normalise(text)

    facts = [check_fact(fact, summary_norm, settings.fuzzy_threshold) for fact in expected.key_facts]
    covered = sum(1 for f in facts if f["covered"])
    violations = [s for s in expected.forbidden if present_exactly(s, summary_norm)]
    unsupported = unsupported_content(text, source_text)
    n_unsupported_facts = sum(1 for u in unsupported if u["kind"] != "name")
    n_unsupported_names = len(unsupported) - n_unsupported_facts
    max_words = expected.max_words or settings.max_words
    words = word_count(text)
    length_ok = words <= max_words
    format_ok, bad_lines = format_check(text, settings.format)

    resolved = covered == len(facts) and not violations and n_unsupported_facts == 0 and length_ok
    detail: dict[str, Any] = {
        "facts": facts,
        "facts_total": len(facts),
        "facts_covered": covered,
        "omissions": [f["id"] for f in facts if not f["covered"]],
        "forbidden_checked": len(expected.forbidden),
        "forbidden_violations": violations,
        "unsupported": unsupported,
        "unsupported_facts": n_unsupported_facts,
        "unsupported_names": n_unsupported_names,
        "words": words,
        "max_words": max_words,
        "length_ok": length_ok,
        "format": settings.format,
        "format_ok": format_ok,
        "format_violations": bad_lines,
        "empty": not text.strip(),
        "finish_reason": ctx.response.finish_reason,
    }
    return CaseScore(resolved=resolved, detail=detail)


def _int(detail: dict[str, Any], key: str) -> int:
    value = detail.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def aggregate(items: Sequence[Scored], settings: Settings) -> Metrics:
    n = len(items)
    facts_total = sum(_int(i.score.detail, "facts_total") for i in items)
    facts_covered = sum(_int(i.score.detail, "facts_covered") for i in items)
    coverage = rate(facts_covered, facts_total)
    fully = sum(1 for i in items if _int(i.score.detail, "facts_covered") == _int(i.score.detail, "facts_total"))
    with_unsupported = sum(1 for i in items if _int(i.score.detail, "unsupported_facts") > 0)
    with_forbidden = [i for i in items if _int(i.score.detail, "forbidden_checked") > 0]
    violating = sum(1 for i in with_forbidden if i.score.detail.get("forbidden_violations"))
    adversarial = [i for i in items if i.case.split == "adversarial"]

    values: dict[str, float | int | None] = {
        "key_fact_coverage": coverage,
        "omission_rate": None if coverage is None else 1.0 - coverage,
        "cases_fully_covered": rate(fully, n),
        "unsupported_rate": rate(with_unsupported, n),
        "unsupported_facts": sum(_int(i.score.detail, "unsupported_facts") for i in items),
        "unsupported_names": sum(_int(i.score.detail, "unsupported_names") for i in items),
        "forbidden_violations": sum(len(i.score.detail.get("forbidden_violations") or []) for i in items),
        "forbidden_violation_rate": rate(violating, len(with_forbidden)),
        "length_compliance": rate(sum(1 for i in items if i.score.detail.get("length_ok")), n),
        "format_compliance": rate(sum(1 for i in items if i.score.detail.get("format_ok")), n),
        "mean_words": rate(sum(_int(i.score.detail, "words") for i in items), n),
        "resolved_rate": rate(sum(1 for i in items if i.score.resolved), n),
        "adversarial_pass_rate": rate(sum(1 for i in adversarial if i.score.resolved), len(adversarial)),
    }
    return Metrics(values=values, tables=_tables(items))


def _tables(items: Sequence[Scored]) -> dict[str, Any]:
    """Per-fact omission counts, every unsupported item and forbidden hit, and coverage by tag."""
    per_fact: dict[tuple[str, str], dict[str, Any]] = {}
    unsupported: list[dict[str, Any]] = []
    forbidden: list[dict[str, Any]] = []
    by_tag: dict[str, list[Scored]] = defaultdict(list)
    for item in items:
        detail = item.score.detail
        for fact in detail.get("facts") or []:
            row = per_fact.setdefault(
                (item.case.id, str(fact.get("id"))),
                {"case": item.case.id, "fact_id": fact.get("id"), "fact": fact.get("fact"), "answers": 0, "missed": 0},
            )
            row["answers"] += 1
            row["missed"] += 0 if fact.get("covered") else 1
        for entry in detail.get("unsupported") or []:
            unsupported.append({"case": item.case.id, "repeat": item.repeat, **entry})
        for text in detail.get("forbidden_violations") or []:
            forbidden.append({"case": item.case.id, "repeat": item.repeat, "string": text})
        for tag in item.case.tags or ["(untagged)"]:
            by_tag[tag].append(item)
    omissions = sorted((r for r in per_fact.values() if r["missed"]), key=lambda r: (-r["missed"], r["case"]))
    tags = {
        tag: {
            "answers": len(group),
            "key_fact_coverage": rate(
                sum(_int(i.score.detail, "facts_covered") for i in group),
                sum(_int(i.score.detail, "facts_total") for i in group),
            ),
            "resolved_rate": rate(sum(1 for i in group if i.score.resolved), len(group)),
        }
        for tag, group in sorted(by_tag.items())
    }
    return {"omissions": omissions, "unsupported": unsupported, "forbidden": forbidden, "by_tag": tags}
