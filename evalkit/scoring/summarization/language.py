"""Output language: is the summary written in the language the suite's prompt asks for?

An operations team that reads English cannot use a faithful Spanish summary of a Spanish thread, and
key-fact matching alone does not notice: amounts, order numbers and names are the same in both
languages. The check uses py3langid (a maintained fork of langid.py: a naive Bayes model over byte
n-grams, trained on 97 languages, shipped inside the package, deterministic and offline).

What the model sees is the summary's running prose: tokens with digits (amounts, dates, identifiers),
quotations, URLs and capitalised words inside a sentence (names of people, products, towns) are
removed first, because a summary must carry "Jürgen", "pedido 88213" or "Calle Mayor" whatever its
language, and they would pull a short text towards the source's language. Then:

- too little prose left (under `MIN_LETTERS` letters): undecided, and the summary passes; there is
  nothing to read a language from, and an empty or figures-only answer fails on its key facts anyway;
- otherwise the summary is in the wanted language unless another language is more than
  `DOMINANCE` times as probable (normalised probabilities); a mostly English sentence that keeps a
  source term ("the *albarán*") stays English, a Spanish paragraph does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evalkit.scoring.summarization.text import unify

MIN_LETTERS = 30
"""Below this many letters of prose the language is not decided (a few words carry no signal)."""
DOMINANCE = 4.0
"""Another language must be this many times as probable as the wanted one for the summary to fail."""

_QUOTED = re.compile(r'"[^"\n]*"')
_URL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+")
_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    """The most probable language (ISO 639-1), or None when there is too little prose to tell."""
    probability: float
    """Its normalised probability (0.0 when undecided)."""
    wanted_probability: float
    """The wanted language's normalised probability (0.0 when undecided)."""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load the model once per process (about a second); only suites that check a language pay for it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def prose(text: str) -> str:
    """The running words of a text: no figures, identifiers, quotations, URLs or mid-sentence names."""
    text = _URL.sub(" ", _QUOTED.sub(" ", unify(text)))
    kept: list[str] = []
    sentence_start = True
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        word = token.strip("()[]{}*,;:!?.\"'«»")
        if word and not any(ch.isdigit() for ch in word) and not (word[0].isupper() and not sentence_start):
            kept.append(word)
        sentence_start = token.endswith((".", "!", "?", ":")) or token in ("-", "—")
    return " ".join(kept)


@lru_cache(maxsize=4096)
def guess_language(text: str, wanted: str) -> LanguageGuess:
    """The most probable language of the text's prose, and how probable the wanted language is."""
    words = prose(text)
    if len(_LETTER.findall(words)) < MIN_LETTERS:
        return LanguageGuess(None, 0.0, 0.0)
    ranked: list[tuple[str, float]] = [(str(lang), float(p)) for lang, p in _identifier().rank(words)]
    top, p_top = ranked[0]
    p_wanted = next((p for lang, p in ranked if lang == wanted), 0.0)
    return LanguageGuess(top, p_top, p_wanted)


def in_language(guess: LanguageGuess, wanted: str) -> bool:
    """Undecided, the wanted language on top, or no other language `DOMINANCE` times as probable."""
    if guess.language is None or guess.language == wanted:
        return True
    return guess.probability <= DOMINANCE * guess.wanted_probability
