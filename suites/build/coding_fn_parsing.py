"""Function families: parsing the messy formats real systems exchange (amounts, durations, page ranges,
key-value headers, file sizes). Each family draws its rules (separators, units, error policy, return
type) per instance, writes the request from those rules, and renders a reference from the same rules,
so the hidden tests derived from the reference check exactly what the request states."""

from __future__ import annotations

import random
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, pick, run_reference
from coding_twists import revision
from coding_voice import examples_block, frame, signature_line

SEP_NAME = {".": "a dot", ",": "a comma", " ": "a space", "'": "an apostrophe", "": "none"}


def _group(digits: str, sep: str) -> str:
    if not sep:
        return digits
    head = len(digits) % 3 or 3
    return sep.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


# --------------------------------------------------------------------------------------------------
# parse_amount


def _amount_params(rng: random.Random, mode: str) -> dict[str, Any]:
    dec = pick(rng, (".", ","))
    thou = pick(rng, [",", " ", "'", ""] if dec == "." else [".", " ", ""])
    if mode == "edge_format":
        thou = " "
    neg = pick(rng, ("minus", "parens", "trailing"))
    markers = rng.sample(["€", "$", "£", "CHF", "EUR", "USD", "kr", "zł"], k=rng.randint(0, 3))
    markers.sort(key=lambda m: (-len(m), m))
    return {
        "dec": dec,
        "thou": thou,
        "neg": neg,
        "markers": markers,
        "out": pick(rng, ("decimal", "cents")),
        "blank": "none" if mode == "missing_data" else pick(rng, ("error", "none")),
        "placeholders": mode == "missing_data",
        "nbsp": mode == "edge_format",
        "name": "",
    }


def _amount_rules(p: dict[str, Any]) -> list[str]:
    d, t = p["dec"], p["thou"]
    rules = ["Surrounding whitespace is ignored."]
    if p["nbsp"]:
        rules.append(
            "The bank export writes spaces as ordinary spaces, no-break spaces (U+00A0) or narrow no-break "
            "spaces (U+202F); all three count as a space"
        )
    rules.append(f"The decimal separator is {SEP_NAME[d]} (`{d}`); there must be at least one digit before it")
    if t:
        rules.append(
            f"Thousands may be grouped with {SEP_NAME[t]}: the first group has 1-3 digits and every later group "
            f"exactly 3 (`12{t}345{d}50` is fine, `1{t}23{d}00` is not). Grouping is optional"
        )
    else:
        rules.append("There is no thousands separator; digits are never grouped")
    if p["out"] == "cents":
        rules.append("At most two digits may follow the decimal separator; the decimal part is optional")
    else:
        rules.append("If the decimal separator is present it must be followed by at least one digit")
    if p["neg"] == "minus":
        rules.append(f"A minus sign at the very start makes the amount negative (`-7{d}25`)")
    elif p["neg"] == "parens":
        rules.append(f"Accounting style: an amount wrapped in parentheses is negative (`(7{d}25)`); no minus signs")
    else:
        rules.append(f"Negative amounts carry a trailing minus, SAP style (`7{d}25-`); a leading minus is invalid")
    if p["markers"]:
        where = "before the number" if p["neg"] == "trailing" else "before or after the number"
        listed = ", ".join(f"`{m}`" for m in p["markers"])
        rules.append(f"One currency marker ({listed}) may appear {where}, separated from it by at most one space")
    else:
        rules.append("Currency symbols or codes are not accepted")
    if p["placeholders"]:
        rules.append("`None`, an empty string and the placeholders `-`, `n/a` and `N/A` mean no amount: return None")
    elif p["blank"] == "none":
        rules.append("An empty or whitespace-only string means no amount: return None")
    else:
        rules.append("An empty or whitespace-only string raises ValueError")
    if p["out"] == "cents":
        rules.append("Return the amount as an int number of cents")
    else:
        rules.append("Return a Decimal with exactly the value written (no rounding)")
    rules.append("Anything else raises ValueError")
    return rules


def _amount_ref(p: dict[str, Any]) -> str:
    d, t = p["dec"], p["thou"]
    rd, rt = "\\" + d if d == "." else d, ("\\" + t if t == "." else t)
    frac = "{1,2}" if p["out"] == "cents" else "+"
    grouped = f"\\d{{1,3}}(?:{rt}\\d{{3}})+|" if t else ""
    ret = "int" if p["out"] == "cents" else "Decimal"
    opt = " | None" if p["blank"] == "none" else ""
    arg = "str | None" if p["placeholders"] else "str"
    lines = [
        "import re",
        "from decimal import Decimal",
        "",
        f"_MARKERS = {tuple(p['markers'])!r}",
        f'_NUMBER = re.compile(r"(?:{grouped}\\d+)(?:{rd}\\d{frac})?")',
        "",
        "",
        f"def {p['name']}(text: {arg}) -> {ret}{opt}:",
    ]
    if p["placeholders"]:
        lines += ["    if text is None:", "        return None"]
    if p["nbsp"]:
        lines += ['    text = text.replace("\\u00a0", " ").replace("\\u202f", " ")']
    lines += ["    s = text.strip()"]
    if p["placeholders"]:
        lines += ['    if s in ("", "-", "n/a", "N/A"):', "        return None"]
    elif p["blank"] == "none":
        lines += ["    if not s:", "        return None"]
    lines += ["    negative = False"]
    if p["neg"] == "minus":
        lines += ['    if s.startswith("-"):', "        negative, s = True, s[1:]"]
    elif p["neg"] == "parens":
        lines += ['    if s.startswith("(") and s.endswith(")"):', "        negative, s = True, s[1:-1]"]
    else:
        lines += ['    if s.endswith("-"):', "        negative, s = True, s[:-1]"]
    lines += [
        "    for marker in _MARKERS:",
        "        if s.startswith(marker):",
        '            s = s[len(marker) :].removeprefix(" ")',
        "            break",
    ]
    if p["neg"] != "trailing":
        lines += [
            "        if s.endswith(marker):",
            '            s = s[: -len(marker)].removesuffix(" ")',
            "            break",
        ]
    lines += [
        "    if not _NUMBER.fullmatch(s):",
        '        raise ValueError(f"not an amount: {text!r}")',
        f'    value = Decimal(s.replace({t!r}, "").replace({d!r}, "."))'
        if t
        else f'    value = Decimal(s.replace({d!r}, "."))',
        "    if negative:",
        "        value = -value",
    ]
    lines += ["    return int(value * 100)" if p["out"] == "cents" else "    return value"]
    return "\n".join(lines) + "\n"


