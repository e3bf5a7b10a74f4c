"""The business document behind each case: parties, dated lines, taxes and totals, and its gold record.

A document is built as numbers first (Decimal quantities, prices, per-rate taxes, discounts, shipping,
deposits) and printed afterwards, so the gold follows from how it was composed: the line amounts add up
to the subtotal, the taxes are computed per rate on what they tax, and the total is what the page says.
What a case changes on purpose (a field left out, a later correction) is recorded as a gold override.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from extraction_format import Money, company, decimals_of, expand, ident, person, pick, q, scale, tax_id
from extraction_format import address as make_address
from extraction_items import B2B, RETAIL
from extraction_labels import LABELS, TERMS
from extraction_pools import COUNTRIES, LANG_COUNTRIES

ZERO = Decimal(0)
REPEATS = {
    "en": ("(site {A|B|C|D})", "- week #", "- batch #", "- room #", "- phase #"),
    "de": ("(Baustelle {A|B|C})", "- KW #", "- Charge #"),
    "fr": ("(chantier {A|B|C})", "- semaine #", "- lot #"),
    "es": ("(obra {A|B|C})", "- semana #", "- lote #"),
    "nl": ("(locatie {A|B|C})", "- week #"),
    "it": ("(cantiere {A|B|C})", "- settimana #", "- lotto #"),
    "sv": ("(plats {A|B|C})", "- vecka #"),
    "ja": ("({A|B|C}棟)", "- 第#週"),
}


@dataclass
class Party:
    name: str
    address: list[str]
    tax_id: str | None = None
    attn: str | None = None
    honorific: str = ""
    """Printed after the name (様, 御中) but not part of it: the gold leaves it out."""


@dataclass
class Line:
    desc: str
    qty: Decimal
    unit: Decimal
    amount: Decimal
    rate: int = 0
    """Index into the document's taxes when items carry different rates (VAT 20% / 5%)."""
    code: str | None = None
    section: str | None = None


@dataclass
class Tax:
    label: str
    rate: Decimal
    amount: Decimal


@dataclass
class Doc:
    kind: str
    cc: str
    trade: str
    money: Money
    issuer: Party
    recipient: Party | None
    number: str | None
    issue: date | None
    date_style: str
    lines: list[Line] = field(default_factory=list)
    ship_to: Party | None = None
    due: date | None = None
    """The printed due date (invoice) or end date (contract); None when the document prints none."""
    dates: dict[str, date] = field(default_factory=dict)
    """Other printed dates by label key: order_date, delivery_date, period, required_by, returns, sent."""
    refs: dict[str, str] = field(default_factory=dict)
    """Other printed identifiers by label key: customer_no, order_ref, po_ref, dn_ref, orig_invoice."""
    discount: Decimal = ZERO
    discount_label: str = ""
    shipping: Decimal = ZERO
    taxes: list[Tax] = field(default_factory=list)
    tax_included: bool = False
    tax_printed: bool = True
    subtotal: Decimal = ZERO
    total: Decimal = ZERO
    deposit: Decimal = ZERO
    tip: Decimal = ZERO
    service: Decimal = ZERO
    terms: str | None = None
    notes: list[str] = field(default_factory=list)
    """Text printed after the document body (notes, corrections, injected instructions)."""
    head_notes: list[str] = field(default_factory=list)
    tags_extra: list[str] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    """Extra (label, amount) rows under the totals: an account summary, a credit limit."""
    layout: str = "classic"
    flags: set[str] = field(default_factory=set)
    gold_over: dict[str, Any] = field(default_factory=dict)
    label_over: dict[str, str] = field(default_factory=dict)
    """Labels a case fixes instead of drawing them ("Rechnungskorrektur" as the title of a credit note)."""

    @property
    def lang(self) -> str:
        return COUNTRIES[self.cc].lang

    def label(self, rng: random.Random, key: str) -> str:
        return pick(rng, LABELS[self.lang][key])


def gold(doc: Doc) -> dict[str, Any]:
    """The record the suite's prompt asks for, read off the composed document."""
    if doc.kind == "other":
        record: dict[str, Any] = dict.fromkeys(
            (
                "issuer",
                "recipient",
                "document_number",
                "issue_date",
                "due_date",
                "currency",
                "total_amount",
                "tax_amount",
                "payment_terms",
            ),
        )
        return {"document_type": "other", **record, "line_items": []}
    due = doc.due.isoformat() if doc.due and doc.kind in ("invoice", "contract") else None
    tax = sum((t.amount for t in doc.taxes), ZERO) if doc.taxes and doc.tax_printed else None
    record = {
        "document_type": doc.kind,
        "issuer": doc.issuer.name,
        "recipient": doc.recipient.name if doc.recipient else None,
        "document_number": doc.number,
        "issue_date": doc.issue.isoformat() if doc.issue else None,
        "due_date": due,
        "currency": None if doc.money.bare else doc.money.currency,
        "total_amount": float(doc.total) if "no_total" not in doc.flags else None,
        "tax_amount": float(tax) if tax is not None else None,
        "payment_terms": doc.terms if doc.kind not in ("receipt",) else None,
        "line_items": [line.desc for line in doc.lines],
    }
    record.update(doc.gold_over)
    return record


# ------------------------------------------------------------------------------------------------ composing


def some_date(rng: random.Random) -> date:
    return date(2025, 6, 1) + timedelta(days=rng.randrange(0, 330))


