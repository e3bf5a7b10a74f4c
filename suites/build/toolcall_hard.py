"""Adversarial families: edge formats (mangled ids, HTML, tables, pasted JSON, odd amounts), long
messages that contradict themselves (the latest value counts), and tool failures (no retry, no
workaround; report, ask the customer to check an id that was not found, or hand over on an outage).
"""

from __future__ import annotations

import itertools
import json
import re

import toolcall_pools as P
from toolcall_kit import (
    NOTE,
    Draft,
    Session,
    call,
    dress,
    escalate,
    order_record,
    person,
    quoted,
    reply,
    spaced_tracking,
)
from toolcall_orders import Ctx, address_call, address_text
from toolcall_sessions import SHIPPED_WORDS, _first_args
from toolcall_talk import DONE_CLAIM, ask

FAILED = (
    r"sorry|apolog|unable|couldn't|could not|can't|cannot|problem|issue|error|unavailable|not (able|working)"
    r"|went wrong|failed|trouble"
)


def edge_format(ctx: Ctx) -> list[Draft]:
    r = ctx.rng
    out: list[Draft] = []

    def add(text: str, calls: list[dict[str, object]], tag: str) -> None:
        out.append(Draft(text, calls, tags=["edge_format", tag]))

    oid = ctx.ids.order()
    add(f"WHERE IS MY ORDER {oid} I HAVE BEEN WAITING FOREVER!!!!", [call("lookup_order", order_id=oid)], "lookup")
    oid = ctx.ids.order()
    add(f"hey can u look up {oid.lower().replace('-', ' ')} thx", [call("lookup_order", order_id=oid)], "lookup")
    oid = ctx.ids.order()
    add(
        f"📦 {oid.lower().replace('-', '')} still not here 😩😩 where is it??",
        [call("lookup_order", order_id=oid)],
        "lookup",
    )
    oid = ctx.ids.order()
    add(
        f"<p>Hi,</p><p>Order <b>{oid}</b> arrived <i>damaged</i> (lamp shade crushed flat).</p><p>Refund amount: "
        "<b>$31.75</b></p>",
        [call("issue_refund", NOTE, order_id=oid, amount=31.75, reason="damaged")],
        "refund",
    )
    oid = ctx.ids.order()
    add(
        f"| order | amount | problem |\n|---|---|---|\n| {oid} | $18.00 | wrong item (got red, ordered black) "
        "|\n\nplease refund",
        [call("issue_refund", NOTE, order_id=oid, amount=18, reason="wrong_item")],
        "refund",
    )
    oid = ctx.ids.order()
    add(
        json.dumps({"order": oid, "request": "invoice", "format": "pdf"}),
        [call("resend_invoice", order_id=oid)],
        "invoice",
    )
    oid = ctx.ids.order()
    add(f"{oid} never arrived. Refund $1,050.00 please.", [escalate("high")], "escalation")
    oid = ctx.ids.order()
    add(
        f"refund 45 bucks on {oid}, the cushion cover ripped first wash",
        [call("issue_refund", NOTE, order_id=oid, amount=45, reason="damaged")],
        "refund",
    )
    tn = ctx.ids.tracking("USPS")
    add(
        f"USPS tracking:\n{spaced_tracking(tn, r)}\nwhere is it", [call("get_shipment", tracking_number=tn)], "shipment"
    )
    tn = ctx.ids.tracking("UPS")
    add(f"track {tn.lower()} pls", [call("get_shipment", tracking_number=tn)], "shipment")
    oid = ctx.ids.order()
    add(f"{oid} status", [call("lookup_order", order_id=oid)], "lookup")
    oid = ctx.ids.order()
    a = P.ADDRESSES[4]
    add(
        f"New address for {oid}:\n\n{a.street}\n{a.city}, Texas {a.postal_code}\nUnited States",
        [address_call(oid, a)],
        "address",
    )
    _, email = person(r)
    add(f"UNSUBSCRIBE {email.upper()}", [call("unsubscribe_marketing", email=email)], "unsubscribe")
    product = r.choice(P.PRODUCTS)
    add(f"stock check: {product.sku.lower().replace('-', '')}?", [call("check_stock", sku=product.sku)], "stock")
    sub = ctx.ids.subscription()
    add(
        f"cancel sub {sub.split('-')[1]} (that's my refill club number)",
        [call("cancel_subscription", subscription_id=sub)],
        "cancel_subscription",
    )
    oid = ctx.ids.order()
    add(f"Store credit of $1,200 for {oid} please - the sofa was wrecked.", [escalate("high")], "escalation")
    oid = ctx.ids.order()
    add(
        f"Refund amount:$ 42.5\nOrder:{oid}\nReason: never came",
        [call("issue_refund", NOTE, order_id=oid, amount=42.5, reason="not_received")],
        "refund",
    )
    one, two = ctx.ids.order(), ctx.ids.order()
    add(
        f"Can you check:\n- {one}\n- {two}\n- {one} (again, sorry)",
        [call("lookup_order", order_id=one), call("lookup_order", order_id=two)],
        "lookup",
    )
    oid = ctx.ids.order()
    add(f"Cancel ({oid}).", [call("cancel_order", order_id=oid)], "cancel_order")
    oid = ctx.ids.order()
    a = P.ADDRESSES[16]
    add(f"{oid} -> {a.street}, {a.city}, New South Wales {a.postal_code}, AUS", [address_call(oid, a)], "address")
    return out


