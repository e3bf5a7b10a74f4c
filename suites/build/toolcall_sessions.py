"""Multi-turn agent sessions: the agent already called tools and got results (or asked a question and
got an answer), and the case is its next step: another call the request still needs, or a text reply
that reports what the results say without contradicting them.

One session is one cluster. Tool results are built from the same records the gold answer is derived
from, so a reply check like "names the carrier and the tracking number" follows from the result.
"""

from __future__ import annotations

import re

import toolcall_pools as P
from toolcall_kit import NOTE, Draft, Json, Session, call, dress, money, order_record, person, reply
from toolcall_orders import Ctx, address_call, address_text
from toolcall_talk import DONE_CLAIM

MONTHS = (
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
)


def date_pattern(iso: str) -> str:
    """The ways a reply may write an ISO date: 2025-06-12, June 12(th), 12 June, Jun 12, 6/12."""
    _, m, d = iso.split("-")
    month, day = MONTHS[int(m) - 1], str(int(d))
    return (
        rf"{iso}|({month}|{month[:3]})\.? {day}(st|nd|rd|th)?\b|\b{day}(st|nd|rd|th)? (of )?({month}|{month[:3]})"
        rf"|\b0?{int(m)}/0?{day}\b"
    )


def amount_pattern(amount: float) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    if cents == "00":
        return rf"\b{whole}([.,]00)?\b"
    return rf"\b{whole}[.,]{cents.rstrip('0')}0?\b" if cents.endswith("0") else rf"\b{whole}[.,]{cents}\b"


SHIPPED_WORDS = r"shipped|dispatched|on (its|the) way|in transit|already left|delivered|out for delivery"


def _order(ctx: Ctx, status: str, days: int | None = None) -> Json:
    items = ctx.rng.sample([p for p in P.PRODUCTS if p.price < 200], ctx.rng.randint(1, 2))
    return order_record(ctx.ids.order(), items, status, ctx.rng, ctx.ids, days_since_delivery=days)


