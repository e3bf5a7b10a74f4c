"""Function families: small data transformations (grouping and totals, de-duplicating contacts, filling gaps
in a daily series, flattening nested records, reading CSV exports into typed rows). The records carry
the usual mess: missing keys, None, mixed case, whitespace, duplicates, and inputs the caller reuses
(the no-mutation rule is tested by comparing the input before and after)."""

from __future__ import annotations

import copy
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, pick, run_reference
from coding_twists import revision
from coding_voice import PEOPLE, SURNAMES, examples_block, frame, signature_line

_NO_MUTATION = '''\
def test_input_is_not_modified():
    """The caller reuses its records afterwards."""
    import copy
    for args in {calls}:
        before = copy.deepcopy(args)
        try:
            {name}(*args)
        except (ValueError, KeyError, TypeError):
            pass
        assert args == before
'''


def _no_mutation(name: str, calls: list[Call], k: int = 4) -> str:
    from coding_kit import py

    chosen = [c.args for c in calls[:k]]
    return _NO_MUTATION.replace("{calls}", py(chosen)).replace("{name}", name)


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
        "data_transform",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
        **kw,
    )


# --------------------------------------------------------------------------------------------------
# group_totals

_CUSTOMERS = ("acme", "Globex", "initech", "Umbrella", "hooli", "Stark", "wayne", "Tyrell", "Soylent", "Vandelay")


def _gt_rules(p: dict[str, Any]) -> list[str]:
    k, v = p["key"], p["value"]
    rules = [f"Each record is a dict with at least `{k}` and `{v}` (a Decimal) and a `status`"]
    rules.append(f"Only records whose status is one of {', '.join(repr(s) for s in p['statuses'])} count")
    rules.append(
        f"`{k}` values are compared ignoring case and surrounding spaces; report each group under its "
        "lowercased, stripped name"
        if p["fold"]
        else f"`{k}` values are used exactly as written"
    )
    if p["missing"]:
        rules.append(
            f"A record whose `{v}` is missing or None still counts for `count` but adds nothing to `total`; "
            f"a record without `{k}` (or with None) goes to the group `'(none)'`"
        )
    rules.append(f"For each group report `(name, count, total)`: the number of counted records and the sum of `{v}`")
    rules.append(
        {
            "total": "Order the groups by total, largest first; ties by name ascending",
            "name": "Order the groups by name ascending",
            "count": "Order by count, largest first; ties by total, largest first, then name ascending",
        }[p["order"]]
    )
    if p["top"]:
        rules.append(f"Return only the first {p['top']} groups of that order")
    rules.append("Return a list of tuples; the input list and its dicts must not be modified")
    return rules


def _gt_ref(p: dict[str, Any]) -> str:
    k, v = p["key"], p["value"]
    name = f'(rec.get({k!r}) or "(none)")' if p["missing"] else f"rec[{k!r}]"
    norm = f"str({name}).strip().lower()" if p["fold"] else name
    amount = f"rec.get({v!r}) or Decimal(0)" if p["missing"] else f"rec[{v!r}]"
    sort = {
        "total": "key=lambda g: (-g[2], g[0])",
        "name": "key=lambda g: g[0]",
        "count": "key=lambda g: (-g[1], -g[2], g[0])",
    }[p["order"]]
    cut = f"[:{p['top']}]" if p["top"] else ""
    return (
        "\n".join(
            [
                "from decimal import Decimal",
                "",
                "",
                f"def {p['name']}(records: list[dict]) -> list[tuple[str, int, Decimal]]:",
                "    groups: dict[str, list] = {}",
                "    for rec in records:",
                f'        if rec.get("status") not in {tuple(p["statuses"])!r}:',
                "            continue",
                f"        group = groups.setdefault({norm}, [0, Decimal(0)])",
                "        group[0] += 1",
                f"        group[1] += {amount}",
                "    rows = [(name, count, total) for name, (count, total) in groups.items()]",
                f"    return sorted(rows, {sort}){cut}",
            ]
        )
        + "\n"
    )


