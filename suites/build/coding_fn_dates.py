"""Function families: calendar work (business days, payment terms, month arithmetic, SLA clocks, fiscal
periods, dates typed by people). The inputs lean on the places calendars bite: month ends, leap days,
weekends next to holidays, year boundaries, and formats where 03/04 means two different days."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, pick, run_reference
from coding_twists import revision
from coding_voice import examples_block, frame, signature_line

D = dt.date
WEEKDAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _rand_date(rng: random.Random, y0: int = 2023, y1: int = 2026) -> dt.date:
    return D(rng.randint(y0, y1), 1, 1) + dt.timedelta(days=rng.randint(0, 364))


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
    text = frame(rng, title, rng.sample(bg, 2), body)
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        family, "dates", p["name"], text, reference, calls, wrong=wrong, kind=None if mode == "golden" else mode, **kw
    )


# --------------------------------------------------------------------------------------------------
# add_business_days


def _bd_rules(p: dict[str, Any]) -> list[str]:
    wk = " and ".join(WEEKDAY[i] for i in p["weekend"])
    rules = [f"Business days are all days except {wk} and the dates in `holidays`"]
    if p["missing"]:
        rules.append("`holidays` may be None, meaning no holidays")
    rules.append("Move `days` business days forward from `start`; `start` itself never counts")
    rules.append("Negative `days` move backwards the same way" if p["negative"] else "Negative `days` raise ValueError")
    rules.append(
        "`days == 0` returns `start` unchanged, even if it is not a business day"
        if p["zero"] == "same"
        else "`days == 0` returns `start` if it is a business day, otherwise the next business day"
    )
    rules.append("Return a date")
    return rules


def _bd_ref(p: dict[str, Any]) -> str:
    hol = "holidays: set[date] | None" if p["missing"] else "holidays: set[date]"
    lines = [
        "from datetime import date, timedelta",
        "",
        f"WEEKEND = {set(p['weekend'])!r}",
        "",
        "",
        f"def {p['name']}(start: date, days: int, {hol}) -> date:",
        "    closed = set(holidays or ())" if p["missing"] else "    closed = set(holidays)",
        "",
        "    def open_on(d: date) -> bool:",
        "        return d.weekday() not in WEEKEND and d not in closed",
        "",
    ]
    if not p["negative"]:
        lines += ["    if days < 0:", '        raise ValueError("days must not be negative")']
    if p["zero"] == "same":
        lines += ["    if days == 0:", "        return start"]
    else:
        lines += [
            "    if days == 0:",
            "        current = start",
            "        while not open_on(current):",
            "            current += timedelta(days=1)",
            "        return current",
        ]
    lines += [
        "    step = timedelta(days=1 if days > 0 else -1)",
        "    current, remaining = start, abs(days)",
        "    while remaining:",
        "        current += step",
        "        if open_on(current):",
        "            remaining -= 1",
        "    return current",
    ]
    return "\n".join(lines) + "\n"


def _bd_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    year = rng.randint(2024, 2026)
    hol = {
        D(year, 1, 1),
        D(year, 5, 1),
        D(year, 12, 25),
        D(year, 12, 26),
        D(year + 1, 1, 1),
        D(year, rng.randint(2, 11), rng.randint(1, 28)),
    }
    calls = []
    for _ in range(6):
        start = D(year, rng.randint(1, 12), rng.randint(1, 28))
        calls.append(Call((start, rng.randint(1, 25), hol), "forward"))
    calls += [
        Call((D(year, 12, 23), 2, hol), "holidays"),
        Call((D(year, 12, 24), 1, hol), "holidays"),
        Call((D(year, 4, 30), 1, hol), "holidays"),
        Call((D(year, 12, 31), 1, hol), "holidays"),
    ]
    sat = D(year, 6, 1) + dt.timedelta(days=(5 - D(year, 6, 1).weekday()) % 7)
    calls += [
        Call((sat, 1, hol), "weekends"),
        Call((sat + dt.timedelta(days=1), 1, hol), "weekends"),
        Call((sat - dt.timedelta(days=1), 1, hol), "weekends"),
        Call((sat, 5, set()), "weekends"),
    ]
    calls += [
        Call((sat, 0, hol), "zero_days"),
        Call((D(year, 3, 12), 0, hol), "zero_days"),
        Call((D(year, 12, 25), 0, hol), "zero_days"),
    ]
    calls += [
        Call((D(year, 1, 2), -1, hol), "backwards"),
        Call((D(year, 8, 14), -7, hol), "backwards"),
        Call((D(year, 12, 27), -2, hol), "backwards"),
    ]
    if p["missing"]:
        calls += [Call((D(year, 12, 24), 3, None), "no_holidays"), Call((sat, 2, None), "no_holidays")]
    return calls


def add_business_days(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "weekend": pick(rng, ((5, 6), (5, 6), (4, 5))),
        "negative": rng.random() < 0.5,
        "zero": pick(rng, ("same", "roll")),
        "missing": mode == "missing_data",
        "name": pick(rng, ("add_business_days", "add_working_days", "shift_business_days", "business_day_after")),
    }
    rules = _bd_rules(p)
    shown = _bd_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["weekend"] = (4, 5) if p["weekend"] == (5, 6) else (5, 6)
            change = (
                "this runs for the Dubai office: the weekend is Friday and Saturday, not Saturday and Sunday"
                if p["weekend"] == (4, 5)
                else "the weekend is Saturday and Sunday after all (the Dubai "
                "office switched to the international weekend)"
            )
        else:
            p["zero"] = "roll" if p["zero"] == "same" else "same"
            change = (
                "with `days == 0`, roll forward to the next business day when `start` is not one"
                if p["zero"] == "roll"
                else "`days == 0` must return `start` unchanged, business day or not"
            )
    reference = _bd_ref(p)
    calls = _bd_inputs(rng, p)
    fn = run_reference(shown, p["name"])

    def show(c: Call) -> str:
        near = [h.isoformat() for h in sorted(c.args[2] or ()) if abs((h - c.args[0]).days) <= 10]
        note = f" (a {c.args[0]:%A}; holidays nearby: {', '.join(near) or 'none'})"
        return f"{p['name']}({c.args[0]!r}, {c.args[1]}, holidays){note}"

    pairs = example_pairs(fn, calls[6:], 2, show)
    hol = "holidays: set[date] | None" if p["missing"] else "holidays: set[date]"
    bg = (
        "Delivery promises on the website are counted in business days.",
        "Refunds must be issued within a number of business days of the return arriving.",
        "The SLA for supplier claims is counted in working days, and legal cares about it.",
        "The holiday list comes from the HR calendar service, per country.",
    )
    return _finish(
        rng,
        "add_business_days",
        p,
        pick(rng, ("business-day arithmetic", "add working days to a date")),
        bg,
        f"{p['name']}(start: date, days: int, {hol}) -> date",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        short=True,
    )


# --------------------------------------------------------------------------------------------------
# due_date from payment terms

_TERMS = ("net", "eom", "eom_plus", "receipt", "mfi")


def _terms_rules(p: dict[str, Any]) -> list[str]:
    s = p["spaces"]
    desc = {
        "net": "`NET n` (n days after the invoice date, e.g. `NET 30`" + (", also written `NET30`" if s else "") + ")",
        "eom": "`EOM` (the last day of the invoice's month)",
        "eom_plus": "`EOM+n` (n days after the last day of the invoice's month, e.g. `EOM+15`)",
        "receipt": "`DUE ON RECEIPT` (the invoice date itself)",
        "mfi": "`n MFI` (the n-th day of the month following the invoice, n from 1 to 28)",
    }
    rules = ["Supported terms: " + "; ".join(desc[t] for t in p["terms"])]
    rules.append(
        "Terms are case-insensitive and extra spaces anywhere are ignored"
        if p["loose"]
        else "Terms must be written exactly like that (uppercase, single spaces)"
    )
    if p["missing"]:
        rules.append("Empty or None terms mean the default, `NET 30`")
    rules.append("Anything else raises ValueError")
    rules.append(
        {
            "next": "A due date on a Saturday or Sunday moves to the following Monday",
            "prev": "A due date on a Saturday or Sunday moves back to the Friday before",
            "keep": "Weekends don't matter: return the computed date as is",
        }[p["weekend"]]
    )
    return rules


def _terms_ref(p: dict[str, Any]) -> str:
    sp = " ?" if p["spaces"] else " "
    pats = {
        "net": f"NET{sp}(\\d+)",
        "eom": "EOM",
        "eom_plus": "EOM\\+(\\d+)",
        "receipt": "DUE ON RECEIPT",
        "mfi": "(\\d+) MFI",
    }
    lines = [
        "import calendar",
        "import re",
        "from datetime import date, timedelta",
        "",
        "",
        "def _month_end(d: date) -> date:",
        "    return d.replace(day=calendar.monthrange(d.year, d.month)[1])",
        "",
        "",
        f"def {p['name']}(invoice_date: date, terms: {'str | None' if p['missing'] else 'str'}) -> date:",
    ]
    if p["missing"]:
        lines += ["    if terms is None or not terms.strip():", '        terms = "NET 30"']
    if p["loose"]:
        lines += ['    text = " ".join(terms.upper().split())', '    text = re.sub(r" ?\\+ ?", "+", text)']
    else:
        lines += ["    text = terms"]
    lines += ["    due = None"]
    for t in p["terms"]:
        pat = pats[t]
        lines += [f'    m = re.fullmatch(r"{pat}", text)', "    if m and due is None:"]
        if t == "net":
            lines += ["        due = invoice_date + timedelta(days=int(m.group(1)))"]
        elif t == "eom":
            lines += ["        due = _month_end(invoice_date)"]
        elif t == "eom_plus":
            lines += ["        due = _month_end(invoice_date) + timedelta(days=int(m.group(1)))"]
        elif t == "receipt":
            lines += ["        due = invoice_date"]
        else:
            lines += [
                "        day = int(m.group(1))",
                "        if not 1 <= day <= 28:",
                '            raise ValueError("day out of range")',
                "        due = (_month_end(invoice_date) + timedelta(days=1)).replace(day=day)",
            ]
    lines += ["    if due is None:", '        raise ValueError(f"unknown terms: {terms!r}")']
    if p["weekend"] == "next":
        lines += ["    if due.weekday() >= 5:", "        due += timedelta(days=7 - due.weekday())"]
    elif p["weekend"] == "prev":
        lines += ["    if due.weekday() >= 5:", "        due -= timedelta(days=due.weekday() - 4)"]
    lines += ["    return due"]
    return "\n".join(lines) + "\n"


def _terms_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    examples = {
        "net": ["NET 30", "NET 14", "NET 60", "NET 0"],
        "eom": ["EOM"],
        "eom_plus": ["EOM+15", "EOM+30"],
        "receipt": ["DUE ON RECEIPT"],
        "mfi": ["10 MFI", "1 MFI", "28 MFI"],
    }
    calls = []
    for t in p["terms"]:
        for term in examples[t]:
            calls.append(Call((_rand_date(rng), term), "terms"))
    for d in (D(2024, 1, 31), D(2024, 2, 29), D(2025, 2, 10), D(2025, 12, 20), D(2026, 11, 30)):
        for t in p["terms"][:2]:
            calls.append(Call((d, examples[t][0]), "month_ends"))
    sat = D(2025, 3, 1)
    calls += [
        Call((sat - dt.timedelta(days=30), "NET 30"), "weekends"),
        Call((D(2025, 5, 31), "DUE ON RECEIPT"), "weekends"),
        Call((D(2025, 8, 1), "EOM"), "weekends"),
    ]
    calls += [
        Call((D(2025, 4, 3), "net 30"), "spelling"),
        Call((D(2025, 4, 3), "  NET   45 "), "spelling"),
        Call((D(2025, 4, 3), "eom + 10"), "spelling"),
        Call((D(2025, 4, 3), "NET30"), "spelling"),
    ]
    calls += [
        Call((D(2025, 4, 3), "NET"), "invalid"),
        Call((D(2025, 4, 3), "NET -5"), "invalid"),
        Call((D(2025, 4, 3), "2/10 NET 30"), "invalid"),
        Call((D(2025, 4, 3), "CASH"), "invalid"),
        Call((D(2025, 4, 3), "31 MFI"), "invalid"),
    ]
    calls += [Call((D(2025, 4, 3), ""), "blank"), Call((D(2025, 4, 3), "   "), "blank")]
    if p["missing"]:
        calls += [Call((D(2025, 4, 3), None), "blank")]
    return calls


def due_date(rng: random.Random, mode: str) -> FnTask:
    terms = ["net", *rng.sample(_TERMS[1:], rng.randint(2, 3))]
    terms.sort(key=_TERMS.index)
    p: dict[str, Any] = {
        "terms": terms,
        "spaces": rng.random() < 0.5,
        "loose": mode == "edge_format" or rng.random() < 0.4,
        "missing": mode == "missing_data",
        "weekend": pick(rng, ("next", "prev", "keep")),
        "name": pick(rng, ("due_date", "compute_due_date", "payment_due", "due_from_terms")),
    }
    rules = _terms_rules(p)
    shown = _terms_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["weekend"] = pick(rng, [w for w in ("next", "prev", "keep") if w != p["weekend"]])
        change = {
            "next": "a due date on a weekend moves to the following Monday",
            "prev": "a due date on a weekend moves back to the Friday before (the bank pulls on Fridays)",
            "keep": "don't move weekend due dates at all; the payment provider handles that",
        }[p["weekend"]]
    reference = _terms_ref(p)
    calls = _terms_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r})")
    sig = f"{p['name']}(invoice_date: date, terms: {'str | None' if p['missing'] else 'str'}) -> date"
    bg = (
        "Every customer has payment terms on their account and the invoice needs the due date printed.",
        "The dunning run compares today's date with this.",
        "Terms are typed into the CRM by sales people, so spelling varies.",
        "We bill in several countries but the terms vocabulary is the same.",
    )
    return _finish(
        rng,
        "due_date",
        p,
        pick(rng, ("due date from payment terms", "payment terms -> due date")),
        bg,
        sig,
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        extra_tags=("parsing",),
    )


# --------------------------------------------------------------------------------------------------
# renewal_dates


def _renew_rules(p: dict[str, Any]) -> list[str]:
    every = {1: "every month", 3: "every quarter (3 months)", 12: "every year"}[p["months"]]
    rules = [
        f"A subscription started on `start` renews {every}; return the first `count` renewal dates, in order"
        + (
            " (the start date itself is not a renewal)"
            if not p["include"]
            else ", the start date counting as the first"
        )
    ]
    if p.get("vague"):
        rules.append(
            "Renewals stay on the subscription's day of the month; in a shorter month they fall on its last day"
        )
    elif p["anchor"]:
        rules.append(
            "Every renewal is computed from `start` (start + k periods), not from the previous renewal: a "
            "subscription started on the 31st renews on the 31st whenever the month has one"
        )
        rules.append(
            "If the target month is too short, use its last day (Jan 31 + 1 month = Feb 28, or 29 in leap years)"
        )
    else:
        rules.append(
            "Each renewal is one period after the previous renewal (so a day lost to a short month stays lost)"
        )
        rules.append(
            "If the target month is too short, use its last day (Jan 31 + 1 month = Feb 28, or 29 in leap years)"
        )
    rules.append("`count` 0 returns []; a negative count raises ValueError")
    return rules


def _renew_ref(p: dict[str, Any]) -> str:
    first = 0 if p["include"] else 1
    lines = [
        "import calendar",
        "from datetime import date",
        "",
        "",
        "def _add_months(d: date, months: int) -> date:",
        "    index = d.year * 12 + d.month - 1 + months",
        "    year, month = divmod(index, 12)",
        "    last = calendar.monthrange(year, month + 1)[1]",
        "    return date(year, month + 1, min(d.day, last))",
        "",
        "",
        f"def {p['name']}(start: date, count: int) -> list[date]:",
        "    if count < 0:",
        '        raise ValueError("count must not be negative")',
    ]
    if p["anchor"]:
        lines += [f"    return [_add_months(start, {p['months']} * k) for k in range({first}, {first} + count)]"]
    else:
        lines += ["    result: list[date] = []", "    current = start"]
        if p["include"]:
            lines += ["    if count:", "        result.append(start)"]
        lines += [
            "    while len(result) < count:",
            f"        current = _add_months(current, {p['months']})",
            "        result.append(current)",
            "    return result",
        ]
    return "\n".join(lines) + "\n"


def renewal_dates(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "months": pick(rng, (1, 1, 3, 12)),
        "anchor": rng.random() < 0.6,
        "include": rng.random() < 0.3,
        "name": pick(rng, ("renewal_dates", "billing_dates", "next_renewals", "charge_dates")),
    }
    if mode == "ambiguous":
        p["anchor"], p["vague"], p["months"] = True, True, 1
    rules = _renew_rules(p)
    shown = _renew_ref(p)
    wrong = change = None
    if mode == "ambiguous":
        wrong = _renew_ref({**p, "anchor": False})
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["anchor"] = not p["anchor"]
            change = (
                "compute every renewal from the start date (start + k periods) so a 31st subscription gets its 31st "
                "back"
                if p["anchor"]
                else "compute each renewal from the previous one, not from the start date"
            )
        else:
            p["include"] = not p["include"]
            change = (
                "the start date counts as the first date in the list"
                if p["include"]
                else "the start date is not a renewal; leave it out"
            )
    reference = _renew_ref(p)
    starts = [
        D(2024, 1, 31),
        D(2025, 1, 30),
        D(2023, 8, 31),
        D(2024, 2, 29),
        D(2025, 3, 31),
        D(2025, 10, 31),
        _rand_date(rng),
        _rand_date(rng),
    ]
    calls = [Call((s, n), "renewals") for s, n in zip(starts, (5, 4, 7, 3, 6, 5, 4, 3), strict=True)]
    calls += [
        Call((D(2024, 5, 15), 0), "edge_counts"),
        Call((D(2024, 5, 15), 1), "edge_counts"),
        Call((D(2024, 5, 15), -1), "edge_counts"),
    ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[:1], 1, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]})")
    bg = (
        "Billing needs the next charge dates to show them in the customer portal.",
        "Customers who sign up at the end of a month complain their renewal date drifts.",
        "The annual plans use the same code path.",
    )
    return _finish(
        rng,
        "renewal_dates",
        p,
        pick(rng, ("subscription renewal dates", "next billing dates")),
        bg,
        f"{p['name']}(start: date, count: int) -> list[date]",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        short=True,
    )


FAMILIES = [
    Family("add_business_days", "dates", add_business_days, ("missing_data", "long_context_contradiction")),
    Family("due_date", "dates", due_date, ("edge_format", "missing_data", "long_context_contradiction")),
    Family("renewal_dates", "dates", renewal_dates, ("ambiguous", "long_context_contradiction")),
]