LONG_INTRO = (
    "Hi there, bit of a long story, sorry. ",
    "Hello! I'll try to keep this short but there's some back story. ",
    "Okay so. I've been going back and forth with myself about this and finally decided to write. ",
)


def long_context(ctx: Ctx) -> list[Draft]:
    r = ctx.rng
    out: list[Draft] = []

    stories = itertools.cycle(P.STORIES)  # long messages without new draws from the RNG, so every id holds

    def filler(k: int) -> str:
        return " ".join(r.sample(P.FILLER, k)) + "\n\n" + next(stories) + "\n\n" + next(stories) + "\n\n"

    def add(text: str, calls: list[dict[str, object]], tag: str, **kw: object) -> None:
        text = re.sub(r"\s*\n\n\s*", "\n\n", text).strip()
        out.append(Draft(text, calls, tags=["long_context_contradiction", tag], **kw))  # type: ignore[arg-type]

    for i in range(3):
        right = ctx.ids.order()
        k = next(j for j in range(3, 7) if right[j] != right[j + 1])
        wrong = right[:k] + right[k + 1] + right[k] + right[k + 2 :]  # two digits swapped
        ctx.ids.used.add(wrong)
        product = r.choice([p for p in P.PRODUCTS if p.price <= 200])
        body = (
            f"{LONG_INTRO[i]}In early spring I ordered the {product.name} as a present, order {wrong}. {filler(2)} "
            f"When it arrived it was badly damaged. Oh wait - I just checked the email again and I had the digits "
            f"swapped: the order is actually {right}, not {wrong}. "
        )
        if i == 0:
            add(
                body + f"Anyway, please refund ${product.price:.2f}.",
                [call("issue_refund", NOTE, order_id=right, amount=product.price, reason="damaged")],
                "refund",
            )
        elif i == 1:
            add(
                body + "Where is the replacement you promised? Can you look it up?",
                [call("lookup_order", order_id=right)],
                "lookup",
            )
        else:
            add(body + "Could you send me the invoice for it?", [call("resend_invoice", order_id=right)], "invoice")
    for i in range(2):
        oid = ctx.ids.order()
        first, final = (65.0, 56.5) if i == 0 else (120.0, 102.0)
        body = (
            f"Order {oid}: the brass floor lamp and the candle holders came in one box and the lamp shade was crushed. "
            f"{filler(2)} I was going to ask for ${first:.2f} back, but looking at the receipt the lamp shade part was "
            f"${final:.2f}, so that's what I'd like refunded, please."
        )
        add(body, [call("issue_refund", NOTE, order_id=oid, amount=final, reason="damaged")], "refund")
    for i in range(2):
        oid = ctx.ids.order()
        a = P.ADDRESSES[25 if i == 0 else 3]
        number = a.street.split()[0]
        wrong_street = a.street.replace(number, str(int(number) + 54), 1)
        body = (
            f"We're moving house next week and {oid} is still going to the old address. Please send it to "
            f"{address_text(a, r).replace(a.street, wrong_street)}. {filler(1)} Sorry, typo in the house number: it's "
            f"{number}, not {wrong_street.split()[0]} - so {a.street}."
        )
        add(body, [address_call(oid, a)], "address")
    for _ in range(2):
        oid = ctx.ids.order()
        amount = float(r.choice((24, 38, 49.5)))
        body = (
            f"The velvet cushions from {oid} faded after a week in the sun. My first thought was a refund of "
            f"${amount:.2f} to my "
            f"card. {filler(1)} Actually, on second thought, I'll be ordering again anyway, so please make it store "
            "credit "
            "instead of a refund."
        )
        add(body, [call("issue_store_credit", NOTE, order_id=oid, amount=amount, reason="damaged")], "store_credit")
    oid = ctx.ids.order()
    add(
        f"I was going to send the mirror from {oid} back because of a scratch, but we've hung it already and it's "
        "fine. "
        f"{filler(2)} So no return - just refund $15 for the scratch if you can.",
        [call("issue_refund", NOTE, order_id=oid, amount=15, reason="damaged")],
        "refund",
    )
    for _ in range(2):
        old, new = ctx.ids.order(), ctx.ids.order()
        mail = (
            f"Your refund of $89.00 for order {old} has been approved.\nIt will reach your card within 5-10 business "
            "days."
        )
        add(
            quoted(f"Thanks for that refund! Separate question: has {new} shipped yet? {filler(1)}", mail, r),
            [call("lookup_order", order_id=new)],
            "lookup",
        )
    for _ in range(2):
        said, meant = ctx.ids.order(), ctx.ids.order()
        s = Session()
        s.user(f"Where is {said}?")
        s.say(f"Let me check {said} for you.")
        add(
            f"Wait, sorry, I gave you the wrong number. It's {meant}, not {said}.",
            [call("lookup_order", order_id=meant)],
            "lookup",
            prior=s.turns,
            cluster=f"session-{said}",
        )
    for _ in range(2):
        fine, late = ctx.ids.order(), ctx.ids.order()
        body = (
            f"Hi, I have two orders with you at the moment, {fine} (a bathroom cabinet) and {late} (towels and a bath "
            f"mat). The cabinet arrived yesterday and is fine, so ignore {fine}. {filler(1)} Where is {late}?"
        )
        add(body, [call("lookup_order", order_id=late)], "lookup")
    sub, wrong_sub = ctx.ids.subscription(), ctx.ids.subscription()
    add(
        f"Please cancel my refill subscription {wrong_sub}. Hmm, no, that's my sister's - mine is {sub}. Only cancel "
        "mine.",
        [call("cancel_subscription", subscription_id=sub)],
        "cancel_subscription",
    )
    _, email = person(r)
    _, old_email = person(r)
    add(
        f"Unsubscribe {old_email} from the newsletter - no wait, that's my old address, the emails go to {email} now.",
        [call("unsubscribe_marketing", email=email)],
        "unsubscribe",
    )
    ids = [ctx.ids.order() for _ in range(3)]
    add(
        f"Three orders this spring: {ids[0]} (rug, kept), {ids[1]} (lamps, returned already) and {ids[2]} (bedding). "
        f"{filler(2)} "
        f"My accountant only needs the invoice for the bedding one.",
        [call("resend_invoice", order_id=ids[2])],
        "invoice",
    )
    return out