def _gt_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    k, v = p["key"], p["value"]
    statuses = [*p["statuses"], "cancelled", "draft", "refunded"]

    def record() -> dict[str, Any]:
        name = pick(rng, _CUSTOMERS)
        if p["fold"] and rng.random() < 0.4:
            name = pick(rng, (name.upper(), f" {name} ", name.title()))
        rec: dict[str, Any] = {k: name, v: Decimal(rng.randint(0, 99999)) / 100, "status": pick(rng, statuses)}
        if p["missing"] and rng.random() < 0.2:
            rec.pop(pick(rng, (k, v)))
        return rec

    calls = [Call(([record() for _ in range(rng.randint(4, 14))],), "groups") for _ in range(5)]
    calls.append(Call(([],), "groups"))
    st = p["statuses"][0]
    ties = [
        {k: "b", v: Decimal("10.00"), "status": st},
        {k: "a", v: Decimal("4.00"), "status": st},
        {k: "a", v: Decimal("6.00"), "status": st},
        {k: "c", v: Decimal("10.00"), "status": st},
        {k: "d", v: Decimal("1.00"), "status": "cancelled"},
    ]
    calls.append(Call((ties,), "ordering"))
    calls.append(
        Call(
            (
                [
                    {k: " Acme", v: Decimal("1"), "status": st},
                    {k: "ACME ", v: Decimal("2"), "status": st},
                    {k: "acme", v: Decimal("3"), "status": st},
                ],
            ),
            "names",
        )
    )
    if p["missing"]:
        calls.append(
            Call(
                (
                    [
                        {k: "x", "status": st},
                        {k: None, v: Decimal("2"), "status": st},
                        {v: Decimal("3"), "status": st},
                        {k: "x", v: None, "status": st},
                    ],
                ),
                "missing_fields",
            )
        )
    return calls


def group_totals(rng: random.Random, mode: str) -> FnTask:
    key, value = pick(rng, (("customer", "amount"), ("account", "total"), ("merchant", "gross"), ("team", "cost")))
    p: dict[str, Any] = {
        "key": key,
        "value": value,
        "statuses": rng.sample(["paid", "shipped", "settled", "completed", "open"], 2),
        "fold": rng.random() < 0.6,
        "missing": mode == "missing_data",
        "order": pick(rng, ("total", "name", "count")),
        "top": pick(rng, (None, None, 3, 5)),
        "name": pick(rng, ("group_totals", "totals_by_customer", "summarize", "revenue_by_group")),
    }
    rules = _gt_rules(p)
    shown = _gt_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["order"] = pick(rng, [o for o in ("total", "name", "count") if o != p["order"]])
        change = {
            "total": "order the groups by total, largest first, ties by name",
            "name": "order the groups alphabetically by name instead",
            "count": "order by count (largest first), ties by total (largest first) then name",
        }[p["order"]]
    reference = _gt_ref(p)
    calls = _gt_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[6:7], 1, lambda c: f"{p['name']}({c.args[0]!r})")
    bg = (
        "The finance dashboard shows this table at the top.",
        "This feeds the monthly account review.",
        "Upstream data comes from three shops with their own ideas about capitalisation.",
    )
    return _finish(
        rng,
        "group_totals",
        p,
        pick(rng, ("totals per group for the dashboard", "group and sum records")),
        bg,
        f"{p['name']}(records: list[dict]) -> list[tuple[str, int, Decimal]]",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        extra_tests=_no_mutation(p["name"], calls),
    )


# --------------------------------------------------------------------------------------------------
# dedupe_contacts


def _dd_rules(p: dict[str, Any]) -> list[str]:
    rules = ["Each contact is a dict with `email`, `name` and `updated` (a datetime.date)"]
    rules.append(
        "Two contacts are the same person when their emails match after stripping spaces and lowercasing"
        + (
            "; for gmail.com and googlemail.com addresses dots in the local part and anything from a `+` on "
            "are ignored as well, and both domains are the same"
            if p["gmail"]
            else ""
        )
    )
    if p["missing"]:
        rules.append(
            "Contacts with a missing, None or blank email are never merged with anything and are kept as they are"
        )
    rules.append(
        {
            "first": "Of each group keep the contact that appears first in the list",
            "latest": "Of each group keep the contact with the latest `updated` (ties: the earlier one in the list)",
        }[p["keep"]]
    )
    if p["merge"]:
        rules.append('Fill the kept contact\'s empty fields (None or "") from the others in the group, in list order')
    rules.append("Return new dicts, in the order of each group's first appearance; don't modify the input")
    return rules