def _amount_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    d, t = p["dec"], p["thou"]
    calls: list[Call] = []
    markers = p["markers"]

    def number(grouped: bool) -> str:
        digits = str(rng.choice([rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10_000, 9_999_999)]))
        body = _group(digits, t) if grouped and t else digits
        places = rng.choice([0, 1, 2, 2, 2] if p["out"] == "cents" else [0, 1, 2, 3, 4])
        return body + (d + "".join(str(rng.randint(0, 9)) for _ in range(places)) if places else "")

    def negate(s: str) -> str:
        return {"minus": "-" + s, "parens": f"({s})", "trailing": s + "-"}[p["neg"]]

    for _ in range(4):
        calls.append(Call((number(True),), "plain_amounts"))
    calls.append(Call(("  " + number(False) + "\t",), "plain_amounts"))
    calls.append(Call((negate(number(True)),), "negative_amounts"))
    calls.append(Call((negate(number(False)),), "negative_amounts"))
    for marker in markers:
        space = rng.choice(["", " "])
        calls.append(Call((marker + space + number(True),), "currency_markers"))
        if p["neg"] != "trailing":
            calls.append(Call((number(True) + rng.choice(["", " "]) + marker,), "currency_markers"))
        else:
            calls.append(Call((marker + " " + number(True) + "-",), "currency_markers"))
    if p["nbsp"]:
        big = _group(str(rng.randint(1_000_000, 99_999_999)), "\u00a0") + d + "40"
        calls += [
            Call((big,), "no_break_spaces"),
            Call((_group(str(rng.randint(1000, 99999)), "\u202f") + d + "5",), "no_break_spaces"),
        ]
        if markers:
            calls.append(Call((markers[0] + "\u00a0" + "12" + d + "30",), "no_break_spaces"))
    bad = [f"1{d}2{d}3", "12a", "abc", f"{d}50", "--5", "1e5"]
    if t:
        bad += [f"1{t}23{d}00", f"12{t}34"] + ([f"{t}123"] if t != " " else [])
    if p["out"] == "cents":
        bad.append(f"3{d}141")
    else:
        bad.append(f"12{d}")
    if p["neg"] == "parens":
        bad.append("-5")
    if p["neg"] == "trailing":
        bad.append("-5")
    if not markers:
        bad.append("$5")
    elif p["neg"] != "trailing":
        bad.append(markers[0] + "  5")
    for b in bad:
        calls.append(Call((b,), "invalid_input"))
    calls.append(Call(("",), "blank_input"))
    calls.append(Call(("   ",), "blank_input"))
    if p["placeholders"]:
        calls += [
            Call((None,), "blank_input"),
            Call(("n/a",), "blank_input"),
            Call((" N/A ",), "blank_input"),
            Call(("-",), "blank_input"),
        ]
    return calls


_AMOUNT_NAMES = ("parse_amount", "amount_from_text", "read_amount", "parse_money", "clean_amount", "to_decimal_amount")
_CENT_NAMES = ("to_cents", "amount_in_cents", "parse_cents", "cents_from_text")
_AMOUNT_SOURCES = (
    ("the bank statement importer", "Amounts come from the bank's CSV export, one column, as text."),
    ("the supplier invoice OCR pipeline", "The OCR step hands us the total field as raw text."),
    ("the expense report upload", "People type these amounts by hand, so expect a bit of everything."),
    ("the marketplace payout reconciliation", "The payout report is produced by the partner's ERP."),
    ("the POS end-of-day export", "Every store's till writes amounts in its local format."),
    ("the accounts-payable inbox parser", "Finance forwards remittance advices and we scrape the amount."),
    ("the subscription migration", "The old billing system exported every price as a display string."),
)
_AMOUNT_ASIDES = (
    "Right now each importer has its own regex and they disagree on edge cases.",
    "We had two incidents last quarter where a thousands separator was read as a decimal point.",
    "Please keep it strict: a row we cannot read goes to manual review, which is fine.",
    "This replaces the copy-pasted parsing in three jobs.",
    "The format is fixed per source, so the rules below are for this source only.",
)


def _amount_change(rng: random.Random, p: dict[str, Any]) -> str:
    """Flip one rule of `p` in place; return how the update states it."""
    d = p["dec"]
    knob = pick(rng, ("out", "blank", "neg"))
    if knob == "out":
        p["out"] = "cents" if p["out"] == "decimal" else "decimal"
        if p["out"] == "cents":
            return "return the amount as an int number of cents; at most two digits may follow the decimal separator"
        return "return a Decimal with exactly the value written instead of cents; any number of decimals is fine"
    if knob == "blank":
        p["blank"] = "none" if p["blank"] == "error" else "error"
        if p["blank"] == "none":
            return "an empty or whitespace-only string must return None, not raise"
        return "an empty or whitespace-only string must raise ValueError, not return None"
    p["neg"] = pick(rng, [n for n in ("minus", "parens", "trailing") if n != p["neg"]])
    return {
        "minus": "negative amounts are written with a leading minus sign and nothing else",
        "parens": f"negative amounts are written in accounting parentheses, e.g. `(7{d}25)`; minus signs are invalid",
        "trailing": f"negative amounts carry a trailing minus (`7{d}25-`); a leading minus is invalid, and a currency "
        "marker may then only go before the number",
    }[p["neg"]]


def parse_amount(rng: random.Random, mode: str) -> FnTask:
    p = _amount_params(rng, mode)
    p["name"] = pick(rng, _CENT_NAMES if p["out"] == "cents" else _AMOUNT_NAMES)
    where, why = pick(rng, _AMOUNT_SOURCES)
    ret = "int" if p["out"] == "cents" else "Decimal"
    opt = " | None" if p["blank"] == "none" else ""
    sig = f"{p['name']}(text: {'str | None' if p['placeholders'] else 'str'}) -> {ret}{opt}"
    rules = _amount_rules(p)
    shown_ref = _amount_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown_ref
        change = _amount_change(rng, p)
    reference = _amount_ref(p)
    calls = _amount_inputs(rng, p)
    fn = run_reference(shown_ref, p["name"])
    pairs = example_pairs(
        fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r})", ("plain_amounts", "negative_amounts", "currency_markers")
    )
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    title = pick(
        rng,
        (f"parse money amounts for {where}", f"amount parsing helper for {where}", f"strict amount parser ({where})"),
    )
    text = frame(rng, title, [why, *rng.sample(_AMOUNT_ASIDES, 2)], body)
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        "parse_amount",
        "parsing",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
        extra_tags=("money",),
    )


# --------------------------------------------------------------------------------------------------
# parse_duration

_DUR_ALIASES = {
    "w": ("w", "wk"),
    "d": ("d", "day", "days"),
    "h": ("h", "hr", "hrs"),
    "m": ("m", "min", "mins"),
    "s": ("s", "sec", "secs"),
}
_DUR_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DUR_WORDS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def _duration_params(rng: random.Random, mode: str) -> dict[str, Any]:
    fmt = pick(rng, ("units", "units", "clock", "iso"))
    if mode == "ambiguous":
        fmt = "clock"
    if mode == "edge_format":
        fmt = "units"
    units = pick(rng, (("d", "h", "m", "s"), ("h", "m", "s"), ("h", "m"), ("w", "d", "h"), ("d", "h", "m")))
    return {
        "fmt": fmt,
        "units": units,
        "aliases": mode == "edge_format" or rng.random() < 0.3,
        "spaces": True if mode == "edge_format" else rng.random() < 0.6,
        "nocase": True if mode == "edge_format" else rng.random() < 0.5,
        "one_colon": "m:ss" if mode == "ambiguous" else pick(rng, ("h:mm", "h:mm", "m:ss")),
        "vague": mode == "ambiguous",
        "weeks": rng.random() < 0.4,
        "out": pick(rng, ("seconds", "seconds", "timedelta")),
        "name": pick(rng, ("parse_duration", "duration_seconds", "to_seconds", "parse_timespan", "read_duration")),
    }


