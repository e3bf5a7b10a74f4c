"""Golden families for the account tools and the human hand-over: cancel_subscription (against
cancel_order and unsubscribe_marketing, which customers also call "cancelling"), unsubscribe_marketing,
and escalate_to_human at each priority, including over-limit refunds and requests no tool performs.
"""

from __future__ import annotations

import toolcall_pools as P
from toolcall_kit import Draft, call, casual, dress, escalate, money, person
from toolcall_orders import Ctx

SUBSCRIPTION = (
    "Please cancel my {plan} subscription, {sub}.",
    "I'd like to end Refill Club {sub}. We're moving abroad.",
    "stop my {plan} deliveries pls, subscription {sub}",
    "Cancel subscription {sub} - the {plan} box comes faster than we can use it.",
    "Hi, how do I cancel my {plan} plan? It's {sub}. I don't want any more charges.",
    "Please end {sub}. Not the order I placed last week, just the recurring {plan} one.",
    "We no longer need the {plan} refills. Subscription number {sub}. Thanks for everything!",
    "I want to cancel the Refill Club ({sub}), money is tight at the moment.",
    "Can you unsubscribe me from the {plan} subscription {sub}? I keep forgetting to pause it.",
    "cancel {sub} plz",
    "Terminate my {plan} subscription effective now: {sub}.",
    "My mother passed away and I'm closing her accounts. Please cancel her {plan} subscription, {sub}.",
)


def messy_sub(sub: str, i: int) -> str:
    digits = sub.split("-")[1]
    return (sub, sub, f"sub-{digits}", f"SUB {digits}", f"sub{digits}", sub)[i % 6]


