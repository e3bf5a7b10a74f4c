"""Customer-support stories about care after the sale: warranty repairs and locked accounts.

Each family writes the beats that carry its facts (the `core` turns) in one of several phrasings and
returns the key facts those beats establish; the renderer pads the conversation with neutral filler
and lays it out as an email thread, a chat or a call. A `trap` changes the story: a value corrected
later (long_context_contradiction), a choice nobody has made (ambiguous), a figure nobody knows yet
(missing_data); injections and messy formats are added by the caller for every family alike.
"""

from __future__ import annotations

import random

from summarization_common import (
    OPEN,
    Claim,
    Fact,
    Story,
    Turn,
    id_alts,
    ident,
    money,
)
from summarization_pools import PRODUCTS
from summarization_support import A, C, Ctx


def warranty(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    product = rng.choice(PRODUCTS.get(ctx.domain, PRODUCTS["audio equipment"]))
    rma = ident(rng, "RMA", 6)
    turnaround = rng.choice([7, 10, 14, 21])
    fee = money(rng, 25, 140, ctx.symbol, cents=False)
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"My {product} stopped working, it won't power on at all. It's about 14 months old.",
                    f"the {product} makes a grinding noise since last week, is that covered by warranty?",
                    f"Hello, the {product} I bought last year has developed a fault.",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    "Sorry to hear that. Could you send your proof of purchase and the serial number?",
                    "Let's get that looked at. I'll need the receipt and the serial number first.",
                    "That doesn't sound right. Can you share the order confirmation and the serial?",
                ]
            ),
        ),
        Turn(C, "Receipt attached, serial is on the sticker, I've typed it into the form."),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap in ("missing_data", "ambiguous"):
        why = (
            "the receipt doesn't show the purchase date clearly, so I can't confirm warranty cover yet"
            if trap == "missing_data"
            else "my team lead thinks this is accidental damage, our technician thinks it's a manufacturing fault"
        )
        turns.append(Turn(A, f"I've opened a claim, {rma}, but {why}.", core=True))
        turns.append(Turn(C, "So is it covered or not?"))
        turns.append(
            Turn(
                A,
                "I can't say yet. Nothing has been approved; the repairs team decides after they inspect it.",
                core=True,
            )
        )
        facts.append(Fact(f"Claim {rma} opened", (id_alts(rma),)))
        facts.append(
            Fact(
                "Warranty cover not yet approved; depends on inspection",
                ((*tuple(OPEN), "not approved", "not yet approved", "can't say", "inspect"),),
            )
        )
        forbidden += [
            Claim("Claim approved", ("approved", "accepted", "granted", "covered"), (("claim", "warranty", "repair"),)),
            Claim("Repair is free", ("free", "no charge", "no cost"), (("repair",),)),
        ]
        if trap == "ambiguous":
            facts.append(Fact("Staff disagree: accidental damage or manufacturing fault",
                              (("disagree", "unclear", "differ", "either", "or a manufacturing fault", "not agreed",
                                "conflicting"),)))  # fmt: skip
    else:
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"That's within warranty. I've approved repair claim {rma}; a prepaid label is on its way by "
                        "email.",
                        f"You're covered. Repair claim {rma} is approved, and I've emailed a prepaid shipping label.",
                        f"The warranty applies, so I've approved it under {rma}. Look out for the prepaid label in "
                        "your inbox.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"Warranty repair claim {rma} approved; prepaid label emailed", (id_alts(rma),
                          ("approved", "approve", "accepted"))))  # fmt: skip
        if trap == "long_context_contradiction":
            wrong = turnaround + 7
            turns.append(Turn(A, f"Repairs usually take {wrong} days."))
            turns.append(Turn(C, "That long?"))
            turns.append(
                Turn(
                    A,
                    f"Let me correct that: for this model it's {turnaround} days from when it arrives, "
                    f"not {wrong}. The {wrong}-day figure is for older models.",
                    core=True,
                )
            )
            forbidden.append(Claim(f"Repair takes {wrong} days", (f"{wrong} days", f"{wrong}-day", f"{wrong} day")))
        else:
            turns.append(
                Turn(
                    A,
                    rng.choice(
                        [
                            f"Repairs take about {turnaround} days once it reaches the service centre.",
                            f"Turnaround at the service centre is roughly {turnaround} days.",
                            f"Expect it back about {turnaround} days after they receive it.",
                        ]
                    ),
                    core=True,
                )
            )
        facts.append(Fact(f"Repair takes about {turnaround} days", ((f"{turnaround} days", f"{turnaround}-day",
                          f"{turnaround} day"),)))  # fmt: skip
        if rng.random() < 0.5:
            turns.append(
                Turn(
                    A,
                    f"If the technician finds liquid damage, the repair costs {fee.text()} and we'll "
                    "ask you before doing anything.",
                    core=True,
                )
            )
            facts.append(
                Fact(
                    f"If liquid damage is found, repair costs {fee.text()} (customer asked first)",
                    (fee.alts(), ("liquid", "if")),
                )
            )
    return Story("warranty", ["warranty"], turns, facts, forbidden, slots={"product": product})