def _dd_ref(p: dict[str, Any]) -> str:
    lines = ["def _key(email: str) -> str:", '    local, _, domain = email.strip().lower().partition("@")']
    if p["gmail"]:
        lines += [
            '    if domain in ("gmail.com", "googlemail.com"):',
            '        local = local.split("+", 1)[0].replace(".", "")',
            '        domain = "gmail.com"',
        ]
    lines += ['    return local + "@" + domain', "", ""]
    lines += [
        f"def {p['name']}(contacts: list[dict]) -> list[dict]:",
        "    groups: dict[object, list[dict]] = {}",
        "    for i, contact in enumerate(contacts):",
    ]
    if p["missing"]:
        lines += [
            '        email = contact.get("email")',
            '        key = ("solo", i) if not email or not email.strip() else _key(email)',
        ]
    else:
        lines += ['        key = _key(contact["email"])']
    lines += [
        "        groups.setdefault(key, []).append(contact)",
        "    result = []",
        "    for members in groups.values():",
    ]
    if p["keep"] == "first":
        lines += ["        kept = dict(members[0])"]
    else:
        lines += [
            '        best = max(range(len(members)), key=lambda i: (members[i]["updated"], -i))',
            "        kept = dict(members[best])",
        ]
    if p["merge"]:
        lines += [
            "        for other in members:",
            "            for field, value in other.items():",
            '                if kept.get(field) in (None, "") and value not in (None, ""):',
            "                    kept[field] = value",
        ]
    lines += ["        result.append(kept)", "    return result"]
    return "\n".join(lines) + "\n"


def _dd_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    def contact(first: str, last: str, variant: int) -> dict[str, Any]:
        local = f"{first}.{last}".lower().replace(" ", "")
        domain = pick(rng, ("gmail.com", "example.com", "acme.io", "mail.de"))
        email = f"{local}@{domain}"
        if variant == 1:
            email = f"  {email.upper()} "
        if variant == 2 and domain == "gmail.com":
            email = f"{local.replace('.', '')}+news@googlemail.com"
        return {
            "email": email,
            "name": pick(rng, (f"{first} {last}", "", None)),
            "updated": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
        }

    calls = []
    for _ in range(5):
        people = [(pick(rng, PEOPLE), pick(rng, SURNAMES)) for _ in range(rng.randint(2, 4))]
        rows = [contact(*pick(rng, people), rng.randint(0, 2)) for _ in range(rng.randint(3, 8))]
        calls.append(Call((rows,), "duplicates"))
    calls.append(Call(([],), "duplicates"))
    d = dt.date
    calls.append(
        Call(
            (
                [
                    {"email": "A.B@gmail.com", "name": "", "updated": d(2025, 1, 2)},
                    {"email": "ab+x@googlemail.com", "name": "Ann B", "updated": d(2025, 3, 1)},
                    {"email": " a.b@GMAIL.com", "name": None, "updated": d(2025, 3, 1)},
                ],
            ),
            "gmail_rules",
        )
    )
    calls.append(
        Call(
            (
                [
                    {"email": "x@ex.com", "name": "X", "updated": d(2025, 5, 1)},
                    {"email": "X@EX.COM", "name": "", "updated": d(2025, 5, 1)},
                    {"email": "y@ex.com", "name": "Y", "updated": d(2024, 5, 1)},
                ],
            ),
            "ties",
        )
    )
    if p["missing"]:
        calls.append(
            Call(
                (
                    [
                        {"email": None, "name": "A", "updated": d(2025, 1, 1)},
                        {"email": "  ", "name": "B", "updated": d(2025, 1, 1)},
                        {"name": "C", "updated": d(2025, 1, 1)},
                        {"email": "c@x.org", "name": "", "updated": d(2025, 1, 1)},
                    ],
                ),
                "missing_email",
            )
        )
    return calls


def dedupe_contacts(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "gmail": rng.random() < 0.5,
        "keep": pick(rng, ("first", "latest")),
        "merge": rng.random() < 0.5,
        "missing": mode == "missing_data",
        "name": pick(rng, ("dedupe_contacts", "merge_duplicates", "unique_contacts")),
    }
    rules = _dd_rules(p)
    shown = _dd_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["keep"] = "latest" if p["keep"] == "first" else "first"
        change = (
            "keep the most recently updated contact of each group (ties: the earlier one), not the first"
            if p["keep"] == "latest"
            else "keep the first contact of each group, whatever its date"
        )
    reference = _dd_ref(p)
    calls = _dd_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[7:8], 1, lambda c: f"{p['name']}({c.args[0]!r})")
    bg = (
        "The newsletter tool charges per contact and we pay for the same people twice.",
        "CRM imports from the trade fair created a lot of duplicates.",
        "Support wants one row per customer in the export.",
    )
    return _finish(
        rng,
        "dedupe_contacts",
        p,
        pick(rng, ("de-duplicate contacts", "merge duplicate CRM contacts")),
        bg,
        f"{p['name']}(contacts: list[dict]) -> list[dict]",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        ordered_dicts=False,
        extra_tests=_no_mutation(p["name"], calls),
    )


# --------------------------------------------------------------------------------------------------
# fill_gaps: a daily series with missing days