def reported(ctx: Ctx) -> list[Draft]:
    """The agent looked something up for the customer; now it must say what the result says."""
    out: list[Draft] = []
    asks = (
        "Where's my order {id}?",
        "Any update on {id}?",
        "Has {id} shipped yet?",
        "When will {id} arrive?",
        "what's happening with {id}",
        "Could you check {id} for me, please?",
    )
    for i, status in enumerate(
        ("shipped", "shipped", "shipped", "processing", "processing", "delivered", "delivered", "shipped")
    ):
        record = _order(ctx, status)
        s = Session()
        (cid,) = s.calls(("lookup_order", {"order_id": record["order_id"]}))
        s.result(cid, record)
        if status == "shipped":
            require: tuple[str, ...] = (re.escape(record["carrier"]), re.escape(record["tracking_number"]))
            ref = (
                f"{record['order_id']} has shipped with {record['carrier']} (tracking {record['tracking_number']}) and "
                f"should arrive by {record['estimated_delivery']}."
            )
        elif status == "processing":
            require = (r"processing|not (yet )?(been )?shipped|hasn't shipped|being (packed|prepared)",)
            ref = (
                f"{record['order_id']} is still processing: it hasn't shipped yet, and you'll get a tracking link "
                "when it does."
            )
        else:
            require = (date_pattern(record["delivered_on"]),)
            ref = f"{record['order_id']} was delivered on {record['delivered_on']} by {record['carrier']}."
        text = dress(asks[i % len(asks)].format(id=record["order_id"]), ctx.rng)
        out.append(
            Draft(
                text,
                reply=reply(ref, require=require),
                tags=["lookup", "followup"],
                cluster=f"session-{record['order_id']}",
                followup=s.turns,
            )
        )
    for _ in range(2):
        first, second = _order(ctx, "shipped"), _order(ctx, "processing")
        s = Session()
        ca, cb = s.calls(
            ("lookup_order", {"order_id": first["order_id"]}), ("lookup_order", {"order_id": second["order_id"]})
        )
        s.result(ca, first)
        s.result(cb, second)
        ref = (
            f"{first['order_id']} has shipped with {first['carrier']} (tracking {first['tracking_number']}); "
            f"{second['order_id']} is "
            "still processing and hasn't shipped yet."
        )
        checks = reply(
            ref, require=(re.escape(first["tracking_number"]), r"processing|not (yet )?(been )?shipped|hasn't shipped")
        )
        text = dress(f"Can you check {first['order_id']} and {second['order_id']} for me? Both were gifts.", ctx.rng)
        out.append(
            Draft(
                text,
                reply=checks,
                tags=["lookup", "parallel", "followup"],
                cluster=f"session-{first['order_id']}",
                followup=s.turns,
            )
        )
    for _ in range(3):
        oid = ctx.ids.order()
        amount = round(ctx.rng.uniform(12, 180), 2)
        rid = ctx.ids.refund_id()
        s = Session()
        (cid,) = s.calls(("issue_refund", {"order_id": oid, "amount": amount, "reason": "damaged"}))
        s.result(
            cid,
            {"refund_id": rid, "order_id": oid, "amount": amount, "method": "Visa ending 4242", "status": "approved"},
        )
        ref = (
            f"Your refund of ${amount:.2f} for {oid} is approved ({rid}) and will reach your Visa within 5-10 "
            "business days."
        )
        text = dress(
            f"The {ctx.rng.choice(P.PRODUCTS).name} from {oid} arrived broken. Please refund {money(amount, ctx.rng)}.",
            ctx.rng,
        )
        out.append(
            Draft(
                text,
                reply=reply(ref, require=(amount_pattern(amount),)),
                tags=["refund", "followup", "success"],
                cluster=f"session-{oid}",
                followup=s.turns,
            )
        )
    for i in range(2):
        oid = ctx.ids.order()
        new = P.ADDRESSES[(i * 11 + 3) % len(P.ADDRESSES)]
        s = Session()
        (cid,) = s.calls(("change_address", _first_args(address_call(oid, new))))
        s.result(cid, {"order_id": oid, "status": "updated", "shipping_address": address_text(new, ctx.rng)})
        ref = f"Done: {oid} will now be delivered to {new.street}, {new.city}."
        text = dress(f"Please move {oid} to {address_text(new, ctx.rng)}.", ctx.rng)
        out.append(
            Draft(
                text,
                reply=reply(ref, require=(re.escape(new.city),)),
                tags=["address", "followup", "success"],
                cluster=f"session-{oid}",
                followup=s.turns,
            )
        )
    return out


def _first_args(expected_call: Json) -> Json:
    """The arguments a correct agent sent: each argument's first acceptable value."""
    return {k: v[0] for k, v in expected_call["args"].items()}