def _duration_rules(p: dict[str, Any]) -> list[str]:
    rules = ["Leading and trailing whitespace is ignored"]
    if p["fmt"] == "units":
        units = p["units"]
        names = ", ".join(f"`{u}` ({_DUR_WORDS[u]})" for u in units)
        rules.append(
            f"The input is one or more components, each a non-negative integer immediately followed by a unit: {names}"
        )
        if p["aliases"]:
            al = "; ".join(f"{'/'.join('`' + a + '`' for a in _DUR_ALIASES[u])} for {_DUR_WORDS[u]}" for u in units)
            rules.append(f"Longer unit spellings are accepted too: {al}")
        rules.append("Components must appear from the largest unit to the smallest, each unit at most once")
        rules.append(
            "Any amount of whitespace may separate components"
            if p["spaces"]
            else "No whitespace is allowed anywhere inside the value"
        )
        rules.append("Units are case-insensitive" if p["nocase"] else "Units are lowercase only; `1H` is invalid")
        rules.append("Values are not capped: `90m` is fine" if "m" in units else "Values are not capped: `36h` is fine")
    elif p["fmt"] == "clock":
        if p["one_colon"] == "h:mm":
            rules.append(
                "The input is `H:MM` or `H:MM:SS`: hours have one or more digits, minutes and seconds exactly two "
                "digits from 00 to 59"
            )
        elif p.get("vague"):
            rules.append(
                "The input is a time as the stopwatch shows it, like `4:05` or `1:02:33`: the first number has "
                "one or more digits, every later one exactly two digits from 00 to 59"
            )
        else:
            rules.append(
                "The input is `M:SS` (minutes and seconds, as a stopwatch shows them) or `H:MM:SS`; the first "
                "number has one or more digits, every later one exactly two digits from 00 to 59"
            )
    else:
        rules.append(
            "The input is an ISO 8601 duration: `P`, optionally `nD`, then optionally `T` followed by at "
            "least one of `nH`, `nM`, `nS` in that order (integers only; no years or months)"
        )
        if p["weeks"]:
            rules.append("`PnW` (weeks only, nothing else) is accepted too")
        rules.append("Letters may be lowercase too" if p["nocase"] else "Letters must be uppercase")
        rules.append("`P` or `PT` alone, or a `T` with nothing after it, is invalid")
    rules.append("Everything else raises ValueError (empty strings, decimals, signs, unknown units)")
    rules.append(
        "Return a datetime.timedelta" if p["out"] == "timedelta" else "Return the total number of seconds as an int"
    )
    return rules


def _duration_ref(p: dict[str, Any]) -> str:
    name, out = p["name"], p["out"]
    ret = "timedelta" if out == "timedelta" else "int"
    head = ["import re", "from datetime import timedelta", ""] if out == "timedelta" else ["import re", ""]
    result = "timedelta(seconds=total)" if out == "timedelta" else "total"
    if p["fmt"] == "units":
        groups = []
        for u in p["units"]:
            spellings = sorted(_DUR_ALIASES[u] if p["aliases"] else (u,), key=len, reverse=True)
            groups.append(f"(?:(\\d+)(?:{'|'.join(spellings)}))?")
        joiner = "\\s*" if p["spaces"] else ""
        flags = ", re.IGNORECASE" if p["nocase"] else ""
        seconds = [str(_DUR_SECONDS[u]) for u in p["units"]]
        body = [
            f'_PATTERN = re.compile(r"{joiner.join(groups)}"{flags})',
            f"_SECONDS = ({', '.join(seconds)},)",
            "",
            "",
            f"def {name}(text: str) -> {ret}:",
            "    match = _PATTERN.fullmatch(text.strip())",
            "    if match is None or all(g is None for g in match.groups()):",
            '        raise ValueError(f"not a duration: {text!r}")',
            "    total = sum(int(g) * s for g, s in zip(match.groups(), _SECONDS) if g is not None)",
            f"    return {result}",
        ]
    elif p["fmt"] == "clock":
        one = "int(a) * 3600 + int(b) * 60" if p["one_colon"] == "h:mm" else "int(a) * 60 + int(b)"
        body = [
            '_CLOCK = re.compile(r"(\\d+):([0-5]\\d)(?::([0-5]\\d))?")',
            "",
            "",
            f"def {name}(text: str) -> {ret}:",
            "    match = _CLOCK.fullmatch(text.strip())",
            "    if match is None:",
            '        raise ValueError(f"not a duration: {text!r}")',
            "    a, b, c = match.groups()",
            f"    total = {one} if c is None else int(a) * 3600 + int(b) * 60 + int(c)",
            f"    return {result}",
        ]
    else:
        weeks = "|P(\\d+)W" if p["weeks"] else ""
        flags = ", re.IGNORECASE" if p["nocase"] else ""
        wk = (
            "    weeks = match.group(5)\n    if weeks is not None:\n        total = int(weeks) * 604800\n        "
            "return " + result + "\n"
            if p["weeks"]
            else ""
        )
        body = [
            f'_ISO = re.compile(r"P(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?{weeks}"{flags})',
            "",
            "",
            f"def {name}(text: str) -> {ret}:",
            "    s = text.strip()",
            "    match = _ISO.fullmatch(s)",
            '    if match is None or s.upper().endswith("T"):',
            '        raise ValueError(f"not a duration: {text!r}")',
            *([wk.rstrip("\n")] if wk else []),
            "    days, hours, minutes, seconds = match.group(1, 2, 3, 4)",
            "    if days is None and hours is None and minutes is None and seconds is None:",
            '        raise ValueError(f"not a duration: {text!r}")',
            "    total = sum(int(v) * k for v, k in ((days, 86400), (hours, 3600), (minutes, 60), (seconds, 1)) if v)",
            f"    return {result}",
        ]
    return "\n".join(head + body) + "\n"


