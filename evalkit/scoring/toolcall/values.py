"""Is an argument value one of the acceptable ones? Numbers with a tolerance, strings normalised.

String normalisers are opt-in, per suite (`scorer.string_normalize`) or per argument (an expected
call's `normalize`), because what counts as "the same string" is a property of the data: an order id
must match exactly, while BFCL's answer key lists "April 1, 2024" and the leaderboard accepts
"april 1 2024". `bfcl` is that leaderboard's own rule, so an imported BFCL suite scores a call the
way the leaderboard does; `punctuation` is the general form (every Unicode punctuation mark and
whitespace dropped, case folded).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Literal

__all__ = ["Normaliser", "normalise", "values_equal"]

Normaliser = Literal["strip", "lower", "collapse_ws", "punctuation", "bfcl"]

_BFCL = re.compile(r"[ ,./\-_*^]")


def _no_punctuation(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace() and not unicodedata.category(ch).startswith("P")).casefold()


def _bfcl(s: str) -> str:
    """BFCL's `standardize_string`: drop spaces and `,./-_*^`, lower-case, single quotes as double."""
    return _BFCL.sub("", s).lower().replace("'", '"')


_OPS: dict[str, Callable[[str], str]] = {
    "strip": str.strip,
    "lower": str.casefold,
    "collapse_ws": lambda s: re.sub(r"\s+", " ", s),
    "punctuation": _no_punctuation,
    "bfcl": _bfcl,
}


def normalise(value: Any, ops: Sequence[Normaliser]) -> Any:
    """Apply the string normalisers to every string inside a value (lists and dict values included)."""
    if isinstance(value, str):
        out = value
        for op in ops:
            out = _OPS[op](out)
        return out
    if isinstance(value, dict):
        return {k: normalise(v, ops) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, ops) for v in value]
    return value


def values_equal(got: Any, want: Any, ops: Sequence[Normaliser], tolerance: float) -> bool:
    """Booleans by identity (True is not 1), numbers within `tolerance`, the rest after normalising."""
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return math.isclose(float(got), float(want), abs_tol=tolerance)
    return bool(normalise(got, ops) == normalise(want, ops))
