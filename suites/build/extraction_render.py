"""Printing a composed invoice, credit note, purchase order or till receipt as text, in one of several layouts.

Layouts are where realistic noise comes from: two-column headers that interleave the seller's address
with the invoice meta data, DIN-style sender lines, markdown and HTML tables, key-value PDF dumps, OCR
spacing and misread label characters, pages with repeated headers, carried-forward lines and page
numbers, section subtotals, remittance slips. Only labels and spacing are garbled, never a gold value,
so the gold stays "as printed".
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from extraction_format import bank, fmt_date, iban, pick
from extraction_format import phone as make_phone
from extraction_labels import LABELS, METHODS
from extraction_model import ZERO, Doc, Line, Party
from extraction_pools import PEOPLE

TAX_ID_LABELS = {
    "us": ("EIN", "Tax ID", "Federal Tax ID"),
    "ca": ("GST/HST No.", "BN"),
    "uk": ("VAT Reg No.", "VAT No."),
    "ie": ("VAT No.",),
    "au": ("ABN",),
    "nz": ("GST No.", "GST Reg"),
    "sg": ("GST Reg No.", "UEN"),
    "in": ("GSTIN",),
    "za": ("VAT Reg No.", "VAT No."),
    "dk": ("CVR", "VAT No."),
    "no": ("Org.nr.", "VAT No."),
}
TITLE_KEY = {"invoice": "t_invoice", "credit_note": "t_credit", "purchase_order": "t_po"}
INVOICE_WORD = re.compile(r"invoice|rechnung|factur|fattura|factuur|faktura|請求", re.I)
EXCL = {
    "en": "Total excl.",
    "de": "Summe ohne",
    "fr": "Total hors",
    "es": "Total sin",
    "nl": "Totaal excl.",
    "it": "Totale senza",
    "sv": "Summa exkl.",
    "ja": "合計(税抜)",
}
NEUTRAL_SUBTOTAL = {
    "en": "Subtotal",
    "de": "Zwischensumme",
    "fr": "Sous-total",
    "es": "Subtotal",
    "nl": "Subtotaal",
    "it": "Subtotale",
    "sv": "Delsumma",
    "ja": "小計",
}
REASON = {
    "en": "Reason",
    "de": "Grund",
    "fr": "Motif",
    "es": "Motivo",
    "nl": "Reden",
    "it": "Causale",
    "sv": "Orsak",
    "ja": "理由",
}
OCR_SWAPS = {"O": "0", "o": "0", "l": "1", "I": "l", "S": "5", "e": "c", "a": "o", "B": "8", "i": "l"}


class Labels:
    """One document's label choices, fixed per key so a document speaks consistently, OCR-garbled on request."""

    def __init__(self, doc: Doc, rng: random.Random) -> None:
        self.doc, self.rng, self.chosen = doc, rng, dict[str, str]()

    def __call__(self, key: str) -> str:
        if key in self.doc.label_over:
            return self.doc.label_over[key]
        if key == "vat_id" and self.doc.cc in TAX_ID_LABELS:
            self.doc.label_over[key] = pick(self.rng, TAX_ID_LABELS[self.doc.cc])
            return self.doc.label_over[key]
        if key not in self.chosen:
            variants = LABELS[self.doc.lang][key]
            if self.doc.kind != "invoice" and key != "t_invoice":
                # "Invoice Date" or "Rechnungsbetrag" on a credit note or an order would be a mislabelled document.
                variants = tuple(v for v in variants if not INVOICE_WORD.search(v)) or variants[:1]
            text = pick(self.rng, variants)
            self.chosen[key] = self.garble(text) if "ocr" in self.doc.flags else text
        return self.chosen[key]

    def garble(self, text: str) -> str:
        return "".join(OCR_SWAPS.get(ch, ch) if self.rng.random() < 0.18 else ch for ch in text)


def date_text(doc: Doc, key: str) -> str:
    value = doc.issue if key == "date" else doc.due if key == "due" else doc.dates[key]
    assert value is not None
    return fmt_date(doc.date_style, value)