def _duration_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    calls: list[Call] = []
    if p["fmt"] == "units":
        units = p["units"]
        for _ in range(6):
            chosen = sorted(rng.sample(range(len(units)), rng.randint(1, len(units))))
            parts = []
            for i in chosen:
                u = units[i]
                spelled = pick(rng, _DUR_ALIASES[u]) if p["aliases"] else u
                if p["nocase"] and rng.random() < 0.4:
                    spelled = spelled.upper()
                parts.append(f"{rng.randint(0, 130)}{spelled}")
            gaps = (" ", "", "  ", "\t") if p["spaces"] else ("",)
            text = parts[0] + "".join(pick(rng, gaps) + part for part in parts[1:])
            calls.append(Call((text,), "valid"))
        big, small = units[0], units[-1]
        calls += [Call((f" 7{small} ",), "valid"), Call((f"0{big}",), "valid")]
        bad = [
            "",
            "   ",
            f"1.5{big}",
            f"-3{small}",
            f"{small}",
            "12",
            f"5{small}5{big}",
            f"1{big}1{big}",
            "1x",
            f"1 {big}",
        ]
        if len(units) > 1:
            bad.append(f"1{small}2{big}")
        if not p["spaces"]:
            bad.append(f"1{big} 2{small}")
        if not p["nocase"]:
            bad.append(f"3{big.upper()}")
        calls += [Call((b,), "invalid") for b in bad]
    elif p["fmt"] == "clock":
        for _ in range(3):
            calls.append(Call((f"{rng.randint(0, 30)}:{rng.randint(0, 59):02d}",), "one_colon"))
        calls.append(Call(("1:30",), "one_colon"))
        for _ in range(3):
            calls.append(
                Call((f"{rng.randint(0, 99)}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",), "two_colons")
            )
        calls.append(Call((" 125:00:00 ",), "two_colons"))
        bad = ["", "1:5", "1:60", "1:30:60", "1:2:03", ":30", "1:30:", "-1:30", "1.5:00", "1:30:00:00", "abc", "1h"]
        calls += [Call((b,), "invalid") for b in bad]
    else:

        def iso() -> str:
            text = "P"
            if rng.random() < 0.5:
                text += f"{rng.randint(0, 9)}D"
            tpart = ""
            for letter in "HMS":
                if rng.random() < 0.6:
                    tpart += f"{rng.randint(0, 90)}{letter}"
            if tpart:
                text += "T" + tpart
            if text == "P":
                text = "PT45M"
            return text.lower() if p["nocase"] and rng.random() < 0.3 else text

        calls += [Call((iso(),), "valid") for _ in range(6)]
        calls += [Call(("PT1H30M",), "valid"), Call(("P1D",), "valid"), Call(("  PT0S ",), "valid")]
        if p["weeks"]:
            calls += [Call(("P2W",), "weeks")]
        bad = ["", "P", "PT", "P1DT", "PT1.5H", "P1Y", "PT1M1H", "T1H", "1H", "PT-1H", "P1W1D", "PT1H1H"]
        if not p["nocase"]:
            bad.append("pt1h")
        calls += [Call((b,), "invalid") for b in bad]
    return calls


_DUR_SOURCES = (
    "The SLA config lets support leads type response targets by hand.",
    "Video uploads come with a duration field that every partner formats differently.",
    "Our CLI takes a --timeout flag and people keep asking for friendlier values.",
    "The timesheet import has a column with the time spent on each task.",
    "The race results CSV has a finishing-time column.",
    "Cron-like job definitions in the scheduler YAML carry a max runtime.",
)