ERRORS = {
    "outage": (
        "order service timeout",
        "service unavailable (HTTP 503)",
        "internal error, please retry later",
        "upstream gateway timeout",
    ),
}


def tool_failure(ctx: Ctx) -> list[Draft]:
    r = ctx.rng
    out: list[Draft] = []

    def session(
        message: str,
        calls: list[tuple[str, dict[str, object]]],
        results: list[tuple[dict[str, object], bool]],
        tag: str,
        checks: dict[str, object],
        escalation_ok: bool,
    ) -> None:
        s = Session()
        ids = s.calls(*calls)
        for cid, (payload, error) in zip(ids, results, strict=True):
            s.result(cid, payload, error)
        out.append(
            Draft(
                dress(message, r),
                reply=checks,
                tags=["tool_failure", tag],
                followup=s.turns,
                escalation_ok=escalation_ok,
            )
        )

    outage_ref = (
        "I'm sorry, our system couldn't complete that just now. Please try again a little later, or I can hand this "
        "to our team."
    )
    outage = reply(outage_ref, require=(FAILED,), forbid=(DONE_CLAIM,))
    product = r.choice([p for p in P.PRODUCTS if p.price <= 200])
    a = P.ADDRESSES[15]
    _, email = person(r)
    oid = [ctx.ids.order() for _ in range(12)]
    cases: list[tuple[str, str, dict[str, object], str]] = [
        (f"Where's my order {oid[0]}?", "lookup_order", {"order_id": oid[0]}, "lookup"),
        (f"Has {oid[1]} shipped?", "lookup_order", {"order_id": oid[1]}, "lookup"),
        (f"what's in {oid[2]} again", "lookup_order", {"order_id": oid[2]}, "lookup"),
        (
            f"{oid[3]} never arrived, refund the $47.20 please.",
            "issue_refund",
            {"order_id": oid[3], "amount": 47.2, "reason": "not_received"},
            "refund",
        ),
        (
            f"Refund ${product.price:.2f} for {oid[4]}, the {product.name} is broken.",
            "issue_refund",
            {"order_id": oid[4], "amount": product.price, "reason": "damaged"},
            "refund",
        ),
        (f"Please cancel {oid[5]}.", "cancel_order", {"order_id": oid[5]}, "cancel_order"),
        (
            f"Please change the delivery address for {oid[6]} to {address_text(a, r)}.",
            "change_address",
            _first_args(address_call(oid[6], a)),
            "address",
        ),
        (f"Can you find my orders? Account {email}.", "search_orders", {"email": email}, "search"),
        (f"Could you send me the invoice for {oid[7]}?", "resend_invoice", {"order_id": oid[7]}, "invoice"),
        (f"Is {product.sku} in stock?", "check_stock", {"sku": product.sku}, "stock"),
        (
            f"I'd like to return the {product.name} from {oid[8]}, it doesn't fit.",
            "create_return",
            {"order_id": oid[8], "reason": "does_not_fit"},
            "return",
        ),
    ]
    tn = ctx.ids.tracking("FedEx")
    cases.append((f"Where's parcel {tn}?", "get_shipment", {"tracking_number": tn}, "shipment"))
    for i, (message, name, args, tag) in enumerate(cases):
        session(message, [(name, args)], [({"error": ERRORS["outage"][i % 4]}, True)], tag, outage, True)
    not_found: list[tuple[str, str, dict[str, object], str, str, str]] = [
        (
            f"Hey, what's the status of {oid[9]}?",
            "lookup_order",
            {"order_id": oid[9]},
            f"order not found: {oid[9]}",
            "lookup",
            "order_id",
        ),
        (
            f"Where is {oid[10]}? Ordered last week.",
            "lookup_order",
            {"order_id": oid[10]},
            f"no order with id {oid[10]}",
            "lookup",
            "order_id",
        ),
        (
            "Where is my parcel 1Z999AA10123456784?",
            "get_shipment",
            {"tracking_number": "1Z999AA10123456784"},
            "tracking number not found",
            "shipment",
            "tracking_number",
        ),
        ("Is RUG-0419 in stock?", "check_stock", {"sku": "RUG-0419"}, "unknown sku RUG-0419", "stock", "sku"),
    ]
    sub = ctx.ids.subscription()
    not_found.append(
        (
            f"Cancel subscription {sub}.",
            "cancel_subscription",
            {"subscription_id": sub},
            f"subscription {sub} not found",
            "cancel_subscription",
            "subscription_id",
        )
    )
    for message, name, args, error, tag, field in not_found:
        session(
            message,
            [(name, args)],
            [({"error": error}, True)],
            tag,
            ask(field, lead="I'm sorry, I couldn't find that."),
            False,
        )
    shipped = ctx.ids.order()
    session(
        f"Cancel {shipped} please, I don't need it.",
        [("cancel_order", {"order_id": shipped})],
        [({"error": f"order {shipped} has already shipped and cannot be cancelled"}, True)],
        "cancel_order",
        reply(
            f"I'm sorry, {shipped} has already shipped, so it can't be cancelled; you can return it within 30 days "
            "of delivery.",
            require=(SHIPPED_WORDS,),
            forbid=(DONE_CLAIM,),
        ),
        False,
    )
    for _ in range(2):
        record = order_record(ctx.ids.order(), [r.choice(P.PRODUCTS)], "shipped", r, ctx.ids)
        other = ctx.ids.order()
        ref = (
            f"{record['order_id']} has shipped with {record['carrier']} (tracking {record['tracking_number']}). I'm "
            "sorry, I "
            f"couldn't check {other} just now because of a system problem."
        )
        session(
            f"Any news on {record['order_id']} and {other}?",
            [("lookup_order", {"order_id": record["order_id"]}), ("lookup_order", {"order_id": other})],
            [(record, False), ({"error": "order service timeout"}, True)],
            "lookup",
            reply(ref, require=(re.escape(record["tracking_number"]), FAILED), forbid=(DONE_CLAIM,)),
            True,
        )
    session(
        "I want to talk to a human, now.",
        [("escalate_to_human", {"reason": "Customer asked for a human", "priority": "normal"})],
        [({"error": "handoff queue unavailable, try again later"}, True)],
        "escalation",
        reply(
            "I'm sorry, I couldn't reach our team just now. They work Monday to Friday, 8am-8pm Eastern; please try "
            "again soon.",
            require=(FAILED,),
            forbid=(DONE_CLAIM,),
        ),
        False,
    )
    return out
