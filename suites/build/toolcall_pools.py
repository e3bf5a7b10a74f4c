"""Hand-written pools the toolcall case generator composes from: people, products, addresses, carriers,
and the many ways customers open, sign and clutter a message.

Pure data. The generator (`toolcall.py`) draws from these with a seeded RNG; the gold arguments follow
from which entries it drew, so the pools must hold each value exactly as a correct agent would copy it
(street and city as written, the state's postal abbreviation, the ISO country code).
"""

from __future__ import annotations

from typing import NamedTuple


class Product(NamedTuple):
    name: str
    """As a customer would name it."""
    sku: str
    price: float


class Address(NamedTuple):
    street: str
    city: str
    state: str | None
    """Postal abbreviation; only for US, CA and AU."""
    state_written: str | None
    """How a customer writes the state in full (the agent must abbreviate it)."""
    postal_code: str
    country: str
    """ISO 3166-1 alpha-2."""
    country_written: str


FIRST_NAMES = (
    "Margaret",
    "Dev",
    "Priya",
    "Tomás",
    "Aisha",
    "Jonas",
    "Keiko",
    "Liam",
    "Fatima",
    "Oluwaseun",
    "Chloé",
    "Rafael",
    "Ingrid",
    "Mateo",
    "Sun-hee",
    "Harriet",
    "Bilal",
    "Niamh",
    "Grzegorz",
    "Ava",
    "Marcus",
    "Yusuf",
    "Elena",
    "Kwame",
    "Sofia",
    "Declan",
    "Mei",
    "Rosa",
    "Arjun",
    "Beatriz",
    "Hamish",
    "Leilani",
    "Pieter",
    "Camille",
    "Dmitri",
    "Zainab",
    "Owen",
    "Lucía",
    "Tariq",
    "Freya",
)

LAST_NAMES = (
    "Okafor",
    "Lindqvist",
    "Raman",
    "Castillo",
    "Nakamura",
    "Brennan",
    "Haddad",
    "Kowalski",
    "Dubois",
    "Mensah",
    "Fitzgerald",
    "Van der Berg",
    "Moreau",
    "Adeyemi",
    "Schulz",
    "Patel",
    "O'Connell",
    "Rossi",
    "Yilmaz",
    "Thompson",
    "Nguyen",
    "Silva",
    "MacLeod",
    "Kim",
    "Abara",
    "Petrov",
    "Walsh",
    "García",
    "Lund",
    "Achterberg",
)

EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hey.com", "web.de", "orange.fr")

PRODUCTS = (
    Product("stoneware dinner plates (set of 4)", "PLT-2041", 64.0),
    Product("linen duvet cover, queen", "BED-3310", 129.0),
    Product("walnut side table", "FUR-7702", 189.0),
    Product("ceramic table lamp", "LMP-2231", 89.0),
    Product("jute area rug 5x8", "RUG-0418", 149.0),
    Product("glass carafe", "KIT-1187", 18.4),
    Product("cast-iron dutch oven", "KIT-5520", 119.0),
    Product("wool throw blanket", "TXT-0933", 74.5),
    Product("rattan laundry basket", "STO-4410", 42.0),
    Product("bamboo bath mat", "BTH-2208", 27.9),
    Product("brass floor lamp", "LMP-6604", 176.0),
    Product("oak wall shelf", "FUR-1839", 58.0),
    Product("velvet cushion cover", "TXT-2275", 24.0),
    Product("hand-poured soy candle", "CND-0107", 22.0),
    Product("enamel tea kettle", "KIT-3342", 46.0),
    Product("waffle bath towels (pair)", "BTH-5051", 38.0),
    Product("marble cheese board", "KIT-7713", 35.0),
    Product("terracotta planter", "GDN-2290", 31.5),
    Product("outdoor string lights", "GDN-6003", 29.99),
    Product("blackout curtains (2 panels)", "TXT-8810", 96.0),
    Product("mango wood serving bowl", "KIT-2468", 44.0),
    Product("wall clock", "DEC-3021", 52.0),
    Product("round mirror", "DEC-6650", 138.0),
    Product("coffee grinder", "KIT-9034", 69.0),
    Product("percale sheet set, king", "BED-4472", 112.0),
    Product("kids' bunk bed ladder hooks", "KID-1205", 16.0),
    Product("stainless knife set", "KIT-6219", 158.0),
    Product("photo frame set", "DEC-1194", 33.0),
    Product("ceramic vase", "DEC-2847", 42.5),
    Product("reading armchair", "FUR-9960", 489.0),
    Product("dining chairs (set of 2)", "FUR-3307", 240.0),
    Product("memory foam pillow", "BED-0655", 59.0),
    Product("electric kettle", "KIT-4401", 79.0),
    Product("toaster, 4-slice", "KIT-4738", 64.99),
    Product("salad bowl", "KIT-0321", 36.0),
    Product("shower curtain", "BTH-7742", 34.0),
    Product("desk organiser", "OFF-2206", 28.0),
    Product("cotton quilt, full", "BED-5893", 164.0),
    Product("standing coat rack", "FUR-4415", 84.0),
    Product("wine glasses (set of 6)", "KIT-8842", 48.0),
)

