"""Printing values the way each country prints them, and inventing parties and identifiers.

Kept apart from layout because it is where the suite's gold meets the page: a total is computed once as
a Decimal (the gold) and printed here in the document's own notation ("1.234,50 €", "CHF 1'234.50",
"₹1,23,450.00", "１２，３４５円"), so the two can never disagree.
"""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from extraction_labels import BANKS
from extraction_pools import COUNTRIES, JA_STEMS, NUMBER_STYLES, PEOPLE, STEMS, STREETS, TRADES, Country

CENT = Decimal("0.01")
FX: dict[str, Decimal] = {
    "USD": Decimal(1),
    "CAD": Decimal("1.35"),
    "GBP": Decimal("0.8"),
    "EUR": Decimal("0.92"),
    "AUD": Decimal("1.5"),
    "NZD": Decimal("1.65"),
    "SGD": Decimal("1.35"),
    "INR": Decimal(83),
    "ZAR": Decimal(18),
    "DKK": Decimal("6.9"),
    "NOK": Decimal("10.8"),
    "CHF": Decimal("0.9"),
    "MXN": Decimal(17),
    "SEK": Decimal("10.5"),
    "JPY": Decimal(150),
}
"""Rough rates that turn the item pools' prices into each currency, so a Tokyo invoice reads in yen."""

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
}
T = TypeVar("T")
FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def pick(rng: random.Random, seq: tuple[T, ...] | list[T]) -> T:
    return seq[rng.randrange(len(seq))]


def expand(rng: random.Random, template: str) -> str:
    """`{a|b|c}` alternatives, each chosen at random."""
    return re.sub(r"\{([^{}]*\|[^{}]*)\}", lambda m: pick(rng, m.group(1).split("|")), template)


def q(x: Decimal | float | int, decimals: int = 2) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1) if decimals == 0 else CENT, rounding=ROUND_HALF_UP)


def decimals_of(currency: str) -> int:
    return 0 if currency == "JPY" else 2


def fmt_num(x: Decimal, numfmt: str, decimals: int = 2, *, thin: bool = False) -> str:
    """`x` in the notation `numfmt` (see `Country.numfmt`), sign first; `thin` uses a narrow no-break space."""
    sign = "-" if x < 0 else ""
    whole, _, frac = f"{abs(x):.{decimals}f}".partition(".")
    sep, point = {
        "us": (",", "."),
        "dot": (".", ","),
        "space": (" ", ","),
        "ch": ("'", "."),
        "in": (",", "."),
        "jp": (",", "."),
        "za": (" ", "."),
    }[numfmt]
    if thin and sep == " ":
        sep = "\u202f"
    if numfmt == "in" and len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
        whole = ",".join([*groups, tail])
    else:
        whole = f"{int(whole):,}".replace(",", sep)
    return sign + whole + (point + frac if decimals else "")


def fmt_date(style: str, d: date) -> str:
    m = d.month
    if style == "us_slash":
        return f"{m:02d}/{d.day:02d}/{d.year}"
    if style == "us_long":
        return f"{MONTHS['en'][m - 1]} {d.day}, {d.year}"
    if style == "us_abbr":
        return f"{MONTHS['en'][m - 1][:3]} {d.day}, {d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "iso_slash":
        return f"{d.year}/{m:02d}/{d.day:02d}"
    if style == "dmy_slash":
        return f"{d.day:02d}/{m:02d}/{d.year}"
    if style == "dmy_dash":
        return f"{d.day:02d}-{m:02d}-{d.year}"
    if style == "dmy_dot":
        return f"{d.day:02d}.{m:02d}.{d.year}"
    if style == "dmy_dot_short":
        return f"{d.day:02d}.{m:02d}.{d.year % 100:02d}"
    if style == "long_en":
        return f"{d.day} {MONTHS['en'][m - 1]} {d.year}"
    if style == "ord_en":
        suffix = "th" if 10 < d.day % 100 < 14 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        return f"{d.day}{suffix} {MONTHS['en'][m - 1]} {d.year}"
    if style == "abbr_dash":
        return f"{d.day:02d}-{MONTHS['en'][m - 1][:3]}-{d.year}"
    if style == "compact":
        return f"{d.day:02d}{MONTHS['en'][m - 1][:3].upper()}{d.year % 100:02d}"
    if style == "long_de":
        return f"{d.day}. {MONTHS['de'][m - 1]} {d.year}"
    if style == "long_es":
        return f"{d.day} de {MONTHS['es'][m - 1]} de {d.year}"
    if style in ("long_fr", "long_nl", "long_it", "long_sv"):
        return f"{d.day} {MONTHS[style[5:]][m - 1]} {d.year}"
    if style == "cjk":
        return f"{d.year}年{m}月{d.day}日"
    if style == "reiwa":
        return f"令和{d.year - 2018}年{m}月{d.day}日"
    raise ValueError(style)


