"""Golden families for the money tools and their overlaps: issue_refund, issue_store_credit,
create_return, send_replacement.

The four overlap on purpose: the same broken lamp is a refund when the customer wants money back, store
credit when they ask for credit, a return when they want to send it back (its refund follows by itself),
a replacement when they want another one. The reason enum follows from the problem phrase drawn.
"""

from __future__ import annotations

import toolcall_pools as P
from toolcall_kit import NOTE, Draft, call, casual, dress, messy_id, money, person
from toolcall_orders import Ctx

PROBLEMS: dict[str, tuple[str, ...]] = {
    "damaged": (
        "arrived damaged",
        "was broken when I opened the box",
        "arrived scratched and dented",
        "came in a crushed box and is broken",
        "is faulty",
    ),
    "not_received": (
        "never arrived",
        "hasn't shown up and the carrier says it's lost",
        "was marked delivered but never reached me",
        "got lost somewhere between the depot and my house",
        "still hasn't come, three weeks on",
    ),
    "wrong_item": (
        "is the wrong colour (I picked sage, got mustard)",
        "is not what I ordered",
        "is a completely different product",
        "came in navy instead of the grey I ordered",
        "is the small one, not the large I paid for",
    ),
    "late_delivery": (
        "arrived a week after the promised date",
        "was promised for the 12th and turned up on the 19th",
        "came three days late, after the party it was for",
        "showed up long after the express date I paid for",
    ),
}

DAMAGE_BY_KIND: dict[str, tuple[str, ...]] = {
    "electric": ("doesn't turn on at all", "stopped working after two days", "flickers and then cuts out"),
    "textile": ("came with a long tear along one edge", "started to fray after one wash", "has a big stain on it"),
    "furniture": (
        "arrived with one leg snapped off",
        "has a deep gouge across the top",
        "arrived with the frame split",
    ),
    "fragile": ("arrived cracked", "was smashed when I opened the box", "arrived chipped"),
}
KIND_OF = {
    "LMP": "electric",
    "TXT": "textile",
    "BED": "textile",
    "BTH": "textile",
    "RUG": "textile",
    "FUR": "furniture",
    "PLT": "fragile",
    "DEC": "fragile",
}
ELECTRIC = ("KIT-4401", "KIT-4738", "KIT-9034", "GDN-6003")

BILLING = (
    "I was charged twice for {id}. Please refund the duplicate charge of {amount}.",
    "My discount code wasn't applied on {id}; the discount should have been {amount}. Can I have that back?",
    "I was charged {amount} for shipping on {id} although the order was well over $50. Please refund it.",
    "The {item} in {id} was charged at the full price although the sale price was showing at checkout. Refund the "
    "{amount} overcharge, please.",
    "Double charge on my card for {id} - {amount} taken twice. Refund one of them please.",
)

REFUND = (
    "Order {id}: the {item} {problem}. I'd like a refund of {amount} please.",
    "Could I have {amount} back for {id}? The {item} {problem}.",
    "I don't want a replacement, just my money back: {amount} for the {item} in {id}, which {problem}.",
    "The {item} from {id} {problem}. Please refund {amount}; I'm not bothering with a return.",
    "{id} - {item} {problem}. refund {amount} pls",
    "Hi, I'd like {amount} refunded to my card for order {id}, because the {item} {problem}.",
    "My {item} ({id}) {problem}. A refund of {amount} would be great, no need for a new one.",
    "Please put {amount} back on my card for {id}. The {item} {problem}.",
    "Refund request for {id}. Product: {item}. Problem: it {problem}. Amount: {amount}.",
    "So the {item} {problem}. Honestly just refund me {amount} on {id} and we're good.",
)


def _problem(ctx: Ctx, reason: str, product: P.Product | None = None) -> str:
    """A problem phrase for the reason, specific to the kind of product when there is one."""
    if reason == "damaged" and product is not None and ctx.rng.random() < 0.7:
        kind = "electric" if product.sku in ELECTRIC else KIND_OF.get(product.sku[:3])
        if kind:
            return ctx.pick(DAMAGE_BY_KIND[kind])
    if reason == "wrong_item" and product is not None and product.sku.startswith("BED") and ctx.rng.random() < 0.5:
        return "is the wrong size - I ordered king and got queen"
    return ctx.pick(PROBLEMS[reason])