def parse_duration(rng: random.Random, mode: str) -> FnTask:
    p = _duration_params(rng, mode)
    rules = _duration_rules(p)
    shown = _duration_ref(p)
    sig_ret = "timedelta" if p["out"] == "timedelta" else "int"
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        if p["fmt"] == "clock":
            p["one_colon"] = "m:ss" if p["one_colon"] == "h:mm" else "h:mm"
            change = (
                "a value with one colon is minutes:seconds (`M:SS`), not hours:minutes"
                if p["one_colon"] == "m:ss"
                else "a value with one colon is hours:minutes (`H:MM`), not minutes:seconds"
            )
        elif p["fmt"] == "units" and rng.random() < 0.5:
            p["nocase"] = not p["nocase"]
            change = (
                "units must be accepted in any case (`1H30M` too)"
                if p["nocase"]
                else "units are lowercase only after all; `1H` must raise ValueError"
            )
        else:
            p["out"] = "timedelta" if p["out"] == "seconds" else "seconds"
            change = (
                "return a datetime.timedelta instead of the number of seconds"
                if p["out"] == "timedelta"
                else "return the total number of seconds as an int, not a timedelta"
            )
    reference = _duration_ref(p)
    calls = _duration_inputs(rng, p)
    if mode == "ambiguous":
        wrong = _duration_ref({**p, "one_colon": "h:mm"})
        calls.insert(0, Call(("4:05",), "one_colon"))
    fn = run_reference(shown, p["name"])
    pairs = [("'4:05'", repr(fn("4:05")))] if mode == "ambiguous" else []
    pairs += example_pairs(fn, [c for c in calls if c.group != "invalid"], rng.randint(2, 4), lambda c: repr(c.args[0]))
    body = "\n\n".join(
        x
        for x in (
            signature_line(rng, f"{p['name']}(text: str) -> {sig_ret}"),
            bullets(rng, rules),
            examples_block(rng, pairs),
        )
        if x
    )
    text = frame(
        rng,
        pick(
            rng,
            ("parse human-written durations", "duration parser", "turn duration strings into a number we can compare"),
        ),
        rng.sample(_DUR_SOURCES, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        "parse_duration",
        "parsing",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
        short=p["fmt"] == "clock",
    )


# --------------------------------------------------------------------------------------------------
# parse_page_ranges


def _pages_params(rng: random.Random, mode: str) -> dict[str, Any]:
    return {
        "sep": pick(rng, (",", ",", ";")),
        "dash": pick(rng, ("-", "-", "..", ":")),
        "unicode": mode == "edge_format",
        "trailing": "ignore" if mode == "edge_format" else pick(rng, ("ignore", "error")),
        "reverse": pick(rng, ("error", "allowed")),
        "open_end": rng.random() < 0.5,
        "beyond": pick(rng, ("error", "clip")),
        "order": pick(rng, ("sorted", "given")),
        "empty": "all" if mode == "missing_data" else pick(rng, ("none", "error")),
        "what": pick(rng, ("page", "page", "row", "slide", "label")),
        "name": "",
    }


def _pages_rules(p: dict[str, Any]) -> list[str]:
    w, sep, dash = p["what"], p["sep"], p["dash"]
    rules = [
        f"`spec` lists {w}s separated by `{sep}`; each item is a single {w} number (`7`) or an inclusive range "
        f"`a{dash}b` (`3{dash}5` means 3, 4 and 5)",
        f"Spaces around numbers, `{dash}` and `{sep}` are ignored",
        f"{w.title()} numbers start at 1; `last` is the number of the final {w}",
    ]
    if p["unicode"]:
        rules.append(f"People paste from Word, so an en dash (`–`) or em dash (`—`) is accepted wherever `{dash}` is")
    if p["open_end"]:
        rules.append(f"`a{dash}` with nothing after the dash means from a to the last {w}")
    rules.append(
        f"Empty items (`1{sep}{sep}3`, or a trailing `{sep}`) are ignored"
        if p["trailing"] == "ignore"
        else f"An empty item (`1{sep}{sep}3`, or a trailing `{sep}`) raises ValueError"
    )
    if p["reverse"] == "error":
        rules.append(f"A reversed range like `5{dash}3` raises ValueError")
    elif p["order"] == "given":
        rules.append(f"A reversed range like `5{dash}3` is fine and lists 5, 4, 3 in that order")
    else:
        rules.append(f"A reversed range like `5{dash}3` is fine and means the same {w}s as `3{dash}5`")
    rules.append(
        f"{w.title()} 0 raises ValueError, and so does any number above `last`"
        if p["beyond"] == "error"
        else f"{w.title()} 0 raises ValueError; numbers above `last` are silently dropped (a range running past "
        f"the end stops at `last`)"
    )
    if p["order"] == "sorted":
        rules.append(f"Return the selected {w}s in ascending order, each once")
    else:
        rules.append(
            f"Return the selected {w}s in the order they are written (a range from its first number to its "
            f"second), each {w} only at its first appearance"
        )
    rules.append(
        {
            "all": f"An empty or blank spec selects every {w}: [1, 2, ..., last]",
            "none": "An empty or blank spec selects nothing: []",
            "error": "An empty or blank spec raises ValueError",
        }[p["empty"]]
    )
    rules.append("Anything else (letters, decimals, negative numbers, a dangling dash) raises ValueError")
    return rules


def _pages_ref(p: dict[str, Any]) -> str:
    dashes = [p["dash"]] + (["–", "—"] if p["unicode"] else [])
    dash_re = "|".join(d.replace(".", "\\.") for d in dashes)
    end = "(\\d*)" if p["open_end"] else "(\\d+)"
    empty = {"all": "list(range(1, last + 1))", "none": "[]", "error": 'raise ValueError("empty selection")'}[
        p["empty"]
    ]
    lines = [
        "import re",
        "",
        f'_ITEM = re.compile(r"(\\d+)(?:\\s*(?:{dash_re})\\s*{end})?")',
        "",
        "",
        f"def {p['name']}(spec: str, last: int) -> list[int]:",
        "    if not spec.strip():",
        f"        {'return ' if p['empty'] != 'error' else ''}{empty}",
        "    result: list[int] = []",
        "    seen: set[int] = set()",
        f"    for raw in spec.split({p['sep']!r}):",
        "        item = raw.strip()",
        "        if not item:",
        "            continue" if p["trailing"] == "ignore" else '            raise ValueError("empty item")',
        "        match = _ITEM.fullmatch(item)",
        "        if match is None:",
        '            raise ValueError(f"bad item: {item!r}")',
        "        first = int(match.group(1))",
        "        second = match.group(2)",
        "        if second is None:",
        "            stop = first",
    ]
    if p["open_end"]:
        lines += ['        elif second == "":', "            stop = last"]
    lines += ["        else:", "            stop = int(second)"]
    lines += ["        if first == 0 or stop == 0:", '            raise ValueError("numbers start at 1")']
    if p["reverse"] == "error":
        lines += ["        if stop < first:", '            raise ValueError("reversed range")']
    if p["beyond"] == "error":
        lines += ["        if max(first, stop) > last:", '            raise ValueError("beyond the last one")']
    step = "1 if stop >= first else -1"
    lines += [f"        step = {step}", "        for n in range(first, stop + step, step):"]
    if p["beyond"] == "clip":
        lines += ["            if n > last:", "                continue"]
    lines += ["            if n not in seen:", "                seen.add(n)", "                result.append(n)"]
    lines += ["    return sorted(result)" if p["order"] == "sorted" else "    return result"]
    return "\n".join(lines) + "\n"


def _pages_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    sep, dash = p["sep"], p["dash"]
    calls = []
    for _ in range(5):
        last = rng.randint(8, 40)
        items = []
        for _ in range(rng.randint(1, 4)):
            a = rng.randint(1, last)
            if rng.random() < 0.5:
                b = rng.randint(a, min(last, a + 6))
                d = pick(rng, (dash, dash, "–")) if p["unicode"] else dash
                items.append(f"{a}{pick(rng, ('', ' '))}{d}{pick(rng, ('', ' '))}{b}")
            else:
                items.append(str(a))
        calls.append(Call(((pick(rng, ("", " ")) + sep).join(items), last), "selections"))
    calls += [
        Call((f"2{sep}4{dash}6{sep}5", 10), "overlaps"),
        Call((f"9{sep}1{sep}9", 9), "overlaps"),
        Call((f"3{dash}3", 5), "selections"),
    ]
    calls += [Call((f"1{sep}{sep}3", 5), "empty_items"), Call((f"1{sep}3{sep}", 5), "empty_items")]
    calls += [Call((f"6{dash}4", 8), "reversed"), Call((f"1{sep}7{dash}5", 8), "reversed")]
    calls += [
        Call((f"0{sep}2", 5), "bounds"),
        Call((f"4{dash}12", 10), "bounds"),
        Call(("11", 10), "bounds"),
        Call(("10", 10), "bounds"),
    ]
    calls += [Call(("", 4), "empty_spec"), Call(("   ", 3), "empty_spec")]
    if p["open_end"]:
        calls += [Call((f"7{dash}", 9), "open_end"), Call((f"2{sep} 5 {dash} ", 6), "open_end")]
    else:
        calls += [Call((f"7{dash}", 9), "invalid")]
    bad = ["a", f"1{dash}b", "2.5", "-3", f"{dash}4", f"1{dash}2{dash}3", "1 2"]
    calls += [Call((b, 10), "invalid") for b in bad]
    return calls


_PAGES_TITLES = (
    "page-range selection for the print dialog",
    "parse the 'pages' field of export jobs",
    "row selection syntax for the bulk editor",
    "slide picker for the deck exporter",
    "which labels to reprint",
)
_PAGES_BG = (
    "Users type the selection into a free-text box, the way every print dialog works.",
    "The API currently rejects anything but a single number, which support hears about daily.",
    "Same syntax as the desktop app so people don't have to learn a new one.",
    "The selection is stored as typed and parsed when the job runs.",
)


def parse_page_ranges(rng: random.Random, mode: str) -> FnTask:
    p = _pages_params(rng, mode)
    p["name"] = pick(
        rng,
        ("parse_page_ranges", f"parse_{p['what']}_selection", f"selected_{p['what']}s", f"expand_{p['what']}_ranges"),
    )
    rules = _pages_rules(p)
    shown = _pages_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        knob = pick(rng, ("order", "beyond", "reverse") if p["reverse"] == "error" else ("beyond",))
        w = p["what"]
        if knob == "order":
            p["order"] = "given" if p["order"] == "sorted" else "sorted"
            change = (
                f"return the {w}s in the order they are written, each only at its first appearance; don't sort"
                if p["order"] == "given"
                else f"return the {w}s sorted ascending, each once"
            )
        elif knob == "beyond":
            p["beyond"] = "clip" if p["beyond"] == "error" else "error"
            change = (
                "numbers above `last` must not raise; drop them silently (a range past the end stops at `last`)"
                if p["beyond"] == "clip"
                else "a number above `last` must raise ValueError instead of being dropped"
            )
        else:
            p["reverse"] = "allowed" if p["reverse"] == "error" else "error"
            change = (
                f"accept reversed ranges: `5{p['dash']}3` means the same {w}s as `3{p['dash']}5`"
                if p["order"] == "sorted"
                else f"accept reversed ranges: `5{p['dash']}3` lists 5, 4, 3 in that order"
            )
    reference = _pages_ref(p)
    calls = _pages_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r}, last={c.args[1]})")
    sig = f"{p['name']}(spec: str, last: int) -> list[int]"
    body = f"{signature_line(rng, sig)}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    text = frame(rng, pick(rng, _PAGES_TITLES), rng.sample(_PAGES_BG, 2), body)
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        "parse_page_ranges",
        "parsing",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
    )


