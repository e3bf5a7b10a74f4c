"""What a written token claims: the values a number, a date or an identifier in a text may denote.

Support checking compares a summary's claims with what the source states, so both sides must read
"1,200.00", "1200", "12 June", "12/06" and "6pm" the same way. This module only reads tokens (month
names in several languages, number notations, clock times, spelled numbers, identifiers); which claims
a summary makes and whether its source supports them is `support.py`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from evalkit.scoring.summarization.text import HAS_DIGIT

ClaimKind = Literal["number", "identifier", "date", "quote", "name"]

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
DAY_FIRST = re.compile(rf"(?<![\w.,:])(\d{{1,2}}){_ORDINAL}\s?(?:of |de |del )?({_MONTH_ALT})\.?(?!\w)")
MONTH_FIRST = re.compile(rf"(?<!\w)({_MONTH_ALT})\.? (?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?![.,:]\d)")
DAY_RANGE = re.compile(
    rf"(?<![\w.,:])(\d{{1,2}}){_ORDINAL} ?(?:-|to|and|&|or|y|et|und) ?"
    rf"(\d{{1,2}}){_ORDINAL} ?(?:of |de )?({_MONTH_ALT})(?!\w)"
)
MONTH_RANGE = re.compile(rf"(?<!\w)({_MONTH_ALT})\.? (\d{{1,2}})(?:st|nd|rd|th)? ?(?:-|to|and|&) ?(\d{{1,2}})(?!\d)")
BARE_DAY = re.compile(r"(?<![\w.,:])(\d{1,2})(?:st|nd|rd|th)(?!\w)")
ISO_DATE = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# Numeric day-month needs a slash, or dots with a year ("12/06", "12.06.2024"), so that an amount such as
# "12.50" or "2.10." is never read as a date.
NUMERIC_DATE = re.compile(
    r"(?<![\w.,/])(\d{1,2})(?:/(\d{1,2})(?:/(\d{2}|\d{4}))?|\.(\d{1,2})\.(\d{2}|\d{4}))(?![\d/])"
)
# Sources also write "12.06." without a year (German); not after a currency sign, where it is an amount.
DOTTED_DAY = re.compile(r"(?<![\w.,/€$£])(\d{1,2})\.(\d{1,2})\.(?!\d)")

SPACED_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?!\w)(?![.,]\d)")
COMPOUND = re.compile(r"[^\W_]+(?:[-.,:/_][^\W_]+)*")
_NUMBER = re.compile(r"^\d+(?:[.,:]\d+)*$")
_UNIT = re.compile(
    r"^(\d+(?:[.,:]\d+)*)(st|nd|rd|th|am|pm|a|p|h|hr|hrs|min|mins|k|m|bn|x|s|d|w|y|kg|g|km|cm|mm|gb|mb|tb|ml|l)$"
)
DIGIT_RUN = re.compile(r"\d+(?:[.,:]\d+)*")
ID_STRIP = re.compile(r"[-.,:/_]")
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
SPELLED = re.compile(
    r"(?<!\w)(?:("
    + "|".join(_TENS_WORDS)
    + r")(?:[- ](one|two|three|four|five|six|seven|eight|nine))?|("
    + "|".join(_UNITS_WORDS)
    + r"))(?!\w)"
)



def spelled_value(match: re.Match[str]) -> int:
    """The value of a `SPELLED` match ("twenty-one" -> 21, "dozen" -> 12)."""
    if match.group(1):
        return _TENS_WORDS[match.group(1)] + (_UNITS_WORDS[match.group(2)] if match.group(2) else 0)
    return _UNITS_WORDS[match.group(3)]


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

    kind: ClaimKind
    text: str
    forms: frozenset[str] = frozenset()
    alternatives: tuple[frozenset[str], ...] = ()
    """For spaced thousands ("12 000"): the claim also holds if each component does on its own."""


def _classify_part(part: str) -> str:
    if _NUMBER.match(part):
        return "number"
    if _UNIT.match(part):
        return "unit"
    if not HAS_DIGIT.search(part):
        return "word"
    return "mixed"


def compound_claims(token: str) -> list[Claim]:
    """Claims in one joined token: "42.50", "3-5", "4x10", "14-day", "6pm", "40k" are numbers; "A-20931",
    "THANKS10", "Q2", "LF-2" are identifiers (compared as a whole, hyphens optional)."""
    if not HAS_DIGIT.search(token):
        return []
    if token in COMMON_TERMS:
        return []
    parts = [p for p in re.split(r"[-/]|(?<=\d)x(?=\d)", token) if p]
    kinds = [_classify_part(p) for p in parts]
    identifier = "mixed" in kinds or (kinds[0] == "word" and any(k != "word" for k in kinds))
    if identifier:
        return [Claim("identifier", token, frozenset({token, ID_STRIP.sub("", token)}))]
    claims: list[Claim] = []
    for part, kind in zip(parts, kinds, strict=True):
        if kind == "number":
            claims.append(Claim("number", part, frozenset(number_forms(part))))
        elif kind == "unit":
            m = _UNIT.match(part)
            assert m is not None
            claims.append(Claim("number", part, frozenset(number_forms(m.group(1), m.group(2)))))
    return claims


def valid_day_month(day: int, month: int) -> bool:
    """Plausible as a calendar day and month (31 for every month: a summary's 31 June is its own error)."""
    return 1 <= month <= 12 and 1 <= day <= 31

