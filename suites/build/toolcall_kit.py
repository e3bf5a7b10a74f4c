"""The pieces every toolcall case family is built from: a draft case, expected calls, reply checks,
agent sessions with tool calls and results, unique identifiers, and the noise real messages carry.

Everything random goes through one `random.Random` the generator seeds, so the written JSONL is a pure
function of the code. Identifiers come from `Ids`, which never hands out the same order, subscription
or tracking number twice in the whole suite: two cases share an identifier only when the family that
made them put them in one cluster on purpose.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

import toolcall_pools as P

Json = dict[str, Any]


@dataclass
class Draft:
    """One case before it has an id: the message, what a correct agent does, and how it was made."""

    message: str
    calls: list[Json] = field(default_factory=list)
    reply: Json | None = None
    tags: list[str] = field(default_factory=list)
    cluster: str | None = None
    prior: list[Json] = field(default_factory=list)
    followup: list[Json] = field(default_factory=list)
    escalation_ok: bool = False
    template: str | None = None
    """The phrasing template it was filled from: cases sharing one are correlated, so they share a cluster."""

    def expected(self) -> Json:
        if self.calls:
            assert self.reply is None, self.message
            return {"mode": "call", "calls": self.calls, "escalation_acceptable": False}
        assert self.reply is not None, self.message
        return {"mode": "no_call", "calls": [], "escalation_acceptable": self.escalation_ok, "reply": self.reply}


def call(name: str, optional: dict[str, list[Any] | None] | None = None, **args: Any) -> Json:
    """An expected call; a list value is a set of acceptable alternatives, anything else the one value."""
    return {
        "name": name,
        "args": {k: (v if isinstance(v, list) else [v]) for k, v in args.items()},
        "optional_args": optional or {},
    }


NOTE: dict[str, list[Any] | None] = {"note": None}


def escalate(priority: str) -> Json:
    return call("escalate_to_human", {"reason": None}, priority=priority)


def reply(
    reference: str,
    ask: tuple[str, ...] = (),
    require: tuple[str, ...] = (),
    forbid: tuple[str, ...] = (),
    decline: bool = False,
) -> Json:
    """Checks on the text reply of a no-call case, with a reference reply that passes them.

    `ask`: named fields (the suite's `reply_patterns`) the reply must ask for, in a question;
    `require`: regexes that must each match; `forbid`: regexes that must not match.
    """
    return {
        "ask_for": list(ask),
        "require": list(require),
        "forbid": list(forbid),
        "decline": decline,
        "reference": reference,
    }


class Ids:
    """Unique identifiers for the whole suite, drawn from the generator's RNG."""

    ORDER_PREFIXES = ("OR", "WB", "MK", "LS", "AP", "OR", "WB", "OR")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _fresh(self, make: Any) -> str:
        while True:
            value = str(make())
            if value not in self.used:
                self.used.add(value)
                return value

    def order(self, prefix: str | None = None) -> str:
        return self._fresh(lambda: f"{prefix or self.rng.choice(self.ORDER_PREFIXES)}-{self.rng.randint(10000, 99999)}")

    def subscription(self) -> str:
        return self._fresh(lambda: f"SUB-{self.rng.randint(100000, 999999)}")

    def tracking(self, carrier: str) -> str:
        r = self.rng

        def digits(n: int) -> str:
            return "".join(r.choice("0123456789") for _ in range(n))

        def make() -> str:
            if carrier == "UPS":
                return "1Z" + "".join(r.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY") for _ in range(6)) + digits(10)
            if carrier == "USPS":
                return r.choice(("9400", "9205", "9361")) + digits(18)
            if carrier == "FedEx":
                return digits(12)
            if carrier == "DHL":
                return digits(10)
            if carrier == "Royal Mail":
                return r.choice(("RM", "TT", "JD", "AB")) + digits(9) + "GB"
            return digits(16)

        return self._fresh(make)

    def refund_id(self) -> str:
        return self._fresh(lambda: f"RF-{self.rng.randint(100000, 999999)}")


def spaced_tracking(number: str, rng: random.Random) -> str:
    """How customers paste tracking numbers: in groups of four, or as printed on the label."""
    if rng.random() < 0.5 or len(number) < 12:
        return number
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def messy_id(order_id: str, rng: random.Random) -> str:
    """An order id as customers mangle it (lowercase, a space, no hyphen); still complete."""
    letters, digits = order_id.split("-")
    return rng.choice(
        (
            f"{letters.lower()}-{digits}",
            f"{letters} {digits}",
            f"{letters.lower()}{digits}",
            f"{letters}{digits}",
            f"#{letters}-{digits}",
        )
    )


def money(amount: float, rng: random.Random, plain: bool = False) -> str:
    """A US-dollar amount in one of the ways people write them."""
    whole = amount == int(amount)
    if plain:
        return f"${amount:,.2f}"
    styles = [f"${amount:,.2f}", f"{amount:,.2f} USD", f"USD {amount:,.2f}", f"${amount:,.2f}"]
    if whole:
        styles += [f"${int(amount):,}", f"{int(amount)} dollars", f"${int(amount):,}"]
    return rng.choice(styles)


def person(rng: random.Random) -> tuple[str, str]:
    """A customer's name and the email address of their account."""
    first, last = rng.choice(P.FIRST_NAMES), rng.choice(P.LAST_NAMES)
    local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}", f"{last}.{first[0]}"))
    ascii_local = "".join(c for c in local.lower() if c.isascii() and (c.isalnum() or c == "."))
    return f"{first} {last}", f"{ascii_local}@{rng.choice(P.EMAIL_DOMAINS)}"


def dress(body: str, rng: random.Random, name: str | None = None, noise: float = 0.5) -> str:
    """Wrap a request in what real messages have around it: a greeting, filler, a sign-off, a footer."""
    parts = []
    greeting = rng.choice(P.GREETINGS)
    if greeting and rng.random() < 0.7 and not body.lower().startswith(("hi", "hello", "hey", "good", "dear")):
        parts.append(greeting)
    if rng.random() < noise * 0.35:
        parts.append(rng.choice(P.FILLER))
    parts.append(body)
    closing = rng.choice(P.CLOSINGS)
    if closing and rng.random() < 0.6:
        parts.append(closing + (f"\n{name.split()[0] if rng.random() < 0.6 else name}" if name else ""))
    elif name and rng.random() < 0.3:
        parts.append(f"- {name.split()[0]}")
    footer = rng.choice(P.FOOTERS)
    if footer and rng.random() < noise * 0.5:
        parts.append(footer)
    sep = "\n\n" if len(body) > 140 or rng.random() < 0.4 else " "
    return sep.join(parts).strip()


def typos(text: str, rng: random.Random, rate: float = 0.35) -> str:
    """Swap a few common words for the misspellings customers type; ids and amounts are untouched."""
    out = []
    for word in text.split(" "):
        bare = word.strip(".,!?").lower()
        if bare in P.TYPOS and rng.random() < rate:
            out.append(word.lower().replace(bare, rng.choice(P.TYPOS[bare])))
        else:
            out.append(word)
    return " ".join(out)


def casual(text: str, rng: random.Random) -> str:
    """Phone-typed: lower case, some typos, trailing punctuation dropped."""
    return typos(text[0].lower() + text[1:], rng).rstrip(".")


def quoted(body: str, old: str, rng: random.Random) -> str:
    """A reply on top of an earlier shop email, which is quoted below it (and may mention other orders)."""
    header = rng.choice(P.QUOTE_HEADERS).format(date=rng.choice(P.QUOTE_DATES))
    return body + "\n\n" + header + "\n" + "\n".join("> " + line for line in old.splitlines())


class Session:
    """Turns of an agent session: assistant tool calls, their results and text, with unique call ids."""

    def __init__(self) -> None:
        self.turns: list[Json] = []
        self.count = 0

    def calls(self, *calls: tuple[str, Json]) -> list[str]:
        ids = []
        tool_calls = []
        for name, args in calls:
            self.count += 1
            ids.append(f"call_{self.count}")
            tool_calls.append({"id": ids[-1], "name": name, "arguments": args})
        self.turns.append({"role": "assistant", "content": None, "tool_calls": tool_calls})
        return ids

    def result(self, call_id: str, payload: Json, error: bool = False) -> None:
        self.turns.append({"role": "tool", "tool_call_id": call_id, "content": json.dumps(payload), "is_error": error})

    def say(self, text: str) -> None:
        self.turns.append({"role": "assistant", "content": text})

    def user(self, text: str) -> None:
        self.turns.append({"role": "user", "content": text})


def order_record(
    order_id: str,
    items: list[P.Product],
    status: str,
    rng: random.Random,
    ids: Ids,
    address: P.Address | None = None,
    days_since_delivery: int | None = None,
) -> Json:
    """What lookup_order returns for an order: consistent totals, a carrier and dates for its status."""
    total = round(sum(p.price for p in items) + (0 if sum(p.price for p in items) >= 50 else 5.95), 2)
    addr = address or rng.choice(P.ADDRESSES)
    record: Json = {
        "order_id": order_id,
        "status": status,
        "placed_on": f"2025-{rng.randint(3, 5):02d}-{rng.randint(1, 28):02d}",
        "items": [{"name": p.name, "sku": p.sku, "price": p.price} for p in items],
        "total": total,
        "payment_status": "paid",
        "shipping_address": ", ".join(
            x for x in (addr.street, addr.city, addr.state, addr.postal_code, addr.country) if x
        ),
    }
    if status in ("shipped", "delivered"):
        carrier = rng.choice(P.CARRIERS[:4])
        record["carrier"] = carrier
        record["tracking_number"] = ids.tracking(carrier)
    if status == "shipped":
        record["estimated_delivery"] = f"2025-06-{rng.randint(2, 27):02d}"
    if status == "delivered":
        record["delivered_on"] = f"2025-05-{rng.randint(2, 27):02d}"
        record["days_since_delivery"] = days_since_delivery if days_since_delivery is not None else rng.randint(2, 25)
    return record