def subscription(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        sub = ctx.ids.subscription()
        text = SUBSCRIPTION[i % len(SUBSCRIPTION)].format(plan=ctx.pick(P.REFILL_PLANS), sub=messy_sub(sub, i))
        name, _ = person(r)
        calls = [call("cancel_subscription", subscription_id=sub)]
        out.append(
            Draft(dress(text, r, name), calls, tags=["cancel_subscription"], template=f"sub-{i % len(SUBSCRIPTION)}")
        )
    return out


UNSUBSCRIBE = (
    "Please stop sending marketing emails to {email}.",
    "unsubscribe {email} from the newsletter, I get three a day",
    "I'd like to cancel my subscription to your emails. Address: {email}",
    "Take {email} off your mailing list please. The unsubscribe link in the footer gives a 404.",
    "No more promotional emails to {email}, thank you.",
    "How do I stop the sale emails? They go to {email}.",
    "Please remove {email} from all marketing. I still want order updates, just not the newsletter.",
    "STOP EMAILING ME. {email}",
    "My late father's address {email} still gets your newsletter - please unsubscribe it.",
    "I love your shop, but daily emails are too much. Unsubscribe {email}, please.",
    "hi can you stop the newsletters to {email}",
    "Opt me out of marketing please: {email}. I'll keep my Refill Club subscription.",
)


def unsubscribe(ctx: Ctx, n: int) -> list[Draft]:
    out = []
    for i in range(n):
        r = ctx.rng
        _, email = person(r)
        text = UNSUBSCRIBE[i % len(UNSUBSCRIBE)].format(email=email)
        if i % 5 == 4:
            text = casual(text, r)
        calls = [call("unsubscribe_marketing", email=email)]
        out.append(Draft(dress(text, r), calls, tags=["unsubscribe"], template=f"unsub-{i % len(UNSUBSCRIBE)}"))
    return out


LEGAL = (
    "This is ridiculous. {id} never arrived, I've emailed three times and you keep ignoring me. If this isn't "
    "sorted by Friday my lawyer will be in touch.",
    "Refund the {amount} for {id} or I'm filing in small claims court next week.",
    "I've filed a complaint with the state attorney general's consumer protection office about {id} and I expect a "
    "response.",
    "My solicitor has advised me to take legal action over the faulty {item} (order {id}).",
    "If I don't hear back today I'm reporting you to the Better Business Bureau and my lawyer.",
    "I'll see you in court. You charged me for {id} and never delivered.",
    "Consider this formal notice: I will sue Larkspur & Co. over order {id} unless it is resolved.",
)

SAFETY_PRODUCTS = tuple(p for p in P.PRODUCTS if p.sku in ("KIT-4401", "KIT-4738", "LMP-2231", "LMP-6604", "GDN-6003"))

SAFETY = (
    "The {item} from {id} started smoking and burned my hand when I picked it up.",
    "my son swallowed one of the little magnets from the desk toy set you sold us. we are at the ER now",
    "The {item} gave me an electric shock when I plugged it in. Order {id}.",
    "My daughter broke out in hives after using the {item}, we think she's allergic to the dye. Order {id}.",
    "The {item} caught fire on the stove tonight! Nobody hurt, but the kitchen is a mess.",
    "A shelf bracket from {id} gave way and the shelf fell on my partner's head. He needed stitches.",
    "There's a burning smell from the {item} and the plug melted. {id}. Is it safe?",
)

HUMAN = (
    "Can I talk to a real person please? I don't want to chat with a bot.",
    "I'd like to speak to a manager about how my last order was handled.",
    "Put me through to a human. This is the third time I'm explaining this.",
    "Is there a supervisor I could talk to about order {id}?",
    "Please get someone from your team to call me back, I'd rather deal with a person.",
    "Operator. Human. Agent. Whatever gets me a real person.",
    "I need a human agent, the chatbot keeps sending me in circles.",
)

UNSUPPORTED = (
    "Can I swap the green cushion covers in {id} for the navy ones?",
    "We run a small cafe and would like to open a business account for regular orders of your stoneware.",
    "Could you add a second {item} to {id} before it ships?",
    "I want to pay for {id} with PayPal instead of the card I used. Can you change that?",
    "West Elm has the same {item} for less. Will you match their price?",
    "I'd like to exchange the {item} from {id} for the bigger size.",
    "Can I change the colour of the {item} on {id} to oak instead of walnut?",
    "Please set us up with wholesale pricing: we need about 200 mugs for our hotel.",
    "Please switch {id} to my other credit card, the first one was cancelled by the bank.",
)

OVER_LIMIT = (
    "The {item} from {id} arrived with a snapped frame. I need a refund of {amount}.",
    "Refund {amount} for {id} please, it never arrived.",
    "My order {id} ({item}) came completely broken. Please refund the full {amount}.",
    "{id} never showed up. I'd like {amount} back on my card.",
    "Could you put {amount} of store credit on my account for {id}? The {item} was damaged in transit.",
    "The whole order {id} was wrong. Refund {amount}, please.",
)


def escalations(ctx: Ctx, n_each: int) -> list[Draft]:
    """Urgent (legal, safety), normal (asks for a human), high (over the limit), low (no tool does it)."""
    out = []
    groups = (
        ("urgent", "legal", LEGAL),
        ("urgent", "safety", SAFETY),
        ("normal", "human_request", HUMAN),
        ("low", "unsupported", UNSUPPORTED),
        ("high", "over_limit", OVER_LIMIT),
    )
    for priority, tag, templates in groups:
        for i in range(n_each):
            r = ctx.rng
            oid = ctx.ids.order()
            product = r.choice(P.PRODUCTS)
            if tag == "safety":  # something that can burn, shock or be swallowed (same draw, so the ids hold)
                product = SAFETY_PRODUCTS[i % len(SAFETY_PRODUCTS)]
            amount = round(r.uniform(200.5, 1400), 2) if tag == "over_limit" else product.price
            if tag == "over_limit" and i == 0:
                amount = 200.01
            text = templates[i % len(templates)].format(id=oid, item=product.name, amount=money(amount, r))
            if i % 4 == 3:
                text = casual(text, r)
            name, _ = person(r)
            out.append(
                Draft(
                    dress(text, r, name),
                    [escalate(priority)],
                    tags=["escalation", tag],
                    template=f"{tag}-{i % len(templates)}",
                )
            )
    return out