class Money:
    """One document's way of printing amounts: its country's notation and one chosen currency marker."""

    def __init__(self, rng: random.Random, cc: str, *, marker: str | None = None, bare: bool = False) -> None:
        self.country: Country = COUNTRIES[cc]
        self.currency = self.country.currency
        self.decimals = decimals_of(self.currency)
        self.marker = marker if marker is not None else pick(rng, self.country.symbols)
        self.bare = bare
        """Print amounts without any currency marker (the document shows no currency)."""
        self.thin = cc == "fr" and rng.random() < 0.5
        self.fullwidth = False
        self.apostrophe = "'"
        """The Swiss thousands mark as printed: an ASCII apostrophe or a typographic one."""
        self.negative_style = "-"
        """How `neg` prints a credited amount: "-" leading minus, "trail" trailing minus, "()" or "CR"."""

    def num(self, x: Decimal) -> str:
        text = fmt_num(x, self.country.numfmt, self.decimals, thin=self.thin).replace("'", self.apostrophe)
        return text.translate(FULLWIDTH) if self.fullwidth else text

    def __call__(self, x: Decimal, *, symbol: bool = True) -> str:
        text = self.num(x)
        if not symbol or self.bare:
            return text
        return self.marker.replace("{}", text)

    def neg(self, x: Decimal, *, symbol: bool = False) -> str:
        """A credited amount printed as the document's negative style (the gold stays positive)."""
        body = self(abs(x), symbol=symbol)
        return {"-": "-" + body, "trail": body + "-", "()": f"({body})", "CR": body + " CR"}[self.negative_style]


def scale(amount: float, currency: str) -> Decimal:
    return q(Decimal(str(amount)) * FX[currency], decimals_of(currency))


# ------------------------------------------------------------------------------------------------ parties


def company(rng: random.Random, cc: str, trade: str) -> str:
    country = COUNTRIES[cc]
    lang = country.lang
    trades = TRADES[lang].get(trade) or TRADES["en"].get(trade) or ("Services",)
    suffix = pick(rng, country.suffixes)
    if lang == "ja":
        return (
            f"{suffix}{pick(rng, JA_STEMS)}{pick(rng, trades)}"
            if rng.random() < 0.6
            else f"{pick(rng, JA_STEMS)}{pick(rng, trades)}{suffix}"
        )
    if lang in ("de", "nl", "sv", "it", "fr", "es") and rng.random() < 0.5:
        surname = pick(rng, PEOPLE[lang][1])
        return (
            f"{pick(rng, trades)} {surname} {suffix}"
            if lang in ("fr", "es", "it")
            else f"{surname} {pick(rng, trades)} {suffix}"
        )
    stem = pick(rng, STEMS)
    if rng.random() < 0.15:
        stem = f"{stem} & {pick(rng, STEMS)}"
    return f"{stem} {pick(rng, trades)} {suffix}"


def person(rng: random.Random, lang: str) -> str:
    first, last = PEOPLE.get(lang, PEOPLE["en"])
    return f"{pick(rng, last)}{pick(rng, first)}" if lang == "ja" else f"{pick(rng, first)} {pick(rng, last)}"


