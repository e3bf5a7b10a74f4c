"""Composing one realistic document of each type, with the variety a real accounts-payable inbox has.

Each builder draws the document's options (layout, which dates and references are printed, discounts,
shipping, deposits, tax regime, pages, sections, OCR, email wrapping) at realistic rates, prices it and
returns the composed `Doc` with its printed text; the gold is read off the same `Doc`. Builders take the
random generator of their case, so a case is reproducible on its own and the suite from its seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from extraction_format import Money, decimals_of, fmt_date, ident, person, pick, q, scale
from extraction_model import ZERO, Doc, Line, Party, Tax, gold, make_lines, make_party, new_doc, price
from extraction_pools import COUNTRIES
from extraction_prose import OTHER_KINDS, contract_type, email, render_contract, render_other
from extraction_render import render_business, render_receipt

SECTIONS = {
    "en": (
        ("Labour", "Materials"),
        ("Phase 1", "Phase 2", "Phase 3"),
        ("Hardware", "Services"),
        ("Recurring", "One-off"),
    ),
    "de": (("Arbeitsleistung", "Material"), ("Los 1", "Los 2")),
    "fr": (("Main-d'œuvre", "Fournitures"),),
    "es": (("Mano de obra", "Materiales"),),
    "nl": (("Arbeid", "Materiaal"),),
    "it": (("Manodopera", "Materiali"),),
    "sv": (("Arbete", "Material"),),
    "ja": (("作業費", "部材費"),),
}
Hook = Callable[[Doc], None] | None
"""Called on the priced document before it is printed: how an adversarial case bends a base document."""
INCOTERMS = ("DAP", "FCA", "EXW", "DDP", "CPT", "FOB")
LAYOUTS = ("classic", "classic", "twocol", "twocol", "din", "markdown", "html", "kv")


@dataclass
class Built:
    doc: Doc
    text: str
    tags: list[str]

    @property
    def gold(self) -> dict[str, object]:
        return gold(self.doc)


def n_items(rng: random.Random, size: str) -> int:
    return {"short": rng.randint(3, 6), "medium": rng.randint(10, 24), "long": rng.randint(26, 48)}[size]


REDUCED_RATE_TRADES = ("food", "grocery", "cafe", "restaurant", "office")
"""Trades where goods at a reduced VAT rate (food, books) sit beside standard-rated ones on one invoice."""


def scheme_for(rng: random.Random, cc: str, trade: str = "food") -> tuple[tuple[str, str], ...]:
    scheme = pick(rng, COUNTRIES[cc].taxes)
    return scheme if _split(scheme) == 1 or trade in REDUCED_RATE_TRADES else scheme[:1]


def _split(scheme: tuple[tuple[str, str], ...]) -> int:
    names = {label.split()[0] for label, _ in scheme}
    return len(scheme) if len(scheme) > 1 and len(names) == 1 else 1


STAMPS = ("ORIGINAL", "COPY", "DUPLICATE", "*** REPRINT ***", "[company logo]", "Page 1")


def dress(doc: Doc, rng: random.Random, *, plain: bool = False) -> None:
    """Layout and noise options shared by invoices, credit notes and purchase orders."""
    doc.layout = "classic" if plain else pick(rng, LAYOUTS)
    if not plain and rng.random() < 0.18:
        doc.head_notes.append(pick(rng, STAMPS))
    if not plain and doc.issue and rng.random() < 0.15:
        printed = doc.issue + timedelta(days=rng.randint(0, 20))
        doc.head_notes.append(
            f"{pick(rng, ('Printed', 'Print date', 'Generated on', 'Run date'))}: {fmt(doc, printed)}"
        )
    if doc.layout == "din" and doc.lang not in ("de", "nl", "sv", "it"):
        doc.layout = "classic"
    if not plain and doc.layout in ("classic", "twocol") and rng.random() < 0.2:
        doc.flags.add("ocr")
    if not plain and ((len(doc.lines) > 25 and rng.random() < 0.8) or rng.random() < 0.08):
        doc.flags.add("pages")
    if not plain and len(doc.lines) >= 12 and rng.random() < 0.2:
        names = pick(rng, SECTIONS.get(doc.lang, SECTIONS["en"]))
        cut = sorted(rng.sample(range(1, len(doc.lines)), len(names) - 1))
        for i, line in enumerate(doc.lines):
            line.section = names[sum(i >= c for c in cut)]
    if not plain and rng.random() < 0.3:
        for line in doc.lines:
            line.code = f"{rng.choice('ABCDKMPTX')}{rng.randint(100, 99999):05d}"


def invoice(
    rng: random.Random,
    lang: str,
    *,
    size: str = "medium",
    cc: str | None = None,
    plain: bool = False,
    pre: Hook = None,
    setup: Hook = None,
) -> Built:
    """`setup` runs before pricing (to take over another document's parties and lines), `pre` before printing."""
    cc = cc or pick(rng, _countries(lang))
    doc = new_doc(rng, "invoice", cc)
    scheme = scheme_for(rng, cc, doc.trade)
    doc.lines = make_lines(rng, doc, n_items(rng, size), split_rates=_split(scheme))
    if setup:
        setup(doc)
    tags = ["invoice", cc]
    issue = doc.issue
    assert issue is not None
    if rng.random() < 0.72:
        doc.due = issue + timedelta(days=pick(rng, (7, 10, 14, 21, 30, 30, 45, 60)))
        if rng.random() < 0.2:
            doc.flags.add("due_in_totals")
    if rng.random() < 0.25:
        doc.dates["order_date"] = issue - timedelta(days=rng.randint(3, 40))
    if rng.random() < 0.3:
        doc.dates["delivery_date"] = issue - timedelta(days=rng.randint(0, 12))
    if rng.random() < 0.15:
        start = issue.replace(day=1) - timedelta(days=1)
        doc.dates["period"], doc.dates["period_end"] = start.replace(day=1), start
    for key, p, kind in (
        ("customer_no", 0.5, "customer"),
        ("po_ref", 0.35, "purchase_order"),
        ("order_ref", 0.2, "order"),
        ("dn_ref", 0.12, "order"),
    ):
        if rng.random() < p:
            doc.refs[key] = ident(rng, kind, issue.year)
    if rng.random() < 0.2:
        doc.ship_to = make_party(rng, cc, doc.trade)
        tags.append("ship_to")
    if _split(scheme) == 1 and rng.random() < 0.15:
        pct = pick(rng, (Decimal(5), Decimal(10), Decimal("2.5"), Decimal(15)))
        doc.discount = q(sum((line.amount for line in doc.lines), ZERO) * pct / 100, decimals_of(doc.money.currency))
        doc.discount_label = f"{doc.label(rng, 'discount')} {pct:g}%"
        tags.append("discount")
    if rng.random() < 0.2:
        doc.shipping = scale(rng.uniform(8, 95), doc.money.currency)
    us_untaxed = cc == "us" and rng.random() < 0.35
    price(doc, scheme, included=False)
    if us_untaxed:
        if rng.random() < 0.4:
            doc.taxes = [Tax("Sales tax (exempt)", ZERO, ZERO)]
            tags.append("tax_exempt")
        else:
            doc.taxes = []
        doc.total = doc.subtotal - doc.discount + doc.shipping
    if len(doc.taxes) > 1:
        tags.append("multi_tax")
    if rng.random() < 0.08:
        doc.deposit = q(doc.total * Decimal("0.3"), decimals_of(doc.money.currency))
        tags.append("deposit")
    extras(doc, rng)
    if rng.random() < 0.15:
        doc.terms = None
    elif doc.terms and len(doc.terms.split()) >= 4 and rng.random() < 0.3:
        doc.flags.add("terms_sentence")
    for flag, p in (("method", 0.6), ("paid", 0.04), ("slip", 0.12 if doc.lang == "en" else 0)):
        if rng.random() < p:
            doc.flags.add(flag)
    if cc == "jp" and rng.random() < 0.7 and doc.recipient:
        doc.recipient.honorific = "御中" if not doc.recipient.name.isalpha() or rng.random() < 0.6 else "様"
    dress(doc, rng, plain=plain)
    if pre:
        pre(doc)
    return finish(doc, rng, render_business(doc, rng), tags, plain=plain)


def extras(doc: Doc, rng: random.Random) -> None:
    """What real documents print besides their own fields: delivery terms, excl.-tax totals, account
    summaries with a larger balance, credit limits. Each is a plausible wrong answer for one field."""
    dec = decimals_of(doc.money.currency)
    if doc.kind in ("invoice", "purchase_order") and rng.random() < 0.25:
        city = COUNTRIES[doc.cc].cities[0][0].split(",")[0]
        doc.refs["delivery_terms"] = f"{pick(rng, INCOTERMS)} {city}"
    if rng.random() < 0.55:
        doc.flags.add("excl")
    if doc.kind == "invoice" and rng.random() < 0.15:
        foreign = pick(rng, [c for c in ("USD", "EUR", "GBP", "CHF", "JPY") if c != doc.money.currency])
        doc.refs["fx"] = f"1 {foreign} = {rng.uniform(0.5, 1.9):.4f} {doc.money.currency}"
        doc.tags_extra.append("fx_rate")
    if doc.kind == "purchase_order" and rng.random() < 0.4:
        domain = "".join(ch for ch in doc.issuer.name.split()[0].lower() if ch.isalnum())
        doc.head_notes.append(
            f"{pick(rng, ('Invoices to', 'Send invoices to', 'Invoice address'))}: ap@{domain}.example"
        )
    if doc.lang != "en" or doc.kind != "invoice":
        return
    m = doc.money
    if rng.random() < 0.15:
        previous = q(doc.total * Decimal(str(round(rng.uniform(0.5, 3), 2))), dec)
        paid = q(previous * Decimal(str(round(rng.uniform(0, 0.6), 2))), dec)
        doc.summary += [
            ("Previous balance", m(previous)),
            ("Payment received - thank you", "-" + m(paid)),
            ("Total account balance", m(previous - paid + doc.total, symbol=True)),
        ]
        doc.tags_extra.append("account_summary")
    elif rng.random() < 0.1:
        doc.summary.append(("Your credit limit", m(q(doc.total * rng.randint(3, 12), dec), symbol=True)))


def credit_note(
    rng: random.Random,
    lang: str,
    *,
    base: Doc | None = None,
    size: str = "short",
    plain: bool = False,
    pre: Hook = None,
    cc: str | None = None,
) -> Built:
    cc = base.cc if base else cc or pick(rng, _countries(lang))
    doc = new_doc(rng, "credit_note", cc, trade=base.trade if base else None)
    scheme = scheme_for(rng, cc)
    if base is not None:
        assert base.issue is not None
        doc.issuer, doc.recipient, doc.money = base.issuer, base.recipient, base.money
        doc.issue = base.issue + timedelta(days=rng.randint(5, 60))
        picked = rng.sample(base.lines, k=min(len(base.lines), rng.randint(1, 6)))
        doc.lines = [
            Line(x.desc, Decimal(1) if x.qty == 1 else Decimal(rng.randint(1, int(x.qty))), x.unit, ZERO, 0, x.code)
            for x in sorted(picked, key=base.lines.index)
        ]
        for line in doc.lines:
            line.amount = q(line.qty * line.unit, decimals_of(doc.money.currency))
        doc.refs["orig_invoice"] = base.number or ident(rng, "invoice", doc.issue.year)
        scheme = (scheme[0],)
    else:
        doc.lines = make_lines(rng, doc, n_items(rng, size) if size != "short" else rng.randint(1, 8))
        assert doc.issue is not None
        doc.refs["orig_invoice"] = ident(rng, "invoice", doc.issue.year)
    if rng.random() < 0.3:
        doc.refs["customer_no"] = ident(rng, "customer", 2026)
    price(doc, (scheme[0],), included=False)
    if rng.random() < 0.6:
        original = base.total if base else q(doc.total * Decimal(str(round(rng.uniform(1.5, 6), 2))), 2)
        doc.refs["orig_amount"] = doc.money(original, symbol=True)
    if doc.lang == "en" and rng.random() < 0.3:
        assert doc.issue is not None
        doc.notes.append(
            f"This credit has been offset against invoice {ident(rng, 'invoice', doc.issue.year)} due "
            f"{fmt(doc, doc.issue + timedelta(days=rng.randint(5, 30)))}."
        )
    if rng.random() < 0.5:
        doc.flags.add("neg")
        doc.money.negative_style = pick(rng, ("-", "-", "trail", "()", "CR"))
    doc.terms = None
    dress(doc, rng, plain=plain)
    if pre:
        pre(doc)
    return finish(doc, rng, render_business(doc, rng), ["credit_note", cc], plain=plain)


def purchase_order(
    rng: random.Random, lang: str, *, size: str = "medium", plain: bool = False, pre: Hook = None, cc: str | None = None
) -> Built:
    cc = cc or pick(rng, _countries(lang))
    doc = new_doc(rng, "purchase_order", cc)
    scheme = scheme_for(rng, cc, doc.trade)
    doc.lines = make_lines(rng, doc, n_items(rng, size), split_rates=_split(scheme))
    issue = doc.issue
    assert issue is not None
    if rng.random() < 0.7:
        doc.dates["required_by"] = issue + timedelta(days=rng.randint(5, 45))
    if rng.random() < 0.6:
        doc.ship_to = Party(
            doc.issuer.name if rng.random() < 0.5 else f"{doc.issuer.name.split()[0]} Warehouse",
            make_party(rng, cc, doc.trade).address,
        )
    if rng.random() < 0.3:
        doc.refs["customer_no"] = ident(rng, "customer", issue.year)
    if rng.random() < 0.15:
        doc.shipping = scale(rng.uniform(15, 120), doc.money.currency)
    price(doc, scheme, included=False)
    if rng.random() < 0.4:
        doc.taxes, doc.tax_printed = [], False
        doc.total = doc.subtotal + doc.shipping
    if rng.random() < 0.2:
        doc.terms = None
    extras(doc, rng)
    dress(doc, rng, plain=plain)
    if rng.random() < 0.5 and not plain:
        for line in doc.lines:
            line.code = line.code or f"{rng.randint(10000, 99999)}-{rng.randint(10, 99)}"
    if pre:
        pre(doc)
    return finish(doc, rng, render_business(doc, rng), ["purchase_order", cc], plain=plain)


def receipt(
    rng: random.Random, lang: str, *, size: str = "short", cc: str | None = None, plain: bool = False, pre: Hook = None
) -> Built:
    cc = cc or pick(rng, _countries(lang))
    doc = new_doc(rng, "receipt", cc, retail=True)
    doc.recipient = None
    count = {"short": rng.randint(3, 8), "medium": rng.randint(9, 18), "long": rng.randint(19, 30)}[size]
    doc.lines = make_lines(rng, doc, count, retail=True)
    issue = doc.issue
    assert issue is not None
    scheme = scheme_for(rng, cc)
    added = cc in ("us", "ca")
    if doc.trade == "restaurant" and rng.random() < 0.6:
        if added:
            doc.flags.add("tip")
        elif cc in ("uk", "fr", "it", "ie") and rng.random() < 0.6:
            doc.service = q(
                sum((x.amount for x in doc.lines), ZERO) * Decimal("0.125"), decimals_of(doc.money.currency)
            )
    if rng.random() < 0.15:
        doc.discount = q(sum((x.amount for x in doc.lines), ZERO) * Decimal("0.05"), decimals_of(doc.money.currency))
        doc.discount_label = doc.label(rng, "saved")
    price(doc, scheme if added else (scheme[0],), included=not added)
    if "tip" in doc.flags:
        doc.tip = q(doc.total * pick(rng, (Decimal("0.15"), Decimal("0.18"), Decimal("0.2"))), 2)
        doc.total += doc.tip
    if not added and rng.random() < 0.25:
        doc.tax_printed = False
    if rng.random() < 0.15:
        doc.number = None
    if rng.random() < 0.2:
        doc.recipient = Party(person(rng, doc.lang), [])
    if rng.random() < 0.3:
        doc.dates["returns"] = issue + timedelta(days=pick(rng, (14, 28, 30)))
    if rng.random() < 0.25:
        doc.head_notes.append(
            pick(rng, ("*** CUSTOMER COPY ***", f"Welcome to {doc.issuer.name}!", "[logo]", "DUPLICATE"))
        )
    if doc.lang == "en" and rng.random() < 0.2:
        doc.notes.append(
            pick(
                rng,
                (
                    "Terms & conditions: see our website",
                    "Terms and conditions: returns within 28 days",
                    "Store terms: no refunds on sale items",
                ),
            )
        )
    for flag, p in (("card_paid", 0.75), ("receipt_title", 0.5)):
        if rng.random() < p:
            doc.flags.add(flag)
    if pre:
        pre(doc)
    return finish(doc, rng, render_receipt(doc, rng), ["receipt", cc, doc.trade], plain=plain)


def contract(rng: random.Random, lang: str, *, fee: str | None = None, pre: Hook = None) -> Built:
    lang = lang if lang in ("en", "de", "fr", "es") else "en"
    cc = pick(rng, _countries(lang))
    kind = contract_type(rng, lang)
    doc = new_doc(rng, "contract", cc, trade=kind[4])
    issue = doc.issue
    assert issue is not None
    fee = fee or pick(rng, ("fixed", "fixed", "table", "rate", "rate", "none"))
    start = issue + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.85 else None
    if start and rng.random() < 0.7:
        doc.due = start + timedelta(days=pick(rng, (182, 273, 364, 365, 729)))
    if rng.random() < 0.1 and start is not None:
        doc.issue = None
        doc.gold_over["issue_date"] = start.isoformat()
    if rng.random() < 0.3:
        doc.number = None
    scheme = scheme_for(rng, cc)
    rate_text = None
    doc.tax_printed = rng.random() < 0.45
    if fee == "fixed":
        doc.total = scale(rng.uniform(4000, 150000), doc.money.currency)
        r = Decimal(scheme[0][1])
        doc.taxes = [Tax(scheme[0][0], r, q(doc.total * r / (1 + r), decimals_of(doc.money.currency)))]
    elif fee == "table":
        doc.lines = make_lines(rng, doc, rng.randint(3, 8))
        price(doc, (scheme[0],), included=False)
        if not doc.tax_printed:
            doc.taxes, doc.total = [], doc.subtotal
    else:
        doc.tax_printed = False
        doc.gold_over["total_amount"] = None
        if fee == "rate":
            rate_text = f"{doc.money(scale(rng.uniform(150, 9000), doc.money.currency), symbol=True)} " + pick(
                rng,
                ("per month", "per calendar month, payable monthly in advance", "per hour", "per quarter")
                if lang == "en"
                else ("/ Monat", "/ mois", "/ mes"),
            )
        else:
            doc.money = Money(rng, cc, bare=True)
            doc.terms = None
    if not doc.tax_printed:
        doc.taxes = []
    if rng.random() < 0.4:
        doc.terms = None
    if fee == "fixed" and lang == "en" and rng.random() < 0.5:
        doc.notes.append(f"The first instalment is due on {fmt(doc, issue + timedelta(days=rng.randint(10, 40)))}.")
    if pre:
        pre(doc)
    text = render_contract(doc, rng, kind, start=start, fee=fee, rate=rate_text)
    return finish(doc, rng, text, ["contract", cc, f"fee_{fee}"], plain=True)


def other(rng: random.Random, lang: str, what: str | None = None) -> Built:
    cc = pick(rng, _countries("en" if lang not in ("en",) else lang))
    what = what or pick(rng, OTHER_KINDS)
    doc = new_doc(rng, "other", cc)
    doc.lines = make_lines(rng, doc, rng.randint(3, 12))
    price(doc, scheme_for(rng, cc)[:1], included=False)
    return Built(doc, render_other(doc, rng, what), ["other", cc, what])


def finish(doc: Doc, rng: random.Random, text: str, tags: list[str], *, plain: bool) -> Built:
    """Wrap a document in an email (sometimes forwarded) and record its layout tags."""
    if doc.layout != "classic":
        tags.append(doc.layout)
    tags += sorted(f for f in doc.flags if f in ("ocr", "pages", "slip", "paid", "neg", "tip")) + doc.tags_extra
    if not plain and doc.kind != "contract" and rng.random() < 0.14:
        sent = (doc.issue or date(2026, 1, 2)) + timedelta(days=rng.randint(0, 6))
        forwarded = rng.random() < 0.35
        text = email(doc, rng, text, sent, forwarded=forwarded)
        tags.append("forwarded" if forwarded else "email")
    return Built(doc, text, tags)


def _countries(lang: str) -> tuple[str, ...]:
    return tuple(cc for cc, c in COUNTRIES.items() if c.lang == lang)


def fmt(doc: Doc, d: date) -> str:
    return fmt_date(doc.date_style, d)
