"""Golden families for the order tools: lookup_order, search_orders, get_shipment, resend_invoice,
cancel_order, change_address, check_stock.

Each family draws phrasings from its own hand-written list (several dozen ways customers ask) and
fills them from the pools; the gold call follows from the slots it filled. The phrasings deliberately
borrow other intents' words ("before I ask for a refund...", "not my subscription") so a keyword
router cannot read the tool off a fixed template.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import toolcall_pools as P
from toolcall_kit import Draft, Ids, Json, call, casual, dress, messy_id, person, quoted, spaced_tracking, typos


@dataclass
class Ctx:
    rng: random.Random
    ids: Ids

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(options)


EVENTS = (
    "my daughter's birthday on Saturday",
    "we leave for holiday on the 14th",
    "the housewarming next week",
    "Thanksgiving",
    "my parents visit on Friday",
)
WHEN = ("last Tuesday", "on the 3rd", "about ten days ago", "over the weekend", "two weeks ago", "on Monday")

LOOKUP = (
    "Where's my order {id}? It's been {days} days and the tracking page still says label created.",
    "can u check status of {id} pls",
    "I placed order {id} {when} for a {item}. Has it shipped yet?",
    "Tracking number for {id}?",
    "Could you confirm the expected delivery date for order {id}? I need it before {event}.",
    "My order {id} has said 'processing' for {days} days now. What's going on with it?",
    "Did my payment actually go through for {id}? The page froze right after I clicked pay and I never got a "
    "confirmation email.",
    "what did I actually order in {id}? trying to remember if the {item} was in it",
    "Checking in on {id} - is it still on schedule?",
    "Has {id} left the warehouse yet?",
    "Which address is {id} going to? I can't remember whether I updated it before ordering.",
    "{id} - any news?",
    "Was {id} paid with my Visa or with the gift card? My statement looks odd.",
    "My mum ordered {id} on my account. Could you tell me what's in it and when it's due?",
    "I got an email saying {id} was dispatched but there's no tracking link in it. Could you look it up?",
    "order no. {id}, what's the ETA",
    "If the {item} is lost I'll want my money back, but first things first: where is {id}?",
    "Before I cancel anything - has {id} shipped or is it still being packed?",
    "Just want to know the total I paid on {id}, I need it for a budget spreadsheet.",
    "Is {id} coming by UPS or FedEx? The building only accepts some carriers.",
    "We're away from {when2} - will {id} arrive before then?",
    "I keep getting 'order not found' on the tracking page for {id}. Can you see where it is?",
)

PARALLEL = (
    "Can you check on {a} and {b}? I ordered them separately on the same day.",
    "I have two packages pending, {a} (the {item}) and {b} (the {item2}). Any updates on either?",
    "status for {a}, {b} and {c} please",
    "Is {a} shipped yet? And my sister's order {b} as well, she asked me to check for her.",
    "Where is {a}? I already wrote about {a} yesterday and heard nothing back. While you're at it, what about {b}?",
    "Could you tell me the delivery dates for {a} and {b}? Trying to plan when I'm home.",
    "{a} / {b} - both still 'processing' on my end, can you look?",
    "Quick one: what's in {a}, and has {b} been paid? Thanks",
)


def lookup(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        oid = ctx.ids.order()
        name, _ = person(r)
        text = LOOKUP[i % len(LOOKUP)].format(
            id=oid,
            days=r.randint(3, 12),
            when=ctx.pick(WHEN),
            when2=ctx.pick(("Friday", "the 20th", "next week")),
            item=r.choice(P.PRODUCTS).name,
            event=ctx.pick(EVENTS),
        )
        if i % 5 == 3:
            text = casual(text, r)
        out.append(
            Draft(
                dress(text, r, name),
                [call("lookup_order", order_id=oid)],
                tags=["lookup"],
                template=f"lookup-{i % len(LOOKUP)}",
            )
        )
    for i in range(len(PARALLEL)):
        r = ctx.rng
        a, b, c = ctx.ids.order(), ctx.ids.order(), ctx.ids.order()
        template = PARALLEL[i]
        used = [x for x, key in ((a, "{a}"), (b, "{b}"), (c, "{c}")) if key in template]
        text = template.format(a=a, b=b, c=c, item=r.choice(P.PRODUCTS).name, item2=r.choice(P.PRODUCTS).name)
        calls = [call("lookup_order", order_id=x) for x in used]
        out.append(Draft(dress(text, r), calls, tags=["lookup", "parallel"]))
    return out


SEARCH = (
    "I don't have my order number handy - my account email is {email}. Can you see when my {item} will arrive?",
    "Where is my order? I'm {name}, the account is under {email}.",
    "I ordered a {item} {when} but deleted the confirmation email by accident. Account email: {email}. Has it shipped?",
    "Can you find my orders? Email on the account is {email}. I think one of them is still open.",
    "hi my email is {email}, cant find the order number anywhere, need to know if the {item} shipped",
    "My wife placed the order with {email}, we don't have the number. It was a {item}. Any idea when it arrives?",
    "Could you pull up my recent orders? {email}. I want to check I didn't order the {item} twice.",
    "I think I was charged for an order I never received. No order number, sorry - the account is {email}.",
    "The {item} arrived broken and I'd like a refund of {amount}, but I can't find the order number. My account "
    "email is {email}.",
    "Please cancel whatever I ordered this morning, I ordered it twice by mistake. Account email {email}, I never "
    "got an order number.",
    "Hi! Looking for an update on my order, the confirmation must have gone to {email}. It's the {item}.",
    "Is anything from me still waiting to ship? Account: {email}",
    "I need to return something but I lost the packing slip with the order number. It's registered to {email}.",
    "Hello - order for {name}, email {email}. No order id unfortunately. Just checking it went through?",
    "Can't log in to 'My orders'. My email's {email}. Has my {item} been dispatched?",
    "what orders do i have open? email {email}",
    "I'm trying to find the order with the {item} in it. My account uses {email}.",
    "Before I order again: did my last order go through? Account {email}",
    "My order number got smudged on the receipt, but you can find me under {email}. When's delivery?",
    "Gift for my brother, ordered from my account ({email}) - has it shipped? I don't have the number.",
    "Where's my stuff?? {email}",
    "My phone number is 555-0143 and my email is {email}. Could you check on my order?",
)


def search(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        name, email = person(r)
        shown = email if r.random() < 0.7 else email.capitalize()
        text = SEARCH[i % len(SEARCH)].format(
            email=shown, name=name, item=r.choice(P.PRODUCTS).name, when=ctx.pick(WHEN), amount=f"${r.randint(15, 90)}"
        )
        if i % 6 == 5:
            text = casual(text, r)
        out.append(
            Draft(
                dress(text, r),
                [call("search_orders", email=email)],
                tags=["search"],
                template=f"search-{i % len(SEARCH)}",
            )
        )
    return out


SHIPMENT = (
    "Tracking number {tn} hasn't updated since {day}. Where is it?",
    "{carrier} tracking {tn} says 'exception'. What does that mean for my parcel?",
    "The driver left a card with this number on it: {tn}. Can you tell me where the parcel is now?",
    "Can you track {tn} for me? The {carrier} site just spins.",
    "where is parcel {tn}",
    "I was sent tracking {tn} but it shows the parcel in a different state. Is that right?",
    "A parcel with tracking {tn} was marked delivered but nothing is at my door. Where did it go?",
    "My neighbour got a parcel notice for {tn}. It's my Larkspur delivery I think - where is it now?",
    "Could you check {carrier} {tn}? It's been 'in transit' for a week.",
    "tracking no {tn} - stuck at the depot?",
    "Is {tn} out for delivery today? I need to know whether to stay home.",
    "I only have the tracking number, {tn}. The order number was on the packing slip that I threw away.",
    "Hi, {tn} shows 'held at customs'. What's happening with it?",
    "Please check this tracking: {tn}. It says returned to sender?!",
)


def shipment(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        carrier = P.CARRIERS[i % len(P.CARRIERS)]
        tn = ctx.ids.tracking(carrier)
        text = SHIPMENT[i % len(SHIPMENT)].format(
            tn=spaced_tracking(tn, r), carrier=carrier, day=ctx.pick(("Monday", "Thursday", "the weekend"))
        )
        if i % 4 == 2:
            text = casual(text, r)
        out.append(
            Draft(
                dress(text, r),
                [call("get_shipment", tracking_number=tn)],
                tags=["shipment"],
                template=f"ship-{i % len(SHIPMENT)}",
            )
        )
    return out


INVOICE = (
    "Could you send me the invoice for {id}? I need it for my expenses.",
    "I need a VAT invoice for {id}, please - our finance team won't accept the confirmation email.",
    "Can I get a copy of the receipt for {id}? My accountant is asking.",
    "please resend the invoice for {id}, never got it",
    "Hi, I'm claiming the {item} from {id} on my home-office allowance. Could you email me an invoice?",
    "The gift receipt for {id} went missing. Could you send the invoice again?",
    "Need proof of purchase for the {item} (order {id}) for a warranty claim. Can you send the receipt?",
    "For insurance I need an itemised receipt of {id}. Thanks",
    "{id}: invoice please, for the company books.",
    "Would you mind re-sending the invoice for order {id}? The first one went to spam and I deleted it.",
    "My employer reimburses the {item}; I need the invoice for {id} as a PDF.",
    "Can you send the receipt for {id} again? I'm returning something else and want to keep records.",
)


def invoice(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        oid = ctx.ids.order()
        oid_text = messy_id(oid, r) if i % 7 == 6 else oid
        text = INVOICE[i % len(INVOICE)].format(id=oid_text, item=r.choice(P.PRODUCTS).name)
        name, _ = person(r)
        out.append(
            Draft(
                dress(text, r, name),
                [call("resend_invoice", order_id=oid)],
                tags=["invoice"],
                template=f"inv-{i % len(INVOICE)}",
            )
        )
    return out


CANCEL = (
    "Please cancel {id}, I ordered it by mistake.",
    "Cancel my order {id} please - I found the same {item} in a local shop.",
    "I'd like to cancel order {id}. It hasn't shipped yet according to the website.",
    "Can you stop {id}? I ordered the wrong colour and would rather start again.",
    "please cancel {id} asap before it ships",
    "Hi, {id} was meant to be a surprise but the surprise is off. Could you cancel it?",
    "Cancel {id} - it's a one-off order, not my Refill Club subscription.",
    "My card was charged for {id} but I changed my mind. Cancel it, please; I'll reorder later.",
    "We no longer need the {item} in {id}. Please cancel the order.",
    "I accidentally ordered the {item} twice. Please cancel {id} and keep the other order.",
    "Kindly cancel order {id}. Reason: delivery date too late for our event.",
    "Is it too late to cancel {id}? If not, please cancel it.",
)


def cancel(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        oid = ctx.ids.order()
        text = CANCEL[i % len(CANCEL)].format(id=oid, item=r.choice(P.PRODUCTS).name)
        if i % 5 == 4:
            text = casual(text, r)
        out.append(
            Draft(
                dress(text, r),
                [call("cancel_order", order_id=oid)],
                tags=["cancel_order"],
                template=f"cancel-{i % len(CANCEL)}",
            )
        )
    return out


ADDRESS = (
    "I just moved! Please send {id} to {addr} instead.",
    "Change the delivery address for {id} to {addr}.",
    "Please update {id}, new address is {addr}. Thank you!",
    "Can you ship {id} to my office instead? {addr}",
    "address change for {id} -> {addr}",
    "We're staying with my in-laws for a month, so {id} should go to {addr}.",
    "Wrong address on {id}, sorry! It needs to go to {addr}.",
    "Could you redirect order {id}? Deliver it to: {addr}",
    "New address for {id}:\n{addr_lines}",
    "My flatmate moved out and I moved too. {id} please to {addr}.",
    "Send {id} to my parents' place please: {addr}. It's a gift for them anyway.",
    "hi can u change where {id} goes, its {addr} now",
)


def address_text(a: P.Address, rng: random.Random, lines: bool = False) -> str:
    """An address the way customers type it: state in full or abbreviated, country in words."""
    state = ""
    if a.state:
        state = a.state_written if rng.random() < 0.4 and a.state_written else a.state
    city_line = {
        "US": f"{a.city}, {state} {a.postal_code}",
        "CA": f"{a.city}, {state} {a.postal_code}",
        "AU": f"{a.city} {state} {a.postal_code}",
        "GB": f"{a.city}, {a.postal_code}",
        "IE": f"{a.city}, {a.postal_code}",
    }.get(a.country, f"{a.postal_code} {a.city}")
    parts = [a.street, city_line, a.country_written]
    return "\n".join(parts) if lines else ", ".join(parts)


def address_call(oid: str, a: P.Address) -> Json:
    args: dict[str, Any] = {
        "order_id": oid,
        "street": a.street,
        "city": a.city,
        "postal_code": a.postal_code,
        "country": a.country,
    }
    if a.state:
        args["state"] = a.state
    return call("change_address", **args)


def address(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        oid = ctx.ids.order()
        a = P.ADDRESSES[(i * 7) % len(P.ADDRESSES)]
        text = ADDRESS[i % len(ADDRESS)].format(id=oid, addr=address_text(a, r), addr_lines=address_text(a, r, True))
        name, _ = person(r)
        out.append(
            Draft(dress(text, r, name), [address_call(oid, a)], tags=["address"], template=f"addr-{i % len(ADDRESS)}")
        )
    return out


STOCK = (
    "Is the {item} ({sku}) back in stock?",
    "When will {sku} be available again? It's been sold out for weeks.",
    "item no. {sku} - do you have 3 in stock? I need them for a dinner party.",
    "Do you still sell {sku}? The page says 'notify me'.",
    "Any idea when the {item} comes back? Item number {sku}.",
    "check stock {sku} pls",
    "I'd like to order two more of {sku} to match the one I have. Are they available?",
    "Will {sku} be restocked before Christmas?",
    "Is item {sku} in stock in the grey? The colour picker shows it greyed out.",
    "My {item} broke and I want to buy the same one again ({sku}). Is it in stock?",
    "Hey, product code {sku} - available or not?",
    "Before I order: is {sku} actually in stock, or will it be back-ordered?",
)


def messy_sku(sku: str, rng: random.Random) -> str:
    letters, digits = sku.split("-")
    return rng.choice((sku, sku, sku.lower(), f"{letters} {digits}", f"{letters}{digits}"))


def stock(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        product = P.PRODUCTS[(i * 3 + 1) % len(P.PRODUCTS)]
        text = STOCK[i % len(STOCK)].format(item=product.name, sku=messy_sku(product.sku, r))
        if i % 6 == 5:
            text = typos(text, r)
        out.append(
            Draft(
                dress(text, r),
                [call("check_stock", sku=product.sku)],
                tags=["stock"],
                template=f"stock-{i % len(STOCK)}",
            )
        )
    return out


OLD_MAILS = (
    "Thanks for shopping with us! Your order {old} has shipped with {carrier}.\nTotal: ${total}\nThe Larkspur team",
    "Your order {old} is confirmed.\nItems: {item}\nOrder total: ${total}",
    "Hi, we've issued a refund of ${total} for order {old}. It will reach your card in 5-10 business days.",
)


def quoted_lookup(ctx: Ctx, n: int) -> list[Draft]:
    """A reply on top of an older shop email about another order: only the order asked about is looked up."""
    out = []
    bodies = (
        "Different order this time: {id} hasn't arrived yet. Where is it?",
        "Thanks for sorting the last one. Now {id} seems stuck - can you check it?",
        "Replying here because it was easiest. What's the status of my new order {id}?",
        "Not about the order below - that one is fine. Could you check {id} for me?",
    )
    for i in range(n):
        r = ctx.rng
        oid, old = ctx.ids.order(), ctx.ids.order()
        mail = OLD_MAILS[i % len(OLD_MAILS)].format(
            old=old, carrier=ctx.pick(P.CARRIERS), total=f"{r.randint(20, 180)}.00", item=r.choice(P.PRODUCTS).name
        )
        text = quoted(bodies[i % len(bodies)].format(id=oid), mail, r)
        out.append(Draft(text, [call("lookup_order", order_id=oid)], tags=["lookup", "quoted"]))
    return out
