"""Golden families where the right answer is text: questions the shop facts answer, requests missing
something the tool needs (the reply must ask for exactly that), and the reply checks' shared wording.

Reply checks name fields from the suite's `scorer.reply_patterns` (see suites/toolcall.yaml) and add
case-specific patterns: the figures a correct answer must state, claims it must not make. Each case
carries a reference reply that passes its own checks (tests/test_suite_toolcall.py holds them to it).
"""

from __future__ import annotations

import toolcall_pools as P
from toolcall_kit import Draft, casual, dress, messy_id, money, person, reply
from toolcall_orders import Ctx

ASK_WORDS = {
    "order_id": "your order id (two letters, a hyphen and five digits; it's in your order-confirmation email)",
    "email": "the email address of your Larkspur account",
    "amount": "the exact amount in US dollars",
    "address": "the complete new address: street and house number, city, postal code and country",
    "street": "the street and house number",
    "city": "the city",
    "postal_code": "the postal code",
    "country": "the country",
    "state": "the state (or province)",
    "subscription_id": "your subscription id (SUB and six digits, under My subscriptions)",
    "sku": "the item number from the product page (three letters, a hyphen and four digits)",
    "tracking_number": "the tracking number from your shipping email",
}

DONE_CLAIM = r"\b(has been|have been|I've|I have|is now) (refunded|cancell?ed|changed|updated|credited|issued)\b"
"""A claim that an action was taken, for cases where no tool ran successfully (and none should)."""


def ask(*fields: str, lead: str = "I can help with that.", require: tuple[str, ...] = ()) -> dict[str, object]:
    words = [ASK_WORDS[f] for f in fields]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return reply(f"{lead} Could you send me {listed}?", ask=fields, require=require, forbid=(DONE_CLAIM,))


# (topic, phrasings, required patterns, reference)
POLICY: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        "standard_shipping",
        (
            "How long does standard shipping take?",
            "what's your normal delivery time within the US",
            "If I order today with regular shipping, roughly when would it get to Ohio?",
        ),
        (r"3\s*(-|–|to)\s*5",),
        "Standard shipping within the US takes 3-5 business days.",
    ),
    (
        "free_shipping_no",
        ("Is shipping free? My cart is ${small}.", "Do I pay for delivery on a ${small} order?"),
        (r"5[.,]95",),
        "Orders under $50 pay $5.95 for standard shipping; it's free from $50.",
    ),
    (
        "free_shipping_yes",
        ("Is shipping free? My cart is ${big}.", "will I get free shipping on ${big}?"),
        (r"free",),
        "Yes - standard US shipping is free on orders of $50 or more.",
    ),
    (
        "express",
        ("Do you have faster shipping? How much is it?", "What does express delivery cost and how quick is it?"),
        (r"14[.,]95", r"1\s*(-|–|to)\s*2"),
        "Express shipping takes 1-2 business days and costs $14.95.",
    ),
    (
        "international",
        (
            "Do you ship to Australia, and how much does it cost?",
            "Can I order from Canada? What's the shipping?",
            "international delivery - how long and how much?",
        ),
        (r"7\s*(-|–|to)\s*14", r"19[.,]95"),
        "Yes: international shipping takes 7-14 business days for a flat $19.95.",
    ),
    (
        "duties",
        (
            "If I order to the UK, will I have to pay import duties on top?",
            "Who pays customs fees on international orders?",
        ),
        (r"dut(y|ies)|tax", r"\byou\b|customer"),
        "Import duties and taxes are paid by the customer on delivery.",
    ),
    (
        "return_window",
        (
            "I bought a throw blanket two weeks ago and I'm not in love with the colour. Can I still send it back?",
            "How many days do I have to return something?",
            "what's the return policy",
        ),
        (r"\b30\b",),
        "You can return unused items in their original packaging within 30 days of delivery.",
    ),
    (
        "return_cost",
        ("Do I have to pay for return shipping?", "Is the return label free?"),
        (r"6[.,]95",),
        "Returns are free for damaged or wrong items; otherwise $6.95 is deducted from the refund.",
    ),
    (
        "refund_timing",
        (
            "You approved a refund for me yesterday. How long until it shows up on my card?",
            "when do refunds hit the bank account usually?",
        ),
        (r"5\s*(-|–|to)\s*10",),
        "Refunds reach your original payment method within 5-10 business days.",
    ),
    (
        "payment",
        ("do you take paypal", "Can I pay with Apple Pay?", "Which cards do you accept?"),
        (r"paypal|apple pay|visa",),
        "We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Larkspur gift cards.",
    ),
    (
        "gift_card",
        ("Got a Larkspur gift card for Christmas 2021. Is it still good?", "Do your gift cards expire?"),
        (r"never expire|don't expire|do not expire|no expiry",),
        "Larkspur gift cards never expire.",
    ),
    (
        "hours",
        ("What hours is your human support team around? I'm in California.", "When can I reach a person at Larkspur?"),
        (r"8\s*(am|a\.m\.)?\s*(-|–|to)\s*8\s*(pm|p\.m\.)", r"monday|mon"),
        "Our team works Monday to Friday, 8am-8pm Eastern Time.",
    ),
    (
        "order_id_where",
        ("Where do I find my order number?", "what does an order id look like and where is it?"),
        (r"confirmation|my orders",),
        "It's in your order-confirmation email and under My orders on larkspur.co.",
    ),
    (
        "final_sale",
        ("Can I return something I bought in the final sale?", "Are clearance items returnable?"),
        (r"final[- ]sale", r"can't|cannot|not"),
        "Final-sale items can't be returned, I'm afraid.",
    ),
    (
        "cancel_fee",
        ("Is there a fee if I cancel my Refill Club subscription?", "does it cost anything to stop the refill club"),
        (r"no fee|free|no (charge|cost)",),
        "There's no fee to cancel a Refill Club subscription.",
    ),
    (
        "price_drop",
        ("What happens if something I bought goes on sale a week later?", "Do you have price protection?"),
        (r"14 days", r"store credit"),
        "If the price drops within 14 days of purchase, we pay the difference as store credit.",
    ),
    (
        "ship_speed",
        ("How fast do orders leave the warehouse?", "Once I order, when does it ship out?"),
        (r"1 business day|one business day",),
        "Orders ship within 1 business day, and you get a tracking link by email.",
    ),
)