def _amount(ctx: Ctx, product: P.Product) -> float:
    return product.price if product.price <= 200 and ctx.rng.random() < 0.6 else round(ctx.rng.uniform(9, 199), 2)


def refund(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    reasons = ("damaged", "not_received", "wrong_item", "late_delivery", "damaged", "billing_error", "other")
    for i in range(n):
        r = ctx.rng
        reason = reasons[i % len(reasons)]
        product = r.choice([p for p in P.PRODUCTS if p.price <= 200])
        oid = ctx.ids.order()
        amount = _amount(ctx, product)
        shown = money(amount, r)
        if reason == "billing_error":
            text = BILLING[i % len(BILLING)].format(id=oid, amount=shown, item=product.name)
        elif reason == "other":
            text = ctx.pick(
                (
                    f"Refund {shown} on {oid} please.",
                    f"Please refund {shown} for order {oid}.",
                    f"{oid}: I'd like {shown} back, thanks.",
                    f"can i get {shown} refunded on {oid}",
                )
            )
        else:
            text = REFUND[i % len(REFUND)].format(
                id=oid, amount=shown, item=product.name, problem=_problem(ctx, reason, product)
            )
        if i % 6 == 5:
            text = casual(text, r)
        name, _ = person(r)
        calls = [call("issue_refund", NOTE, order_id=oid, amount=amount, reason=reason)]
        tags = ["refund"] + (["no_reason"] if reason == "other" else [])
        out.append(Draft(dress(text, r, name), calls, tags=tags, template=f"refund-{reason}-{i % len(REFUND)}"))
    return out


CREDIT = (
    "Could I get {amount} as store credit instead of a refund? Order {id} - the {item} {problem}.",
    "I'd rather have Larkspur credit than money back: {amount} for {id}, the {item} {problem}.",
    "Please put {amount} on my account as credit for {id}. The {item} {problem}.",
    "store credit of {amount} for {id} please, the {item} {problem}",
    "The {item} in {id} {problem}. No refund needed - just credit {amount} to my account and I'll spend it on "
    "something else.",
    "I shop with you all the time, so credit is easier than a refund: {amount} on {id}, because the {item} {problem}.",
)

PRICE_DROP = (
    "I bought the {item} ({id}) for {p1} last week and now it's {p2}. Can you credit me the difference?",
    "The {item} I ordered on {id} dropped to {p2} - I paid {p1}. Refund the difference please?",
    "Annoying: {id} had the {item} at {p1} and three days later it's on sale for {p2}. Can I get the difference back?",
    "Price went down on the {item} right after I ordered ({id}). Paid {p1}, now {p2}. What can you do?",
    "The price of the {item} went down by {diff} a few days after I bought it ({id}). Could I get that back?",
)


def store_credit(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    reasons = ("damaged", "late_delivery", "wrong_item", "not_received")
    for i in range(n):
        r = ctx.rng
        oid = ctx.ids.order()
        product = r.choice([p for p in P.PRODUCTS if 30 <= p.price <= 200])
        if i % 2 == 0:
            reason = "price_adjustment"
            diff = float(r.choice((5, 8, 10, 12, 15, 20, 25, 30)))
            p1 = product.price
            template = PRICE_DROP[(i // 2) % len(PRICE_DROP)]
            text = template.format(
                item=product.name,
                id=oid,
                p1=money(p1, r, True),
                p2=money(round(p1 - diff, 2), r, True),
                diff=money(diff, r),
            )
            amount = diff
        else:
            reason = reasons[(i // 2) % len(reasons)]
            amount = _amount(ctx, product)
            text = CREDIT[(i // 2) % len(CREDIT)].format(
                amount=money(amount, r), id=oid, item=product.name, problem=_problem(ctx, reason, product)
            )
        name, _ = person(r)
        calls = [call("issue_store_credit", NOTE, order_id=oid, amount=amount, reason=reason)]
        out.append(Draft(dress(text, r, name), calls, tags=["store_credit"], template=f"credit-{i % 2}-{(i // 2) % 6}"))
    return out


RETURN_WHY: dict[str, tuple[str, ...]] = {
    "changed_mind": (
        "I've changed my mind about it",
        "we don't need it after all",
        "it's just not for us",
        "I ordered it on impulse",
    ),
    "does_not_fit": (
        "it doesn't fit our bed",
        "it's too big for the hallway",
        "it's too small for the table",
        "it doesn't fit the space we measured",
    ),
    "not_as_described": (
        "it looks nothing like the photos",
        "the listing said solid oak but it's veneer",
        "the description promised machine-washable and the label says dry clean only",
    ),
    "damaged": ("it arrived scratched all over", "it came with a cracked corner"),
    "wrong_item": ("you sent the wrong model", "it's not what I ordered"),
}

RETURN = (
    "I'd like to return the {item} from {id}, {why}.",
    "How do I send back the {item}? Order {id}. {Why}.",
    "Please send me a return label for {id} - {why}.",
    "Return for {id} please: the {item}. {Why}.",
    "I want to return it for a refund. Order {id}, the {item} - {why}.",
    "Can I send the {item} back? {Why}. It's order {id}, still in the box.",
    "{id}: {why}, so I'd like to return the {item}. I don't want store credit, a normal return is fine.",
    "returning the {item} from {id}, {why}. label pls",
    "We'd like to send back the {item} (order {id}). {Why}. Can you start the return?",
    "{Why}, so the {item} has to go back. Order {id}. How do I get a label?",
)


def returns(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    order = (
        "changed_mind",
        "does_not_fit",
        "not_as_described",
        "changed_mind",
        "damaged",
        "does_not_fit",
        "wrong_item",
        "not_as_described",
    )
    for i in range(n):
        r = ctx.rng
        reason = order[i % len(order)]
        why = ctx.pick(RETURN_WHY[reason])
        oid = ctx.ids.order()
        product = r.choice(P.PRODUCTS)
        text = RETURN[i % len(RETURN)].format(
            item=product.name, id=oid if i % 9 != 8 else messy_id(oid, r), why=why, Why=why[0].upper() + why[1:]
        )
        if i % 7 == 6:
            text = casual(text, r)
        name, _ = person(r)
        calls = [call("create_return", {"items": None}, order_id=oid, reason=reason)]
        out.append(Draft(dress(text, r, name), calls, tags=["return"], template=f"return-{i % len(RETURN)}"))
    return out


REPLACE = (
    "The {item} in {id} {problem}. Could you send me a new one?",
    "Please send a replacement for the {item} from {id} - it {problem}.",
    "{id}: the {item} {problem}. I still want it though, so a replacement please, not a refund.",
    "Can I get another {item}? Mine (order {id}) {problem}.",
    "replacement for {id} pls, the {item} {problem}",
    "I love the {item}, which is why I'm sad it {problem}. Order {id}. Could you ship a fresh one?",
    "Order {id}. The {item} {problem}. Please just resend it.",
    "My {item} ({id}) {problem}. I'd like the one I ordered sent again.",
)


def replacement(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    order = ("damaged", "wrong_item", "damaged", "not_received")
    for i in range(n):
        r = ctx.rng
        reason = order[i % len(order)]
        oid = ctx.ids.order()
        product = r.choice(P.PRODUCTS)
        text = REPLACE[i % len(REPLACE)].format(item=product.name, id=oid, problem=_problem(ctx, reason, product))
        name, _ = person(r)
        # `item` is free text: any value is right, and the tool schema's `required` makes it present
        calls = [call("send_replacement", {"item": None}, order_id=oid, reason=reason)]
        out.append(Draft(dress(text, r, name), calls, tags=["replacement"], template=f"replace-{i % len(REPLACE)}"))
    return out