REFILL_PLANS = (
    "candle refill",
    "coffee filter",
    "diffuser oil",
    "dish soap refill",
    "linen spray",
    "tea sampler",
    "hand soap refill",
    "beeswax wrap",
)

ADDRESSES = (
    Address("48 Maple Avenue", "Portland", "OR", "Oregon", "97205", "US", "USA"),
    Address("1120 Elm Street, Apt 4B", "Denver", "CO", "Colorado", "80203", "US", "United States"),
    Address("77 Beacon Street", "Boston", "MA", "Massachusetts", "02108", "US", "USA"),
    Address("902 Pine Street", "Seattle", "WA", "Washington", "98101", "US", "US"),
    Address("3405 Magnolia Drive", "Austin", "TX", "Texas", "78704", "US", "United States"),
    Address("15 Orchard Lane", "Burlington", "VT", "Vermont", "05401", "US", "USA"),
    Address("640 N Clark St", "Chicago", "IL", "Illinois", "60654", "US", "USA"),
    Address("2210 Peachtree Rd NW", "Atlanta", "GA", "Georgia", "30309", "US", "United States of America"),
    Address("18 Calle del Sol", "Santa Fe", "NM", "New Mexico", "87501", "US", "USA"),
    Address("501 Ocean Avenue", "Santa Monica", "CA", "California", "90402", "US", "USA"),
    Address("9 Harbor View Road", "Portland", "ME", "Maine", "04101", "US", "USA"),
    Address("250 King Street West", "Toronto", "ON", "Ontario", "M5V 1J2", "CA", "Canada"),
    Address("1188 Rue Sainte-Catherine Ouest", "Montréal", "QC", "Quebec", "H3B 1K1", "CA", "Canada"),
    Address("455 Granville Street", "Vancouver", "BC", "British Columbia", "V6C 1T2", "CA", "Canada"),
    Address("31 Wharf Street", "Brisbane", "QLD", "Queensland", "4000", "AU", "Australia"),
    Address("60 Collins Street", "Melbourne", "VIC", "Victoria", "3000", "AU", "Australia"),
    Address("12 Bondi Road", "Bondi", "NSW", "New South Wales", "2026", "AU", "Australia"),
    Address("14 Cranbrook Road", "Bristol", None, None, "BS6 7BS", "GB", "United Kingdom"),
    Address("18 Birch Close", "Leeds", None, None, "LS6 2AB", "GB", "UK"),
    Address("Flat 3, 22 Marchmont Crescent", "Edinburgh", None, None, "EH9 1HG", "GB", "Scotland, UK"),
    Address("Lindenstraße 12", "Berlin", None, None, "10969", "DE", "Germany"),
    Address("Schillerplatz 4", "Stuttgart", None, None, "70173", "DE", "Deutschland"),
    Address("7 rue des Lilas", "Lyon", None, None, "69003", "FR", "France"),
    Address("5 Harbour View", "Cork", None, None, "T12 X8F2", "IE", "Ireland"),
    Address("Prinsengracht 263", "Amsterdam", None, None, "1016 GV", "NL", "the Netherlands"),
    Address("117 Harbour Road", "Wellington", None, None, "6011", "NZ", "New Zealand"),
    Address("Calle de Alcalá 48", "Madrid", None, None, "28014", "ES", "Spain"),
    Address("Via Roma 21", "Bologna", None, None, "40121", "IT", "Italy"),
    Address("Rua Augusta 110", "Lisboa", None, None, "1100-053", "PT", "Portugal"),
    Address("Storgatan 9", "Uppsala", None, None, "753 20", "SE", "Sweden"),
)

CARRIERS = ("UPS", "USPS", "FedEx", "DHL", "Royal Mail", "Canada Post")

GREETINGS = (
    "Hi,",
    "Hello,",
    "Hi there,",
    "Hey,",
    "Good morning,",
    "Good afternoon!",
    "Hello team,",
    "Hiya,",
    "Dear Larkspur,",
    "To whom it may concern,",
    "Hi Sam,",
    "Morning -",
    "",
    "",
    "",
    "",
)