# --------------------------------------------------------------------------------------------------
# parse_kv: `key=value` lists as config strings, connection strings and tag fields write them


def _kv_params(rng: random.Random, mode: str) -> dict[str, Any]:
    return {
        "pair": pick(rng, (";", ",", "&", " ")),
        "eq": pick(rng, ("=", "=", ":")),
        "quotes": mode == "edge_format" or rng.random() < 0.5,
        "fold": pick(rng, ("lower", "keep")),
        "dupes": pick(rng, ("first", "last", "error", "list")),
        "bare": "none" if mode == "missing_data" else pick(rng, ("true", "error", "empty")),
        "empty_value": "none" if mode == "missing_data" else pick(rng, ("empty", "empty", "error")),
        "name": pick(rng, ("parse_kv", "parse_options", "parse_tags", "parse_connection_string", "parse_params")),
    }


def _kv_rules(p: dict[str, Any]) -> list[str]:
    sep_name = {";": "semicolons", ",": "commas", "&": "ampersands", " ": "whitespace (any run of spaces or tabs)"}
    eq = p["eq"]
    rules = [f"Pairs are separated by {sep_name[p['pair']]}; each pair is `key{eq}value`"]
    if p["pair"] != " ":
        rules.append(
            "Whitespace around keys, values and separators is ignored, and so are empty pairs "
            f"(`a{eq}1{p['pair']}{p['pair']}b{eq}2`)"
        )
    else:
        rules.append("Leading and trailing whitespace is ignored")
    rules.append("Keys are made of letters, digits, `_`, `-` and `.`; any other key raises ValueError")
    if p["quotes"]:
        rules.append(
            f"A value may be wrapped in double quotes, and then it may contain the pair separator, `{eq}` and "
            'spaces; inside quotes `\\"` stands for a quote and `\\\\` for a backslash. The quotes are not part '
            "of the value, and a quoted value keeps its inner whitespace. An unterminated quote, or a quote inside an "
            "unquoted value, raises ValueError"
        )
    else:
        rules.append(f"Values cannot contain the pair separator or `{eq}`; quotes are ordinary characters")
    rules.append(
        "Keys are case-insensitive: return them lowercased"
        if p["fold"] == "lower"
        else "Keys are case-sensitive and returned as written"
    )
    rules.append(
        {
            "first": "If a key repeats, the first value wins",
            "last": "If a key repeats, the last value wins",
            "error": "A repeated key raises ValueError",
            "list": "Every value is returned in a list, in order of appearance (a repeated key collects several)",
        }[p["dupes"]]
    )
    rules.append(
        {
            "true": f"A bare key without `{eq}` is a flag: its value is True",
            "error": f"A pair without `{eq}` raises ValueError",
            "empty": f"A bare key without `{eq}` gets the empty string as its value",
            "none": f"A bare key without `{eq}` means the value is unknown: its value is None",
        }[p["bare"]]
    )
    rules.append(
        {
            "empty": f"`key{eq}` with nothing after it gives the empty string",
            "error": f"`key{eq}` with nothing after it raises ValueError",
            "none": f"`key{eq}` with nothing after it (or only whitespace) also gives None",
        }[p["empty_value"]]
    )
    rules.append("An empty input gives an empty dict; the dict keeps the keys in order of first appearance")
    return rules


def _kv_ref(p: dict[str, Any]) -> str:
    eq, pair = p["eq"], p["pair"]
    bare = {"true": "True", "empty": '""', "none": "None"}.get(p["bare"])
    lines = ["import re", "", '_KEY = re.compile(r"[A-Za-z0-9_.\\-]+")', "", ""]
    lines += [
        "def _split(text: str) -> list[str]:",
        '    """Split on the pair separator, outside double quotes."""',
        "    parts: list[str] = []",
        '    current = ""',
    ]
    if p["quotes"]:
        lines += [
            "    quoted = escaped = False",
            "    for ch in text:",
            "        if escaped:",
            "            current += ch",
            "            escaped = False",
            '        elif ch == "\\\\" and quoted:',
            "            current += ch",
            "            escaped = True",
            "        elif ch == '\"':",
            "            quoted = not quoted",
            "            current += ch",
            f"        elif not quoted and {'ch.isspace()' if pair == ' ' else 'ch == ' + repr(pair)}:",
            "            parts.append(current)",
            '            current = ""',
            "        else:",
            "            current += ch",
            "    if quoted:",
            '        raise ValueError("unterminated quote")',
            "    parts.append(current)",
            "    return parts",
        ]
    else:
        lines += [
            "    parts = text.split()" if pair == " " else f"    parts = text.split({pair!r})",
            "    del current",
            "    return parts",
        ]
    lines += ["", ""]
    if p["quotes"]:
        lines += [
            "def _value(raw: str) -> str:",
            "    v = raw.strip()",
            "    if len(v) >= 2 and v[0] == v[-1] == '\"':",
            '        out, i, inner = "", 0, v[1:-1]',
            "        while i < len(inner):",
            '            if inner[i] == "\\\\" and i + 1 < len(inner) and inner[i + 1] in "\\"\\\\":',
            "                out += inner[i + 1]",
            "                i += 2",
            "            elif inner[i] == '\"':",
            '                raise ValueError("stray quote")',
            "            else:",
            "                out += inner[i]",
            "                i += 1",
            "        return out",
            "    if '\"' in v:",
            '        raise ValueError("stray quote")',
            "    return v",
            "",
            "",
        ]
    ret_t = "dict[str, list[str | bool | None]]" if p["dupes"] == "list" else "dict[str, str | bool | None]"
    lines += [
        f"def {p['name']}(text: str) -> {ret_t}:",
        f"    result: {ret_t} = {{}}",
        "    for part in _split(text):",
        "        if not part.strip():",
        "            continue",
    ]
    lines += [
        f"        if {eq!r} in part:",
        f"            key, raw = part.split({eq!r}, 1)",
        "            key = key.strip()",
    ]
    if p["quotes"]:
        lines += ["            value = _value(raw)"]
    else:
        lines += ["            value = raw.strip()"]
    if p["empty_value"] == "error":
        lines += ["            if not raw.strip():", '                raise ValueError(f"empty value for {key!r}")']
    elif p["empty_value"] == "none":
        lines += ["            if not raw.strip():", "                value = None"]
    lines += ["        else:"]
    if p["bare"] == "error":
        lines += ['            raise ValueError(f"no value in {part!r}")']
    else:
        lines += ["            key, value = part.strip(), " + str(bare)]
    lines += ["        if not _KEY.fullmatch(key):", '            raise ValueError(f"bad key {key!r}")']
    if p["fold"] == "lower":
        lines += ["        key = key.lower()"]
    d = p["dupes"]
    if d == "first":
        lines += ["        result.setdefault(key, value)"]
    elif d == "last":
        lines += ["        result[key] = value"]
    elif d == "error":
        lines += [
            "        if key in result:",
            '            raise ValueError(f"repeated key {key!r}")',
            "        result[key] = value",
        ]
    else:
        lines += ["        result.setdefault(key, []).append(value)"]
    lines += ["    return result"]
    return "\n".join(lines) + "\n"