def next_step(ctx: Ctx) -> list[Draft]:
    """A lookup answered the question the customer made their request depend on; act on it, or explain."""
    out: list[Draft] = []
    r = ctx.rng
    cancel_asks = (
        "Please cancel {id} if it hasn't shipped yet.",
        "Can you check whether {id} has gone out? If not, cancel it please.",
        "I don't need {id} anymore. If it's still in the warehouse, please cancel it.",
    )
    for i in range(6):
        status = "processing" if i < 3 else "shipped"
        record = _order(ctx, status)
        s = Session()
        (cid,) = s.calls(("lookup_order", {"order_id": record["order_id"]}))
        s.result(cid, record)
        text = dress(cancel_asks[i % 3].format(id=record["order_id"]), r)
        if status == "processing":
            out.append(
                Draft(
                    text,
                    [call("cancel_order", order_id=record["order_id"])],
                    tags=["cancel_order", "followup"],
                    cluster=f"session-{record['order_id']}",
                    followup=s.turns,
                )
            )
        else:
            ref = (
                f"{record['order_id']} has already shipped with {record['carrier']}, so it can't be cancelled any "
                "more; "
                "once it arrives you can return it within 30 days."
            )
            checks = reply(ref, require=(SHIPPED_WORDS,), forbid=(DONE_CLAIM,))
            out.append(
                Draft(
                    text,
                    reply=checks,
                    tags=["cancel_order", "followup", "already_shipped"],
                    cluster=f"session-{record['order_id']}",
                    followup=s.turns,
                )
            )
    for i in range(5):
        status = "processing" if i < 3 else "shipped"
        a = P.ADDRESSES[(i * 5 + 2) % len(P.ADDRESSES)]
        record = _order(ctx, status)
        oid = record["order_id"]
        s = Session()
        (cid,) = s.calls(("lookup_order", {"order_id": oid}))
        s.result(cid, record)
        text = dress(
            f"Can you check whether {oid} has shipped? If it hasn't, please send it to {address_text(a, r)} instead.", r
        )
        if status == "processing":
            out.append(
                Draft(
                    text,
                    [address_call(oid, a)],
                    tags=["address", "followup"],
                    cluster=f"session-{oid}",
                    followup=s.turns,
                )
            )
        else:
            ref = f"{oid} has already shipped with {record['carrier']}, so its address can no longer be changed."
            out.append(
                Draft(
                    text,
                    reply=reply(ref, require=(SHIPPED_WORDS,), forbid=(DONE_CLAIM,)),
                    tags=["address", "followup", "already_shipped"],
                    cluster=f"session-{oid}",
                    followup=s.turns,
                )
            )
    for i in range(4):
        days = (9, 21, 44, 63)[i]
        record = _order(ctx, "delivered", days)
        oid = record["order_id"]
        s = Session()
        (cid,) = s.calls(("lookup_order", {"order_id": oid}))
        s.result(cid, record)
        item = record["items"][0]["name"]
        text = dress(
            f"I'd like to return the {item} from {oid}, we've changed our minds about it. Is it still possible?", r
        )
        if days <= 30:
            calls = [call("create_return", {"items": None}, order_id=oid, reason="changed_mind")]
            out.append(Draft(text, calls, tags=["return", "followup"], cluster=f"session-{oid}", followup=s.turns))
        else:
            ref = (
                f"{oid} was delivered {days} days ago, and returns are only possible within 30 days of delivery, I'm "
                "sorry."
            )
            out.append(
                Draft(
                    text,
                    reply=reply(ref, require=(r"\b30\b",), forbid=(DONE_CLAIM,)),
                    tags=["return", "followup", "outside_window"],
                    cluster=f"session-{oid}",
                    followup=s.turns,
                )
            )
    for _ in range(2):
        record = _order(ctx, "delivered")
        oid, total = record["order_id"], record["total"]
        asked = round(total + r.choice((10, 25, 40)), 2)
        s = Session()
        (cid,) = s.calls(("lookup_order", {"order_id": oid}))
        s.result(cid, record)
        text = dress(
            f"Please look up {oid} - the {record['items'][0]['name']} arrived damaged and I want {money(asked, r)} "
            "back.",
            r,
        )
        ref = (
            f"The total of {oid} was ${total:.2f}, so I can't refund {money(asked, r, True)}. Could you check the "
            "amount on your receipt?"
        )
        out.append(
            Draft(
                text,
                reply=reply(ref, require=(amount_pattern(total),), forbid=(DONE_CLAIM,)),
                tags=["refund", "followup", "over_total"],
                cluster=f"session-{oid}",
                followup=s.turns,
            )
        )
    return out