def address(rng: random.Random, cc: str) -> list[str]:
    country = COUNTRIES[cc]
    city, postcode = pick(rng, country.cities)
    street = pick(rng, STREETS[country.lang])
    number = rng.randint(1, 240)
    if country.lang == "ja":
        return [f"〒{postcode}", f"{city}{street}"]
    if cc in ("us", "ca", "au", "nz", "sg", "in", "za"):
        unit = f", Suite {rng.randint(100, 900)}" if rng.random() < 0.25 else ""
        return [f"{number} {street}{unit}", f"{city} {postcode}".strip()]
    if country.lang == "en":
        return [f"{number} {street}", f"{city} {postcode}"]
    if country.lang == "fr" or (country.lang == "es" and cc == "mx"):
        return [f"{number} {street}", f"{postcode} {city}"]
    return [f"{street} {number}", f"{postcode} {city}"]


def tax_id(rng: random.Random, cc: str) -> str:
    n = rng.randint(10**8, 10**9 - 1)
    return {
        "uk": f"GB {str(n)[:3]} {str(n)[3:7]} {str(n)[7:9]}",
        "ie": f"IE{n % 10**7}W",
        "de": f"DE{n}",
        "at": f"ATU{n % 10**8}",
        "fr": f"FR{n % 100:02d} {n}",
        "es": f"B{n % 10**8:08d}",
        "nl": f"NL{n}B01",
        "it": f"IT0{n}{n % 100:02d}",
        "se": f"{str(n)[:6]}-{str(n)[6:]}",
        "ch": f"CHE-{str(n)[:3]}.{str(n)[3:6]}.{str(n)[6:9]} MWST",
        "in": f"29AAB{n % 10**4}C1Z{n % 10}",
        "au": f"{n % 100:02d} {str(n)[:3]} {str(n)[3:6]} {str(n)[6:9]}",
        "jp": f"T{n}{n % 10**4}",
        "mx": f"ABC{n % 10**6}XY{n % 10}",
    }.get(cc, f"{str(n)[:2]}-{str(n)[2:]}")


def iban(rng: random.Random, cc: str) -> str:
    prefix = {
        "de": "DE",
        "at": "AT",
        "fr": "FR",
        "es": "ES",
        "nl": "NL",
        "it": "IT",
        "ie": "IE",
        "uk": "GB",
        "be": "BE",
        "ch": "CH",
        "se": "SE",
        "dk": "DK",
        "no": "NO",
    }.get(cc, "GB")
    digits = "".join(str(rng.randint(0, 9)) for _ in range(18))
    return f"{prefix}{rng.randint(10, 99)} " + " ".join(digits[i : i + 4] for i in range(0, 16, 4)) + f" {digits[16:]}"


def bank(rng: random.Random) -> str:
    return pick(rng, BANKS)


def phone(rng: random.Random, cc: str) -> str:
    prefix = {
        "us": "+1",
        "ca": "+1",
        "uk": "+44",
        "ie": "+353",
        "au": "+61",
        "nz": "+64",
        "sg": "+65",
        "in": "+91",
        "za": "+27",
        "de": "+49",
        "at": "+43",
        "ch": "+41",
        "fr": "+33",
        "be": "+32",
        "es": "+34",
        "mx": "+52",
        "nl": "+31",
        "it": "+39",
        "se": "+46",
        "no": "+47",
        "dk": "+45",
        "jp": "+81",
    }[cc]
    return f"{prefix} {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def ident(rng: random.Random, kind: str, year: int) -> str:
    """A document identifier of `kind` in one of that kind's real-world shapes."""
    style = pick(rng, NUMBER_STYLES[kind])
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.randint(2, 3)))
    out = style.replace("{Y}", str(year)).replace("{y}", f"{year % 100:02d}").replace("{P}", letters)
    for width in range(2, 9):
        while f"{{n{width}}}" in out:
            out = out.replace(f"{{n{width}}}", f"{rng.randint(1, 10**width - 1):0{width}d}", 1)
    return out
