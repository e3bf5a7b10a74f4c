"""Customer-support stories about orders: items that arrive damaged, parcels that do not arrive.

Each family writes the beats that carry its facts (the `core` turns) in one of several phrasings and
returns the key facts those beats establish; the renderer pads the conversation with neutral filler
and lays it out as an email thread, a chat or a call. A `trap` changes the story: a value corrected
later (long_context_contradiction), a choice nobody has made (ambiguous), a figure nobody knows yet
(missing_data); injections and messy formats are added by the caller for every family alike.
"""

from __future__ import annotations

import random

from summarization_common import (
    DECIDED,
    OPEN,
    REFUND,
    REPLACE,
    Claim,
    Fact,
    Money,
    Story,
    Turn,
    day,
    id_alts,
    ident,
    later,
    money,
    pct_alts,
)
from summarization_pools import CARRIERS, PRODUCTS
from summarization_support import NO_RETURN, A, C, Ctx, _when


def damaged_item(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    product = rng.choice(PRODUCTS.get(ctx.domain, PRODUCTS["home goods"]))
    damage = rng.choice(["a cracked panel", "a dented corner", "a torn seam", "a snapped handle", "a shattered lid",
                         "deep scratches all along the top", "two missing screws and a split bracket"])  # fmt: skip
    total = money(rng, 60, 900, ctx.symbol)
    part = Money(round(total.amount * rng.choice([0.15, 0.2, 0.25, 0.3, 0.4]), 2), ctx.symbol)
    when, when_alts = _when(rng)
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"The {product} from order {ctx.order} arrived with {damage}. I paid {total.text()} for it.",
                    f"So the {product} turned up yesterday and it has {damage}. Order {ctx.order}, total "
                    f"{total.text()}.",
                    f"i opened the box and the {product} has {damage}!! order number is {ctx.order}, cost me "
                    f"{total.text()}",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    f"I'm sorry about the {product}. Could you send a couple of photos of the damage and of "
                    "the outer box?",
                    "Could you attach photos showing the damage, and the label on the box?",
                ]
            ),
        ),
        Turn(
            C,
            rng.choice(
                ["Photos attached, three of them.", "sent the pictures just now", "Done, uploaded to the portal."]
            ),
        ),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "ambiguous":
        turns += [
            Turn(
                A,
                f"Thanks. I can offer either a replacement {product}, or a refund of {total.text()} once it's "
                "collected. Which would you prefer?",
                core=True,
            ),
            Turn(
                C,
                rng.choice(
                    [
                        "I honestly don't know yet. I need to talk to my partner first, can I come back to you?",
                        "Not sure. If the replacement takes weeks I'd rather have the money, let me think.",
                    ]
                ),
            ),
            Turn(
                A,
                "Of course. I'll keep the ticket open and won't process anything until you tell me which "
                "option you want.",
                core=True,
            ),
        ]
        facts += [
            Fact(
                f"Customer has not decided between a replacement and a refund of {total.text()}",
                (
                    (
                        "not decided",
                        "undecided",
                        "hasn't decided",
                        "has not decided",
                        "yet to decide",
                        "deciding",
                        "will decide",
                        "to decide",
                        "choosing",
                        "either",
                        "not yet chosen",
                        "no decision",
                    ),
                ),
            ),
            Fact(
                "Nothing processed until the customer chooses; ticket kept open",
                (("open", "until", "nothing processed", "not processed", "no action", "on hold", "pending"),),
            ),
        ]
        forbidden += [
            Claim("A replacement was agreed", tuple(REPLACE), (tuple(DECIDED),)),
            Claim("A refund was agreed", tuple(REFUND), (tuple(DECIDED),)),
        ]
    elif trap == "missing_data":
        turns += [
            Turn(
                A,
                "Because the damage happened in transit, the courier has to inspect it first. I can't tell you "
                "the refund amount until their report comes back, it could be partial or full.",
                core=True,
            ),
            Turn(C, "And how long does that take?"),
            Turn(A, f"Usually {when}, but I don't have a date from them yet.", core=True),
        ]
        facts += [
            Fact(
                "Refund amount unknown until the courier's inspection report",
                (
                    (
                        "unknown",
                        "not known",
                        "not yet known",
                        "until",
                        "pending",
                        "awaiting",
                        "inspect",
                        "no amount",
                        "can't tell",
                        "cannot tell",
                        "not confirmed",
                        "undetermined",
                    ),
                ),
            ),
            Fact(f"Courier inspection usually takes {when}", (when_alts, ("inspect", "courier", "report"))),
        ]
        forbidden += [
            Claim(f"A refund of {total.text()} was approved", total.alts(), (tuple(REFUND),)),
            Claim(
                "A refund was approved", ("approved", "issued", "processed", "granted", "confirmed"), (tuple(REFUND),)
            ),
        ]
    else:
        amount = part
        if trap == "long_context_contradiction":
            wrong = Money(round(total.amount * rng.choice([0.5, 0.6]), 2), ctx.symbol)
            turns.append(
                Turn(
                    A,
                    f"Thanks for those. I've put through a partial refund of {wrong.text()} and you can "
                    f"keep the {product}.",
                    core=True,
                )
            )
            turns.append(Turn(C, "oh ok, that was quick"))
            correction = rng.choice(
                [
                    f"Apologies, I need to correct what I said earlier: my team lead says the partial refund for this "
                    f"damage is {amount.text()}, not {wrong.text()}. I've voided the first one and issued "
                    f"{amount.text()}.",
                    f"Update: the {wrong.text()} refund was entered by mistake and has been reversed. The correct "
                    "partial "
                    f"refund is {amount.text()}, which I've now processed.",
                ]
            )
            turns.append(Turn(A, correction, core=True))
            forbidden.append(Claim(f"Refund of {wrong.text()}", wrong.alts()))
            fact_text = rng.choice(
                [
                    f"Partial refund corrected from {wrong.text()} to {amount.text()}",
                    f"Partial refund of {amount.text()} issued",
                ]
            )
        else:
            turns.append(
                Turn(
                    A,
                    rng.choice(
                        [
                            f"Thanks, the damage is clear. I've approved a partial refund of {amount.text()} and you "
                            "can keep "
                            f"the {product}.",
                            f"I've looked at the photos. Rather than a collection, I've issued {amount.text()} back "
                            "as a partial "
                            f"refund, and the {product} is yours to keep.",
                            f"Good news: my team lead signed off a partial refund of {amount.text()} for the damage, "
                            "so you "
                            f"don't have to wait for a collection.",
                            "Since it still works, the fairest option is money back for the damage: "
                            f"{amount.text()}, which I "
                            "have just processed as a partial refund.",
                            f"Right, I've done it. {amount.text()} is on its way back to you as a partial refund, "
                            "that's the "
                            "standard amount for this kind of cosmetic damage.",
                        ]
                    ),
                    core=True,
                )
            )
            fact_text = f"Partial refund of {amount.text()} for order {ctx.order}"
        facts.append(Fact(fact_text, (amount.alts(), tuple(REFUND))))
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        "You don't need to return anything. The money goes back to your original payment method "
                        f"within {when}.",
                        f"No need to send it back. Expect the refund on your card within {when}.",
                        f"Please keep the item, there's no return needed. Refunds usually land within {when}.",
                        f"There's nothing to send back to us. Depending on your bank, it shows within {when}.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"No return needed; refund arrives within {when}", (NO_RETURN, when_alts)))
    if rng.random() < 0.5 and trap != "missing_data":
        code = f"SORRY{rng.choice([5, 10, 15, 20])}"
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"I've also added a goodwill code, {code}, to your account for next time.",
                        f"And as a small apology, use {code} on your next order.",
                        f"I've put a discount code on your account too: {code}.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"Goodwill code {code} added", ((code, code.lower()),)))
    return Story("damaged_item", ["damaged_item"], turns, facts, forbidden, slots={"product": product})