CLOSINGS = (
    "Thanks!",
    "Thank you.",
    "Thanks in advance,",
    "Cheers,",
    "Many thanks,",
    "Best,",
    "Kind regards,",
    "thx",
    "Appreciate it.",
    "Thanks so much for your help!",
    "",
    "",
    "",
)

FOOTERS = (
    "Sent from my iPhone",
    "Sent from my Galaxy",
    "Get Outlook for Android",
    "-- \nSent from Proton Mail mobile",
    "This email and any attachments are confidential and intended solely for the addressee.",
    "",
    "",
    "",
    "",
)

FILLER = (
    "It's been a long week, sorry if this is a bit scattered.",
    "I've been a customer for years and this has never happened before.",
    "My partner says I should have just called, but here we are.",
    "I love your stuff, by the way.",
    "Not trying to be difficult, just want it sorted.",
    "I'm writing from my work laptop so I might be slow to reply.",
    "The website chat kept timing out, so I'm trying here.",
    "We moved in last month and are still unpacking everything.",
    "It was meant to be a gift, which is why I'm a bit stressed.",
    "Honestly the packaging was lovely, so that's something.",
    "I already checked the spam folder.",
    "Apologies for the long message.",
)

TYPOS = {
    "order": ("oder", "ordr", "orer"),
    "please": ("pls", "plz", "pleae"),
    "received": ("recieved", "recived"),
    "address": ("adress", "addres"),
    "refund": ("refud", "refnd"),
    "because": ("becuase", "bc", "cuz"),
    "thanks": ("thx", "thnks", "tanks"),
    "arrived": ("arived", "arrivd"),
    "tracking": ("traking", "trackin"),
    "subscription": ("subsciption", "subscripton"),
    "cancel": ("cancell", "cancle"),
    "package": ("pakage", "packge"),
}

QUOTE_HEADERS = (
    "On {date}, Larkspur & Co. Support <help@larkspur.co> wrote:",
    "-----Original Message-----\nFrom: Larkspur & Co. <orders@larkspur.co>\nSent: {date}\nSubject: Your order",
    "---------- Forwarded message ---------\nFrom: Larkspur & Co. <orders@larkspur.co>\nDate: {date}",
)

QUOTE_DATES = (
    "Tue, 4 Mar 2025 at 09:12",
    "Mon, Feb 17, 2025 at 4:40 PM",
    "3 January 2025 18:05",
    "Friday, 11 April 2025 10:31",
    "Wed, 28 May 2025 at 21:47",
)

STORIES = (
    "Some background first. We bought our first flat in February and have been furnishing it one room at a "
    "time, mostly from you because the quality has been good. The living room is done, the bedroom is nearly "
    "there, and the kitchen is what I'm working on now. My partner keeps a spreadsheet of every order, which "
    "is the only reason I have any of the numbers below, and even that has a few typos in it.",
    "I should say I'm writing this on my phone on the train, so apologies for the formatting. I tried the chat "
    "on the website twice yesterday evening but it kept dropping, and the phone line said the wait was over an "
    "hour. I've also got a second, unrelated order with you that arrived fine last month, so please don't mix "
    "the two up - I've had that happen with another shop and it took weeks to untangle.",
    "To give you the full picture: this was meant to be a birthday present for my mother, who turns seventy "
    "next month. I ordered early precisely so there would be time to sort out any problems. My sister also "
    "ordered something from you for the same party, on her own account, so if you see her name anywhere in "
    "your system that's a different order and nothing to do with this one.",
    "Quick context so you don't have to dig: I'm a teacher and only get to check email at lunch, which is why "
    "my replies are slow. Earlier this year I had a refund from you for a cracked bowl that was handled really "
    "well, so I'm hopeful this will be just as easy. I've kept all the packaging and the delivery note, and I "
    "have photos if anyone needs them.",
    "I'll be honest, I nearly didn't write at all because it's a small thing compared to what some people "
    "probably deal with. But my neighbour, who also orders from you, told me you're usually good about this "
    "kind of thing. For what it's worth, the courier was friendly and the box looked fine from the outside, so "
    "I don't think anyone was careless on purpose.",
    "A bit of history: we've been Refill Club members for about a year and have placed maybe a dozen one-off "
    "orders as well, so there are a lot of order numbers floating around in my inbox. I went through them "
    "last night with a cup of tea to make sure I'm quoting the right one this time, because the last time I "
    "contacted you I gave the wrong number and we went round in circles.",
)
