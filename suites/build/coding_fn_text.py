"""Function families: text handling and validation (masking personal data in free text, truncating for
previews, URL slugs, check-digit validation, password policies, postcode normalisation). Inputs mix
scripts and whitespace kinds on purpose: tabs, no-break spaces, accented and non-Latin letters."""

from __future__ import annotations

import random
from typing import Any

from coding_kit import Call, Family, FnTask, bullets, example_pairs, pick, run_reference
from coding_twists import revision
from coding_voice import PEOPLE, SURNAMES, examples_block, frame, signature_line


def _finish(
    rng: random.Random,
    family: str,
    domain: str,
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
        family, domain, p["name"], text, reference, calls, wrong=wrong, kind=None if mode == "golden" else mode, **kw
    )


# --------------------------------------------------------------------------------------------------
# mask_card_numbers


def _mask_rules(p: dict[str, Any]) -> list[str]:
    seps = "spaces or hyphens" if p["seps"] else "nothing (digits only)"
    rules = [
        f"A card number is a run of 13 to 19 digits, optionally grouped with single {seps} between digits, "
        "that is not directly preceded or followed by another digit or a letter"
    ]
    if p["luhn"]:
        rules.append(
            "Only runs that pass the Luhn check are card numbers; anything else (order numbers, phone numbers) "
            "is left alone"
        )
    rules.append(
        f"Replace every digit of a card number except the last {p['keep']} with `{p['char']}`, keeping the "
        "separators where they are"
    )
    rules.append("Everything else in the text stays exactly as it is")
    return rules


def _mask_ref(p: dict[str, Any]) -> str:
    sep = "[ -]?" if p["seps"] else ""
    lines = [
        "import re",
        "",
        f'_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\\d(?:{sep}\\d){{12,18}}(?![0-9A-Za-z])")',
        "",
        "",
    ]
    if p["luhn"]:
        lines += [
            "def _luhn(digits: str) -> bool:",
            "    total = 0",
            "    for i, ch in enumerate(reversed(digits)):",
            "        d = int(ch)",
            "        if i % 2 == 1:",
            "            d = d * 2 - 9 if d > 4 else d * 2",
            "        total += d",
            "    return total % 10 == 0",
            "",
            "",
        ]
    lines += [
        "def _mask(match: re.Match[str]) -> str:",
        "    text = match.group(0)",
        "    digits = [c for c in text if c.isdigit()]",
    ]
    if p["luhn"]:
        lines += ['    if not _luhn("".join(digits)):', "        return text"]
    lines += [
        f"    hide = len(digits) - {p['keep']}",
        "    out, seen = [], 0",
        "    for c in text:",
        "        if c.isdigit():",
        f"            out.append({p['char']!r} if seen < hide else c)",
        "            seen += 1",
        "        else:",
        "            out.append(c)",
        '    return "".join(out)',
        "",
        "",
        f"def {p['name']}(text: str) -> str:",
        "    return _CANDIDATE.sub(_mask, text)",
    ]
    return "\n".join(lines) + "\n"


_CARDS = (
    "4111111111111111",
    "5500005555555559",
    "378282246310005",
    "6011111111111117",
    "4012888888881881",
    "3530111333300000",
    "4000056655665556",
)


def _mask_inputs(rng: random.Random, p: dict[str, Any]) -> list[Call]:
    def grouped(card: str) -> str:
        if not p["seps"]:
            return card
        sep = pick(rng, (" ", "-"))
        return sep.join(card[i : i + 4] for i in range(0, len(card), 4))

    who = f"{pick(rng, PEOPLE)} {pick(rng, SURNAMES)}"
    calls = [
        Call((f"Customer {who} paid with {grouped(pick(rng, _CARDS))}, please refund.",), "cards"),
        Call((f"card:{pick(rng, _CARDS)} exp 12/27",), "cards"),
        Call((f"Two cards on file: {grouped(_CARDS[0])} and {grouped(_CARDS[2])}.",), "cards"),
        Call(("Order 20250312000123 shipped; call +44 20 7946 0958.",), "not_cards"),
        Call(("Tracking 1Z999AA10123456784 and ref AB4111111111111111.",), "not_cards"),
        Call(("4111111111111112 looks like a card but fails the checksum",), "luhn"),
        Call(("no numbers here, just text ünïcödé",), "not_cards"),
        Call((f"{_CARDS[1]}",), "cards"),
        Call(("41111111111111111111 (20 digits)",), "not_cards"),
        Call((f"split {_CARDS[0][:8]} {_CARDS[0][8:]} across two groups",), "separators"),
        Call((f"double space {_CARDS[0][:4]}  {_CARDS[0][4:]}",), "separators"),
        Call((f"mixed {_CARDS[0][:4]}-{_CARDS[0][4:8]} {_CARDS[0][8:]}",), "separators"),
        Call(("",), "cards"),
    ]
    return calls