def side_by_side(left: list[str], right: list[str], width: int) -> list[str]:
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [f"{a:<{width}}{b}".rstrip() for a, b in zip(left, right, strict=True)]


def meta_pairs(doc: Doc, lab: Labels, rng: random.Random) -> list[tuple[str, str]]:
    """(label, value) header fields; the document's own number and date are not always first."""
    own = {"invoice": "n_invoice", "credit_note": "n_credit", "purchase_order": "n_po"}[doc.kind]
    pairs: list[tuple[str, str]] = []
    if doc.number:
        pairs.append((lab(own), doc.number))
    if doc.issue:
        pairs.append((lab("date"), date_text(doc, "date")))
    extra: list[tuple[str, str]] = []
    for key in ("order_date", "delivery_date", "required_by"):
        if key in doc.dates:
            extra.append((lab(key), date_text(doc, key)))
    if "period" in doc.dates and "period_end" in doc.dates:
        end = doc.dates["period_end"]
        extra.append((lab("period"), f"{date_text(doc, 'period')} - {fmt_date(doc.date_style, end)}"))
    for key, value in doc.refs.items():
        extra.append((lab(key), value))

    rng.shuffle(extra)
    cut = rng.randint(0, len(extra))
    pairs = extra[:cut] + pairs + extra[cut:] if rng.random() < 0.6 else pairs + extra
    if doc.due and doc.kind == "invoice" and "due_in_totals" not in doc.flags:
        pairs.append((lab("due"), date_text(doc, "due")))
    return pairs


def party_block(title: str, party: Party | None) -> list[str]:
    if party is None:
        return []
    name = f"{party.name} {party.honorific}".rstrip()
    return [f"{title}:", name, *([party.attn] if party.attn else []), *party.address]


def amount(doc: Doc, x: Decimal, *, symbol: bool = False) -> str:
    credit = doc.kind == "credit_note" and "neg" in doc.flags
    return doc.money.neg(x, symbol=symbol) if credit else doc.money(x, symbol=symbol)


def item_rows(doc: Doc, lab: Labels, rng: random.Random, lines: list[Line], table: str) -> list[str]:
    money = doc.money
    has_code = any(line.code for line in lines)
    width = min(max(len(line.desc) for line in lines) + 3, 58)
    rows: list[str] = []
    for i, line in enumerate(lines, 1):
        qty = f"{line.qty:g}" if line.qty == line.qty.to_integral() else f"{line.qty}"
        cells = [line.code or ""] if has_code else []
        if table == "markdown":
            rows.append("| " + " | ".join([*cells, line.desc, qty, money(line.unit), amount(doc, line.amount)]) + " |")
        elif table == "html":
            tds = "".join(f"<td>{c}</td>" for c in [*cells, line.desc, qty, money(line.unit), amount(doc, line.amount)])
            rows.append(f"<tr>{tds}</tr>")
        elif table == "kv":
            code = f"[{line.code}] " if line.code else ""
            rows.append(f"{i}. {code}{line.desc} - {qty} x {money(line.unit)} = {amount(doc, line.amount)}")
        else:
            pad = "  " if "ocr" not in doc.flags else " " * rng.randint(1, 6)
            code = f"{line.code:<11}" if line.code else ("" if not has_code else " " * 11)
            rows.append(
                f"{code}{line.desc:<{width}}{pad}{qty:>5}{pad}{money(line.unit):>12}{pad}{amount(doc, line.amount):>13}"
            )
    return rows


def table_head(doc: Doc, lab: Labels, table: str, has_code: bool) -> list[str]:
    cols = ([lab("code")] if has_code else []) + [lab("desc"), lab("qty"), lab("unit"), lab("amount")]
    if table == "markdown":
        return ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    if table == "html":
        return ["<table>", "<tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>"]
    if table == "kv":
        return []
    return ["   ".join(cols), "-" * 72]