def policy(ctx: Ctx, n: int) -> list[Draft]:
    out: list[Draft] = []
    k = 0
    while len(out) < n:
        topic, phrasings, required, reference = POLICY[k % len(POLICY)]
        text = phrasings[(k // len(POLICY)) % len(phrasings)]
        text = text.replace("{small}", str(ctx.rng.randint(18, 46))).replace("{big}", str(ctx.rng.randint(55, 240)))
        if k % 5 == 4:
            text = casual(text, ctx.rng)
        draft = Draft(
            dress(text, ctx.rng, noise=0.3),
            reply=reply(reference, require=required),
            tags=["no_tool", "policy_question"],
        )
        draft.cluster = f"policy-{topic}"
        out.append(draft)
        k += 1
    return out


def missing(ctx: Ctx) -> list[Draft]:
    """Requests a tool could serve if one thing were there; the reply must ask for exactly that."""
    r = ctx.rng
    out: list[Draft] = []

    def add(text: str, intent: str, fields: tuple[str, ...], extra: tuple[str, ...] = ()) -> None:
        name, _ = person(r)
        out.append(Draft(dress(text, r, name), reply=ask(*fields), tags=[intent, "missing_data", *extra]))

    p = r.choice(P.PRODUCTS)
    add(f"Where is my order?? I ordered a {p.name} a week ago and nothing.", "lookup", ("order_id",))
    add("Can you check on my order status? My name is Priya Raman and I live in Leeds.", "lookup", ("order_id",))
    add(f"Hi, my order number is {r.randint(10000, 99999)}, where is it?", "lookup", ("order_id",), ("invalid_id",))
    add(f"I want a refund for my broken {r.choice(P.PRODUCTS).name}.", "refund", ("order_id", "amount"))
    oid = ctx.ids.order()
    add(f"Refund {oid} please, the picture frame arrived with the glass smashed.", "refund", ("amount",))
    add(f"Please refund whatever I paid for {ctx.ids.order()}, it never came.", "refund", ("amount",))
    add(
        "The candle set I got was completely different from the one I ordered. Can I get my money back? I paid "
        f"{money(38, r)}.",
        "refund",
        ("order_id",),
    )
    add(
        f"I'd like store credit for {ctx.ids.order()}, the rug arrived stained. Not sure of the exact price.",
        "store_credit",
        ("amount",),
    )
    add(f"Please send the invoice for my last order, the {r.choice(P.PRODUCTS).name}.", "invoice", ("order_id",))
    add("Cancel my order please, I ordered the wrong thing.", "cancel_order", ("order_id",))
    add(
        f"Please cancel my {r.choice(P.REFILL_PLANS)} subscription, I don't need it anymore.",
        "cancel_subscription",
        ("subscription_id",),
    )
    add(
        f"Stop my Refill Club deliveries. My last box came with order {ctx.ids.order()}.",
        "cancel_subscription",
        ("subscription_id",),
    )
    add("Please take me off your newsletter, I get far too many emails.", "unsubscribe", ("email",))
    add("unsubscribe me from marketing", "unsubscribe", ("email",))
    add(f"Is the {r.choice(P.PRODUCTS).name} back in stock?", "stock", ("sku",))
    add("When will the big oval mirror be available again? It's been sold out since spring.", "stock", ("sku",))
    add(f"I need to return the {r.choice(P.PRODUCTS).name}, it doesn't fit. How do I do that?", "return", ("order_id",))
    add(f"The {r.choice(P.PRODUCTS).name} arrived broken, can you send me another one?", "replacement", ("order_id",))
    add(f"Please change the address on {ctx.ids.order()} to my new apartment.", "address", ("address",))
    a = P.ADDRESSES[2]
    add(
        f"Change the address for {ctx.ids.order()} to {a.street}, {a.city}, {a.country_written}.",
        "address",
        ("postal_code", "state"),
    )
    a = P.ADDRESSES[22]
    add(
        f"I need {ctx.ids.order()} to go to {a.street}, {a.postal_code} {a.city} instead of my old flat.",
        "address",
        ("country",),
    )
    a = P.ADDRESSES[4]
    add(f"Ship {ctx.ids.order()} to {a.street}, {a.city} {a.postal_code}, USA please", "address", ("state",))
    a = P.ADDRESSES[16]
    add(
        f"New delivery address for {ctx.ids.order()}: {a.city} {a.state} {a.postal_code}, Australia.",
        "address",
        ("street",),
    )
    add(
        f"Could you track my parcel? It's coming with {r.choice(P.CARRIERS)} and the tracking number in the email "
        "doesn't work.",
        "shipment",
        ("order_id",),
    )
    add(
        f"{messy_id(ctx.ids.order(), r)} arrived damaged, refund about $30-40 please", "refund", ("amount",), ("range",)
    )
    return out