def mask_card_numbers(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "seps": mode == "edge_format" or rng.random() < 0.6,
        "luhn": rng.random() < 0.5,
        "keep": pick(rng, (4, 4, 2, 6)),
        "char": pick(rng, ("*", "X", "#", "•")),
        "name": pick(rng, ("mask_card_numbers", "redact_cards", "scrub_pans")),
    }
    rules = _mask_rules(p)
    shown = _mask_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong, old = shown, p["keep"]
        p["keep"] = pick(rng, [k for k in (2, 4, 6) if k != old])
        change = f"keep the last {p['keep']} digits visible, not {old}"
    reference = _mask_ref(p)
    calls = _mask_inputs(rng, p)
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 2, lambda c: repr(c.args[0]))
    bg = (
        "Support tickets sometimes contain full card numbers pasted by customers; PCI says they must not be stored.",
        "The ticket text is masked before it is written to the search index.",
        "This runs on every incoming email, so keep it a single pass over the text.",
    )
    return _finish(
        rng,
        "mask_card_numbers",
        "text",
        p,
        pick(rng, ("mask card numbers in tickets", "PCI: redact PANs")),
        bg,
        f"{p['name']}(text: str) -> str",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
    )


# --------------------------------------------------------------------------------------------------
# truncate_text


def _trunc_rules(p: dict[str, Any]) -> list[str]:
    e = p["ellipsis"]
    rules = ["If `text` has at most `limit` characters, return it unchanged"]
    rules.append(
        f"Otherwise cut it and append `{e}`; the result including `{e}` must be at most `limit` characters"
        if p["counts"]
        else f"Otherwise cut it to at most `limit` characters and append `{e}` (the ellipsis does "
        "not count towards the limit)"
    )
    rules.append("Cut at a word boundary: keep whole words only (words are separated by whitespace)")
    rules.append(
        "Always drop whitespace and punctuation among `,;:.-` at the end of the kept part, before the ellipsis"
    )
    rules.append(
        "If not even the first word fits, cut that word hard at the limit ("
        + ("leaving room for the ellipsis" if p["counts"] else "then add the ellipsis")
        + ")"
    )
    rules.append(
        "Whitespace runs (spaces, tabs, newlines) inside the kept part are collapsed to one space"
        if p["collapse"]
        else "Whitespace inside the kept part stays as it is"
    )
    rules.append("`limit` below " + ("the ellipsis length plus 1" if p["counts"] else "1") + " raises ValueError")
    return rules


def _trunc_ref(p: dict[str, Any]) -> str:
    e = p["ellipsis"]
    room = f"limit - {len(e)}" if p["counts"] else "limit"
    minimum = len(e) + 1 if p["counts"] else 1
    lines = [
        f"def {p['name']}(text: str, limit: int) -> str:",
        f"    if limit < {minimum}:",
        '        raise ValueError("limit too small")',
    ]
    if p["collapse"]:
        lines += [
            "    if len(text) <= limit:",
            "        return text",
            "    words = text.split()",
            f"    room = {room}",
            '    kept = ""',
            "    for word in words:",
            '        candidate = word if not kept else kept + " " + word',
            "        if len(candidate) > room:",
            "            break",
            "        kept = candidate",
        ]
    else:
        lines += [
            "    if len(text) <= limit:",
            "        return text",
            f"    room = {room}",
            "    cut = text[: room + 1]",
            "    if not cut[room:].isspace() and cut[room:]:",
            "        cut = cut[:room]",
            "        end = max(cut.rfind(ch) for ch in (' ', '\\t', '\\n', '\\r'))",
            "        kept = cut[:end] if end > 0 else ''",
            "    else:",
            "        kept = cut[:room]",
        ]
    lines += ["    if not kept:", f"        kept = text.lstrip()[:{room}]", '    kept = kept.rstrip(" \\t\\n\\r,;:.-")']
    lines += [f"    return kept + {e!r}"]
    return "\n".join(lines) + "\n"