def _fg_rules(p: dict[str, Any]) -> list[str]:
    rules = [
        "`points` maps a datetime.date to a number (int) for the days that have data",
        "Return one `(date, value)` tuple per day from `start` to `end` inclusive, in date order",
        {
            "zero": "Days without data get 0",
            "previous": "Days without data repeat the previous day's value (0 "
            "if there is no earlier day in the range or before it)",
            "none": "Days without data get None",
        }[p["fill"]],
    ]
    if p["fill"] == "previous":
        rules.append('"Previous" may come from a point before `start`: the latest point before the range seeds it')
    if p["missing"]:
        rules.append("A point whose value is None counts as no data for that day")
    rules.append(
        "Points outside the range are ignored (apart from the seeding rule)"
        if p["fill"] == "previous"
        else "Points outside the range are ignored"
    )
    rules.append("`end` before `start` raises ValueError")
    return rules


def _fg_ref(p: dict[str, Any]) -> str:
    lines = [
        "from datetime import date, timedelta",
        "",
        "",
        f"def {p['name']}(points: dict[date, int | None], start: date, end: date) -> list[tuple[date, int | None]]:",
        "    if end < start:",
        '        raise ValueError("end before start")',
    ]
    if p["missing"]:
        lines += ["    points = {d: v for d, v in points.items() if v is not None}"]
    if p["fill"] == "previous":
        lines += ["    earlier = [d for d in points if d < start]", "    last = points[max(earlier)] if earlier else 0"]
    lines += ["    result = []", "    day = start", "    while day <= end:"]
    if p["fill"] == "previous":
        lines += ["        if day in points:", "            last = points[day]", "        result.append((day, last))"]
    else:
        fill = "0" if p["fill"] == "zero" else "None"
        lines += [f"        result.append((day, points.get(day, {fill})))"]
    lines += ["        day += timedelta(days=1)", "    return result"]
    return "\n".join(lines) + "\n"


def fill_gaps(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "fill": pick(rng, ("zero", "previous", "none")),
        "missing": mode == "missing_data",
        "name": pick(rng, ("fill_gaps", "daily_series", "complete_days", "densify")),
    }
    rules = _fg_rules(p)
    shown = _fg_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["fill"] = pick(rng, [f for f in ("zero", "previous") if f != p["fill"]])
        change = (
            "days without data repeat the previous value (seeded by the latest point before the range, else 0)"
            if p["fill"] == "previous"
            else "days without data get 0"
        )
    reference = _fg_ref(p)
    calls = []
    for _ in range(4):
        start = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
        pts: dict[dt.date, int | None] = {
            start + dt.timedelta(days=rng.randint(-5, 20)): rng.randint(0, 500) for _ in range(rng.randint(2, 8))
        }
        if p["missing"]:
            pts[start + dt.timedelta(days=2)] = None
        calls.append(Call((pts, start, start + dt.timedelta(days=rng.randint(3, 12))), "series"))
    d = dt.date
    calls += [
        Call(({d(2024, 2, 28): 5, d(2024, 3, 1): 7}, d(2024, 2, 27), d(2024, 3, 2)), "month_end"),
        Call(({d(2025, 12, 31): 1}, d(2025, 12, 30), d(2026, 1, 2)), "month_end"),
        Call(({d(2025, 1, 1): 3}, d(2025, 1, 5), d(2025, 1, 7)), "seeding"),
        Call(({}, d(2025, 1, 5), d(2025, 1, 5)), "seeding"),
        Call(({d(2025, 1, 9): 0}, d(2025, 1, 9), d(2025, 1, 10)), "seeding"),
        Call(({}, d(2025, 1, 5), d(2025, 1, 4)), "invalid"),
    ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[4:5], 1, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r}, {c.args[2]!r})")
    bg = (
        "The charting library needs one point per day or it draws misleading lines.",
        "Sign-ups are only recorded on days with activity.",
        "The CSV export for the analysts should have no holes.",
    )
    return _finish(
        rng,
        "fill_gaps",
        p,
        pick(rng, ("fill missing days in a series", "one row per day for the chart")),
        bg,
        f"{p['name']}(points: dict[date, int | None], start: date, end: date) -> list[tuple[date, int | None]]",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
        extra_tags=("dates",),
        extra_tests=_no_mutation(p["name"], calls),
    )


FAMILIES = [
    Family("group_totals", "data_transform", group_totals, ("missing_data", "long_context_contradiction")),
    Family("dedupe_contacts", "data_transform", dedupe_contacts, ("missing_data", "long_context_contradiction")),
    Family("fill_gaps", "data_transform", fill_gaps, ("missing_data", "long_context_contradiction")),
]

_UNUSED = (copy, Decimal)
