"""Function families: money handling (splitting amounts, VAT, conversion, display formatting, late fees).

Money is where "close enough" is a bug, so every family states its rounding rule and the hidden tests
compare Decimals with their exponent (the request says "two decimal places" whenever that matters)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, half_even, pick, run_reference, separating
from coding_twists import revision
from coding_voice import examples_block, frame, signature_line


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


def _task(
    family: str,
    domain: str,
    p: dict[str, Any],
    text: str,
    reference: str,
    calls: list[Call],
    mode: str,
    wrong: str | None,
    **kw: Any,
) -> FnTask:
    return FnTask(
        family, domain, p["name"], text, reference, calls, wrong=wrong, kind=None if mode == "golden" else mode, **kw
    )


# --------------------------------------------------------------------------------------------------
# split_amount


def _split_rules(p: dict[str, Any]) -> list[str]:
    cents = p["unit"] == "int"
    what = "an int number of cents" if cents else "a Decimal with at most two decimal places"
    rules = [f"`total` is {what}"]
    if not cents:
        rules.append("A total with more than two decimal places raises ValueError")
    if p["by"] == "count":
        rules.append("`parts` is how many equal shares to make; fewer than 1 raises ValueError")
    else:
        rules.append(
            "`weights` are non-negative ints; shares are proportional to them. An empty list, a negative "
            "weight or weights that sum to 0 raise ValueError"
        )
    rules.append("The shares must add up to exactly `total`: every share is rounded down to whole cents first")
    rules.append(
        {
            "first": "then the leftover cents are handed out one each, starting with the first share",
            "last": "then the leftover cents are handed out one each, starting with the LAST share and moving "
            "backwards",
            "largest": "then the leftover cents go one each to the shares that lost the largest fraction of a "
            "cent to the rounding (ties: the earlier share)",
        }[p["rest"]]
    )
    rules.append(
        "A negative total (a refund) is split like its absolute value, then every share is negated"
        if p["negative"]
        else "A negative total raises ValueError"
    )
    rules.append(
        "Return a list of ints (cents), one per share, in order"
        if cents
        else "Return a list of Decimals with exactly two decimal places, one per share, in order"
    )
    return rules


def _split_ref(p: dict[str, Any]) -> str:
    cents = p["unit"] == "int"
    arg = "parts: int" if p["by"] == "count" else "weights: list[int]"
    typ = "int" if cents else "Decimal"
    lines = ["from decimal import Decimal", "", ""] if not cents else []
    lines += [f"def {p['name']}(total: {typ}, {arg}) -> list[{typ}]:"]
    if p["by"] == "count":
        lines += [
            "    if parts < 1:",
            '        raise ValueError("parts must be at least 1")',
            "    weights = [1] * parts",
        ]
    else:
        lines += [
            "    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:",
            '        raise ValueError("bad weights")',
        ]
    if cents:
        lines += ["    cents = total"]
    else:
        lines += [
            "    cents = total * 100",
            "    if cents != cents.to_integral_value():",
            '        raise ValueError("more than two decimal places")',
            "    cents = int(cents)",
        ]
    if p["negative"]:
        lines += ["    sign = -1 if cents < 0 else 1", "    cents = abs(cents)"]
    else:
        lines += ["    if cents < 0:", '        raise ValueError("negative total")', "    sign = 1"]
    lines += [
        "    whole = sum(weights)",
        "    shares = [cents * w // whole for w in weights]",
        "    left = cents - sum(shares)",
    ]
    if p["rest"] == "first":
        lines += ["    order = list(range(len(shares)))"]
    elif p["rest"] == "last":
        lines += ["    order = list(reversed(range(len(shares))))"]
    else:
        lines += ["    order = sorted(range(len(shares)), key=lambda i: (-(cents * weights[i] % whole), i))"]
    lines += ["    for i in order[:left]:", "        shares[i] += 1"]
    lines += [
        "    return [sign * s for s in shares]"
        if cents
        else '    return [(Decimal(sign * s) / 100).quantize(Decimal("0.01")) for s in shares]'
    ]
    return "\n".join(lines) + "\n"


def _split_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    cents = p["unit"] == "int"

    def total(low: int, high: int) -> Any:
        c = rng.randint(low, high)
        return c if cents else Decimal(c) / 100

    def second() -> Any:
        if p["by"] == "count":
            return rng.randint(2, 7)
        return [rng.randint(0, 9) for _ in range(rng.randint(2, 5))] + [rng.randint(1, 5)]

    calls = [Call((total(100, 99999), second()), "shares") for _ in range(6)]
    calls += [Call((total(1, 9), second()), "small_totals"), Call((total(0, 0), second()), "small_totals")]
    if p["by"] == "count":
        calls += [
            Call((100 if cents else Decimal("1.00"), 3), "leftover_cents"),
            Call((1001 if cents else Decimal("10.01"), 4), "leftover_cents"),
            Call((5 if cents else Decimal("0.05"), 1), "leftover_cents"),
            Call((total(1, 999), 0), "invalid"),
            Call((total(1, 999), -2), "invalid"),
        ]
    else:
        calls += [
            Call((100 if cents else Decimal("1.00"), [1, 1, 1]), "leftover_cents"),
            Call((1000 if cents else Decimal("10.00"), [3, 0, 2, 2]), "leftover_cents"),
            Call((7 if cents else Decimal("0.07"), [5, 1, 1, 3]), "leftover_cents"),
            Call((total(1, 999), []), "invalid"),
            Call((total(1, 999), [0, 0]), "invalid"),
            Call((total(1, 999), [2, -1]), "invalid"),
        ]
    calls += [
        Call((-total(101, 9999), second()), "negative_totals"),
        Call((-100 if cents else Decimal("-1.00"), 3 if p["by"] == "count" else [1, 1, 1]), "negative_totals"),
    ]
    if not cents:
        calls += [Call((Decimal("10.005"), second()), "invalid")]
    return calls


def split_amount(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "unit": pick(rng, ("decimal", "int")),
        "by": pick(rng, ("count", "weights")),
        "rest": pick(rng, ("first", "last", "largest")),
        "negative": rng.random() < 0.5,
    }
    if p["by"] == "count" and p["rest"] == "largest":
        p["rest"] = "first"
    if mode == "ambiguous":
        p["by"], p["rest"] = "weights", "largest"
    p["name"] = pick(rng, ("split_amount", "allocate", "split_bill", "allocate_cents", "prorate"))
    rules = _split_rules(p)
    shown = _split_ref(p)
    wrong = change = None
    if mode == "ambiguous":
        # "the biggest remainder" read as "the biggest share" is the natural misreading; the example settles it
        rules[-3] = "then each leftover cent goes to the share with the biggest remainder (ties: the earlier share)"
        wrong = _split_ref({**p, "rest": "first"})
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["rest"] = pick(rng, [r for r in ("first", "last") if r != p["rest"]])
            change = (
                "leftover cents go one each starting with the first share"
                if p["rest"] == "first"
                else "leftover cents go one each starting with the last share, moving backwards"
            )
        else:
            p["negative"] = not p["negative"]
            change = (
                "negative totals (refunds) must work: split the absolute value, then negate every share"
                if p["negative"]
                else "negative totals must raise ValueError; refunds go through another path"
            )
    reference = _split_ref(p)
    calls = _split_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(
        fn, calls, 2, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r})", ("shares", "leftover_cents")
    )
    if mode == "ambiguous":
        pairs += example_pairs(
            fn,
            [Call((100 if p["unit"] == "int" else Decimal("1.00"), [1, 1, 1]))],
            1,
            lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r})",
        )
    arg = "parts: int" if p["by"] == "count" else "weights: list[int]"
    typ = "int" if p["unit"] == "int" else "Decimal"
    sig = f"{p['name']}(total: {typ}, {arg}) -> list[{typ}]"
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    bg = (
        "Group bookings are paid by several cards and the payment provider wants one amount per card.",
        "Shared shipping costs are allocated to order lines for the margin report.",
        "Marketing spend is split across channels by the number of leads each brought in.",
        "Rent is split between departments by headcount.",
        "A discount on the whole basket has to be spread over its lines for the tax report.",
    )
    text = frame(
        rng,
        pick(rng, ("split an amount without losing cents", "allocation helper", "fair split of a total")),
        rng.sample(bg, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return _task("split_amount", "money", p, text, reference, calls, mode, wrong, exact_decimals=True, short=True)


# --------------------------------------------------------------------------------------------------
# invoice_totals: VAT with a rounding rule


_RATE_SETS = (
    ("DE", {"standard": 19, "reduced": 7, "zero": 0}),
    ("NL", {"standard": 21, "reduced": 9, "zero": 0}),
    ("FR", {"standard": 20, "intermediate": 10, "reduced": 5.5, "zero": 0}),
    ("UK", {"standard": 20, "reduced": 5, "zero": 0}),
    ("SE", {"standard": 25, "food": 12, "books": 6}),
    ("IE", {"standard": 23, "reduced": 13.5, "second_reduced": 9}),
)


def _vat_rules(p: dict[str, Any]) -> list[str]:
    table = ", ".join(f"`{k}` {v}%" for k, v in p["rates"].items())
    rules = [
        "Each line is `(unit_price, qty, category)`: unit_price a Decimal, qty an int, category a string",
        f"VAT rates by category ({p['country']}): {table}",
        "Unit prices include VAT (gross prices, as shown in the shop)"
        if p["gross"]
        else "Unit prices exclude VAT (net prices)",
        "A line amount is unit_price * qty rounded to cents (half-up)",
    ]
    if p["per"] == "line":
        rules.append(
            "VAT is calculated and rounded per line (half-up to cents)"
            + (": a line's net is its gross / (1 + rate), rounded, and its VAT is gross - net" if p["gross"] else "")
        )
    else:
        rules.append(
            "VAT is calculated once per rate on the sum of that rate's line amounts, rounded half-up to cents"
            + (" (net = gross sum / (1 + rate), rounded; VAT = gross sum - net)" if p["gross"] else "")
        )
    rules.append("qty must be at least 1, otherwise ValueError")
    rules.append(
        "An unknown category (or None) is taxed at the `standard` rate"
        if p["unknown"] == "standard"
        else "An unknown category raises ValueError"
    )
    rules.append("Return `(net, vat, gross)` as Decimals with exactly two decimal places; no lines gives three zeros")
    return rules


def _vat_ref(p: dict[str, Any]) -> str:
    rates = {k: (Decimal(str(v))) for k, v in p["rates"].items()}
    rates_src = "{" + ", ".join(f"{k!r}: Decimal({str(v)!r})" for k, v in rates.items()) + "}"
    lookup = (
        '    rate = _RATES.get(category, _RATES["standard"])'
        if p["unknown"] == "standard"
        else '    if category not in _RATES:\n        raise ValueError(f"unknown category {category!r}")\n'
        "    rate = _RATES[category]"
    )
    lines = [
        "from collections import defaultdict",
        "from decimal import ROUND_HALF_UP, Decimal",
        "",
        'CENT = Decimal("0.01")',
        f"_RATES = {rates_src}",
        "",
        "",
        "def _cents(value: Decimal) -> Decimal:",
        "    return value.quantize(CENT, rounding=ROUND_HALF_UP)",
        "",
        "",
        "def _rate(category: str | None) -> Decimal:",
        lookup,
        "    return rate",
        "",
        "",
        f"def {p['name']}(lines: list[tuple[Decimal, int, str]]) -> tuple[Decimal, Decimal, Decimal]:",
        "    groups: dict[Decimal, list[Decimal]] = defaultdict(list)",
        "    for unit_price, qty, category in lines:",
        "        if qty < 1:",
        '            raise ValueError("qty must be at least 1")',
        "        groups[_rate(category)].append(_cents(unit_price * qty))",
        '    net = vat = Decimal("0.00")',
        "    for rate, amounts in groups.items():",
        "        factor = 1 + rate / 100",
    ]
    if p["per"] == "line":
        lines += ["        for amount in amounts:"]
        if p["gross"]:
            lines += [
                "            line_net = _cents(amount / factor)",
                "            net += line_net",
                "            vat += amount - line_net",
            ]
        else:
            lines += ["            net += amount", "            vat += _cents(amount * rate / 100)"]
    else:
        lines += ['        total = sum(amounts, Decimal("0.00"))']
        if p["gross"]:
            lines += [
                "        group_net = _cents(total / factor)",
                "        net += group_net",
                "        vat += total - group_net",
            ]
        else:
            lines += ["        net += total", "        vat += _cents(total * rate / 100)"]
    lines += ["    return _cents(net), _cents(vat), _cents(net + vat)"]
    return "\n".join(lines) + "\n"


def _vat_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    cats = list(p["rates"])
    calls = []
    for _ in range(6):
        lines = [(_money(rng, 5, 25000), rng.randint(1, 12), pick(rng, cats)) for _ in range(rng.randint(1, 6))]
        calls.append(Call((lines,), "invoices"))
    calls.append(Call(([],), "invoices"))
    cat = cats[0]
    calls.append(Call(([(Decimal("0.99"), 3, cat), (Decimal("0.99"), 1, cat), (Decimal("1.01"), 7, cat)],), "rounding"))
    calls.append(Call(([(Decimal("0.05"), 1, cat)] * 9,), "rounding"))
    calls.append(Call(([(Decimal("19.999"), 1, cat), (Decimal("0.125"), 2, cat)],), "rounding"))
    calls.append(Call(([(Decimal("10.00"), 0, cat)],), "invalid"))
    calls.append(Call(([(Decimal("10.00"), 1, "luxury")],), "unknown_category"))
    calls.append(Call(([(Decimal("10.00"), 2, None), (Decimal("3.30"), 1, cat)],), "unknown_category"))
    return calls


def invoice_totals(rng: random.Random, mode: str) -> FnTask:
    country, rates = pick(rng, _RATE_SETS)
    assert isinstance(rates, dict)
    if "standard" not in rates:
        rates = {"standard": 25, **{k: v for k, v in rates.items() if k != "standard"}}
    p: dict[str, Any] = {
        "country": country,
        "rates": rates,
        "gross": rng.random() < 0.5,
        "per": pick(rng, ("line", "rate")),
        "unknown": "standard" if mode == "missing_data" else pick(rng, ("error", "standard")),
        "name": pick(rng, ("invoice_totals", "vat_breakdown", "compute_totals", "basket_totals")),
    }
    rules = _vat_rules(p)
    shown = _vat_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["per"] = "rate" if p["per"] == "line" else "line"
            change = (
                "round VAT once per rate on the summed line amounts, not per line"
                if p["per"] == "rate"
                else "round VAT per line, not once per rate"
            )
        else:
            k = next(k for k in p["rates"] if k != "standard")
            new = {**p["rates"], k: p["rates"][k] + pick(rng, (1, 2, 3))}
            p["rates"] = new
            change = f"the `{k}` rate is now {new[k]}% (the law changed on the 1st)"
    reference = _vat_ref(p)
    calls = _vat_inputs(rng, p)
    # the request says half-up: add the lines where banker's rounding would give another cent (none exist for
    # some gross-price rates, where the rule then cannot change a result)
    singles = [
        Call(([(Decimal(c) / 100, q, cat)],), "half_cents")
        for c in range(1, 4000)
        for q in (1, 3)
        for cat in p["rates"]
    ]
    calls += separating(reference, p["name"], half_even(reference), singles, 2)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[:3], 1, lambda c: f"{p['name']}({c.args[0]!r})")
    sig = f"{p['name']}(lines: list[tuple[Decimal, int, str]]) -> tuple[Decimal, Decimal, Decimal]"
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    bg = (
        "The checkout and the PDF invoice computed VAT differently and the accountant noticed.",
        "This must match what the tax office expects on the invoice, to the cent.",
        "We are consolidating three copies of the totals code into one function.",
        f"Invoices for {country} customers only for now.",
    )
    text = frame(
        rng,
        pick(rng, ("invoice totals with VAT", "VAT breakdown for invoices", "compute net/VAT/gross")),
        rng.sample(bg, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return _task("invoice_totals", "money", p, text, reference, calls, mode, wrong, exact_decimals=True)


# --------------------------------------------------------------------------------------------------
# convert_currency


_EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "KWD": 3, "BHD": 3, "TND": 3}
_RATES = {
    "USD": "1.0843",
    "GBP": "0.8561",
    "JPY": "163.21",
    "CHF": "0.9512",
    "SEK": "11.2874",
    "KWD": "0.33417",
    "PLN": "4.3121",
    "BHD": "0.40862",
    "ISK": "149.7",
    "CAD": "1.4712",
}


def _fx_rules(p: dict[str, Any]) -> list[str]:
    base = p["base"]
    rules = [
        f"`rates` maps a currency code to how many units of it one {base} buys (e.g. `{{'USD': Decimal('1.0843')}}`); "
        f"{base} itself is never in the map and has rate 1",
        "Convert through the base: `amount / rates[source] * rates[target]`, with full Decimal precision, then round "
        "once at the end",
        "Round to the target currency's minor unit: 0 decimals for "
        + ", ".join(k for k, v in _EXPONENTS.items() if v == 0)
        + "; 3 for "
        + ", ".join(k for k, v in _EXPONENTS.items() if v == 3)
        + "; 2 for everything else",
        "Rounding is half-up" if p["rounding"] == "half_up" else "Rounding is half-even (banker's rounding)",
        "Currency codes are matched case-insensitively and surrounding spaces are ignored"
        if p["nocase"]
        else "Currency codes are exact uppercase ISO codes",
        "Converting to the same currency just rounds the amount",
    ]
    rules.append(
        "An unknown currency returns None (the caller shows 'rate unavailable')"
        if p["unknown"] == "none"
        else "An unknown currency raises ValueError"
    )
    rules.append("Return a Decimal with exactly the target's number of decimals")
    return rules


def _fx_ref(p: dict[str, Any]) -> str:
    rounding = "ROUND_HALF_UP" if p["rounding"] == "half_up" else "ROUND_HALF_EVEN"
    norm = "code.strip().upper()" if p["nocase"] else "code"
    ret = "Decimal | None" if p["unknown"] == "none" else "Decimal"
    miss = "return None" if p["unknown"] == "none" else 'raise ValueError("unknown currency")'
    return (
        "\n".join(
            [
                f"from decimal import {rounding}, Decimal",
                "",
                f"_EXPONENTS = {_EXPONENTS!r}",
                f"BASE = {p['base']!r}",
                "",
                "",
                f"def {p['name']}(amount: Decimal, source: str, target: str, rates: dict[str, Decimal]) -> {ret}:",
                "    table = {**rates, BASE: Decimal(1)}",
                f"    source, target = ({norm} for code in (source, target))",
                "    if source not in table or target not in table:",
                f"        {miss}",
                "    value = amount / table[source] * table[target]",
                "    places = _EXPONENTS.get(target, 2)",
                f"    return value.quantize(Decimal(1).scaleb(-places), rounding={rounding})",
            ]
        )
        + "\n"
    )


def _fx_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    base = p["base"]
    codes = sorted(c for c in _RATES if c != base)
    rates = {c: Decimal(_RATES[c]) for c in rng.sample(codes, 6)}
    if base != "EUR":
        rates.pop(base, None)
    known = sorted(rates)
    calls = []
    for _ in range(6):
        a, b = rng.sample([*known, base], 2)
        calls.append(Call((_money(rng, 1, 5_000_000), a, b, rates), "conversions"))
    for target in ("JPY", "KWD", "ISK", "BHD"):
        if target in rates:
            calls.append(Call((Decimal("99.99"), base, target, rates), "minor_units"))
    calls += [
        Call((Decimal("12.345"), base, base, rates), "same_currency"),
        Call((Decimal("0.125"), known[0], known[0], rates), "same_currency"),
        Call((Decimal("2.5"), base, base, {**rates}), "same_currency"),
    ]
    calls += [
        Call((Decimal("10.00"), base, "XXX", rates), "unknown"),
        Call((Decimal("10.00"), "ABC", base, rates), "unknown"),
    ]
    calls += [
        Call((Decimal("10.00"), known[1].lower(), base, rates), "code_case"),
        Call((Decimal("10.00"), base, f" {known[2]} ", rates), "code_case"),
    ]
    one = "USD" if base != "USD" else "CAD"
    half_rates = {one: Decimal("1"), "HKD": Decimal("8"), "JPY": Decimal("100")}
    calls += [
        Call((Decimal("0.005"), base, one, half_rates), "rounding"),
        Call((Decimal("0.015"), base, one, half_rates), "rounding"),
        Call((Decimal("0.025"), base, "JPY", half_rates), "rounding"),
        Call((Decimal("0.035"), base, "JPY", half_rates), "rounding"),
    ]
    return calls


def convert_currency(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "base": pick(rng, ("EUR", "EUR", "USD")),
        "rounding": pick(rng, ("half_up", "half_even")),
        "nocase": mode == "edge_format" or rng.random() < 0.4,
        "unknown": "none" if mode == "missing_data" else pick(rng, ("error", "none")),
        "name": pick(rng, ("convert", "convert_currency", "to_currency", "fx_convert")),
    }
    rules = _fx_rules(p)
    shown = _fx_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["rounding"] = "half_even" if p["rounding"] == "half_up" else "half_up"
        change = (
            "treasury wants banker's rounding (half-even), not half-up"
            if p["rounding"] == "half_even"
            else "round half-up, not half-even; the invoices must match the ERP"
        )
    reference = _fx_ref(p)
    calls = _fx_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(
        fn, calls[:2], 1, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r}, {c.args[2]!r}, rates)"
    )
    ret = "Decimal | None" if p["unknown"] == "none" else "Decimal"
    sig = f"{p['name']}(amount: Decimal, source: str, target: str, rates: dict[str, Decimal]) -> {ret}"
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    bg = (
        "Rates come from the central bank's daily feed, quoted against the base currency.",
        "Customer-facing prices in other currencies are computed on the fly in the shop.",
        "The payout report shows every sale converted to the seller's currency.",
        "Rounding differences are what auditors flagged last year.",
    )
    text = frame(
        rng,
        pick(
            rng,
            ("currency conversion helper", "convert amounts between currencies", "FX conversion for the payout report"),
        ),
        rng.sample(bg, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return _task("convert_currency", "money", p, text, reference, calls, mode, wrong, exact_decimals=True)


# --------------------------------------------------------------------------------------------------
# format_money

_STYLES = {
    "en": {"dec": ".", "thou": ",", "pos": "prefix", "space": False, "desc": "English style: `$1,234.50`"},
    "de": {"dec": ",", "thou": ".", "pos": "suffix", "space": True, "desc": "German style: `1.234,50 €`"},
    "fr": {
        "dec": ",",
        "thou": "\u202f",
        "pos": "suffix",
        "space": True,
        "desc": "French style: `1\u202f234,50 €` (the thousands separator is a narrow no-break space, U+202F)",
    },
    "ch": {"dec": ".", "thou": "'", "pos": "prefix", "space": True, "desc": "Swiss style: `CHF 1'234.50`"},
    "nl": {"dec": ",", "thou": ".", "pos": "prefix", "space": True, "desc": "Dutch style: `€ 1.234,50`"},
}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "SEK": "kr"}
_DECIMALS = {"JPY": 0, "KWD": 3}


def _fmt_rules(p: dict[str, Any]) -> list[str]:
    st = _STYLES[p["style"]]
    syms = ", ".join(f"{k} `{v}`" for k, v in _SYMBOLS.items())
    rules = [
        f"Use {st['desc']}: the symbol goes {'before' if st['pos'] == 'prefix' else 'after'} the number"
        + (" with a space between them" if st["space"] else " with no space"),
        f"Symbols: {syms}",
        "An unknown currency code is shown as the code itself in the symbol's place, always separated from the number "
        "by a space"
        if p["unknown"] == "code"
        else "An unknown currency code raises ValueError",
        "JPY has no decimals and KWD three; everything else two. Round half-up to that many decimals",
        "Thousands are always grouped in threes",
    ]
    rules.append(
        {
            "minus": "Negative amounts get a minus sign right before the digits (`-` goes between the symbol "
            "and the number when the symbol comes first)",
            "parens": "Negative amounts are wrapped in parentheses, symbol included: `(€ 1.234,50)`-like, "
            "no minus sign",
        }[p["neg"]]
    )
    rules.append("An amount that rounds to zero is shown without any sign")
    rules.append("Return the string; no surrounding whitespace")
    return rules


def _fmt_ref(p: dict[str, Any]) -> str:
    st = _STYLES[p["style"]]
    unknown = (
        "        symbol = currency"
        if p["unknown"] == "code"
        else '        raise ValueError(f"unknown currency {currency!r}")'
    )
    return (
        "\n".join(
            [
                "from decimal import ROUND_HALF_UP, Decimal",
                "",
                f"_SYMBOLS = {_SYMBOLS!r}",
                f"_DECIMALS = {_DECIMALS!r}",
                "",
                "",
                f"def {p['name']}(amount: Decimal, currency: str) -> str:",
                "    symbol = _SYMBOLS.get(currency)",
                "    known = symbol is not None",
                "    if symbol is None:",
                unknown,
                "    places = _DECIMALS.get(currency, 2)",
                "    value = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)",
                "    negative = value < 0",
                '    whole, _, frac = f"{abs(value):.{places}f}".partition(".")',
                "    groups = []",
                "    while len(whole) > 3:",
                "        groups.insert(0, whole[-3:])",
                "        whole = whole[:-3]",
                "    groups.insert(0, whole)",
                f'    number = {st["thou"]!r}.join(groups) + ({st["dec"]!r} + frac if frac else "")',
                f'    space = " " if {st["space"]!r} or not known else ""',
                *(["    if negative and True:", '        number = "-" + number'] if p["neg"] == "minus" else []),
                (
                    "    text = symbol + space + number"
                    if st["pos"] == "prefix"
                    else "    text = number + space + symbol"
                ),
                *(["    if negative:", '        text = f"({text})"'] if p["neg"] == "parens" else []),
                "    return text",
            ]
        ).replace("if negative and True:", "if negative:")
        + "\n"
    )


def _fmt_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    calls = []
    for _ in range(6):
        cur = pick(rng, ("EUR", "USD", "GBP", "CHF", "SEK"))
        amount = Decimal(rng.randint(0, 10 ** rng.randint(2, 9))) / 100
        calls.append(Call((amount, cur), "amounts"))
    calls += [
        Call((Decimal("1234.5"), "EUR"), "amounts"),
        Call((Decimal("999.995"), "USD"), "amounts"),
        Call((Decimal("1000000"), "GBP"), "amounts"),
        Call((Decimal("0.5"), "CHF"), "amounts"),
    ]
    calls += [
        Call((Decimal("-1234.56"), "EUR"), "negatives"),
        Call((Decimal("-0.01"), "USD"), "negatives"),
        Call((Decimal("-0.004"), "EUR"), "negatives"),
        Call((Decimal("-0"), "GBP"), "negatives"),
    ]
    calls += [
        Call((Decimal("1234567.5"), "JPY"), "decimals"),
        Call((Decimal("12.3456"), "KWD"), "decimals"),
        Call((Decimal("-0.4"), "JPY"), "decimals"),
    ]
    calls += [Call((Decimal("12.5"), "NOK"), "unknown_currency"), Call((Decimal("-3"), "AUD"), "unknown_currency")]
    return calls


def format_money(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "style": pick(rng, tuple(_STYLES)),
        "neg": pick(rng, ("minus", "parens")),
        "unknown": pick(rng, ("code", "error")),
        "name": pick(rng, ("format_money", "format_amount", "display_price", "money_label")),
    }
    if p["style"] == "fr" and mode != "edge_format" and rng.random() < 0.7:
        p["style"] = "de"
    if mode == "edge_format":
        p["style"] = pick(rng, ("fr", "ch"))
    rules = _fmt_rules(p)
    shown = _fmt_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["neg"] = "parens" if p["neg"] == "minus" else "minus"
        change = (
            "finance wants negatives in accounting parentheses (symbol included), no minus sign"
            if p["neg"] == "parens"
            else "no parentheses for negatives after all: use a minus sign right before "
            "the digits (between the symbol and the number when the symbol comes first)"
        )
    reference = _fmt_ref(p)
    calls = _fmt_inputs(rng, p)
    halves = [Call((Decimal(c) / 1000, cur), "half_up") for c in range(1, 4000) for cur in ("EUR", "USD", "CHF")]
    halves += [Call((Decimal(c) / 10, "JPY"), "half_up") for c in range(-200, 200)]
    # the request says half-up: test it where banker's rounding would differ (when no input can, the rule
    # changes no result)
    ties = separating(reference, p["name"], half_even(reference), halves, 3)
    assert len(ties) == 3
    calls += ties
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r})")
    sig = f"{p['name']}(amount: Decimal, currency: str) -> str"
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    bg = (
        "The new invoice PDF template needs amounts formatted the way our customers expect.",
        "We can't rely on the server's locale settings; the containers all run with C.UTF-8.",
        "The email receipts show prices formatted by hand in three places; let's have one function.",
        "Finance reviews these statements, so negative values must be unmistakable.",
    )
    text = frame(
        rng,
        pick(rng, ("format amounts for display", "money formatting for PDFs", "price label formatting")),
        rng.sample(bg, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return _task("format_money", "money", p, text, reference, calls, mode, wrong)


# --------------------------------------------------------------------------------------------------
# late_fee


def _fee_rules(p: dict[str, Any]) -> list[str]:
    g = p["grace"]
    rules = ["Days late = days from `due` to the payment date; paying on or before the due date costs nothing"]
    if p["missing"]:
        rules.append("`paid` is None while the invoice is still open: count up to `today` instead")
    if p.get("vague"):
        rules.append(f"There is a grace period of {g} days, then interest of {p['rate']}% of the amount per day late")
    else:
        rules.append(f"Within a grace period of {g} days late there is no fee at all")
        if p["kind"] == "daily":
            start = (
                "from the due date (the grace days count too once the grace period is exceeded)"
                if p["from"] == "due"
                else "only for the days after the grace period"
            )
            rules.append(f"After that, interest of {p['rate']}% of the amount per day late, counted {start}")
        else:
            rules.append(
                f"After that, {p['rate']}% of the amount for every started 30-day period late (day 1-30 is one "
                f"period, day 31 starts the second), counted from the due date"
            )
    rules.append(f"The fee is at least {p['min']} once any fee is due")
    rules.append(f"The fee is capped at {p['cap']}% of the amount (the cap wins if it is below the minimum)")
    rules.append(
        "Round half-up to cents at the end; return a Decimal with exactly two decimal places "
        "(`Decimal('0.00')` when nothing is due)"
    )
    rules.append("A negative amount raises ValueError")
    return rules


def _fee_ref(p: dict[str, Any]) -> str:
    g = p["grace"]
    args = (
        "amount: Decimal, due: date, paid: date | None, today: date"
        if p["missing"]
        else "amount: Decimal, due: date, paid: date"
    )
    lines = [
        "from datetime import date",
        "from decimal import ROUND_HALF_UP, Decimal",
        "",
        "",
        f"def {p['name']}({args}) -> Decimal:",
        "    if amount < 0:",
        '        raise ValueError("negative amount")',
    ]
    if p["missing"]:
        lines += ["    if paid is None:", "        paid = today"]
    lines += ["    late = (paid - due).days", f"    if late <= {g}:", '        return Decimal("0.00")']
    if p["kind"] == "daily":
        days = "late" if p["from"] == "due" else f"late - {g}"
        lines += [f"    fee = amount * Decimal({str(p['rate'])!r}) / 100 * ({days})"]
    else:
        lines += ["    periods = (late + 29) // 30", f"    fee = amount * Decimal({str(p['rate'])!r}) / 100 * periods"]
    lines += [
        f"    fee = max(fee, Decimal({p['min']!r}))",
        f"    fee = min(fee, amount * Decimal({str(p['cap'])!r}) / 100)",
        '    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)',
    ]
    return "\n".join(lines) + "\n"


def _fee_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    g = p["grace"]
    due = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
    d = dt.timedelta
    calls = []

    def call(amount: Decimal, days: int, group: str) -> Call:
        args: tuple[Any, ...] = (amount, due, due + d(days))
        if p["missing"]:
            args = (*args, dt.date(2026, 1, 15))
        return Call(args, group)

    for days in (-3, 0, g, g + 1, g + 2, 29, 30, 31, 45, 61, 200, 1000):
        calls.append(call(_money(rng, 100, 900000), days, "days_late"))
    calls += [
        call(Decimal("10.00"), g + 1, "minimum_and_cap"),
        call(Decimal("0.50"), g + 3, "minimum_and_cap"),
        call(Decimal("1000000.00"), 3650, "minimum_and_cap"),
        call(Decimal("0.00"), 40, "minimum_and_cap"),
    ]
    calls += [call(Decimal("-5.00"), 10, "invalid")]
    calls += [call(Decimal("333.33"), g + 7, "rounding"), call(Decimal("1234.57"), g + 11, "rounding")]
    if p["missing"]:
        calls += [
            Call((Decimal("500.00"), due, None, due + d(g + 9)), "still_open"),
            Call((Decimal("500.00"), due, None, due + d(1)), "still_open"),
            Call((Decimal("80.00"), due, None, due + d(400)), "still_open"),
        ]
    return calls


def late_fee(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "grace": pick(rng, (0, 3, 5, 7, 10, 14)),
        "kind": pick(rng, ("daily", "daily", "monthly")),
        "from": pick(rng, ("due", "grace_end")),
        "rate": pick(rng, (Decimal("0.05"), Decimal("0.1"), Decimal("0.033"))),
        "min": pick(rng, ("2.50", "5.00", "10.00", "1.00")),
        "cap": pick(rng, (10, 15, 20, 25)),
        "missing": mode == "missing_data",
        "name": pick(rng, ("late_fee", "overdue_interest", "penalty_for")),
    }
    if p["kind"] == "monthly":
        p["rate"] = pick(rng, (Decimal("1"), Decimal("1.5"), Decimal("2")))
    wrong = change = None
    if mode == "ambiguous":
        p["kind"], p["grace"], p["vague"] = "daily", pick(rng, (5, 7, 10)), True
        p["from"] = pick(rng, ("due", "grace_end"))
    rules = _fee_rules(p)
    shown = _fee_ref(p)
    if mode == "ambiguous":
        wrong = _fee_ref({**p, "from": "grace_end" if p["from"] == "due" else "due"})
    if mode == "long_context_contradiction":
        wrong = shown
        if p["kind"] == "daily" and rng.random() < 0.5:
            p["from"] = "grace_end" if p["from"] == "due" else "due"
            change = (
                "once the grace period is exceeded, interest is charged for every day since the due date, the "
                "grace days included"
                if p["from"] == "due"
                else "interest is only charged for the days after the grace period, not for the grace days"
            )
        else:
            p["cap"] = p["cap"] + pick(rng, (-5, 5))
            change = f"the cap is {p['cap']}% of the amount (legal checked the contract)"
    reference = _fee_ref(p)
    calls = _fee_inputs(rng, p)
    late = p["grace"] + (5 if p["kind"] == "daily" else 31)
    due, today = calls[0].args[1], calls[0].args[3:]
    # the request says half-up: test it where banker's rounding would differ (when no input can, the rule
    # changes no result)
    ties = separating(
        reference,
        p["name"],
        half_even(reference),
        (
            Call((Decimal(c) / 100, due, due + dt.timedelta(days=late), *today), "half_up")
            for c in range(2500, 10_000_000, 2500)
        ),
        2,
    )
    calls += ties
    fn = run_reference(shown, p["name"])

    def show(c: Call) -> str:
        return f"{p['name']}({c.args[0]!r}, due={c.args[1]!r}, paid={c.args[2]!r})"

    pairs = example_pairs(fn, calls[4:], 2, show)
    if mode == "ambiguous":
        ex = [
            Call(
                (
                    Decimal("10000.00"),
                    calls[0].args[1],
                    calls[0].args[1] + dt.timedelta(p["grace"] + 4),
                    *calls[0].args[3:],
                )
            )
        ]
        pairs = example_pairs(fn, ex, 1, show)
        assert pairs and pairs[0][1] != repr(run_reference(wrong or "", p["name"])(*ex[0].args)), "example must decide"
    args = (
        "amount: Decimal, due: date, paid: date | None, today: date"
        if p["missing"]
        else "amount: Decimal, due: date, paid: date"
    )
    sig = signature_line(rng, p["name"] + "(" + args + ") -> Decimal")
    body = f"{sig}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    bg = (
        "This is what the terms and conditions say; the dunning job has to apply it.",
        "The collections team computes this by hand today and gets it wrong regularly.",
        "Only B2B invoices, so no consumer-protection special cases.",
        "The statement job runs nightly over all open and recently paid invoices.",
    )
    text = frame(
        rng,
        pick(rng, ("late payment fee", "overdue interest calculation", "dunning fee rule")),
        rng.sample(bg, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return _task(
        "late_fee", "money", p, text, reference, calls, mode, wrong, exact_decimals=True, extra_tags=("dates",)
    )


FAMILIES = [
    Family("split_amount", "money", split_amount, ("ambiguous", "long_context_contradiction")),
    Family("invoice_totals", "money", invoice_totals, ("missing_data", "long_context_contradiction")),
    Family(
        "convert_currency", "money", convert_currency, ("edge_format", "missing_data", "long_context_contradiction")
    ),
    Family("format_money", "money", format_money, ("edge_format", "long_context_contradiction")),
    Family("late_fee", "money", late_fee, ("ambiguous", "missing_data", "long_context_contradiction")),
]