_SENTENCES = (
    "Our spring collection is here: linen shirts, light jackets and the sandals you asked for.",
    "Delivery was delayed by the carrier; we've refunded the shipping fee to your card.",
    "Die Bestellung wurde heute verschickt und sollte am Donnerstag ankommen.",
    "Réunion trimestrielle : ordre du jour, budget, recrutements et questions diverses.",
    "Supercalifragilisticexpialidocious-deals all week long, no code needed.",
    "Short one.",
    "Release notes:\tfixed login bug;  improved   search\nspeed, updated translations.",
)


def truncate_text(rng: random.Random, mode: str) -> FnTask:
    p: dict[str, Any] = {
        "ellipsis": pick(rng, ("…", "...", " [more]")),
        "counts": rng.random() < 0.6,
        "collapse": mode == "edge_format" or rng.random() < 0.4,
        "name": pick(rng, ("truncate", "preview_text", "shorten", "snippet")),
    }
    rules = _trunc_rules(p)
    shown = _trunc_ref(p)
    wrong = change = None
    if mode == "ambiguous":
        # whether the ellipsis counts towards the limit: stated once, shown by one example
        p["counts"] = True
        rules = _trunc_rules(p)
        rules[1] = (
            f"Otherwise cut it and append `{p['ellipsis']}`, so the preview still fits the {{limit}}-character box"
        )
        rules[1] = rules[1].replace("{limit}", "`limit`")
        shown = _trunc_ref(p)
        wrong = _trunc_ref({**p, "counts": False})
    if mode == "long_context_contradiction":
        wrong = shown
        p["counts"] = not p["counts"]
        change = (
            f"the `{p['ellipsis']}` counts towards the limit: the whole result must fit in `limit` characters"
            if p["counts"]
            else f"the `{p['ellipsis']}` does NOT count towards the limit"
        )
    reference = _trunc_ref(p)
    calls = []
    for s in _SENTENCES:
        for limit in sorted({rng.randint(8, 40), rng.randint(12, 70), len(s), len(s) - 1}):
            calls.append(Call((s, max(limit, 8)), "truncation"))
    calls += [
        Call(("exactly ten", 11), "boundaries"),
        Call(("word, another", 6 + len(p["ellipsis"])), "boundaries"),
        Call(("abc", 2 + len(p["ellipsis"])), "boundaries"),
        Call(("", 9), "boundaries"),
        Call(("tiny", 0), "invalid"),
        Call(("tiny", len(p["ellipsis"])), "invalid"),
    ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls[:30:7], 3, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]})")
    bg = (
        "Notification previews on phones cut text at a fixed width.",
        "The product grid shows the first line of each description.",
        "Email subject previews in the admin list are too long.",
    )
    return _finish(
        rng,
        "truncate_text",
        "text",
        p,
        pick(rng, ("truncate text for previews", "preview snippets")),
        bg,
        f"{p['name']}(text: str, limit: int) -> str",
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
# validate_iban


_IBANS = (
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "NL91ABNA0417164300",
    "FR1420041010050500013M02606",
    "BE68539007547034",
    "ES9121000418450200051332",
    "CH9300762011623852957",
    "IT60X0542811101000000123456",
)


def _iban_rules(p: dict[str, Any]) -> list[str]:
    lengths = ", ".join(f"{c} {n}" for c, n in p["lengths"].items())
    rules = [
        "Spaces are allowed anywhere and ignored" + (", and so are hyphens" if p["hyphens"] else ""),
        "Letters may be lower case" if p["nocase"] else "Letters must be upper case",
        "Structure: two letters (country code), two check digits, then letters and digits",
        f"Known countries and their total lengths: {lengths}; any other country is invalid",
        "Check: move the first four characters to the end, replace every letter by two digits (A=10 ... Z=35), "
        "and the resulting number modulo 97 must be 1",
    ]
    rules.append(
        {
            "bool": "Return True or False; never raise",
            "normalized": "Return the IBAN in the canonical print form (upper case, groups of four separated by "
            "one space) when valid, or None when it is not",
        }[p["out"]]
    )
    return rules


def _iban_ref(p: dict[str, Any]) -> str:
    strip = 'raw.replace(" ", "").replace("-", "")' if p["hyphens"] else 'raw.replace(" ", "")'
    ret = "bool" if p["out"] == "bool" else "str | None"
    bad = "False" if p["out"] == "bool" else "None"
    good = "True" if p["out"] == "bool" else '" ".join(s[i : i + 4] for i in range(0, len(s), 4))'
    lines = [
        "import re",
        "",
        f"_LENGTHS = {p['lengths']!r}",
        "",
        "",
        f"def {p['name']}(raw: str) -> {ret}:",
        f"    s = {strip}",
    ]
    if p["nocase"]:
        lines += ["    s = s.upper()"]
    lines += [
        '    if not re.fullmatch(r"[A-Z]{2}\\d{2}[A-Z0-9]+", s) or _LENGTHS.get(s[:2]) != len(s):',
        f"        return {bad}",
        '    number = int("".join(str(int(c, 36)) for c in s[4:] + s[:4]))',
        f"    return {good} if number % 97 == 1 else {bad}",
    ]
    return "\n".join(lines) + "\n"


def validate_iban(rng: random.Random, mode: str) -> FnTask:
    all_len = {"DE": 22, "GB": 22, "NL": 18, "FR": 27, "BE": 16, "ES": 24, "CH": 21, "IT": 27}
    keep = sorted(rng.sample(sorted(all_len), rng.randint(4, 7)))
    p: dict[str, Any] = {
        "lengths": {c: all_len[c] for c in keep},
        "hyphens": mode == "edge_format" or rng.random() < 0.4,
        "nocase": mode == "edge_format" or rng.random() < 0.5,
        "out": pick(rng, ("bool", "normalized")),
        "name": pick(rng, ("validate_iban", "check_iban", "normalize_iban", "is_valid_iban")),
    }
    if p["out"] == "normalized" and p["name"].startswith("is_"):
        p["name"] = "normalize_iban"
    rules = _iban_rules(p)
    reference = _iban_ref(p)
    calls = []
    for iban in _IBANS:
        grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        calls.append(Call((pick(rng, (iban, grouped)),), "known_ibans"))
    calls += [
        Call(("DE89 3704 0044 0532 0130 01",), "bad_checksums"),
        Call(("GB82WEST12345698765433",), "bad_checksums"),
        Call(("NL91ABNA041716430",), "lengths"),
        Call(("DE89370400440532013000 0",), "lengths"),
        Call(("de89370400440532013000",), "case"),
        Call(("Gb82 West 1234 5698 7654 32",), "case"),
        Call(("DE89-3704-0044-0532-0130-00",), "hyphens"),
        Call(("  NL91 ABNA 0417 1643 00  ",), "spaces"),
        Call(("XX89370400440532013000",), "countries"),
        Call(("",), "garbage"),
        Call(("DE",), "garbage"),
        Call(("DE8937040044053201300!",), "garbage"),
        Call(("1234567890",), "garbage"),
    ]
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls, 2, lambda c: repr(c.args[0]))
    ret = "bool" if p["out"] == "bool" else "str | None"
    bg = (
        "Customers enter their IBAN in the payout settings and typos cost us failed transfers.",
        "The bank rejects whole batches when one IBAN is malformed.",
        "We only pay out to the countries listed below for now.",
    )
    return _finish(
        rng,
        "validate_iban",
        "validation",
        p,
        pick(rng, ("IBAN validation for payouts", "check IBANs")),
        bg,
        f"{p['name']}(raw: str) -> {ret}",
        rules,
        pairs,
        reference,
        calls,
        mode,
        None,
        None,
        short=True,
    )


