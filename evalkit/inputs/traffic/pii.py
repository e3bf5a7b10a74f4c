"""PII scrubbing for imported traffic: applied to every text that is written, before it is written.

What is replaced, and how it is recognised:

- emails: the usual `local@domain.tld` shape;
- IBANs: country code, check digits and 11-30 more characters, kept only when the ISO 7064 check
  passes (`stdnum.iban`), with or without spaces;
- card numbers: 13-19 digits, optionally grouped by spaces or dashes, kept only when the Luhn check
  passes (`stdnum.luhn`), so order numbers and timestamps survive;
- account numbers: digits (6-20) right after "account", "acct", "a/c" (+ "number/no/#");
- phone numbers: libphonenumber's matcher (`phonenumbers`, leniency VALID) for each region in
  `regions`, which also finds national formats of those countries; international `+` numbers are
  found whatever the region;
- names where they can be told from the text alone: after a greeting or sign-off ("Hi Anna,",
  "Dear Mr Smith", "Thanks, John Smith", "Regards,\nMaria"), and after "my name is" / "this is" /
  "Name:". Names elsewhere in free text are NOT found: there is no NER model offline.

A value becomes a numbered placeholder (`[EMAIL_1]`, `[PHONE_2]`, ...), numbered per call, so the same
address in the request and in the logged answer (a tool call's argument) stays the same placeholder and
the drafted expectation still matches the drafted request. Only counts per kind are reported, never
the values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import phonenumbers
from stdnum import iban, luhn

__all__ = ["DEFAULT_REGIONS", "KINDS", "CallScrubber"]

KINDS = ("email", "iban", "card", "account", "phone", "name")
DEFAULT_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_ACCOUNT = re.compile(r"(?i)\b(?:account|acct|a/c)(?:\s*(?:number|no\.?|#|num))?\s*[:#]?\s*(\d[\d -]{4,22}\d)\b")
_AMOUNT = re.compile(r"^\d{1,3}(?:[,.]?\d{3})*[.,]\d{1,2}$")
_DIGITS = re.compile(r"\d[\d\s().+-]{5,}\d")
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_FULL = rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?{_NAME}(?: {_NAME}){{0,2}}"
_GREETING = re.compile(
    rf"\b(?:Hi|Hello|Hey|Dear|Hiya|Morning|Good (?:morning|afternoon|evening)),?[ \t]+(?P<name>{_FULL})\b"
)
_SIGNOFF = re.compile(
    r"\b(?:Thanks|Thank you|Thx|Cheers|Regards|Best|Best regards|Kind regards|Warm regards|Sincerely|Yours)"
    rf"[ \t]*[,!.]?[ \t]*\n?[ \t]*(?:-+[ \t]*)?(?P<name>{_FULL})\b"
)
_INTRO = re.compile(rf"(?:\b[Mm]y name is|\b[Tt]his is|\bName:)[ \t]+(?P<name>{_FULL})\b")
_NOT_NAMES = {
    "I",
    "We",
    "The",
    "This",
    "That",
    "There",
    "Team",
    "Support",
    "Again",
    "So",
    "Very",
    "Much",
    "All",
    "Everyone",
    "You",
    "For",
    "In",
    "Advance",
    "Please",
    "And",
    "Regards",
    "Thanks",
    "Customer",
    "Sir",
    "Madam",
}


def _card(digits: str) -> bool:
    return digits.isdigit() and 13 <= len(digits) <= 19 and luhn.is_valid(digits)


class CallScrubber:
    """Scrubs the texts of one call with one placeholder numbering; `counts` adds up what it replaced."""

    def __init__(self, counts: Counter[str], regions: Iterable[str] = DEFAULT_REGIONS) -> None:
        self.counts = counts
        self.regions = tuple(regions)
        self._seen: dict[tuple[str, str], str] = {}

    def _token(self, kind: str, value: str) -> str:
        key = (kind, re.sub(r"[\s().-]", "", value).casefold())
        if key not in self._seen:
            n = sum(1 for k, _ in self._seen if k == kind) + 1
            self._seen[key] = f"[{kind.upper()}_{n}]"
        self.counts[kind] += 1
        return self._seen[key]

    def _checked(self, kind: str, found: str, shortest: int, valid: Callable[[str], bool]) -> str:
        """The longest prefix of a greedy match that passes the check (a card followed by an expiry
        date, an IBAN followed by a capitalised word), replaced; the match unchanged if none does."""
        ends = [i + 1 for i, ch in enumerate(found) if ch.isalnum()]
        for end in reversed(ends):
            compact = re.sub(r"[\s-]", "", found[:end])
            if len(compact) < shortest:
                break
            if valid(compact):
                return self._token(kind, found[:end]) + found[end:]
        return found

    def _names(self, pattern: re.Pattern[str], text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            name = m.group("name")
            words = name.split()
            while words and words[-1] in _NOT_NAMES:
                words.pop()
            if not words or words[0] in _NOT_NAMES:
                return m.group(0)
            kept = " ".join(words)
            start = m.start("name") - m.start(0)
            return m.group(0)[:start] + self._token("name", kept) + m.group(0)[start + len(kept) :]

        return pattern.sub(repl, text)

    def _phones(self, text: str) -> str:
        if not _DIGITS.search(text):
            return text  # libphonenumber's matcher is slow; most texts have no digit run at all
        spans: dict[tuple[int, int], str] = {}
        for region in self.regions:
            for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                digits = sum(ch.isdigit() for ch in m.raw_string)
                if _AMOUNT.match(m.raw_string) or (digits < 8 and not m.raw_string.startswith("+")):
                    continue  # an amount ("3875.31") or a short code some region's plan happens to allow
                if not any(s <= m.start < e or s < m.end <= e for s, e in spans):
                    spans[(m.start, m.end)] = m.raw_string
        for (start, end), raw in sorted(spans.items(), reverse=True):
            text = text[:start] + self._token("phone", raw) + text[end:]
        return text

    def text(self, text: str) -> str:
        """One text with every recognised value replaced."""
        if not text:
            return text
        text = _EMAIL.sub(lambda m: self._token("email", m.group(0)), text)
        text = _IBAN.sub(lambda m: self._checked("iban", m.group(0), 15, iban.is_valid), text)
        text = _CARD.sub(lambda m: self._checked("card", m.group(0), 13, _card), text)
        text = _ACCOUNT.sub(lambda m: m.group(0).replace(m.group(1), self._token("account", m.group(1))), text)
        text = self._phones(text)
        for pattern in (_GREETING, _SIGNOFF, _INTRO):
            text = self._names(pattern, text)
        return text

    def value(self, value: Any) -> Any:
        """Any JSON value: strings scrubbed, containers walked, keys kept (they are schema, not data)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value
