"""Slot values for the classification tickets: who writes, from where, about what.

A ticket situation is written once with slots (`{order}`, `{appliance}`, `{amount}` ...); every case
fills them afresh from the writer's locale, so two cases built on the same situation still differ in
order numbers, products, carriers, money and places, the way two real customers with the same problem
do. Values are drawn lazily and cached per case (`Slots`), so a slot used twice in one ticket says the
same thing both times. Everything is drawn from the `random.Random` the generator passes in: the same
seed writes the same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    """Where the customer lives: currency, carriers and address shapes must agree within a ticket."""

    code: str
    currency: str
    carriers: tuple[str, ...]
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    postcode: str
    """A pattern: `A` a capital letter, `9` a digit, anything else literal."""
    date_style: str
    """`dm` (14 March) or `md` (March 14)."""
    phone: str
    abroad: tuple[str, ...]


LOCALES: tuple[Locale, ...] = (
    Locale(
        "us", "$", ("UPS", "USPS", "FedEx", "OnTrac"),
        ("Columbus", "Tucson", "Raleigh", "Sacramento", "Milwaukee", "Tampa", "Boise", "Albany", "Omaha", "Spokane"),
        ("Maple Avenue", "W 34th Street", "Cedar Lane", "Lincoln Blvd", "Hawthorne Drive", "Oak Ridge Road",
         "Pine Street", "Sunset Terrace"),
        "99999", "md", "(555) 01{d}-{dddd}", ("Canada", "Mexico", "Puerto Rico"),
    ),
    Locale(
        "uk", "£", ("Royal Mail", "DPD", "Evri", "Parcelforce", "Yodel"),
        ("Leeds", "Bristol", "Norwich", "Cardiff", "Glasgow", "Brighton", "York", "Derby", "Exeter", "Belfast"),
        ("Station Road", "Victoria Street", "Mill Lane", "Church Close", "Kingsway", "Orchard Way",
         "Albert Terrace", "Granby Row"),
        "AA9 9AA", "dm", "07700 9{ddddd}", ("Ireland", "Jersey", "France"),
    ),
    Locale(
        "ca", "$", ("Canada Post", "Purolator", "UPS"),
        ("Halifax", "Winnipeg", "Ottawa", "Victoria", "Kelowna", "Hamilton", "Saskatoon", "Kingston"),
        ("Wellington Street", "Rue Saint-Denis", "Bay Street", "Jasper Avenue", "Queen Street East"),
        "A9A 9A9", "md", "(613) 555-01{dd}", ("the US", "Alaska"),
    ),
    Locale(
        "au", "$", ("Australia Post", "StarTrack", "Aramex"),
        ("Geelong", "Newcastle", "Hobart", "Townsville", "Ballarat", "Fremantle", "Cairns", "Wollongong"),
        ("Bridge Road", "Beach Street", "Macquarie Street", "Flinders Lane", "Wattle Grove"),
        "9999", "dm", "0491 57{d} {ddd}", ("New Zealand", "Fiji"),
    ),
    Locale(
        "ie", "€", ("An Post", "DPD", "Fastway"),
        ("Galway", "Cork", "Limerick", "Kilkenny", "Sligo", "Waterford", "Athlone"),
        ("Main Street", "Patrick Street", "Shop Street", "Dock Road", "Castle View"),
        "A99 A9A9", "dm", "085 1{dd} {dddd}", ("Northern Ireland", "Spain"),
    ),
)  # fmt: skip

FIRST_NAMES = (
    "Aisha", "Tom", "Priya", "Marcus", "Dana", "Felix", "Beatriz", "Jonas", "Mei", "Olu", "Grace", "Sven",
    "Hannah", "Rafael", "Chloe", "Dmitri", "Fatima", "Liam", "Sofia", "Kwame", "Ingrid", "Yusuf", "Nora",
    "Ravi", "Molly", "Tariq", "Eleanor", "Hiro", "Carmen", "Declan", "Zara", "Pete", "Amara", "Wojciech",
    "Lucy", "Ahmed", "Rosa", "Ben", "Siobhan", "Arjun", "Kate", "Mateus", "Ngozi", "Oscar", "Ling", "Jack",
    "Maeve", "Samir", "Bronwyn", "Luis",
)  # fmt: skip
SURNAMES = (
    "Okafor", "Hughes", "Raman", "Whitfield", "Kowalski", "Nakamura", "Brennan", "Silva", "Patel", "Lindqvist",
    "Mensah", "O'Connor", "Garcia", "Fischer", "Thompson", "Haddad", "Novak", "Clarke", "Moreau", "Adeyemi",
    "Byrne", "Chen", "Rossi", "Walsh", "Kaur", "Jensen", "Ferreira", "Doyle", "Yilmaz", "MacLeod",
)  # fmt: skip

APPLIANCES = (
    ("air fryer", "basket"), ("kettle", "lid"), ("toaster", "crumb tray"), ("stand mixer", "dough hook"),
    ("coffee machine", "drip tray"), ("espresso machine", "portafilter"), ("slow cooker", "glass lid"),
    ("rice cooker", "inner pot"), ("food processor", "blade"), ("hand blender", "whisk attachment"),
    ("sandwich press", "drip tray"), ("steam iron", "water tank cap"), ("cordless vacuum", "charging dock"),
    ("robot vacuum", "side brush"), ("dehumidifier", "water tank"), ("tower fan", "remote"),
    ("microwave", "turntable plate"), ("bread maker", "kneading paddle"), ("juicer", "pulp container"),
    ("space heater", "remote"),
)  # fmt: skip
ELECTRONICS = (
    "Bluetooth speaker", "smart plug", "pair of wireless earbuds", "smart bulb", "baby monitor", "video doorbell",
    "smart thermostat", "security camera", "electric toothbrush", "smart speaker", "fitness tracker",
    "wireless headphones",
)  # fmt: skip
"""Devices that pair, charge and show error codes: the situations using `{electronics}` say so."""
GADGETS = ("power bank", "LED desk lamp", "USB-C charger", "digital kitchen scale", "bedside alarm clock",
           "wireless charging pad")  # fmt: skip
KITCHEN = (
    "cast iron skillet", "frying pan", "Dutch oven", "wok", "stainless steel saucepan", "pasta pot",
    "enamel casserole dish", "griddle pan", "saute pan", "milk pan", "stockpot", "non-stick pan",
)  # fmt: skip
"""Cookware: the situations using `{kitchen}` talk about handles, hobs and lids."""
TABLEWARE = (
    "stoneware dinner set", "set of glass storage containers", "set of mugs", "cake tin", "roasting tray",
    "salad spinner", "chef's knife", "bamboo chopping board", "set of wine glasses", "cutlery set",
)  # fmt: skip
HOMEWARE = (
    "duvet cover", "linen sheet set", "bath towel set", "pair of blackout curtains", "wool rug", "throw blanket",
    "memory foam pillow", "bath mat", "set of cushion covers", "shower curtain", "laundry basket", "doormat",
    "table runner", "weighted blanket", "picture frame set",
)  # fmt: skip
FURNITURE = (
    "bookshelf", "bedside table", "desk chair", "shoe rack", "sofa bed", "dining table", "TV stand", "wardrobe",
    "chest of drawers", "set of bar stools", "standing desk", "garden bench", "bunk bed", "dresser", "corner sofa",
)  # fmt: skip
COLOURS = ("navy", "sage green", "charcoal", "terracotta", "ivory", "mustard", "dusty pink", "slate blue", "oatmeal")
SIZES = ("single", "double", "king", "super king", "queen", "small", "large")
DEVICES = ("iPhone 13", "iPhone 15", "Pixel 8", "Galaxy S23", "iPad", "Android tablet", "Moto G", "iPhone SE")
BROWSERS = ("Chrome", "Safari", "Firefox", "Edge")
PROMO_CODES = ("SPRING15", "WELCOME10", "HOME20", "PLUSDAY", "KITCHEN25", "SUMMER5", "FRIENDS15", "BACK2SCHOOL")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
BUILDINGS = ("Harbour View", "The Maltings", "Copper House", "Riverside Court", "Linden Lofts", "Aspen Place")
AGENTS = ("Jess", "Mo", "Alex", "Sam", "Kirsty", "Dev", "Lena", "Tobi", "Ruth", "Connor")

ORDER_SHAPES = ("LS-{5}", "LS-{5}", "#{5}", "{5}", "LS{6}", "LS-{5}", "#LS-{5}", "LS-{5}")
"""How customers quote an order number: the form varies even within one shop."""


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _shape(rng: random.Random, pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch == "A":
            out.append(rng.choice("ABCDEFGHJKLMNPRSTWY"))
        elif ch == "9":
            out.append(str(rng.randint(0, 9)))
        else:
            out.append(ch)
    return "".join(out)


def _phone(rng: random.Random, pattern: str) -> str:
    return re.sub(r"\{(d+)\}", lambda m: "".join(str(rng.randint(0, 9)) for _ in m.group(1)), pattern)


def money(rng: random.Random, locale: Locale, low: float, high: float) -> str:
    value = rng.uniform(low, high)
    cents = rng.choice((0.99, 0.0, 0.5, 0.95, 0.49))
    amount = max(1.0, int(value) + cents)
    text = f"{amount:.2f}" if cents else f"{int(amount)}"
    return f"{locale.currency}{text}"


def tracking(rng: random.Random, carrier: str) -> str:
    if carrier in ("UPS",):
        return "1Z" + _shape(rng, "999A99999999999")
    if carrier in ("Royal Mail", "Parcelforce", "An Post", "Canada Post", "Australia Post", "USPS"):
        return _shape(rng, "AA999999999") + rng.choice(("GB", "IE", "CA", "AU", "US"))
    return _digits(rng, 12)


class Slots(dict[str, str]):
    """The slot values of one ticket, drawn on first use so only the slots a text names are drawn."""

    def __init__(self, rng: random.Random, locale: Locale, first: str, surname: str) -> None:
        super().__init__()
        self.rng = rng
        self.locale = locale
        self["first"] = first
        self["full"] = f"{first} {surname}"
        self["email"] = f"{first.lower()}.{surname.lower().replace(chr(39), '')}{rng.randint(1, 99)}@" + rng.choice(
            ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.co.uk")
        )

    def _pick(self, key: str, pool: tuple[str, ...]) -> str:
        """A value from `pool` that no earlier slot of the same family took (product and product2 differ)."""
        taken = {v for k, v in self.items() if k.rstrip("2") == key.rstrip("2")}
        choices = [p for p in pool if p not in taken] or list(pool)
        return self.rng.choice(choices)

    def __missing__(self, key: str) -> str:
        rng, loc = self.rng, self.locale
        base = key.rstrip("2")
        if base == "order":
            shape = rng.choice(ORDER_SHAPES)
            value = re.sub(r"\{(\d)\}", lambda m: _digits(rng, int(m.group(1))), shape)
        elif base == "appliance":
            name, part = rng.choice([a for a in APPLIANCES if a[0] != self.get("appliance")])
            value = name
            self.setdefault("part", part)
        elif base == "part":
            value = self["appliance"] and self.get("part", "lid")
        elif base in ("electronics", "kitchen", "homeware", "furniture"):
            pool = {"electronics": ELECTRONICS, "kitchen": KITCHEN, "homeware": HOMEWARE, "furniture": FURNITURE}
            value = self._pick(key, pool[base])
        elif base == "product":
            family = rng.choice((ELECTRONICS + GADGETS, KITCHEN + TABLEWARE, HOMEWARE, tuple(a[0] for a in APPLIANCES)))
            value = self._pick(key, family)
        elif base == "amount":
            value = money(rng, loc, 12, 260)
        elif base == "fee":
            value = money(rng, loc, 3, 15)
        elif base == "plusfee":
            value = f"{loc.currency}{rng.choice((49, 59, 79, 99))}"
        elif base == "days":
            value = rng.choice((*NUMBER_WORDS[1:6], "4", "5", "6", "8", "10"))
        elif base == "weeks":
            value = rng.choice(("two", "three", "3", "2", "four"))
        elif base == "carrier":
            value = rng.choice(loc.carriers)
        elif base == "tracking":
            value = tracking(rng, self["carrier"])
        elif base == "city":
            value = self._pick(key, loc.cities)
        elif base == "street":
            value = self._pick(key, loc.streets)
        elif base == "num":
            value = str(rng.randint(2, 180))
        elif base == "postcode":
            value = _shape(rng, loc.postcode)
        elif base == "new_address":
            value = f"{rng.randint(2, 240)} {self['street2']}, {self['city2']} {_shape(rng, loc.postcode)}"
        elif base == "building":
            value = rng.choice(BUILDINGS)
        elif base == "day":
            value = self._pick(key, WEEKDAYS)
        elif base == "date":
            month, day = rng.choice(MONTHS), rng.randint(1, 28)
            value = f"{day} {month}" if loc.date_style == "dm" else f"{month} {day}"
        elif base == "nth":
            day = rng.randint(1, 28)
            value = f"{day}{'th' if 11 <= day <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
        elif base == "month":
            value = rng.choice(MONTHS)
        elif base == "name":
            value = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        elif base == "phone":
            value = _phone(rng, loc.phone)
        elif base == "device":
            value = self._pick(key, DEVICES)
        elif base == "browser":
            value = self._pick(key, BROWSERS)
        elif base == "code":
            value = rng.choice(PROMO_CODES)
        elif base == "last4":
            value = "".join(str(rng.randint(0, 9)) for _ in range(4))
        elif base == "n":
            value = rng.choice(("2", "3", "4"))
        elif base == "colour":
            value = self._pick(key, COLOURS)
        elif base == "size":
            value = self._pick(key, SIZES)
        elif base == "abroad":
            value = rng.choice(loc.abroad)
        elif base == "agent":
            value = rng.choice(AGENTS)
        elif base == "time":
            value = f"{rng.randint(7, 21):02d}:{rng.choice(('05', '12', '27', '33', '48', '51'))}"
        else:
            raise KeyError(f"unknown slot {{{key}}}")
        self[key] = value
        return value

    def fill(self, text: str) -> str:
        return text.format_map(self)


# ---------------------------------------------------------------------------------------------------
# Typing noise

_KEEP = re.compile(r"^[A-Za-z]{4,}$")


def typo(word: str, rng: random.Random) -> str:
    """One slip of the fingers: swapped, dropped or doubled letter, never the first letter."""
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def add_typos(text: str, rng: random.Random, rate: float) -> str:
    """Misspell about `rate` of the longer plain words of `text` (order numbers and codes are left alone)."""
    parts = re.split(r"(\s+)", text)
    out = []
    for part in parts:
        core = part.strip(".,!?;:'\"()")
        if _KEEP.match(core) and rng.random() < rate:
            part = part.replace(core, typo(core, rng), 1)
        out.append(part)
    return "".join(out)


def chat_style(text: str, rng: random.Random) -> str:
    """How people type into a chat box: lower case, few full stops, sometimes one line per thought."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    out = []
    for s in sentences:
        if rng.random() < 0.7:
            s = s[:1].lower() + s[1:]
        if s.endswith(".") and rng.random() < 0.75:
            s = s[:-1]
        if rng.random() < 0.25:
            s = s.replace("'", "")
        out.append(s)
    joiner = "\n" if rng.random() < 0.45 else rng.choice((" ", ". ", " .. ", ", "))
    if joiner.strip():
        out = [s.rstrip(".") for s in out]
    return joiner.join(out)