_KV_KEYS = (
    "host",
    "port",
    "user",
    "Timeout",
    "retries",
    "region",
    "env",
    "team",
    "owner",
    "cost-center",
    "tier",
    "db.name",
    "ssl",
    "readonly",
    "app_id",
    "Color",
    "size",
    "lang",
)
_KV_VALUES = (
    "db01.internal",
    "5432",
    "svc_report",
    "30",
    "eu-west-1",
    "prod",
    "billing",
    "ops",
    "A-113",
    "gold",
    "true",
    "x86",
    "nl-NL",
    "42",
    "blue",
)


def _kv_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    eq, pair = p["eq"], p["pair"]
    joiner = pair if pair != " " else " "
    calls = []
    for _ in range(4):
        keys = rng.sample(_KV_KEYS, rng.randint(1, 4))
        items = [f"{k}{eq}{pick(rng, _KV_VALUES)}" for k in keys]
        pad = pick(rng, ("", " ")) if pair != " " else pick(rng, (" ", "  ", "\t"))
        calls.append(Call(((pad + joiner + pad).join(items) if pair != " " else pad.join(items),), "pairs"))
    calls += [Call(("",), "pairs"), Call(("   ",), "pairs")]
    calls += [
        Call((f"Host{eq}a{joiner}host{eq}b",), "case_and_repeats"),
        Call((f"env{eq}dev{joiner}env{eq}prod{joiner}env{eq}test",), "case_and_repeats"),
    ]
    calls += [
        Call((f"verbose{joiner}level{eq}3",), "bare_keys"),
        Call((f"level{eq}{joiner}mode{eq}x",), "empty_values"),
        Call((f"level{eq}  {joiner}mode{eq}x",), "empty_values"),
    ]
    if pair != " ":
        calls += [
            Call((f"a{eq}1{pair}{pair}b{eq}2{pair}",), "pairs"),
            Call((f" a {eq} 1 {pair} b{eq} two words ",), "pairs"),
        ]
    calls += [
        Call((f"bad key{eq}1",) if pair != " " else (f"b@d{eq}1",), "invalid"),
        Call((f"{eq}1",), "invalid"),
        Call((f"k!{eq}v",), "invalid"),
    ]
    if p["quotes"]:
        calls += [
            Call((f'name{eq}"Smith{pair} John"{joiner}x{eq}1',), "quoted"),
            Call((f'msg{eq}"say \\"hi\\""{joiner}path{eq}"C:\\\\tmp"',), "quoted"),
            Call((f'q{eq}"  padded  "',), "quoted"),
            Call((f'q{eq}"open{joiner}x{eq}1',), "quoted"),
            Call((f'eq{eq}"a{eq}b"',), "quoted"),
        ]
    else:
        calls += [Call((f'q{eq}"x"',), "quotes_plain")]
    return calls


_KV_BG = (
    "Ops keeps connection settings in one string per service in the vault.",
    "Cloud resources get free-form tags from the console and we need them as a dict for the cost report.",
    "The feature-flag service stores per-tenant options as a single text column.",
    "Our webhooks send a signature header with several parameters in it.",
    "Legacy cron jobs take their options as one CLI argument.",
)


def parse_kv(rng: random.Random, mode: str) -> FnTask:
    p = _kv_params(rng, mode)
    rules = _kv_rules(p)
    shown = _kv_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        old = p["dupes"]
        p["dupes"] = pick(rng, [d for d in ("first", "last", "error") if d != old] if old != "list" else ("last",))
        change = {
            "first": "when a key repeats keep the FIRST value",
            "last": "when a key repeats the LAST value wins",
            "error": "a repeated key must raise ValueError",
        }[p["dupes"]]
        if old == "list":
            change += "; values are no longer wrapped in lists"
    reference = _kv_ref(p)
    calls = _kv_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 2, lambda c: repr(c.args[0]))
    ret = "dict[str, list]" if p["dupes"] == "list" else "dict"
    sig = signature_line(rng, p["name"] + "(text: str) -> " + ret)
    body = f"{sig}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    text = frame(
        rng,
        pick(rng, ("parse key=value strings", "options string parser", "turn the tags field into a dict")),
        rng.sample(_KV_BG, 2),
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        "parse_kv",
        "parsing",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        ordered_dicts=True,
        kind=None if mode == "golden" else mode,
    )


# --------------------------------------------------------------------------------------------------
# parse_size: "1.5 GB" -> bytes

_SIZE_PREFIX = ("K", "M", "G", "T")


def _size_params(rng: random.Random, mode: str) -> dict[str, Any]:
    return {
        "base": pick(rng, (1000, 1024)),
        "iec": rng.random() < 0.5,
        "decimal_comma": mode == "edge_format",
        "nocase": mode == "edge_format" or rng.random() < 0.5,
        "rounding": pick(rng, ("floor", "half_up", "ceil")),
        "bare": pick(rng, ("bytes", "error")),
        "name": pick(rng, ("parse_size", "size_in_bytes", "to_bytes", "parse_quota", "bytes_from_text")),
    }


def _size_rules(p: dict[str, Any]) -> list[str]:
    base = p["base"]
    rules = [
        "Input: a non-negative number (digits, optionally a decimal part), optional spaces, then a unit",
        "`B` is bytes; `K`, `M`, `G`, `T` (alone or followed by `B`) are powers of "
        + ("1000 (SI, like disk vendors)" if base == 1000 else "1024 (like the OS shows sizes)"),
    ]
    if p["iec"]:
        rules.append("`KiB`, `MiB`, `GiB` and `TiB` are always powers of 1024, whatever the rule above says")
    else:
        rules.append("No other unit spellings are accepted (`KiB` raises ValueError)")
    if p["decimal_comma"]:
        rules.append(
            "The decimal separator may be a dot or a comma (`1,5 GB`); spaces and tabs between number and "
            "unit are fine, and surrounding whitespace is ignored"
        )
    else:
        rules.append("The decimal separator is a dot; surrounding whitespace is ignored")
    rules.append(
        "Units are case-insensitive (`gb`, `Gb`)"
        if p["nocase"]
        else "Units are uppercase only (`1 gb` raises ValueError)"
    )
    rules.append(
        {
            "floor": "Fractions of a byte are dropped (round down)",
            "half_up": "The result is rounded to the nearest byte, halves up",
            "ceil": "Fractions of a byte round up to a whole byte",
        }[p["rounding"]]
    )
    rules.append("A number without a unit is a number of bytes" if p["bare"] == "bytes" else "A unit is required")
    rules.append("Return an int; anything else raises ValueError")
    return rules


