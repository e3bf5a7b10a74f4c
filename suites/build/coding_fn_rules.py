"""Function families: business rules with edge cases (shipping tariffs, discounts, overtime, refunds,
loyalty points, rate lookups). The rules are the kind product managers write in tickets: brackets with
inclusive/exclusive bounds, caps, minimums, "started" units, precedence between rules. The inputs sit on
every boundary the rules name."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, half_even, pick, run_reference, separating
from coding_twists import revision
from coding_voice import examples_block, frame, signature_line


def _finish(
    rng: random.Random,
    family: str,
    p: dict[str, Any],
    title: str,
    bg: tuple[str, ...],
    sig: str,
    rules: list[str],
    pairs: list[tuple[str, str]],
    reference: str,
    calls: list[Call],
    mode: str,
    wrong: str | None,
    change: str | None,
    **kw: Any,
) -> FnTask:
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    text = frame(rng, title, rng.sample(bg, min(2, len(bg))), body)
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        family,
        "business_rules",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
        **kw,
    )


# --------------------------------------------------------------------------------------------------
# shipping_cost


def _ship_rules(p: dict[str, Any]) -> list[str]:
    b = p["brackets"]
    lines = []
    low = "0"
    for limit, price in b:
        lines.append(
            f"over {low} kg up to and including {limit} kg: {price}"
            if p["incl"]
            else f"from {low} kg up to (not including) {limit} kg: {price}"
        )
        low = str(limit)
    top_limit, top_price = b[-1]
    extra = (
        f"above {top_limit} kg: {top_price} plus {p['per_kg']} for every started kilogram above {top_limit} kg"
        if p.get("vague") is None
        else f"heavier parcels: {top_price} plus {p['per_kg']} per kg above {top_limit} kg, "
        "where any part of a kilogram counts as a whole one"
    )
    if not p["incl"]:
        extra = (
            f"from {top_limit} kg: {top_price} plus {p['per_kg']} per kilogram or part of a kilogram counted from "
            f"{top_limit} kg on (exactly {top_limit} kg already pays one)"
        )
    rules = ["Weight tariff (`weight_kg` is a Decimal): " + "; ".join(lines) + "; " + extra + "."]
    rules.append(
        f"Zone surcharge: {', '.join(f'`{z}` +{s}' for z, s in p['zones'].items())}; an unknown zone raises ValueError"
        if not p["missing"]
        else f"Zone surcharge: {', '.join(f'`{z}` +{s}' for z, s in p['zones'].items())}; "
        "a missing (None) or unknown zone is charged like the most expensive zone"
    )
    rules.append(
        f"Shipping is free (0.00) when `order_total` is at least {p['free']}, but only for zone "
        f"`{next(iter(p['zones']))}`"
    )
    rules.append("A weight of 0 or less raises ValueError")
    rules.append("Return a Decimal with two decimal places")
    return rules


def _ship_ref(p: dict[str, Any]) -> str:
    b = p["brackets"]
    home = next(iter(p["zones"]))
    zones = "{" + ", ".join(f"{z!r}: Decimal({s!r})" for z, s in p["zones"].items()) + "}"
    cmp = "<=" if p["incl"] else "<"
    top_limit, top_price = b[-1]
    zone_arg = "zone: str | None" if p["missing"] else "zone: str"
    lines = [
        "import math",
        "from decimal import Decimal",
        "",
        f"_BRACKETS = [{', '.join(f'(Decimal({str(limit)!r}), Decimal({price!r}))' for limit, price in b)}]",
        f"_ZONES = {zones}",
        "",
        "",
        f"def {p['name']}(weight_kg: Decimal, {zone_arg}, order_total: Decimal) -> Decimal:",
        "    if weight_kg <= 0:",
        '        raise ValueError("weight must be positive")',
    ]
    if p["missing"]:
        lines += [
            "    surcharge = _ZONES.get(zone, max(_ZONES.values())) if zone is not None else max(_ZONES.values())"
        ]
    else:
        lines += [
            "    if zone not in _ZONES:",
            '        raise ValueError(f"unknown zone {zone!r}")',
            "    surcharge = _ZONES[zone]",
        ]
    lines += [
        f"    if zone == {home!r} and order_total >= Decimal({p['free']!r}):",
        '        return Decimal("0.00")',
        "    for limit, price in _BRACKETS:",
        f"        if weight_kg {cmp} limit:",
        "            base = price",
        "            break",
        "    else:",
    ]
    if p["incl"]:
        lines += [f"        started = math.ceil(weight_kg - Decimal({str(top_limit)!r}))"]
    else:
        lines += [f"        started = math.floor(weight_kg - Decimal({str(top_limit)!r})) + 1"]
    lines += [
        f"        base = Decimal({top_price!r}) + started * Decimal({p['per_kg']!r})",
        '    return (base + surcharge).quantize(Decimal("0.01"))',
    ]
    return "\n".join(lines) + "\n"


def shipping_cost(rng: random.Random, mode: str) -> FnTask:
    limits = sorted(rng.sample([1, 2, 3, 5, 10, 15, 20], 3))
    prices = sorted(rng.sample(["3.90", "4.99", "5.49", "6.90", "8.99", "9.50", "12.00", "14.90"], 3), key=Decimal)
    zones = dict(
        zip(
            pick(rng, (("domestic", "eu", "world"), ("mainland", "islands", "remote"), ("A", "B", "C", "D"))),
            ("0.00", "2.50", "7.00", "11.00"),
            strict=False,
        )
    )
    p: dict[str, Any] = {
        "brackets": list(zip(limits, prices, strict=True)),
        "incl": rng.random() < 0.6,
        "per_kg": pick(rng, ("0.80", "1.20", "1.50", "2.00")),
        "zones": zones,
        "free": pick(rng, ("49.00", "50.00", "75.00", "100.00")),
        "missing": mode == "missing_data",
        "name": pick(rng, ("shipping_cost", "shipping_price", "parcel_rate", "delivery_fee")),
    }
    if mode == "ambiguous":
        p["vague"], p["incl"] = True, True
    rules = _ship_rules(p)
    shown = _ship_ref(p)
    wrong = change = None
    if mode == "ambiguous":
        # "per kg above" read as whole kilograms (truncation) is the trap; the sentence and example settle it
        wrong = shown.replace("math.ceil(", "math.floor(")
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["free"] = str(Decimal(p["free"]) + pick(rng, (10, 25)))
            change = f"the free-shipping threshold is {p['free']} now (marketing changed it)"
        else:
            p["incl"] = not p["incl"]
            change = (
                "bracket limits are inclusive: a parcel of exactly a limit's weight is in the cheaper bracket"
                if p["incl"]
                else "bracket limits are exclusive: a parcel of exactly a limit's weight already pays the next bracket"
            )
    reference = _ship_ref(p)
    zl = list(zones)
    calls = []
    for _ in range(6):
        calls.append(
            Call((Decimal(rng.randint(1, 400)) / 10, pick(rng, zl), Decimal(rng.randint(100, 4000)) / 100), "tariff")
        )
    for limit, _price in p["brackets"]:
        calls += [
            Call((Decimal(limit), zl[1], Decimal("10.00")), "bracket_limits"),
            Call((Decimal(limit) + Decimal("0.01"), zl[1], Decimal("10.00")), "bracket_limits"),
        ]
    top = p["brackets"][-1][0]
    calls += [
        Call((Decimal(top) + Decimal("0.2"), zl[-1], Decimal("10.00")), "heavy"),
        Call((Decimal(top) + 2, zl[-1], Decimal("10.00")), "heavy"),
        Call((Decimal(top) + Decimal("2.5"), zl[0], Decimal("10.00")), "heavy"),
    ]
    calls += [
        Call((Decimal("1"), zl[0], Decimal(p["free"])), "free_shipping"),
        Call((Decimal("1"), zl[0], Decimal(p["free"]) - Decimal("0.01")), "free_shipping"),
        Call((Decimal("1"), zl[1], Decimal(p["free"]) + 100), "free_shipping"),
    ]
    calls += [
        Call((Decimal("0"), zl[0], Decimal("5")), "invalid"),
        Call((Decimal("-1"), zl[0], Decimal("5")), "invalid"),
        Call((Decimal("2"), "mars", Decimal("5")), "unknown_zone"),
    ]
    if p["missing"]:
        calls += [
            Call((Decimal("2"), None, Decimal("5")), "unknown_zone"),
            Call((Decimal("2"), None, Decimal("500")), "unknown_zone"),
        ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[8:], 2, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r}, {c.args[2]!r})")
    if mode == "ambiguous":
        pairs += example_pairs(
            fn,
            [Call((Decimal(top) + Decimal("1.3"), zl[1], Decimal("10.00")))],
            1,
            lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r}, {c.args[2]!r})",
        )
    zone_arg = "zone: str | None" if p["missing"] else "zone: str"
    bg = (
        "The carrier's new price list starts next month.",
        "Checkout shows this price before payment.",
        "The old tariff is hard-coded in the checkout template and has to go.",
    )
    return _finish(
        rng,
        "shipping_cost",
        p,
        pick(rng, ("shipping price calculation", "new parcel tariff")),
        bg,
        f"{p['name']}(weight_kg: Decimal, {zone_arg}, order_total: Decimal) -> Decimal",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        exact_decimals=True,
        extra_tags=("money",),
    )


# --------------------------------------------------------------------------------------------------
# overtime_pay


def _ot_rules(p: dict[str, Any]) -> list[str]:
    rules = [
        "`hours` lists the hours worked on each day of one week, Monday first (7 numbers, Decimals; "
        "another length raises ValueError, and so does a negative value)"
    ]
    if p["basis"] == "daily":
        rules.append(f"Hours beyond {p['daily']} on a single day are overtime")
    else:
        rules.append(f"Hours beyond {p['weekly']} in the week are overtime (the daily split does not matter)")
    if p["weekend"]:
        rules.append(
            f"All Saturday and Sunday hours are paid at {p['weekend']}x instead, and never count towards "
            "overtime or towards the weekly threshold"
        )
    rules.append(f"Regular hours are paid at `rate`, overtime at {p['ot']}x `rate`")
    rules.append("Round the total half-up to cents; return a Decimal with two decimal places")
    return rules


def _ot_ref(p: dict[str, Any]) -> str:
    lines = [
        "from decimal import ROUND_HALF_UP, Decimal",
        "",
        "",
        f"def {p['name']}(hours: list[Decimal], rate: Decimal) -> Decimal:",
        "    if len(hours) != 7 or any(h < 0 for h in hours):",
        '        raise ValueError("need 7 non-negative values")',
    ]
    if p["weekend"]:
        lines += ["    weekdays, weekend = hours[:5], hours[5:]"]
    else:
        lines += ["    weekdays, weekend = hours, []"]
    if p["basis"] == "daily":
        lines += [
            f"    overtime = sum((max(h - {p['daily']}, 0) for h in weekdays), Decimal(0))",
            "    regular = sum(weekdays, Decimal(0)) - overtime",
        ]
    else:
        lines += [
            "    worked = sum(weekdays, Decimal(0))",
            f"    overtime = max(worked - {p['weekly']}, 0)",
            "    regular = worked - overtime",
        ]
    lines += [f"    pay = regular * rate + overtime * rate * Decimal({p['ot']!r})"]
    if p["weekend"]:
        lines += [f"    pay += sum(weekend, Decimal(0)) * rate * Decimal({p['weekend']!r})"]
    lines += ['    return pay.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)']
    return "\n".join(lines) + "\n"


def overtime_pay(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "basis": pick(rng, ("daily", "weekly")),
        "daily": pick(rng, (8, 8, 9, 10)),
        "weekly": pick(rng, (38, 40, 45)),
        "ot": pick(rng, ("1.25", "1.5", "1.5", "2")),
        "weekend": pick(rng, (None, "1.5", "2")),
        "name": pick(rng, ("weekly_pay", "overtime_pay", "gross_pay_for_week", "timesheet_pay")),
    }
    rules = _ot_rules(p)
    shown = _ot_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["basis"] = "weekly" if p["basis"] == "daily" else "daily"
        change = (
            f"overtime is per week, not per day: hours beyond {p['weekly']} in the week"
            if p["basis"] == "weekly"
            else f"overtime is per day, not per week: hours beyond {p['daily']} on a single day"
        )
    reference = _ot_ref(p)

    def week(lo: int, hi: int) -> list[Decimal]:
        return [Decimal(rng.randint(lo, hi) * 25) / 100 for _ in range(7)]

    calls = [Call((week(0, 44), Decimal(rng.randint(1500, 6000)) / 100), "weeks") for _ in range(6)]
    calls += [
        Call(([Decimal(p["daily"])] * 5 + [Decimal(0)] * 2, Decimal("20.00")), "thresholds"),
        Call(([Decimal(p["daily"]) + Decimal("0.25")] + [Decimal(0)] * 6, Decimal("20.00")), "thresholds"),
        Call(([Decimal(10)] * 5 + [Decimal(4), Decimal(0)], Decimal("18.40")), "thresholds"),
        Call(([Decimal(0)] * 5 + [Decimal(12), Decimal(12)], Decimal("15.00")), "weekend"),
        Call(([Decimal(0)] * 7, Decimal("22.00")), "weeks"),
        Call(([Decimal("9.5")] * 5 + [Decimal(3), Decimal(0)], Decimal("17.333")), "rounding"),
    ]
    calls += [
        Call(([Decimal(8)] * 6, Decimal("20")), "invalid"),
        Call(([Decimal(8)] * 6 + [Decimal(-1)], Decimal("20")), "invalid"),
    ]
    days = [Decimal(q) / 4 for q in (1, 2, 3, 5, 6)]
    halves = (Call(([h] + [Decimal(0)] * 6, Decimal(c) / 100), "half_up") for c in range(1000, 5000) for h in days)
    # the request says half-up: test it where banker's rounding would differ (when no input can, the rule
    # changes no result)
    ties = separating(reference, p["name"], half_even(reference), halves, 2)
    calls += ties
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[6:8], 2, lambda c: f"{p['name']}({[str(h) for h in c.args[0]]}, {c.args[1]!r})")
    bg = (
        "Payroll exports timesheets weekly and this computes the gross amount before deductions.",
        "This implements the collective agreement for warehouse staff.",
        "HR wants the same numbers the payroll provider computes.",
    )
    return _finish(
        rng,
        "overtime_pay",
        p,
        pick(rng, ("weekly pay with overtime", "overtime rules for payroll")),
        bg,
        f"{p['name']}(hours: list[Decimal], rate: Decimal) -> Decimal",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        exact_decimals=True,
        extra_tags=("money",),
    )


# --------------------------------------------------------------------------------------------------
# rate_at: a sorted schedule looked up with a probe budget (the complexity requirement is tested)

_RATE_TESTS = '''\
class CountingList(list):
    """A list that counts how often it is indexed: the request limits the lookups."""

    def __init__(self, items):
        super().__init__(items)
        self.reads = 0

    def __getitem__(self, index):
        self.reads += 1 if isinstance(index, int) else len(range(*index.indices(len(self))))
        return super().__getitem__(index)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def test_lookups_stay_logarithmic():
    n = 200_000
    schedule = CountingList([(day * 3, day) for day in range(n)])
    for probe in (0, 1, 299_999, 599_997, 599_998, 12_345, 400_000):
        schedule.reads = 0
        {name}(schedule, probe)
        assert schedule.reads <= 2 * 18 + 4, f"{{schedule.reads}} reads of a {{n}}-entry schedule"
'''


def _rate_rules(p: dict[str, Any]) -> list[str]:
    return [
        "`schedule` is a list of `(effective_from, value)` tuples sorted by `effective_from` (ints: epoch days), with "
        "no duplicates; a value applies from its `effective_from` (inclusive) until the next entry's",
        "Return the value in force at `when`"
        + (
            "; before the first entry there is none: return None"
            if p["before"] == "none"
            else "; before the first entry raise ValueError"
        ),
        "An empty schedule behaves like `when` being before the first entry",
        "The schedule can have millions of entries and this runs in a hot loop: look up at most about 2·log2(n) + 4 "
        "entries per call (no scanning, no copying, no building of other lists)",
    ]


def _rate_ref(p: dict[str, Any]) -> str:
    missing = "return None" if p["before"] == "none" else 'raise ValueError("no value in force")'
    ret = "int | None" if p["before"] == "none" else "int"
    return (
        "\n".join(
            [
                f"def {p['name']}(schedule: list[tuple[int, int]], when: int) -> {ret}:",
                "    lo, hi = 0, len(schedule)",
                "    while lo < hi:",
                "        mid = (lo + hi) // 2",
                "        if schedule[mid][0] <= when:",
                "            lo = mid + 1",
                "        else:",
                "            hi = mid",
                "    if lo == 0:",
                f"        {missing}",
                "    return schedule[lo - 1][1]",
            ]
        )
        + "\n"
    )


def rate_at(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "before": pick(rng, ("none", "error")),
        "name": pick(rng, ("rate_at", "price_in_force", "tariff_for_day", "value_at", "vat_rate_on")),
    }
    rules = _rate_rules(p)
    reference = _rate_ref(p)
    sched = []
    day = rng.randint(18000, 19000)
    for _ in range(rng.randint(5, 9)):
        sched.append((day, rng.randint(1, 40)))
        day += rng.randint(1, 120)
    calls = [
        Call((sched, sched[0][0] - 1), "lookups"),
        Call((sched, sched[0][0]), "lookups"),
        Call((sched, sched[-1][0]), "lookups"),
        Call((sched, sched[-1][0] + 10_000), "lookups"),
        Call((sched, sched[2][0] - 1), "lookups"),
        Call((sched, sched[2][0] + 1), "lookups"),
        Call(([], 5), "empty"),
        Call(([(10, 7)], 10), "single"),
        Call(([(10, 7)], 9), "single"),
    ]
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls[1:3], 2, lambda c: f"{p['name']}(schedule, {c.args[1]})")
    extra = _RATE_TESTS.replace("{name}", p["name"]).replace("{{", "{").replace("}}", "}")
    ret = "int | None" if p["before"] == "none" else "int"
    bg = (
        "Price history, VAT rates and commission tiers all change on effective dates.",
        "The pricing engine calls this for every line of every order during the nightly re-rating.",
        f"Example schedule: {sched[:3]!r}.",
    )
    return _finish(
        rng,
        "rate_at",
        p,
        pick(rng, ("value in force on a date", "fast effective-dated lookup")),
        bg,
        f"{p['name']}(schedule: list[tuple[int, int]], when: int) -> {ret}",
        rules,
        pairs,
        reference,
        calls,
        mode,
        None,
        None,
        extra_tests=extra,
    )


# --------------------------------------------------------------------------------------------------
# refund_amount: a returns policy with windows, fees and exceptions


def _refund_rules(p: dict[str, Any]) -> list[str]:
    full, partial = p["full"], p["partial"]
    rules = [
        f"Returned within {full} days of delivery (day {full} included): full refund of `price`",
        f"Days {full + 1} to {partial}: refund `price` minus a {p['fee']}% restocking fee",
        f"After day {partial}: no refund (0.00)",
        f"Items in condition `damaged` never get a restocking fee; items in condition `used` always get it, even "
        f"within the first {full} days; `new` follows the windows above",
        "Sale items (`on_sale=True`) can only be refunded within the full-refund window; after it, 0.00",
        "`returned` before `delivered` or an unknown condition raises ValueError",
        "Round half-up to cents; return a Decimal with two decimal places",
    ]
    if p["missing"]:
        rules.insert(
            0,
            "`delivered` may be None when the carrier never confirmed delivery: then count from `shipped` plus 3 days",
        )
    return rules


def _refund_ref(p: dict[str, Any]) -> str:
    full, partial = p["full"], p["partial"]
    args = (
        "price: Decimal, shipped: date, delivered: date | None, returned: date, condition: str, on_sale: bool"
        if p["missing"]
        else "price: Decimal, delivered: date, returned: date, condition: str, on_sale: bool"
    )
    lines = [
        "from datetime import date, timedelta",
        "from decimal import ROUND_HALF_UP, Decimal",
        "",
        "",
        f"def {p['name']}({args}) -> Decimal:",
    ]
    if p["missing"]:
        lines += ["    if delivered is None:", "        delivered = shipped + timedelta(days=3)"]
    lines += [
        '    if returned < delivered or condition not in ("new", "used", "damaged"):',
        '        raise ValueError("bad return")',
        "    days = (returned - delivered).days",
        f"    if days > {partial} or (on_sale and days > {full}):",
        '        return Decimal("0.00")',
        f'    fee = condition == "used" or (condition == "new" and days > {full})',
        f"    amount = price * (1 - Decimal({p['fee']}) / 100) if fee else price",
        '    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)',
    ]
    return "\n".join(lines) + "\n"


def refund_amount(rng: random.Random, mode: str) -> FnTask:
    full = pick(rng, (14, 14, 30))
    p: dict[str, Any] = {
        "full": full,
        "partial": full + pick(rng, (16, 30, 45)),
        "fee": pick(rng, (10, 15, 20, 25)),
        "missing": mode == "missing_data",
        "name": pick(rng, ("refund_amount", "refund_for_return", "return_credit")),
    }
    rules = _refund_rules(p)
    shown = _refund_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["fee"] = p["fee"] + pick(rng, (-5, 5))
        change = f"the restocking fee is {p['fee']}%, not what the old policy page says"
    reference = _refund_ref(p)
    import datetime as dt

    d0 = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
    calls = []
    for days in (0, full, full + 1, p["partial"], p["partial"] + 1):
        for cond, sale in (("new", False), ("used", False), ("damaged", False), ("new", True)):
            args: tuple[Any, ...] = (
                Decimal(rng.randint(100, 99999)) / 100,
                d0,
                d0 + dt.timedelta(days=days),
                cond,
                sale,
            )
            if p["missing"]:
                args = (args[0], d0 - dt.timedelta(days=2), *args[1:])
            calls.append(Call(args, "windows"))
    bad = [(Decimal("10.00"), d0, d0 - dt.timedelta(days=1), "new", False), (Decimal("10.00"), d0, d0, "broken", False)]
    calls += [Call((a[0], d0, *a[1:]) if p["missing"] else a, "invalid") for a in bad]
    calls += [
        Call(
            (
                (Decimal("19.99"), d0, d0, "used", False)
                if not p["missing"]
                else (Decimal("19.99"), d0, d0, d0, "used", False)
            ),
            "rounding",
        )
    ]
    front = (d0,) if p["missing"] else ()
    halves = (Call((Decimal(c) / 100, *front, d0, d0, "used", False), "half_up") for c in range(1, 5000))
    # the request says half-up: test it where banker's rounding would differ (when no input can, the rule
    # changes no result)
    ties = separating(reference, p["name"], half_even(reference), halves, 2)
    calls += ties
    if p["missing"]:
        calls += [
            Call((Decimal("50.00"), d0, None, d0 + dt.timedelta(days=3 + full), "new", False), "unconfirmed"),
            Call((Decimal("50.00"), d0, None, d0 + dt.timedelta(days=4 + full), "new", False), "unconfirmed"),
            Call((Decimal("50.00"), d0, None, d0 + dt.timedelta(days=1), "new", False), "unconfirmed"),
        ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[4:8], 2, lambda c: f"{p['name']}{c.args!r}")
    args_sig = (
        "price: Decimal, shipped: date, delivered: date | None, returned: date, condition: str, on_sale: bool"
        if p["missing"]
        else "price: Decimal, delivered: date, returned: date, condition: str, on_sale: bool"
    )
    bg = (
        "Customer service applies the returns policy by hand and customers get different answers.",
        "The returns portal should show the refund before the customer ships the parcel.",
        "Policy as approved by legal last week.",
    )
    return _finish(
        rng,
        "refund_amount",
        p,
        pick(rng, ("refund amount for a return", "returns policy in code")),
        bg,
        f"{p['name']}({args_sig}) -> Decimal",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        exact_decimals=True,
        extra_tags=("money",),
    )


FAMILIES = [
    Family(
        "shipping_cost", "business_rules", shipping_cost, ("ambiguous", "missing_data", "long_context_contradiction")
    ),
    Family("overtime_pay", "business_rules", overtime_pay, ("long_context_contradiction",)),
    Family("rate_at", "business_rules", rate_at, ()),
    Family("refund_amount", "business_rules", refund_amount, ("missing_data", "long_context_contradiction")),
]
