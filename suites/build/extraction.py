"""Generate the extraction starter suite's cases: golden/extraction.jsonl and adversarial/extraction.jsonl.

    .venv/bin/python suites/build/extraction.py            # rewrites both files in place
    .venv/bin/python suites/build/extraction.py --out DIR  # writes DIR/golden/... and DIR/adversarial/...

Why a generator: a suite that must carry a migration decision needs hundreds of realistic documents
(10-50 line items, several pages, OCR noise, many locales, number and date formats, languages), and the
gold record of each must be right. Typing 475 of them by hand gets neither. Here each document is
composed as numbers first and printed afterwards (see `extraction_model`), from hand-written pools of
parties, items, labels, payment terms and layouts, so its gold follows from how it was composed and the
totals always add up. The suite's prompt was written and frozen before any case existed; a test checks
that no 8-word run of any document appears in it.

Clusters: a credit note and the invoice it credits, and a purchase order and the invoice that answers it,
share parties and items, so each such pair is one `cluster` (the gate resamples clusters). Every other
case is a cluster of its own. Seeded per case (`SEED`, split, index), so the output is byte-identical on
every run, and one case can be re-derived alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from extraction_adversarial import ambiguous, injection, missing  # noqa: E402
from extraction_compose import Built, contract, credit_note, invoice, other, purchase_order, receipt  # noqa: E402
from extraction_model import Doc, Line  # noqa: E402
from extraction_twists import edge_format, long_context, other_language, out_of_scope  # noqa: E402

SEED = 1212
PREFIX = "ext"
LANGS = (("en", 60), ("de", 10), ("fr", 7), ("es", 7), ("nl", 4), ("it", 4), ("sv", 4), ("ja", 4))
PER_KIND = 22
"""Adversarial cases per kind (the issue asks for at least 15)."""
KINDS: tuple[tuple[str, Callable[[random.Random, int], Built]], ...] = (
    ("injection", injection),
    ("ambiguous", ambiguous),
    ("missing_data", missing),
    ("edge_format", edge_format),
    ("long_context_contradiction", long_context),
    ("out_of_scope", out_of_scope),
    ("other_language", other_language),
)
GOLDEN_OTHER = ("price_list", "payslip", "delivery_note", "statement")


def lang_of(rng: random.Random) -> str:
    return rng.choices([lang for lang, _ in LANGS], weights=[w for _, w in LANGS])[0]


def size_of(rng: random.Random, weights: tuple[int, int, int]) -> str:
    return rng.choices(("short", "medium", "long"), weights=weights)[0]


def starters(rng: random.Random) -> list[list[Built]]:
    """Short, plain English documents first: `make run` sends the first 8 cases to a small CPU model."""
    return [
        [receipt(rng, "en", size="short", plain=True)],
        [invoice(rng, "en", size="short", plain=True)],
        [receipt(rng, "en", size="short", plain=True)],
        [contract(rng, "en", fee="fixed")],
        [invoice(rng, "en", size="short", plain=True)],
        [credit_note(rng, "en", size="short", plain=True)],
        [receipt(rng, "en", size="short", plain=True)],
        [purchase_order(rng, "en", size="short", plain=True)],
    ]


def po_then_invoice(rng: random.Random) -> list[Built]:
    """A buyer's purchase order and the supplier's invoice against it: same parties (swapped) and items."""
    lang = lang_of(rng)
    po = purchase_order(rng, lang, size=size_of(rng, (2, 5, 3)))

    def setup(doc: Doc) -> None:
        assert po.doc.issue is not None and po.doc.recipient is not None
        doc.issuer, doc.recipient, doc.trade = po.doc.recipient, po.doc.issuer, po.doc.trade
        doc.lines = [Line(line.desc, line.qty, line.unit, line.amount, line.rate) for line in po.doc.lines]
        doc.refs["po_ref"] = po.doc.number or "-"
        doc.issue = po.doc.issue + timedelta(days=rng.randint(3, 40))
        doc.cc = po.doc.cc

    return [po, invoice(rng, lang, cc=po.doc.cc, setup=setup)]


def invoice_then_credit(rng: random.Random) -> list[Built]:
    lang = lang_of(rng)
    first = invoice(rng, lang, size=size_of(rng, (2, 5, 3)))
    return [first, credit_note(rng, lang, base=first.doc)]


def golden_other(what: str) -> Callable[[random.Random], list[Built]]:
    return lambda rng: [other(rng, "en", what)]


def golden_units() -> list[list[Built]]:
    """325 golden documents: 110 invoices, 70 receipts, 40 credit notes, 45 purchase orders, 40 contracts,
    20 other documents, in units of one or two (a pair shares a cluster)."""
    plan: list[Callable[[random.Random], list[Built]]] = []
    plan += [invoice_then_credit] * 30 + [po_then_invoice] * 20
    plan += [lambda r: [invoice(r, lang_of(r), size=size_of(r, (15, 50, 35)))]] * 58
    plan += [lambda r: [credit_note(r, lang_of(r), size=size_of(r, (7, 3, 0)))]] * 9
    plan += [lambda r: [purchase_order(r, lang_of(r), size=size_of(r, (20, 45, 35)))]] * 24
    plan += [lambda r: [receipt(r, lang_of(r), size=size_of(r, (60, 30, 10)))]] * 67
    plan += [lambda r: [contract(r, lang_of(r))]] * 39
    plan += [golden_other(GOLDEN_OTHER[k % len(GOLDEN_OTHER)]) for k in range(20)]
    random.Random(f"{SEED}/order").shuffle(plan)
    units = starters(random.Random(f"{SEED}/starters"))
    units += [make(random.Random(f"{SEED}/golden/{k}")) for k, make in enumerate(plan)]
    return units


def adversarial() -> list[Built]:
    """PER_KIND cases of each kind, interleaved so any prefix of the file mixes the kinds."""
    by_kind = [[fn(random.Random(f"{SEED}/{kind}/{i}"), i) for i in range(PER_KIND)] for kind, fn in KINDS]
    return [cases[i] for i in range(PER_KIND) for cases in by_kind]


def case(split: str, n: int, built: Built, cluster: str) -> dict[str, Any]:
    return {
        "id": f"{PREFIX}-{split[0]}-{n:03d}",
        "input": {"document": built.text},
        "expected": {"fields": built.gold},
        "tags": built.tags,
        "cluster": cluster,
    }


def build() -> dict[str, list[dict[str, Any]]]:
    golden: list[dict[str, Any]] = []
    for k, unit in enumerate(golden_units(), 1):
        for built in unit:
            golden.append(case("golden", len(golden) + 1, built, f"{PREFIX}-g-c{k:03d}"))
    adv = [case("adversarial", i, built, f"{PREFIX}-a-c{i:03d}") for i, built in enumerate(adversarial(), 1)]
    return {"golden": golden, "adversarial": adv}


def write(out: Path) -> dict[str, int]:
    counts = {}
    for split, cases in build().items():
        path = out / split / "extraction.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
        counts[split] = len(cases)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT, help="folder holding golden/ and adversarial/")
    counts = write(parser.parse_args().out)
    print(", ".join(f"{split}: {n} cases" for split, n in counts.items()))


if __name__ == "__main__":
    main()