def _size_ref(p: dict[str, Any]) -> str:
    base = p["base"]
    units = {"B": 1}
    for i, prefix in enumerate(_SIZE_PREFIX, 1):
        units[prefix] = base**i
        units[prefix + "B"] = base**i
        if p["iec"]:
            units[prefix + "IB" if p["nocase"] else prefix + "iB"] = 1024**i
    if p["bare"] == "bytes":
        units[""] = 1
    num = "\\d+(?:[.,]\\d+)?" if p["decimal_comma"] else "\\d+(?:\\.\\d+)?"
    rounding = {"floor": "ROUND_FLOOR", "half_up": "ROUND_HALF_UP", "ceil": "ROUND_CEILING"}[p["rounding"]]
    return (
        "\n".join(
            [
                "import re",
                f"from decimal import {rounding}, Decimal",
                "",
                f"_UNITS = {units!r}",
                f'_SIZE = re.compile(r"({num})\\s*([A-Za-z]*)")',
                "",
                "",
                f"def {p['name']}(text: str) -> int:",
                "    match = _SIZE.fullmatch(text.strip())",
                "    if match is None:",
                '        raise ValueError(f"not a size: {text!r}")',
                "    number, unit = match.groups()",
                *(["    unit = unit.upper()"] if p["nocase"] else []),
                "    if unit not in _UNITS:",
                '        raise ValueError(f"unknown unit: {unit!r}")',
                '    value = Decimal(number.replace(",", ".")) * _UNITS[unit]'
                if p["decimal_comma"]
                else "    value = Decimal(number) * _UNITS[unit]",
                f"    return int(value.to_integral_value(rounding={rounding}))",
            ]
        )
        + "\n"
    )


def _size_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    calls = []
    for _ in range(6):
        prefix = pick(rng, _SIZE_PREFIX)
        unit = pick(rng, (prefix, prefix + "B"))
        if p["nocase"] and rng.random() < 0.4:
            unit = unit.lower()
        number = pick(rng, (str(rng.randint(1, 999)), f"{rng.randint(0, 99)}.{rng.randint(1, 999)}"))
        if p["decimal_comma"] and "." in number and rng.random() < 0.5:
            number = number.replace(".", ",")
        calls.append(Call((f"{number}{pick(rng, ('', ' '))}{unit}",), "sizes"))
    calls += [
        Call(("0 B",), "sizes"),
        Call(("512B",), "sizes"),
        Call(("1.5 GB",), "sizes"),
        Call(("  2K ",), "sizes"),
        Call(("0.0001 K",), "rounding"),
        Call(("1.0005 K",), "rounding"),
        Call(("0.5 B",), "rounding"),
        Call(("2.5B",), "rounding"),
    ]
    calls += [Call(("4 MiB",), "iec_units"), Call(("1.5 GiB",), "iec_units")]
    calls += [Call(("1 gb",), "unit_case"), Call(("3 Kb",), "unit_case")]
    calls += [Call(("1,5 GB",), "decimal_comma")]
    if p["decimal_comma"]:
        calls.append(Call(("10\tMB",), "decimal_comma"))
    calls += [Call(("1024",), "bare_numbers")]
    bad = ["", "GB", "-1 GB", "1.5.2 MB", "1 PB", "1 XB", "one GB", "1 G B", ".5 GB", "1e3 KB"]
    calls += [Call((b,), "invalid") for b in bad]
    return calls


def parse_size(rng: random.Random, mode: str) -> FnTask:
    p = _size_params(rng, mode)
    if mode == "ambiguous":
        p["base"], p["iec"] = 1024, False
    rules = _size_rules(p)
    shown = _size_ref(p)
    wrong = change = None
    if mode == "ambiguous":
        # "KB" means 1024 here, stated only in passing and shown by an example; the SI reading is the trap
        rules[1] = (
            "`B` is bytes; `K`, `M`, `G`, `T` (alone or followed by `B`) are the usual prefixes, as the storage "
            "dashboard shows them (`1 KB` is 1024 bytes there)"
        )
        wrong = _size_ref({**p, "base": 1000})
    if mode == "long_context_contradiction":
        wrong = shown
        if rng.random() < 0.5:
            p["base"] = 1000 if p["base"] == 1024 else 1024
            change = f"K/M/G/T (with or without B) are powers of {p['base']}, not {1024 if p['base'] == 1000 else 1000}"
        else:
            p["rounding"] = pick(rng, [r for r in ("floor", "half_up", "ceil") if r != p["rounding"]])
            change = {
                "floor": "fractions of a byte must be dropped (round down)",
                "half_up": "round to the nearest byte, halves up",
                "ceil": "fractions of a byte round up",
            }[p["rounding"]]
    reference = _size_ref(p)
    calls = _size_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: repr(c.args[0]))
    if mode == "ambiguous":
        pairs.append(("'2 KB'", "2048"))
    sig = signature_line(rng, p["name"] + "(text: str) -> int")
    body = f"{sig}\n\n{bullets(rng, rules)}\n\n{examples_block(rng, pairs)}"
    text = frame(
        rng,
        pick(rng, ("parse human-readable sizes", "quota field parser", "size strings to bytes")),
        [
            pick(
                rng,
                (
                    "Storage quotas are entered by admins in the settings page.",
                    "The upload limit is configured per tenant as text.",
                    "Backup reports list sizes the way the vendor prints them.",
                ),
            )
        ],
        body,
    )
    if change is not None:
        text = revision(rng, text, change[0].upper() + change[1:] + ".")
    return FnTask(
        "parse_size",
        "parsing",
        p["name"],
        text,
        reference,
        calls,
        wrong=wrong,
        kind=None if mode == "golden" else mode,
        short=True,
    )


FAMILIES = [
    Family("parse_amount", "parsing", parse_amount, ("edge_format", "missing_data", "long_context_contradiction")),
    Family("parse_duration", "parsing", parse_duration, ("ambiguous", "edge_format", "long_context_contradiction")),
    Family(
        "parse_page_ranges", "parsing", parse_page_ranges, ("edge_format", "missing_data", "long_context_contradiction")
    ),
    Family("parse_kv", "parsing", parse_kv, ("edge_format", "missing_data", "long_context_contradiction")),
    Family("parse_size", "parsing", parse_size, ("ambiguous", "edge_format", "long_context_contradiction")),
]