# --------------------------------------------------------------------------------------------------
# password_problems: which policy rules a password breaks, as codes


_PW_RULES = {
    "too_short": "shorter than {min} characters",
    "too_long": "longer than {max} characters",
    "no_upper": "no uppercase letter (A-Z)",
    "no_lower": "no lowercase letter (a-z)",
    "no_digit": "no digit",
    "no_symbol": "no character that is neither a letter nor a digit nor whitespace",
    "whitespace": "contains whitespace",
    "contains_username": "contains the username, compared case-insensitively (only when the username has 3 or more "
    "characters)",
    "repeated": "the same character {rep} or more times in a row",
}


def _pw_rules(p: dict[str, Any]) -> list[str]:
    rows = [f"`{code}`: " + _PW_RULES[code].format(**p) for code in p["codes"]]
    return [
        "Check the password against these rules and report the codes of every rule it breaks:\n"
        + "\n".join(f"  - {r}" for r in rows),
        'Length counts characters (`len`), so accented letters count once; "letter" for upper/lower means ASCII only',
        "Return the broken codes in the order of the list above; an empty list means the password is fine",
    ]


def _pw_ref(p: dict[str, Any]) -> str:
    checks = {
        "too_short": f"len(password) < {p['min']}",
        "too_long": f"len(password) > {p['max']}",
        "no_upper": "not any('A' <= c <= 'Z' for c in password)",
        "no_lower": "not any('a' <= c <= 'z' for c in password)",
        "no_digit": "not any(c.isdigit() for c in password)",
        "no_symbol": "not any(not c.isalnum() and not c.isspace() for c in password)",
        "whitespace": "any(c.isspace() for c in password)",
        "contains_username": "len(username) >= 3 and username.lower() in password.lower()",
        "repeated": f're.search(r"(.)\\1{{{p["rep"] - 1},}}", password, re.DOTALL) is not None',
    }
    lines = ["import re", "", "", f"def {p['name']}(password: str, username: str) -> list[str]:", "    problems = []"]
    for code in p["codes"]:
        lines += [f"    if {checks[code]}:", f"        problems.append({code!r})"]
    lines += ["    return problems"]
    return "\n".join(lines) + "\n"