def found_by_email(ctx: Ctx) -> list[Draft]:
    """search_orders returned the customer's orders; the one they described is the one to act on."""
    out: list[Draft] = []
    r = ctx.rng
    for i in range(5):
        name, email = person(r)
        products = r.sample([p for p in P.PRODUCTS if p.price <= 200], 3)
        orders: list[Json] = [
            {
                "order_id": ctx.ids.order(),
                "placed_on": f"2025-0{4 + k}-{r.randint(10, 28)}",
                "items": [p.name],
                "total": p.price,
                "status": ("delivered", "shipped", "processing")[k],
            }
            for k, p in enumerate(products)
        ]
        target = orders[i % 3]
        s = Session()
        (cid,) = s.calls(("search_orders", {"email": email}))
        s.result(cid, {"email": email, "orders": orders})
        item = target["items"][0]
        if i < 3:
            amount = round(min(target["total"], r.uniform(10, 60)), 2)
            text = dress(
                f"The {item} arrived damaged and I'd like {money(amount, r)} back. I don't have the order number, "
                "but my "
                f"account email is {email}.",
                r,
                name,
            )
            calls = [call("issue_refund", NOTE, order_id=target["order_id"], amount=amount, reason="damaged")]
            out.append(
                Draft(text, calls, tags=["refund", "followup", "search"], cluster=f"session-{email}", followup=s.turns)
            )
        else:
            text = dress(
                f"Has my {item} shipped? Account email {email}, sorry, I can't find the order number.", r, name
            )
            ref = f"Your {item} is order {target['order_id']}, and it is {target['status']}."
            checks = reply(ref, require=(re.escape(target["order_id"]), re.escape(target["status"])))
            out.append(
                Draft(text, reply=checks, tags=["search", "followup"], cluster=f"session-{email}", followup=s.turns)
            )
    for i in range(3):
        carrier = ("UPS", "FedEx", "USPS")[i]
        tn = ctx.ids.tracking(carrier)
        place = ("Memphis, TN", "Louisville, KY", "Indianapolis, IN")[i]
        eta = f"2025-06-{r.randint(10, 27)}"
        s = Session()
        (cid,) = s.calls(("get_shipment", {"tracking_number": tn}))
        s.result(
            cid,
            {
                "tracking_number": tn,
                "carrier": carrier,
                "status": "in_transit",
                "estimated_delivery": eta,
                "last_scan": {
                    "location": place,
                    "event": "Departed facility",
                    "time": f"{eta[:-2]}0{i + 3}T06:1{i}:00",
                },
            },
        )
        ref = (
            f"Your parcel is in transit with {carrier}: it last left the facility in {place} and should arrive by "
            f"{eta}."
        )
        text = dress(f"Where is my parcel? Tracking {tn}.", r)
        out.append(
            Draft(
                text,
                reply=reply(ref, require=(re.escape(place.split(",")[0]), date_pattern(eta))),
                tags=["shipment", "followup"],
                cluster=f"session-{tn}",
                followup=s.turns,
            )
        )
    return out


def answered(ctx: Ctx) -> list[Draft]:
    """Earlier in the chat the agent asked for something; the customer's new message supplies it."""
    out: list[Draft] = []
    r = ctx.rng
    for i in range(8):
        oid = ctx.ids.order()
        product = r.choice([p for p in P.PRODUCTS if p.price <= 200])
        s = Session()
        kind = i % 4
        if kind == 0:
            s.user(f"Hi, where is my {product.name}? I ordered it ten days ago.")
            s.say("Sorry for the wait! Could you send me your order id? It's two letters, a hyphen and five digits.")
            msg, calls, tag = (
                r.choice((f"oh sorry it's {oid}", f"{oid}", f"It's {oid}, thanks")),
                [call("lookup_order", order_id=oid)],
                "lookup",
            )
        elif kind == 1:
            s.user(f"The {product.name} I got arrived broken. I want my money back.")
            s.say(
                "I'm sorry to hear that. Could you send me the order id and the amount you'd like refunded in US "
                "dollars?"
            )
            msg = f"Sure, it's {oid}, and I'd like the {money(product.price, r)} back."
            calls, tag = [call("issue_refund", NOTE, order_id=oid, amount=product.price, reason="damaged")], "refund"
        elif kind == 2:
            a = P.ADDRESSES[(i * 3 + 5) % len(P.ADDRESSES)]
            s.user(f"I need to change my delivery address to {address_text(a, r)}.")
            s.say("I can do that. Which order should go to the new address? Please send the order id.")
            msg, calls, tag = f"{oid}", [address_call(oid, a)], "address"
        else:
            s.user(f"Could you send me a copy of my invoice? It's for the {product.name}.")
            s.say("Of course. What's the order id?")
            msg, calls, tag = f"{oid} - thank you!", [call("resend_invoice", order_id=oid)], "invoice"
        out.append(Draft(msg, calls, tags=[tag, "multi_turn"], cluster=f"session-{oid}", prior=s.turns))
    return out
