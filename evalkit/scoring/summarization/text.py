"""Text normalisation and the shape of a summary (words, lines), shared by every other check.

Every presence and support check compares normalised text, so the normalisation lives in one place:
a difference here would make a fact "present" for one check and "absent" for another. The length and
format checks are here too because they look only at the text, never at the case.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Literal

SummaryFormat = Literal["prose", "bullets"]

HAS_DIGIT = re.compile(r"\d")
"""Figures are matched exactly, never fuzzily, and a token with a digit is a number or an identifier."""

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


_UNIFY_CHARS = re.compile("[" + re.escape("".join(chr(c) for c in _UNIFY)) + "]")


def unify(text: str) -> str:
    """HTML entities decoded, compatibility forms folded, curly quotes and dashes made ASCII; case kept.

    Sources carry HTML remnants (`&euro;649`) and typographic punctuation (`3–5`, `won’t`) that the case
    writers' alternatives spell plainly; unifying both sides makes those differences invisible.
    """
    text = unicodedata.normalize("NFKC", html.unescape(text) if "&" in text else text)
    return text.translate(_UNIFY) if _UNIFY_CHARS.search(text) else text  # translate is slow on long text


def normalise(text: str) -> str:
    """`unify`, casefolded, whitespace collapsed: the form every presence check compares."""
    return re.sub(r"\s+", " ", unify(text)).strip().casefold()


def word_count(text: str) -> int:
    """Whitespace-separated tokens: what a reader counts against a word budget."""
    return len(text.split())


_BULLET = re.compile(r"^\s*(?:[-*•‣◦▪●]|\d{1,2}[.)])\s+")


def format_check(text: str, wanted: SummaryFormat) -> tuple[bool, list[str]]:
    """(compliant, offending lines): prose has no bullet lines; bullets has nothing but bullet lines."""
    lines = [line for line in unify(text).splitlines() if line.strip()]
    if wanted == "prose":
        bad = [line.strip() for line in lines if _BULLET.match(line)]
        return not bad, bad
    bad = [line.strip() for line in lines if not _BULLET.match(line)]
    return bool(lines) and not bad, bad