def password_problems(rng: random.Random, mode: str) -> FnTask:
    optional = [
        "too_long",
        "no_upper",
        "no_lower",
        "no_digit",
        "no_symbol",
        "whitespace",
        "contains_username",
        "repeated",
    ]
    codes = ["too_short", *rng.sample(optional, rng.randint(3, 6))]
    order = list(_PW_RULES)
    codes.sort(key=order.index)
    p: dict[str, Any] = {
        "codes": codes,
        "min": pick(rng, (8, 10, 12)),
        "max": pick(rng, (64, 72, 128)),
        "rep": pick(rng, (3, 4)),
        "name": pick(rng, ("password_problems", "check_password", "policy_violations")),
    }
    rules = _pw_rules(p)
    shown = _pw_ref(p)
    wrong = change = None
    if mode == "long_context_contradiction":
        wrong = shown
        p["min"] = p["min"] + pick(rng, (2, 4))
        change = f"the minimum length is {p['min']} characters now (security review)"
    reference = _pw_ref(p)
    user = pick(rng, ("mlopez", "jo", "admin", "Priya.S", "t.nowak", "ab"))
    samples = [
        "correct horse battery staple",
        "Tr0ub4dor&3",
        "password",
        "P@ssw0rd!",
        "aaaaBBBB1111!!!!",
        "Zz9!",
        f"my{user}Pass1!",
        "Ünïcödé-Päss-2024",
        "\tTabbed1!Pass",
        "x" * 80 + "A1!",
        "Abcdefgh1!",
        "1234567890",
        "SUMMER2025!",
        "s3cure-Enough#42",
        "Jo_jo_jo_99!",
    ]
    calls = [Call((pw, user), "passwords") for pw in samples]
    calls += [
        Call((f"{user.upper()}xyz9!Q", user), "username"),
        Call(("aaa", "ab"), "username"),
        Call(("Abc" + "1" * 5 + "!x", "zz"), "repeats"),
        Call(("", user), "passwords"),
    ]
    fn = run_reference(shown, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]!r})")
    bg = (
        "The signup form shows a message per broken rule, so the codes matter.",
        "Same policy for the admin console and the customer app.",
        "Security asked for this after the pentest.",
    )
    return _finish(
        rng,
        "password_problems",
        "validation",
        p,
        pick(rng, ("password policy check", "which password rules are broken")),
        bg,
        f"{p['name']}(password: str, username: str) -> list[str]",
        rules,
        pairs,
        reference,
        calls,
        mode,
        wrong,
        change,
    )


# --------------------------------------------------------------------------------------------------
# normalize_postcode

_POSTCODES: dict[str, tuple[str, str, list[str], list[str]]] = {
    "NL": (
        "four digits (the first not 0) and two letters, written `1234 AB`",
        r"([1-9]\d{3}) ?([A-Z]{2})",
        ["1011AB", "1011 ab", " 3511  ev", "9999ZZ"],
        ["0123AB", "1234A", "12345AB", "1234 A1"],
    ),
    "UK": (
        "outward code (`A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A`) and inward code (a digit and two letters), "
        "written with one space between them: `SW1A 1AA`",
        r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})",
        ["sw1a1aa", "EC1A 1BB", "m1 1ae", "B33 8TH", "cr2 6xh"],
        ["SW1A1A", "1AB 2CD", "EC1A  1BB1", "Q"],
    ),
    "CA": (
        "letter-digit-letter, then digit-letter-digit, written `K1A 0B1`",
        r"([A-Z]\d[A-Z]) ?(\d[A-Z]\d)",
        ["k1a0b1", "H3Z 2Y7", "t2p-1j9", "v6b 4y8"],
        ["K1A0B", "123 456", "K1A 0BB"],
    ),
    "PL": (
        "two digits, a hyphen and three digits, written `00-950`",
        r"(\d{2})-?(\d{3})",
        ["00950", "31-042", " 80-001 ", "02 495"],
        ["1234", "00-95O", "123-456"],
    ),
    "PT": (
        "four digits, a hyphen and three digits, written `1000-001`",
        r"(\d{4})-?(\d{3})",
        ["1000001", "4050-097", "3000 123"],
        ["100-001", "1000-01", "ABCD-123"],
    ),
}