def account_access(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    ticket = ident(rng, "SEC", 5)
    hours = rng.choice([24, 48, 72])
    team = "account security"
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    "I'm locked out of my account, the 2FA codes keep being rejected.",
                    "can't log in, it says my account is suspended for unusual activity??",
                    "I changed phones and now I can't get the authentication codes.",
                ]
            ),
            core=True,
        ),
        Turn(A, "I'm sorry about that. For your security I need to verify your identity before I change anything."),
        Turn(A, "Can you confirm the last four digits of the card on the account and the date of your last order?"),
        Turn(C, "Card ends 4417, last order was a couple of weeks ago."),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "missing_data":
        turns.append(
            Turn(
                A,
                f"I can't verify you with that alone, so I've passed it to {team}, ticket {ticket}. "
                "They haven't given a timeframe and I can't say when access will be restored.",
                core=True,
            )
        )
        facts += [
            Fact(f"Passed to account security, ticket {ticket}", (id_alts(ticket),)),
            Fact(
                "No timeframe for restoring access yet",
                ((*tuple(OPEN), "no timeframe", "no time frame", "can't say", "cannot say"),),
            ),
        ]
        forbidden += [
            Claim("Access restored", ("restored", "unlocked", "reset"), (("access", "account", "2fa"),)),
            Claim(f"Access back within {hours} hours", (f"{hours} hours", f"{hours}h")),
        ]
    else:
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        "Thanks, that's verified. I've reset your two-factor authentication; you'll get a setup "
                        "link by email, "
                        f"valid for {hours} hours.",
                        "That all matches, thank you. Two-factor is reset now, and the email with the setup link "
                        "works for "
                        f"{hours} hours.",
                        f"You're verified. I've reset the 2FA on the account; use the setup link we've emailed within "
                        f"{hours} hours.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(
            Fact(
                f"Identity verified; 2FA reset, setup link valid {hours} hours",
                (("reset",), (f"{hours} hours", f"{hours}h", f"{hours}-hour")),
            )
        )
        if trap == "long_context_contradiction":
            turns.append(Turn(C, "The link says expired already?"))
            turns.append(
                Turn(
                    A,
                    f"Sorry, that one was sent before the reset finished. Ignore it; I've sent a new "
                    f"link, ticket {ticket}. The first link is cancelled.",
                    core=True,
                )
            )
            old = ident(rng, "SEC", 5)
            turns.insert(4, Turn(A, f"I'm logging this under ticket {old}.", core=True))
            turns.append(Turn(A, f"Please use {ticket} from now on; {old} was closed as a duplicate.", core=True))
            forbidden.append(Claim(f"Ticket {old} is the reference", id_alts(old)))
            facts.append(Fact(f"New setup link sent; reference ticket {ticket}", (id_alts(ticket),)))
        else:
            turns.append(
                Turn(
                    A,
                    rng.choice(
                        [
                            f"I've also logged it under {ticket} in case you need us again.",
                            f"Your reference is {ticket} if you need to come back to us.",
                            f"For your records, this is ticket {ticket}.",
                        ]
                    ),
                    core=True,
                )
            )
            facts.append(Fact(f"Reference ticket {ticket}", (id_alts(ticket),)))
    if trap == "ambiguous":
        turns.append(Turn(C, "Someone may have logged in from abroad. Was my account hacked?"))
        turns.append(
            Turn(
                A,
                "There was a login from a new location, but I can't tell whether it was you on a VPN "
                "or someone else; security will look at it.",
                core=True,
            )
        )
        facts.append(
            Fact(
                "Unclear whether a login from a new location was the customer",
                (("unclear", "can't tell", "cannot tell", "not clear", "unknown", "not known", "whether"),),
            )
        )
        forbidden.append(Claim("Account was hacked", ("hacked", "compromised", "breached"), ()))
    turns.append(
        Turn(
            A,
            rng.choice(
                [
                    "Please also change your password once you're back in, and don't share codes with anyone who "
                    "calls you.",
                    "Once you're in, change your password straight away, just to be safe.",
                    "One last thing: set a new password after you log in, and never give codes to anyone on the phone.",
                ]
            ),
            core=True,
        )
    )
    facts.append(Fact("Customer should change the password after logging in", (("password",),)))
    return Story("account_access", ["account_access"], turns, facts, forbidden)
