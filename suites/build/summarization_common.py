"""Typed pieces every summarization story is built from: facts, forbidden claims, turns, value formats.

A story's gold follows from how it was composed: the generator plants a value in a beat and records,
in the same step, the key fact that names it (with every way a summary may write it) or the forbidden
claim a trap invites. Formats live here once so a date or an amount is written in the source and
listed in `must_include` by the same code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from summarization_pools import MONTHS

REFUND = ["refund", "refunded", "reimburse", "money back", "credited back", "credit back", "repay"]
REPLACE = ["replacement", "replace", "new one", "reship", "resend", "send another", "exchange"]
OPEN = [
    "no decision", "undecided", "not yet decided", "not been decided", "not decided", "pending", "still open",
    "remains open", "left open", "is open", "unresolved", "awaiting", "waiting", "not yet", "yet to",
    "under review", "being reviewed", "investigat", "to be confirmed", "unknown", "not known", "unclear", "tbc",
    "no outcome", "depends", "until", "not confirmed", "unconfirmed", "open question", "not agreed", "no agreement",
]  # fmt: skip
DISAGREE = ["disagree", "disagreed", "disagreement", "no agreement", "not agreed", "split", "divided", "no consensus",
            "undecided", "no decision", "unresolved", "differ", "differing", "conflicting", "not decided",
            "not yet decided", "pending", "open"]  # fmt: skip
DECIDED = ["agreed", "approved", "confirmed", "decided", "chose", "chosen", "opted", "going with", "will send",
           "sent", "arranged", "issued", "processed", "granted", "signed", "accepted", "selected",
           "settled"]  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """A key fact: an English sentence (the scripted frontier's wording) and its must-include groups."""

    fact: str
    groups: tuple[tuple[str, ...], ...]

    def as_json(self, key: str) -> dict[str, Any]:
        return {"id": key, "fact": self.fact, "must_include": [list(g) for g in self.groups]}


@dataclass(frozen=True)
class Claim:
    """A forbidden claim the source invites (see evalkit/scoring/summarization/forbidden.py)."""

    claim: str
    value: tuple[str, ...]
    context: tuple[tuple[str, ...], ...] = ()

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"claim": self.claim, "value": list(self.value)}
        if self.context:
            out["context"] = [list(g) for g in self.context]
        return out


@dataclass
class Turn:
    """One message, line or timeline entry. `core` beats carry facts and are never typo-noised."""

    speaker: str
    text: str
    core: bool = False


@dataclass
class Story:
    """What happened, before it is rendered as a thread, a chat, a call, a timeline or meeting notes."""

    family: str
    topic_tags: list[str]
    turns: list[Turn]
    facts: list[Fact]
    forbidden: list[Claim] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)
    language: str = "en"


@dataclass(frozen=True)
class Money:
    amount: float
    symbol: str = "$"
    european: bool = False

    def text(self) -> str:
        body = f"{self.amount:,.2f}"
        if self.european:
            body = body.replace(",", " ").replace(".", ",")
            return f"{body} {self.symbol}"
        return f"{self.symbol}{body}"

    def alts(self) -> tuple[str, ...]:
        whole = self.amount == int(self.amount)
        plain = f"{self.amount:.2f}"
        out = [f"{self.amount:,.2f}", plain]
        if whole:
            out += [f"{int(self.amount):,}", str(int(self.amount))]
        elif plain.endswith("0"):
            out.append(plain[:-1])
        if self.european:
            out.append(plain.replace(".", ","))
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Day:
    day: int
    month: int  # 1..12

    def text(self, style: int = 0) -> str:
        name = MONTHS[self.month - 1]
        return [f"{self.day} {name}", f"{name} {self.day}", f"{self.day} {name[:3]}", f"{name[:3]} {self.day}"][
            style % 4
        ]

    def alts(self) -> tuple[str, ...]:
        name = MONTHS[self.month - 1]
        suffix = "th" if 11 <= self.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(self.day % 10, "th")
        short = name[:3]
        return (f"{self.day} {name}", f"{name} {self.day}", f"{self.day}{suffix} {name}", f"{name} {self.day}{suffix}",
                f"{self.day} {short}", f"{short} {self.day}", f"{self.day}/{self.month:02d}",
                f"{self.day}/{self.month}", f"{self.day}.{self.month:02d}.")  # fmt: skip


def money(rng: random.Random, low: float, high: float, symbol: str = "$", cents: bool = True) -> Money:
    value = rng.uniform(low, high)
    value = round(value, 2) if cents and rng.random() < 0.7 else float(round(value))
    return Money(value, symbol)


def day(rng: random.Random, month: int | None = None, low: int = 2, high: int = 27) -> Day:
    return Day(rng.randint(low, high), month or rng.randint(1, 12))


def later(d: Day, days: int) -> Day:
    """A later day, wrapping into the next month at 28 (every month has one)."""
    total = d.day + days
    month = d.month
    while total > 28:
        total -= 28
        month = month % 12 + 1
    return Day(total, month)


def ident(rng: random.Random, prefix: str, digits: int = 5) -> str:
    return f"{prefix}-{rng.randint(10 ** (digits - 1), 10**digits - 1)}"


def id_alts(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys([value, value.replace("-", ""), value.lstrip("#")]))


def pct_alts(p: int) -> tuple[str, ...]:
    return (f"{p}%", f"{p} percent", f"{p} per cent")


def pick(rng: random.Random, options: list[str], **slots: str) -> str:
    """One option, its {slots} filled."""
    return rng.choice(options).format(**slots)
