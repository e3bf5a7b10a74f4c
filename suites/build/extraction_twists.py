"""Adversarial kinds, second half: edge formats, long documents with later corrections, out-of-scope
look-alikes and non-English documents with a language-specific trap (see `extraction_adversarial`)."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from extraction_adversarial import Variant
from extraction_compose import Built, contract, credit_note, fmt, invoice, other, purchase_order, receipt
from extraction_format import decimals_of, person, pick, q
from extraction_labels import TERMS
from extraction_model import ZERO, Doc, Party, gold, price
from extraction_pools import COUNTRIES
from extraction_prose import email
from extraction_render import render_business

SINGLE_TAX = ("us", "ca", "au", "nz", "sg", "in", "za", "dk", "mx")
"""Countries whose tax schemes are one rate or stacked rates, so a corrected line re-prices unambiguously."""


def shift_dates(doc: Doc, new_issue: date) -> None:
    assert doc.issue is not None
    delta = new_issue - doc.issue
    doc.issue = new_issue
    doc.due = doc.due + delta if doc.due else None
    doc.dates = {k: v + delta for k, v in doc.dates.items()}


def scale_doc(doc: Doc, k: int) -> None:
    """Every amount times `k` (an integer, so the printed figures still add up exactly)."""
    for line in doc.lines:
        line.unit, line.amount = line.unit * k, line.amount * k
    doc.subtotal, doc.discount, doc.shipping, doc.total = (
        doc.subtotal * k,
        doc.discount * k,
        doc.shipping * k,
        doc.total * k,
    )
    doc.deposit *= k
    for t in doc.taxes:
        t.amount *= k


def lakh_factor(doc: Doc) -> int:
    """Enough to take the total past ten lakh (10,00,000), where Indian grouping differs from Western."""
    return max(1, -(-1_000_000 // max(int(doc.total), 1)))


def _edge(maker: Callable[..., Built], cc: str, tag: str, hook: Callable[[Doc, random.Random], None]) -> Variant:
    def variant(rng: random.Random) -> Built:
        built = maker(rng, COUNTRIES[cc].lang, cc=cc, pre=lambda doc: hook(doc, rng))
        return Built(built.doc, built.text, ["edge_format", *built.tags, tag])

    return variant


def _ambiguous_day(doc: Doc, rng: random.Random) -> None:
    assert doc.issue is not None
    month = rng.randint(1, 12)
    day = pick(rng, [d for d in range(1, 13) if d != month])
    shift_dates(doc, date(doc.issue.year, month, day))


def _style(style: str) -> Callable[[Doc, random.Random], None]:
    def hook(doc: Doc, rng: random.Random) -> None:
        doc.date_style = style

    return hook


def _set(**attrs: object) -> Callable[[Doc, random.Random], None]:
    def hook(doc: Doc, rng: random.Random) -> None:
        for name, value in attrs.items():
            setattr(doc.money, name, value)
        if "date_style" in attrs:
            doc.date_style = str(attrs["date_style"])

    return hook


def _both(*hooks: Callable[[Doc, random.Random], None]) -> Callable[[Doc, random.Random], None]:
    def hook(doc: Doc, rng: random.Random) -> None:
        for h in hooks:
            h(doc, rng)

    return hook


def _credit_negative(rng: random.Random) -> Built:
    def hook(doc: Doc) -> None:
        doc.flags.add("neg")
        doc.money.negative_style = pick(rng, ("trail", "()", "CR"))

    built = credit_note(rng, pick(rng, ("en", "de", "es")), pre=hook)
    return Built(built.doc, built.text, ["edge_format", *built.tags, "negative_amounts"])


EDGE: tuple[Variant, ...] = (
    _edge(invoice, "in", "lakh", lambda doc, rng: scale_doc(doc, lakh_factor(doc))),
    _edge(invoice, "ch", "swiss_apostrophe", _set(apostrophe="’", marker="CHF {}")),
    _edge(invoice, "fr", "narrow_space", _set(thin=True, date_style="long_fr")),
    _edge(receipt, "jp", "fullwidth_digits", _set(fullwidth=True, date_style="reiwa")),
    _credit_negative,
    _edge(invoice, "uk", "compact_date", _style("compact")),
    _edge(invoice, "de", "two_digit_year", _style("dmy_dot_short")),
    _edge(invoice, "uk", "ordinal_date", _style("ord_en")),
    _edge(invoice, "us", "month_first_ambiguous", _both(_style("us_slash"), _ambiguous_day)),
    _edge(invoice, "au", "day_first_ambiguous", _both(_style("dmy_slash"), _ambiguous_day)),
    _edge(invoice, "it", "code_after_amount", _set(marker="{} EUR")),
    _edge(receipt, "za", "rand_spaces", _set(marker="R {}")),
    _edge(invoice, "jp", "cjk_date", _set(date_style="cjk", marker="{}円")),
    _edge(purchase_order, "in", "lakh", lambda doc, rng: scale_doc(doc, lakh_factor(doc))),
    _edge(receipt, "sg", "compact_date", _style("compact")),
)


def edge_format(rng: random.Random, i: int) -> Built:
    return EDGE[i % len(EDGE)](rng)


# ------------------------------------------------------------------------------------------------ long context


def repriced(doc: Doc, idx: int, unit: Decimal) -> Doc:
    """A copy of `doc` with line `idx` at a new unit price, taxes and total recomputed the same way."""
    new = copy.deepcopy(doc)
    line = new.lines[idx]
    line.unit, line.amount = unit, q(line.qty * unit, decimals_of(doc.money.currency))
    if new.discount and "%" in new.discount_label:
        pct = Decimal(new.discount_label.rsplit(" ", 1)[-1].rstrip("%"))
        new.discount = q(sum((x.amount for x in new.lines), ZERO) * pct / 100, decimals_of(doc.money.currency))
    if any(t.rate for t in doc.taxes):
        price(new, tuple((t.label, str(t.rate)) for t in doc.taxes), included=doc.tax_included)
    else:
        new.subtotal = sum((x.amount for x in new.lines), ZERO)
        new.total = new.subtotal - new.discount + new.shipping
    return new


def _correct_price(rng: random.Random, doc: Doc, heading: str) -> None:
    idx = rng.randrange(len(doc.lines))
    line = doc.lines[idx]
    new_unit = q(
        line.unit * pick(rng, (Decimal("0.8"), Decimal("0.85"), Decimal("0.9"), Decimal("1.1"))),
        decimals_of(doc.money.currency),
    )
    fixed = repriced(doc, idx, new_unit)
    m = doc.money
    when = fmt(doc, (doc.issue or date(2026, 1, 1)) + timedelta(days=rng.randint(2, 12)))
    text = (
        f'{heading} ({when}): the unit price of "{line.desc}" was printed as {m(line.unit)}; the agreed price is '
        f"{m(new_unit)}. Corrected total: {m(fixed.total, symbol=True)}"
    )
    doc.gold_over["total_amount"] = float(fixed.total)
    if doc.taxes and doc.tax_printed:
        tax = sum((t.amount for t in fixed.taxes), ZERO)
        text += f"; corrected {' + '.join(t.label for t in doc.taxes)}: {m(tax)}"
        doc.gold_over["tax_amount"] = float(tax)
    doc.notes.append(text + ".")


def _erratum(rng: random.Random) -> Built:
    built = invoice(rng, "en", cc=pick(rng, SINGLE_TAX), size="long", pre=lambda d: _correct_price(rng, d, "ERRATUM"))
    return Built(built.doc, built.text, ["long_context_contradiction", *built.tags, "erratum"])


def _change_order(rng: random.Random) -> Built:
    built = purchase_order(
        rng, "en", cc=pick(rng, SINGLE_TAX), size="long", pre=lambda d: _correct_price(rng, d, "CHANGE ORDER 1")
    )
    return Built(built.doc, built.text, ["long_context_contradiction", *built.tags, "change_order"])


EXTENSIONS = {
    "en": "Update {d}: as agreed with your finance team, the due date of this invoice has been extended to {new}. "
    "All other details remain unchanged.",
    "de": "Nachtrag vom {d}: Das Fälligkeitsdatum dieser Rechnung wurde auf den {new} verschoben. "
    "Alle übrigen Angaben gelten.",
    "fr": "Mise à jour du {d} : l'échéance de cette facture est reportée au {new}. "
    "Les autres mentions restent inchangées.",
    "es": "Actualización del {d}: el vencimiento de esta factura se aplaza al {new}. El resto de datos no cambia.",
}


def _extended_due(rng: random.Random) -> Built:
    lang = pick(rng, ("en", "en", "de", "fr", "es"))

    def hook(doc: Doc) -> None:
        assert doc.issue is not None
        doc.due = doc.due or doc.issue + timedelta(days=30)
        new = doc.due + timedelta(days=pick(rng, (14, 15, 21, 30, 45)))
        doc.notes.append(EXTENSIONS[lang].format(d=fmt(doc, doc.due - timedelta(days=3)), new=fmt(doc, new)))
        doc.gold_over["due_date"] = new.isoformat()

    built = invoice(rng, lang, size="long", pre=hook)
    return Built(built.doc, built.text, ["long_context_contradiction", *built.tags, "due_extended"])


def _terms_amended(rng: random.Random) -> Built:
    def hook(doc: Doc) -> None:
        old = doc.terms or pick(rng, TERMS["en"])
        doc.terms = old
        new = pick(rng, [t for t in TERMS["en"] if t != old and "%" not in t])
        when = fmt(doc, (doc.issue or date(2026, 1, 1)) + timedelta(days=rng.randint(1, 10)))
        doc.notes.append(
            f"Note added {when}: further to our call, the payment terms of this invoice are amended to: {new}"
        )
        doc.gold_over["payment_terms"] = new

    built = invoice(rng, "en", size="long", pre=hook)
    return Built(built.doc, built.text, ["long_context_contradiction", *built.tags, "terms_amended"])


def _amendment(rng: random.Random) -> Built:
    def hook(doc: Doc) -> None:
        assert doc.issue is not None
        doc.taxes, doc.tax_printed = [], False
        end = (doc.due or doc.issue + timedelta(days=365)) + timedelta(days=pick(rng, (90, 181, 365)))
        fee = q(
            doc.total * pick(rng, (Decimal("1.1"), Decimal("1.25"), Decimal("1.4"))), decimals_of(doc.money.currency)
        )
        when = fmt(doc, doc.issue + timedelta(days=rng.randint(60, 200)))
        doc.notes.append(
            f"AMENDMENT No. 1 dated {when}: Clause 2 is amended so that this Agreement ends on {fmt(doc, end)}, "
            f"and the fee in Clause 3 is increased to {doc.money(fee, symbol=True)} for the whole term. All other "
            "terms remain in force."
        )
        doc.gold_over.update({"due_date": end.isoformat(), "total_amount": float(fee)})

    built = contract(rng, "en", fee="fixed", pre=hook)
    return Built(built.doc, built.text, ["long_context_contradiction", *built.tags, "amendment"])


def _thread(rng: random.Random) -> Built:
    """An email thread: the newest message replaces the invoice quoted below it with a corrected one."""
    first = invoice(rng, "en", cc=pick(rng, SINGLE_TAX), size=pick(rng, ("medium", "long")), plain=True)
    old = first.doc
    idx = rng.randrange(len(old.lines))
    new = repriced(old, idx, q(old.lines[idx].unit * Decimal("0.9"), decimals_of(old.money.currency)))
    new.number = f"{old.number}-R" if old.number else None
    reason = "the unit price of one line was wrong"
    if old.recipient and rng.random() < 0.5:
        new.recipient = copy.deepcopy(old.recipient)
        new.recipient.name = f"{old.recipient.name.split()[0]} Holdings {pick(rng, COUNTRIES[old.cc].suffixes)}"
        reason = "it was addressed to the wrong entity and one price was wrong"
    sent_old = (old.issue or date(2026, 1, 5)) + timedelta(days=1)
    sent_new = sent_old + timedelta(days=rng.randint(1, 6))
    newest = email(new, rng, render_business(new, rng), sent_new)
    newest = newest.replace(
        "Hi,\n",
        f"Hi,\n\nPlease disregard the invoice I sent on {fmt(old, sent_old)}: {reason}. "
        "The corrected invoice below replaces it.\n",
        1,
    )
    text = f"{newest}\n\n-----Original Message-----\n{email(old, rng, first.text, sent_old)}"
    return Built(new, text, ["long_context_contradiction", *first.tags, "thread_replaced"])


LONG: tuple[Variant, ...] = (_erratum, _extended_due, _thread, _amendment, _terms_amended, _change_order)


def long_context(rng: random.Random, i: int) -> Built:
    return LONG[i % len(LONG)](rng)


# ------------------------------------------------------------------------------------------------ out of scope

CONFUSABLE = ("quotation", "reminder", "remittance", "shipping", "statement", "delivery_note")


def out_of_scope(rng: random.Random, i: int) -> Built:
    built = other(rng, "en", CONFUSABLE[i % len(CONFUSABLE)])
    return Built(built.doc, built.text, ["out_of_scope", *built.tags])


# ------------------------------------------------------------------------------------------------ other language


def _lang(
    maker: Callable[..., Built],
    lang: str,
    tag: str,
    hook: Callable[[Doc, random.Random], None] | None = None,
    cc: str | None = None,
) -> Variant:
    def variant(rng: random.Random) -> Built:
        kwargs: dict[str, object] = {"pre": (lambda doc: hook(doc, rng)) if hook else None}
        if cc:
            kwargs["cc"] = cc
        built = maker(rng, lang, **kwargs)
        return Built(built.doc, built.text, ["other_language", *built.tags, tag])

    return variant


def _skonto(doc: Doc, rng: random.Random) -> None:
    assert doc.issue is not None
    doc.terms = pick(rng, ("14 Tage 2 % Skonto, 30 Tage netto", "10 Tage 3 % Skonto oder 30 Tage rein netto"))
    end = doc.issue.replace(day=1) - timedelta(days=1)
    doc.dates["period"], doc.dates["period_end"] = end.replace(day=1), end


def _honorific(mark: str) -> Callable[[Doc, random.Random], None]:
    def hook(doc: Doc, rng: random.Random) -> None:
        if doc.recipient is None:
            doc.recipient = Party(person(rng, "ja"), [])
        doc.recipient.honorific = mark
        doc.date_style = "reiwa"

    return hook


def _labels(**labels: str) -> Callable[[Doc, random.Random], None]:
    def hook(doc: Doc, rng: random.Random) -> None:
        doc.label_over.update(labels)

    return hook


def _acompte(doc: Doc, rng: random.Random) -> None:
    doc.deposit = q(doc.total * Decimal("0.3"), 2)


def _simplificada(doc: Doc, rng: random.Random) -> None:
    doc.head_notes = ["FACTURA SIMPLIFICADA"]
    doc.flags.discard("receipt_title")


OTHER_LANGUAGE: tuple[Variant, ...] = (
    _lang(invoice, "de", "skonto_terms", _skonto),
    _lang(credit_note, "de", "rechnungskorrektur", _labels(t_credit="Rechnungskorrektur")),
    _lang(receipt, "es", "factura_simplificada", _simplificada),
    _lang(invoice, "ja", "honorific_onchu", _honorific("御中")),
    _lang(receipt, "ja", "honorific_sama", _honorific("様")),
    _lang(invoice, "it", "spettle", _labels(bill_to="Spett.le")),
    _lang(invoice, "fr", "acompte", _acompte),
    _lang(credit_note, "nl", "creditnota"),
    _lang(invoice, "sv", "kronor", _set(marker="{} kr")),
    _lang(purchase_order, "de", "bestellung"),
    _lang(credit_note, "fr", "avoir"),
    _lang(invoice, "es", "iva"),
    _lang(purchase_order, "ja", "hacchusho"),
)


def other_language(rng: random.Random, i: int) -> Built:
    return OTHER_LANGUAGE[i % len(OTHER_LANGUAGE)](rng)


__all__ = ["edge_format", "gold", "long_context", "other_language", "out_of_scope"]