def body_table(doc: Doc, lab: Labels, rng: random.Random, table: str, page_header: list[str]) -> list[str]:
    """The item table, split into sections and pages as the document's flags ask."""
    has_code = any(line.code for line in doc.lines)
    head = table_head(doc, lab, table, has_code)
    groups: list[tuple[str | None, list[Line]]] = []
    for line in doc.lines:
        if groups and groups[-1][0] == line.section:
            groups[-1][1].append(line)
        else:
            groups.append((line.section, [line]))
    out = list(head)
    per_page = min(rng.randint(12, 22), max(4, len(doc.lines) // 2)) if "pages" in doc.flags else 10**6
    n_pages = -(-len(doc.lines) // per_page)
    on_page, page, running = 0, 1, ZERO
    for section, lines in groups:
        if section:
            out.append(f"**{section}**" if table == "markdown" else section.upper())
        for line, row in zip(lines, item_rows(doc, lab, rng, lines, table), strict=True):
            if on_page == per_page:
                out += [
                    f"{lab('carried')}{' ' * 40}{amount(doc, running)}",
                    "",
                    lab("page").format(p=page, n=n_pages),
                    "\f",
                    *page_header,
                    *head,
                    f"{lab('brought')}{' ' * 40}{amount(doc, running)}",
                ]
                page, on_page = page + 1, 0
            out.append(row)
            running += line.amount
            on_page += 1
        if section and len(groups) > 1:
            sub = sum((line.amount for line in lines), ZERO)
            out.append(f"{'':>30}{section} - {lab('subtotal').lower()}: {amount(doc, sub)}")
    if table == "html":
        out.append("</table>")
    doc.flags = {f for f in doc.flags if not f.startswith("pages=")} | {f"pages={page}"}
    return out


def totals(doc: Doc, lab: Labels) -> list[str]:
    money = doc.money
    rows: list[tuple[str, str]] = []
    sub_label = lab("subtotal")
    if doc.tax_included:  # "Net total" or "Total HT" above a tax-inclusive total would misname it
        sub_label = NEUTRAL_SUBTOTAL[doc.lang]
    elif doc.taxes and doc.taxes[0].rate and "excl" in doc.flags:
        sub_label = EXCL[doc.lang] if doc.lang == "ja" else f"{EXCL[doc.lang]} {doc.taxes[0].label.split()[0]}"
    if doc.discount or doc.shipping or doc.service or (doc.taxes and not doc.tax_included):
        rows.append((sub_label, amount(doc, doc.subtotal)))
    if doc.discount:
        rows.append((doc.discount_label or lab("discount"), "-" + money(doc.discount)))
    if doc.shipping:
        rows.append((lab("shipping"), money(doc.shipping)))
    if doc.tax_printed and not doc.tax_included:
        rows += [(t.label, amount(doc, t.amount)) for t in doc.taxes]
    if doc.service:
        rows.append((lab("service_charge"), money(doc.service)))
    if doc.tip:
        rows.append((lab("tip"), money(doc.tip)))
    if "no_total" in doc.flags:
        rows.append((lab("total_credit") if doc.kind == "credit_note" else lab("total"), "[illegible]"))
    else:
        key = "total_credit" if doc.kind == "credit_note" else "total"
        rows.append((lab(key), amount(doc, doc.total, symbol=True)))
    if doc.tax_printed and doc.tax_included:
        rows += [(f"incl. {t.label}" if doc.lang == "en" else t.label, amount(doc, t.amount)) for t in doc.taxes]
    if doc.deposit:
        rows += [
            (lab("deposit_paid"), "-" + money(doc.deposit)),
            (lab("balance"), money(doc.total - doc.deposit, symbol=True)),
        ]
    if doc.due and "due_in_totals" in doc.flags:
        rows.append((lab("due"), date_text(doc, "due")))
    rows += doc.summary
    width = max(len(k) for k, _ in rows) + 4
    return [f"{'':>34}{k:<{width}}{v:>16}" for k, v in rows]


def header(doc: Doc, lab: Labels, rng: random.Random) -> list[str]:
    title = lab({"invoice": "t_invoice", "credit_note": "t_credit", "purchase_order": "t_po"}[doc.kind])
    issuer = [doc.issuer.name, *doc.issuer.address]
    if doc.issuer.tax_id:
        issuer.append(f"{lab('vat_id')}: {doc.issuer.tax_id}")
    if rng.random() < 0.5:
        issuer.append(f"{lab('phone')}: {make_phone(rng, doc.cc)}")
    meta = [f"{k}: {v}" for k, v in meta_pairs(doc, lab, rng)]
    to_key = "supplier" if doc.kind == "purchase_order" else "bill_to"
    ship_key = "deliver_to" if doc.kind == "purchase_order" else "ship_to"
    bill = party_block(lab(to_key), doc.recipient)
    ship = party_block(lab(ship_key), doc.ship_to)
    if doc.layout == "twocol":
        parties = side_by_side(ship, bill, 40) if "ship_first" in doc.flags else side_by_side(bill, ship, 40)
        return [*side_by_side(issuer, ["", title, "", *meta], 46), "", *parties]
    if doc.layout == "din":
        sender = " · ".join([doc.issuer.name, *doc.issuer.address])
        addressee = party_block(lab(to_key), doc.recipient)[1:]
        return [sender, "", *side_by_side(addressee, meta, 44), "", *ship, "", f"{title}"]
    if doc.layout == "markdown":
        return [
            f"# {title}",
            "",
            f"**{doc.issuer.name}**  ",
            *[f"{x}  " for x in issuer[1:]],
            "",
            *[f"- {m}" for m in meta],
            "",
            *bill,
            "",
            *ship,
        ]
    if doc.layout == "html":
        return [
            "<html><body>",
            f"<h1>{title}</h1>",
            f"<p><b>{doc.issuer.name}</b><br>{'<br>'.join(issuer[1:])}</p>",
            "<p>" + "<br>".join(meta) + "</p>",
            "<p>" + "<br>".join(bill) + "</p>",
            *(["<p>" + "<br>".join(ship) + "</p>"] if ship else []),
        ]
    first = [title, "", *issuer] if rng.random() < 0.35 else [*issuer, "", title]
    blocks = [bill, ship] if "ship_first" not in doc.flags else [ship, bill]
    return [*first, "", *meta, "", *blocks[0], "", *blocks[1]]


def footer(doc: Doc, lab: Labels, rng: random.Random) -> list[str]:
    out: list[str] = []
    if doc.terms and doc.kind != "credit_note":
        terms = doc.terms
        if "terms_sentence" in doc.flags:
            out.append(f"{terms}.")
        else:
            out.append(f"{lab('terms')}: {terms}")
    if "method" in doc.flags:
        method = pick(rng, METHODS[doc.lang])
        out.append(method.format(iban=iban(rng, doc.cc), bank=bank(rng), name=doc.issuer.name))
    if doc.kind == "purchase_order":
        out.append(lab("po_note"))
    out += doc.notes
    if "paid" in doc.flags:
        out.append(lab("paid_stamp"))
    if rng.random() < 0.6:
        out.append(lab("thanks"))
    if "slip" in doc.flags:
        due_amount = doc.total - doc.deposit
        out += [
            "",
            "- - - - - - - - - - - - - - - - - 8< - - - - - - - - - - - - - - - - -",
            "REMITTANCE ADVICE",
            *([f"{lab('customer_no')}: {doc.refs['customer_no']}"] if "customer_no" in doc.refs else []),
            f"{lab('n_invoice')}: {doc.number}",
            f"{lab('balance')}: {doc.money(due_amount, symbol=True)}",
            f"Return this slip with your payment to {doc.issuer.name}, {', '.join(doc.issuer.address)}",
        ]
    return out


def render_business(doc: Doc, rng: random.Random) -> str:
    lab = Labels(doc, rng)
    table = {"markdown": "markdown", "html": "html", "kv": "kv"}.get(doc.layout, "fixed")
    page_header = [
        f"{doc.issuer.name} - {lab(TITLE_KEY[doc.kind])} {doc.number or ''} {lab('continued')}",
        "",
    ]
    lines = [*doc.head_notes, *header(doc, lab, rng), ""]
    if doc.kind == "credit_note" and "orig_invoice" in doc.refs and rng.random() < 0.6:
        lines.append(f"{REASON[doc.lang]}: {pick(rng, LABELS[doc.lang]['reason'])}")
    lines += body_table(doc, lab, rng, table, page_header)
    lines += ["", *totals(doc, lab), "", *footer(doc, lab, rng)]
    if "pages" in doc.flags:
        pages = int(next(f for f in doc.flags if f.startswith("pages="))[6:])
        lines += ["", lab("page").format(p=pages, n=pages)]
    if doc.layout == "html":
        lines.append("</body></html>")
    text = "\n".join(lines)
    return text.replace("\n\n\n", "\n\n")


def render_receipt(doc: Doc, rng: random.Random) -> str:
    lab = Labels(doc, rng)
    money = doc.money
    w = rng.choice((32, 36, 40, 42))
    centre = rng.random() < 0.6
    lines = [*doc.head_notes]
    for text in [doc.issuer.name, *doc.issuer.address]:
        lines.append(text.center(w).rstrip() if centre else text)
    if doc.issuer.tax_id:
        lines.append(f"{lab('vat_id')} {doc.issuer.tax_id}")
    if "receipt_title" in doc.flags:
        lines += ["", lab("t_receipt").center(w).rstrip()]
    stamp = f"{date_text(doc, 'date')} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}" if doc.issue else ""
    till = f"{lab('till')} {rng.randint(1, 12):02d}"
    number = f"{lab('n_receipt')} {doc.number}" if doc.number else ""
    cashier = pick(rng, PEOPLE[doc.lang][0])
    if rng.random() < 0.5:
        lines += ["", f"{stamp}   {till}   {number}".strip(), f"{lab('cashier')}: {cashier}"]
    else:
        lines += ["", f"{stamp}".strip(), number, f"{till}  {lab('cashier')} {cashier}"]
    if doc.recipient:
        lines.append(f"{lab('guest')}: {doc.recipient.name} {doc.recipient.honorific}".rstrip())
    lines.append("")
    style = rng.choice(("lead", "trail", "below", "plain"))
    for line in doc.lines:
        price = money(line.amount)
        if line.qty > 1 and style == "lead":
            text = f"{line.qty:g} x {line.desc}"
        elif line.qty > 1 and style == "trail":
            text = f"{line.desc} x{line.qty:g}"
        else:
            text = line.desc
        lines.append(f"{text:<{w - 10}}{price:>10}")
        if line.qty > 1 and style in ("below", "plain"):
            lines.append(f"  {line.qty:g} @ {money(line.unit)}")
    lines.append("")
    lines += totals(doc, lab)
    if "no_total" in doc.flags:
        lines.append(lab("card").format(c=rng.randint(1000, 9999)))
    elif "card_paid" in doc.flags:
        card = lab("card").format(c=rng.randint(1000, 9999))
        lines += [f"{card:<{w - 12}}{money(doc.total):>12}", f"{lab('auth')}: {rng.randint(100000, 999999)}"]
    else:
        given = (doc.total / 10).to_integral_value() * 10 + 10
        lines += [f"{'CASH':<{w - 12}}{money(given):>12}", f"{lab('change'):<{w - 12}}{money(given - doc.total):>12}"]
    if "returns" in doc.dates:
        lines.append(lab("returns").format(d=date_text(doc, "returns")))
    lines += doc.notes
    if rng.random() < 0.7:
        thanks = lab("thanks_receipt") if "thanks_receipt" in LABELS[doc.lang] else lab("thanks")
        lines.append(thanks.center(w).rstrip() if centre else thanks)
    return "\n".join(lines)