def country_for(rng: random.Random, lang: str) -> str:
    return pick(rng, LANG_COUNTRIES[lang])


def trade_for(rng: random.Random, lang: str, retail: bool) -> str:
    pools = RETAIL if retail else B2B
    return pick(rng, sorted(pools.get(lang, pools["en"])))


def make_party(rng: random.Random, cc: str, trade: str, *, person_ok: bool = False) -> Party:
    lang = COUNTRIES[cc].lang
    if person_ok and rng.random() < 0.3:
        return Party(person(rng, lang), make_address(rng, cc))
    attn = f"Attn: {person(rng, lang)}" if lang == "en" and rng.random() < 0.3 else None
    return Party(company(rng, cc, trade), make_address(rng, cc), tax_id(rng, cc) if rng.random() < 0.6 else None, attn)


def make_lines(rng: random.Random, doc: Doc, n: int, *, retail: bool = False, split_rates: int = 1) -> list[Line]:
    pools = RETAIL if retail else B2B
    lang = doc.lang if doc.lang in pools and doc.trade in pools[doc.lang] else "en"
    pool = pools[lang].get(doc.trade) or pools[lang][sorted(pools[lang])[0]]
    seen: set[str] = set()
    lines: list[Line] = []
    tries = 0
    while len(lines) < n and tries < n * 30:
        tries += 1
        template, lo, hi = pick(rng, pool)
        desc = expand(rng, template)
        if desc in seen and tries > n * 3:
            # A long invoice repeats an item for another site, week or batch, as real ones do.
            desc = f"{desc} {expand(rng, pick(rng, REPEATS.get(lang, REPEATS['en'])))}".replace(
                "#", str(rng.randint(2, 52))
            )
        if desc in seen:
            continue
        seen.add(desc)
        unit = scale(rng.uniform(lo, hi), doc.money.currency)
        if unit <= 0:
            unit = Decimal(1)
        qty = (
            Decimal(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 20, 25)))
            if not retail
            else Decimal(rng.choice((1, 1, 1, 1, 1, 2, 2, 3)))
        )
        lines.append(
            Line(
                desc,
                qty,
                unit,
                q(qty * unit, decimals_of(doc.money.currency)),
                rate=0 if split_rates == 1 or rng.random() < 0.7 else rng.randrange(1, split_rates),
            )
        )
    return lines


def _stacked(scheme: tuple[tuple[str, str], ...]) -> bool:
    """GST + PST, CGST + SGST, state + county: every rate taxes the whole base (different tax names)."""
    names = {label.split()[0].rstrip(".").split("(")[0].split("@")[0] for label, _ in scheme}
    return len(scheme) > 1 and len(names) == len(scheme)


def price(doc: Doc, scheme: tuple[tuple[str, str], ...], *, included: bool) -> None:
    """Subtotal, taxes and total from the lines, the discount and the shipping, per the tax scheme."""
    dec = decimals_of(doc.money.currency)
    doc.tax_included = included
    doc.subtotal = sum((line.amount for line in doc.lines), ZERO)
    net = doc.subtotal - doc.discount + doc.shipping
    rates = [(label, Decimal(rate)) for label, rate in scheme]
    if _stacked(scheme) or len(scheme) == 1:
        if included:
            combined = sum((r for _, r in rates), ZERO)
            doc.taxes = [Tax(label, r, q(net * r / (1 + combined), dec)) for label, r in rates]
        else:
            doc.taxes = [Tax(label, r, q(net * r, dec)) for label, r in rates]
    else:
        bases = [ZERO] * len(rates)
        for line in doc.lines:
            bases[line.rate] += line.amount
        bases[0] += doc.shipping - doc.discount
        doc.taxes = [
            Tax(label, r, q(base * r / (1 + r) if included else base * r, dec))
            for (label, r), base in zip(rates, bases, strict=True)
            if base > 0
        ]
    doc.total = net + doc.service + doc.tip + (ZERO if included else sum((t.amount for t in doc.taxes), ZERO))


def new_doc(rng: random.Random, kind: str, cc: str, *, retail: bool = False, trade: str | None = None) -> Doc:
    """A document of `kind` from country `cc` with parties, identifiers and dates, but no lines yet."""
    country = COUNTRIES[cc]
    trade = trade or trade_for(rng, country.lang, retail)
    money = Money(rng, cc)
    issue = some_date(rng)
    issuer = make_party(rng, cc, trade)
    if retail:
        trading = next((issuer.name[: -len(x) - 1] for x in country.suffixes if issuer.name.endswith(" " + x)), None)
        if trading and rng.random() < 0.5:
            issuer.name = trading
        issuer.name = issuer.name.upper() if rng.random() < 0.4 and country.lang != "ja" else issuer.name
    other_trade = trade_for(rng, country.lang, retail=False)
    recipient = make_party(rng, cc, other_trade, person_ok=kind in ("invoice", "credit_note", "contract"))
    if kind == "purchase_order":
        issuer, recipient = make_party(rng, cc, other_trade), make_party(rng, cc, trade)
    id_kind = "order" if kind == "other" else kind
    doc = Doc(
        kind, cc, trade, money, issuer, recipient, ident(rng, id_kind, issue.year), issue, pick(rng, country.dates)
    )
    doc.terms = pick(rng, TERMS[country.lang]) if kind in ("invoice", "purchase_order", "contract") else None
    return doc
