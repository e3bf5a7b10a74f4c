"""Prose documents: contracts, the look-alikes that are not accounts-payable documents, and email wrappers.

Contracts state their values inside clauses (made on, commences, ends on, a fixed fee, a liability cap
that is larger than the fee, a notice period), which is what makes them hard for a regex. The
out-of-scope documents (quotations, statements, reminders, delivery notes, remittance advices...)
carry the same vocabulary as invoices - numbers, dates, totals, VAT - and must still be recognised as
"other". Emails put a sent date and a signature before and after the document.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from extraction_format import fmt_date, ident, person, pick
from extraction_labels import BOILERPLATE, CONTRACT_TYPES, LABELS
from extraction_model import ZERO, Doc, Party


def _d(doc: Doc, d: date) -> str:
    return fmt_date(doc.date_style, d)


def contract_type(rng: random.Random, lang: str) -> tuple[str, str, str, str, str]:
    return pick(rng, CONTRACT_TYPES[lang if lang in CONTRACT_TYPES else "en"])


def render_contract(
    doc: Doc,
    rng: random.Random,
    kind: tuple[str, str, str, str, str],
    *,
    start: date | None,
    fee: str,
    rate: str | None,
) -> str:
    """A contract excerpt of `kind` (see CONTRACT_TYPES). `fee`: "fixed" (one total), "table" (itemised, with a
    total), "rate" (a recurring `rate` only), "none" (no money at all)."""
    lang = doc.lang if doc.lang in CONTRACT_TYPES else "en"
    a, b = doc.issuer, doc.recipient
    assert b is not None
    title, role_a, role_b, scope, _ = kind
    m = doc.money
    made = _d(doc, doc.issue) if doc.issue else None
    lines = [*doc.head_notes, title]
    if doc.number:
        lines.append(f"{pick(rng, LABELS[lang]['n_contract'])}: {doc.number}")
    lines.append("")
    if lang == "en":
        opening = (
            f'This {title.title()} (the "Agreement") is {pick(rng, ("made", "entered into", "dated"))} on {made}'
            if made
            else f'This {title.title()} (the "Agreement") is made'
        )
        lines.append(
            f'{opening} {pick(rng, ("by and between", "between"))} {a.name}, {", ".join(a.address)} ("{role_a}"), and '
            f'{b.name}, {", ".join(b.address)} ("{role_b}").'
        )
    elif lang == "de":
        lines.append(
            f'Zwischen {a.name}, {", ".join(a.address)} (nachfolgend "{role_a}") und {b.name}, {", ".join(b.address)} '
            f'(nachfolgend "{role_b}") wird' + (f" am {made}" if made else "") + " folgender Vertrag geschlossen:"
        )
    elif lang == "fr":
        lines.append(
            f"Entre {a.name}, {', '.join(a.address)} (ci-après « le Prestataire »), "
            f"et {b.name}, {', '.join(b.address)} "
            f"(ci-après « le Client »),"
            + (f" le présent contrat est conclu le {made}." if made else " il est convenu ce qui suit.")
        )
    else:
        lines.append(
            (f"En {a.address[-1]}, a {made}. " if made else "")
            + f'REUNIDOS: de una parte, {a.name} (el "Prestador"), y de otra, '
            f'{b.name} (el "Cliente"), acuerdan lo siguiente:'
        )
    lead = {
        "en": f"Scope. The {role_a} shall provide",
        "de": "Leistungen: Der Auftragnehmer übernimmt",
        "fr": "Objet : le Prestataire assure",
        "es": "Objeto: el Prestador realizará",
    }[lang]
    clauses: list[str] = [f"{lead} {scope}."]
    if start is not None:
        term = {
            "en": f"Term. This Agreement commences on {_d(doc, start)}",
            "de": f"Laufzeit: Der Vertrag beginnt am {_d(doc, start)}",
            "fr": f"Durée : le contrat prend effet le {_d(doc, start)}",
            "es": f"Duración: el contrato entra en vigor el {_d(doc, start)}",
        }[lang]
        if doc.due:
            term += {
                "en": f" and ends on {_d(doc, doc.due)}.",
                "de": f" und endet am {_d(doc, doc.due)}.",
                "fr": f" et prend fin le {_d(doc, doc.due)}.",
                "es": f" y finaliza el {_d(doc, doc.due)}.",
            }[lang]
        else:
            term += {
                "en": " and continues for twelve months unless terminated earlier.",
                "de": " und läuft auf unbestimmte Zeit.",
                "fr": " pour une durée de douze mois.",
                "es": " por un plazo de doce meses.",
            }[lang]
        clauses.append(term)
    fee_word = {"en": "Fees", "de": "Vergütung", "fr": "Prix", "es": "Precio"}[lang]
    tax_text = ""
    if doc.taxes and doc.tax_printed:
        tax_text = f" ({doc.taxes[0].label} {m(sum((t.amount for t in doc.taxes), ZERO), symbol=True)})"
    if fee == "fixed":
        clauses.append(
            f"{fee_word}: {m(doc.total, symbol=True)}{tax_text}"
            + {
                "en": ", payable in instalments as invoiced.",
                "de": " inklusive Umsatzsteuer.",
                "fr": " TTC.",
                "es": " IVA incluido.",
            }[lang]
        )
    elif fee == "rate":
        clauses.append(f"{fee_word}: {rate}.")
    table: list[str] = []
    if fee == "table":
        width = max(len(line.desc) for line in doc.lines) + 4
        table = [
            f"{fee_word}:",
            *[f"  {line.desc:<{width}}{m(line.amount):>14}" for line in doc.lines],
            *(
                [f"  {doc.taxes[0].label:<{width}}{m(sum((t.amount for t in doc.taxes), ZERO)):>14}"]
                if tax_text
                else []
            ),
            f"  {'Total':<{width}}{m(doc.total, symbol=True):>14}",
        ]
    if doc.terms:
        clauses.append(f"{pick(rng, LABELS[lang]['terms'])}: {doc.terms}.")
    cap = m(Decimal(max(int(doc.total * 3), 50000)) if doc.total else Decimal(250000), symbol=True)
    for text in rng.sample(BOILERPLATE[lang], k=min(2, len(BOILERPLATE[lang]))):
        clauses.append(
            text.format(
                n=rng.choice((14, 30, 60, 90)),
                cap=cap,
                months=rng.choice((12, 24, 36)),
                pct=rng.choice((2, 4, 5, 8)),
                role_a=role_a,
            )
        )
    for i, clause in enumerate(clauses, 1):
        lines.append(f"{i}. {clause}")
        if fee == "table" and i == 2:
            lines += table
    if fee == "table" and len(clauses) < 2:
        lines += table
    lines += [
        "",
        *doc.notes,
        "",
        f"For {a.name}: ______________  {person(rng, doc.lang)}",
        f"For {b.name}: ______________  {person(rng, doc.lang)}",
    ]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


# ------------------------------------------------------------------------------------------------ other


def render_other(doc: Doc, rng: random.Random, what: str) -> str:
    """A document that is not an invoice, receipt, credit note, purchase order or contract."""
    m, d, a = doc.money, doc.issue or date(2026, 1, 15), doc.issuer
    b = doc.recipient or Party("Accounts Payable", [])
    items = doc.lines
    head = [a.name, *a.address, ""]
    if what == "delivery_note":
        rows = [f"{line.desc:<50}{line.qty:g}" for line in items]
        return "\n".join(
            [
                *head,
                "DELIVERY NOTE",
                f"DN No.: {ident(rng, 'order', d.year)}",
                f"Date: {_d(doc, d)}",
                f"Deliver to: {b.name}",
                *b.address,
                "",
                "Item                                              Qty",
                *rows,
                "",
                "Received in good condition: ____________ (signature)",
                "Prices are shown on the invoice, sent separately.",
            ]
        )
    if what == "quotation":
        valid = d + timedelta(days=30)
        rows = [f"{line.desc:<50}{m(line.amount):>14}" for line in items]
        vat = sum((t.amount for t in doc.taxes), ZERO)
        return "\n".join(
            [
                *head,
                "QUOTATION",
                f"Quote ref: Q-{d.year}-{rng.randint(100, 999)}",
                f"Date: {_d(doc, d)}",
                f"Valid until: {_d(doc, valid)}",
                f"Prepared for: {b.name}",
                "",
                *rows,
                "",
                f"Net {m(doc.subtotal)}   VAT {m(vat)}   Total {m(doc.total, symbol=True)}",
                "",
                "This is a quotation, not a VAT invoice. No payment is due.",
                "To accept, sign and return this quotation; we will invoice on delivery.",
            ]
        )
    if what == "statement":
        rows, balance = [], ZERO
        for i in range(rng.randint(3, 7)):
            owed = Decimal(rng.randint(300, 90000)) / 10
            balance += owed
            rows.append(
                f"{_d(doc, d - timedelta(days=12 * (i + 1)))}  {ident(rng, 'invoice', d.year):<16}{m(owed):>14}"
            )
        return "\n".join(
            [
                *head,
                "STATEMENT OF ACCOUNT",
                f"Account: {b.name}",
                f"Statement date: {_d(doc, d)}",
                "",
                "Date        Invoice            Amount",
                *rows,
                "",
                f"Total outstanding: {m(balance, symbol=True)}",
                "Please pay the overdue items now. This statement is not a tax invoice.",
            ]
        )
    if what == "reminder":
        inv, inv_date = ident(rng, "invoice", d.year), d - timedelta(days=45)
        return "\n".join(
            [
                *head,
                f"{_d(doc, d)}",
                "",
                b.name,
                *b.address,
                "",
                "Payment reminder",
                f"Our records show that invoice {inv} dated {_d(doc, inv_date)} for {m(doc.total, symbol=True)} is now "
                f"{rng.randint(10, 40)} days overdue.",
                "If you have already paid, please ignore this letter. "
                "Otherwise please settle the amount within 7 days.",
                "",
                pick(rng, LABELS[doc.lang]["regards"]),
                person(rng, doc.lang),
                "Credit Control",
            ]
        )
    if what == "remittance":
        paid = [
            (ident(rng, "invoice", d.year), Decimal(rng.randint(2000, 400000)) / 100) for _ in range(rng.randint(2, 5))
        ]
        total = sum((x for _, x in paid), ZERO)
        return "\n".join(
            [
                b.name,
                "REMITTANCE ADVICE",
                f"To: {a.name}",
                f"Payment date: {_d(doc, d)}",
                "",
                *[f"  {n:<18}{m(x):>14}" for n, x in paid],
                f"  {'Total paid':<18}{m(total, symbol=True):>14}",
                "",
                "The above amount has been transferred to your account. Please allocate it to the invoices listed.",
            ]
        )
    if what == "payslip":
        gross = Decimal(rng.randint(2400, 7800))
        tax = (gross * Decimal("0.21")).quantize(Decimal("0.01"))
        return "\n".join(
            [
                a.name,
                "PAYSLIP",
                f"Employee: {person(rng, doc.lang)}",
                f"Pay date: {_d(doc, d)}",
                f"Gross pay {m(gross, symbol=True)}",
                f"Income tax {m(tax)}",
                f"Social security {m(gross * Decimal('0.08'))}",
                f"Net pay {m(gross - tax - gross * Decimal('0.08'), symbol=True)}",
            ]
        )
    if what == "shipping":
        rows = [f"- {line.desc}" for line in items[:6]]
        return "\n".join(
            [
                f"Subject: Your order {ident(rng, 'order', d.year)} is on its way",
                "",
                f"Hi {b.name},",
                "",
                f"Good news: your order left our warehouse on {_d(doc, d)} and should arrive within 3 working days.",
                f"Tracking number: 1Z{rng.randint(10**9, 10**10 - 1)}",
                "",
                "In this parcel:",
                *rows,
                "",
                f"Order total {m(doc.total, symbol=True)} (already charged to your card). "
                "Your invoice follows by email.",
                "",
                f"The {a.name} team",
            ]
        )
    if what == "price_list":
        rows = [f"{line.desc:<50}{m(line.unit):>12}" for line in items]
        return "\n".join(
            [
                *head,
                f"PRICE LIST - valid from {_d(doc, d)}",
                "All prices excl. VAT, per unit.",
                "",
                *rows,
                "",
                "Prices subject to change without notice.",
            ]
        )
    raise ValueError(what)


OTHER_KINDS = ("delivery_note", "quotation", "statement", "reminder", "remittance", "payslip", "shipping", "price_list")


# ------------------------------------------------------------------------------------------------ email


def email(doc: Doc, rng: random.Random, body: str, sent: date, *, forwarded: bool = False) -> str:
    """The document pasted into an email (optionally forwarded once more), as AP inboxes receive them."""
    domain = "".join(ch for ch in doc.issuer.name.split()[0].lower() if ch.isascii() and ch.isalnum()) or "vendor"
    sender = person(rng, "en")
    intro = pick(
        rng,
        (
            "Please find our invoice below.",
            "Invoice copied below as requested - the PDF would not attach.",
            "As discussed, details below.",
            "Hello, see the document below for your records.",
        ),
    )
    stamp = f"{sent.strftime('%A')}, {fmt_date('long_en', sent)} {rng.randint(8, 18)}:{rng.randint(0, 59):02d}"
    lines = [
        f"From: {sender} <{sender.split()[0].lower()}@{domain}.example>",
        f"Sent: {stamp}",
        "To: ap-inbox@example.org",
        f"Subject: {doc.number or 'document'}",
        "",
        "Hi,",
        "",
        intro,
        "",
        body,
        "",
        pick(rng, LABELS["en"]["regards"]),
        sender,
    ]
    if forwarded:
        later = sent + timedelta(days=rng.randint(1, 9))
        fw = person(rng, "en")
        lines = [
            f"From: {fw} <{fw.split()[0].lower()}@example.org>",
            f"Date: {fmt_date('long_en', later)}",
            "To: ap-inbox@example.org",
            "Subject: FW: for processing",
            "",
            "Can you book this one? Thanks.",
            "",
            "---------- Forwarded message ---------",
            *lines,
        ]
    return "\n".join(lines)