def delivery(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    carrier = rng.choice(CARRIERS)
    tracking = ident(rng, rng.choice(["TRK", "JD", "1Z", "PX"]), 8)
    product = rng.choice(PRODUCTS.get(ctx.domain, PRODUCTS["home goods"]))
    promised = day(rng, ctx.month, 2, 14)
    ref = ident(rng, "INV", 5)
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"My {product} (order {ctx.order}) was due on {promised.text()} and tracking hasn't moved since.",
                    f"Tracking {tracking} says delivered but nothing came. Order {ctx.order}, a {product}.",
                    f"where is my order {ctx.order}? it was supposed to arrive {promised.text(1)}, tracking {tracking}",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    f"Let me check with {carrier}. One moment.",
                    f"I'll look at the {carrier} tracking.",
                    f"Bear with me, I'm checking the {carrier} portal.",
                ]
            ),
        ),
        Turn(
            A,
            rng.choice(
                [
                    f"{carrier} shows the parcel was scanned at their depot and then nothing.",
                    f"The last scan from {carrier} is at the sorting hub, there's no delivery photo.",
                    f"According to {carrier} it left the depot on a van, but there's no proof of delivery.",
                    f"{carrier} have it as 'exception: address not found', which is odd.",
                ]
            ),
        ),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "missing_data":
        turns.append(
            Turn(
                A,
                f"I've opened an investigation with {carrier}, reference {ref}. I can't tell yet "
                "whether it will be found, refunded or replaced; that depends on what they find.",
                core=True,
            )
        )
        facts += [
            Fact(f"Carrier investigation opened, reference {ref}", (id_alts(ref),)),
            Fact(
                "Outcome (refund or replacement) not decided until the investigation ends", ((*tuple(OPEN), "depends"),)
            ),
        ]
        forbidden += [
            Claim(
                "A replacement was sent",
                tuple(REPLACE),
                (("sent", "shipped", "dispatched", "arranged", "agreed", "approved", "will send"),),
            ),
            Claim("A refund was approved", tuple(REFUND), (tuple(DECIDED),)),
        ]
    else:
        ship = later(promised, rng.randint(2, 6))
        if trap == "long_context_contradiction":
            wrong = later(promised, 1)
            turns.append(
                Turn(
                    A,
                    f"I'll send a replacement {product} by express; it should reach you on {wrong.text()}.",
                    core=True,
                )
            )
            turns.append(Turn(C, "ok good"))
            turns.append(
                Turn(
                    A,
                    f"Sorry, correction from the warehouse: express isn't possible for this item, so the "
                    f"replacement arrives on {ship.text()} instead of {wrong.text()}.",
                    core=True,
                )
            )
            forbidden.append(Claim(f"Replacement arrives {wrong.text()}", wrong.alts()))
        else:
            turns.append(
                Turn(
                    A,
                    rng.choice(
                        [
                            f"I've arranged a replacement {product}; it will be delivered on {ship.text()}.",
                            f"Rather than wait, I'm sending a new {product} today, due {ship.text(1)}.",
                            f"I don't want you waiting on the investigation, so a replacement {product} goes out "
                            "tonight and "
                            f"should be with you {ship.text()}.",
                            f"The warehouse has stock, so I've booked a replacement for delivery on {ship.text(1)}.",
                        ]
                    ),
                    core=True,
                )
            )
        facts.append(Fact(f"Replacement {product} arrives {ship.text()}", ((*tuple(REPLACE), "new"), ship.alts())))
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        "If the first parcel turns up, please refuse it or keep it aside and we'll collect it.",
                        "Should the original parcel turn up after all, refuse it at the door, or keep it aside for "
                        "collection.",
                        "And if the lost one arrives, just keep it aside; we'll arrange a collection, or you can "
                        "refuse it.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(
            Fact(
                "If the original parcel turns up, refuse it or keep it for collection",
                (("refuse", "collect", "turns up", "arrives", "keep it aside"),),
            )
        )
    if trap == "ambiguous":
        turns.append(Turn(C, "Can I also get the delivery fee back? Your colleague on the phone said yes."))
        turns.append(
            Turn(
                A,
                "I can't see any note of that, and the policy is unclear for replacements. I'll ask "
                "my supervisor; I can't promise it.",
                core=True,
            )
        )
        facts.append(
            Fact(
                "Delivery fee refund unclear; supervisor to be asked",
                (
                    (
                        "unclear",
                        "not promised",
                        "can't promise",
                        "cannot promise",
                        "no promise",
                        "supervisor",
                        "not confirmed",
                        "undecided",
                        "pending",
                    ),
                ),
            )
        )
        forbidden.append(Claim("Delivery fee refunded", ("fee",), ((*tuple(REFUND), "waived"),)))
    elif rng.random() < 0.5 and trap != "missing_data":
        pct = rng.choice([10, 15, 20])
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"For the trouble, there's a {pct}% credit on your next order.",
                        f"I've added {pct}% off your next order as an apology.",
                        f"You'll also see a {pct}% credit on the account for next time.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"{pct}% credit on next order", (pct_alts(pct),)))
    return Story("delivery", ["delivery"], turns, facts, forbidden, slots={"product": product})