def _pc_ref(p: dict[str, Any]) -> str:
    c = p["country"]
    _, pattern, _, _ = _POSTCODES[c]
    sep = {"NL": " ", "UK": " ", "CA": " ", "PL": "-", "PT": "-"}[c]
    pattern = pattern.replace(" ?", "[ -]?" if p["loose"] else " ?").replace("-?", "[ -]?" if p["loose"] else "-?")
    ret = "str | None" if p["bad"] == "none" else "str"
    bad = "return None" if p["bad"] == "none" else 'raise ValueError(f"not a postcode: {raw!r}")'
    return (
        "\n".join(
            [
                "import re",
                "",
                f'_PATTERN = re.compile(r"{pattern}")',
                "",
                "",
                f"def {p['name']}(raw: str) -> {ret}:",
                '    text = " ".join(raw.upper().split())' if p["loose"] else "    text = raw.strip().upper()",
                "    match = _PATTERN.fullmatch(text)",
                "    if match is None:",
                f"        {bad}",
                f"    return {sep!r}.join(match.groups())",
            ]
        )
        + "\n"
    )


def normalize_postcode(rng: random.Random, mode: str) -> FnTask:
    country = pick(rng, sorted(_POSTCODES))
    p: dict[str, Any] = {
        "country": country,
        "loose": mode == "edge_format" or rng.random() < 0.4,
        "bad": pick(rng, ("none", "error")),
        "name": pick(rng, ("normalize_postcode", "clean_postcode", f"format_{country.lower()}_postcode")),
    }
    desc, _, good, bad = _POSTCODES[country]
    rules = [
        f"{country} postcodes: {desc}",
        "Input may be in any case; leading and trailing whitespace is ignored",
        (
            "Between the two parts the user may have typed nothing, a space, several spaces or a hyphen"
            if p["loose"]
            else "Between the two parts the user may have typed nothing or the canonical separator"
        ),
        "Return the canonical form, upper case",
        "Anything else returns None" if p["bad"] == "none" else "Anything else raises ValueError",
    ]
    reference = _pc_ref(p)
    calls = [Call((g,), "valid") for g in good] + [Call((b,), "invalid") for b in bad]
    calls += [Call(("",), "invalid"), Call(("   ",), "invalid")]
    first = good[0]
    calls += [
        Call((first[: len(first) // 2] + "  " + first[len(first) // 2 :],), "separators"),
        Call((first[: len(first) // 2] + "-" + first[len(first) // 2 :],), "separators"),
    ]
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls, 2, lambda c: repr(c.args[0]))
    ret = "str | None" if p["bad"] == "none" else "str"
    bg = (
        "Checkout addresses go to the carrier API, which rejects badly formatted postcodes.",
        "The CRM has years of hand-typed addresses.",
        f"Only {country} addresses for this market.",
    )
    return _finish(
        rng,
        "normalize_postcode",
        "validation",
        p,
        pick(rng, ("postcode normalisation", "clean up postcodes")),
        bg,
        f"{p['name']}(raw: str) -> {ret}",
        rules,
        pairs,
        reference,
        calls,
        mode,
        None,
        None,
        short=True,
    )


FAMILIES = [
    Family("mask_card_numbers", "text", mask_card_numbers, ("edge_format", "long_context_contradiction")),
    Family("truncate_text", "text", truncate_text, ("ambiguous", "edge_format", "long_context_contradiction")),
    Family("validate_iban", "validation", validate_iban, ("edge_format",)),
    Family("password_problems", "validation", password_problems, ("long_context_contradiction",)),
    Family("normalize_postcode", "validation", normalize_postcode, ("edge_format",)),
]
