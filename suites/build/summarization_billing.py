"""Customer-support stories about money: duplicate charges, cancellations, SLA service credits.

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
    Claim,
    Day,
    Fact,
    Story,
    Turn,
    day,
    id_alts,
    ident,
    later,
    money,
    pct_alts,
)
from summarization_pools import TEAMS
from summarization_support import A, C, Ctx, S, _when


def billing(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    plan = rng.choice(["Pro", "Team", "Business", "Plus", "Premium"])
    charge = money(rng, 9, 480, ctx.symbol)
    invoice = ident(rng, rng.choice(["INV", "NT", "BL", "CR"]), 5)
    charged = day(rng, ctx.month)
    when, when_alts = _when(rng)
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"We've been charged twice for our {plan} plan: two payments of {charge.text()} on "
                    f"{charged.text()}.",
                    f"Hi, my card statement shows {charge.text()} taken two times on {charged.text(1)}. Only one "
                    f"{plan} plan.",
                    f"duplicate charge!! {charge.text()} twice on the {charged.day}th, we only have the {plan} "
                    "subscription",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    "Thanks for flagging it. Let me check the payment log for your workspace.",
                    "Sorry about that. I'm opening the billing history now.",
                    "Let me look at the transactions on your account.",
                ]
            ),
        ),
        Turn(
            A,
            rng.choice(
                [
                    "I can see both charges. The second came from a payment retry after a timeout on our side.",
                    "Both payments went through; our billing system retried a payment that had already succeeded.",
                    "You're right, there are two identical payments. Our system retried after a timeout even "
                    "though the first one had worked.",
                    "Confirmed: one genuine payment and one duplicate, created by an automatic retry.",
                ]
            ),
            core=True,
        ),
    ]
    facts = [Fact(f"Charged {charge.text()} twice due to a payment retry", (charge.alts(), ("twice", "duplicate",
                  "double", "two", "second")))]  # fmt: skip
    forbidden: list[Claim] = []
    if trap == "long_context_contradiction":
        first_inv = ident(rng, "INV", 5)
        turns.append(Turn(A, f"I've reversed the duplicate and emailed a corrected invoice, {first_inv}.", core=True))
        turns.append(Turn(C, f"Got an invoice {first_inv} but it still shows both charges??"))
        turns.append(
            Turn(
                A,
                f"You're right, {first_inv} was generated before the reversal and is void. The correct "
                f"invoice is {invoice}; I've just sent it.",
                core=True,
            )
        )
        forbidden.append(Claim(f"Invoice {first_inv} is the corrected invoice", id_alts(first_inv)))
        facts.append(Fact(f"Duplicate reversed; correct invoice is {invoice}", (id_alts(invoice),)))
    elif trap == "missing_data":
        turns.append(
            Turn(
                A,
                "I can't reverse it from here; the payments team has to confirm with the card processor "
                "first, and they haven't told me when that will be.",
                core=True,
            )
        )
        turns.append(Turn(C, "So I just wait?"))
        turns.append(
            Turn(
                A,
                f"Yes, I've escalated it to {rng.choice(TEAMS)} and I'll update you as soon as I hear. "
                "I don't have a refund date for you yet.",
                core=True,
            )
        )
        facts.append(
            Fact(
                "Duplicate not yet reversed; awaiting payments team, no refund date yet",
                ((*tuple(OPEN), "no refund date", "no date"),),
            )
        )
        forbidden += [
            Claim(
                "Duplicate charge refunded",
                ("refunded", "reversed", "credited back", "reimbursed"),
                ((*charge.alts(), "duplicate", "charge", "payment"),),
            ),
            Claim("A refund date was given", (later(charged, 5).text(), later(charged, 7).text())),
        ]
    else:
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"I've reversed the duplicate charge; it takes {when} to show on your statement. The "
                        "corrected invoice "
                        f"is {invoice}.",
                        f"The duplicate is reversed now. Your bank should show it within {when}, and {invoice} is "
                        "the corrected "
                        "invoice for your records.",
                        f"Done, the second payment has been cancelled at our end. Allow {when} for it to appear; "
                        "I've emailed "
                        f"you invoice {invoice} to replace the old one.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"Duplicate reversed, {when} to show; corrected invoice {invoice}",
                          (when_alts, id_alts(invoice))))  # fmt: skip
    if trap == "ambiguous":
        turns += [
            Turn(C, "While I have you: should we switch to annual billing? My co-founder wants to, I'm not sure."),
            Turn(
                A,
                "Annual would work out cheaper, but it's your call. I won't change anything until one of you confirms.",
                core=True,
            ),
            Turn(C, "Let me talk to him, we disagree on it to be honest."),
        ]
        facts.append(
            Fact(
                "Switch to annual billing not decided; co-founders disagree",
                (("not decided", "undecided", "disagree", "no decision", "not yet", "until", "unsure"),),
            )
        )
        forbidden.append(Claim("Switched to annual billing", ("annual",), ((*tuple(DECIDED), "switched", "moved"),)))
    elif rng.random() < 0.6:
        new_plan_day = later(charged, rng.randint(3, 20))
        turns.append(Turn(C, "Also, can we move to annual billing?"))
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"Yes, I've scheduled the switch to annual billing for {new_plan_day.text()}, your next "
                        "renewal date.",
                        f"Sure. Annual billing kicks in on {new_plan_day.text()}, when the current month runs out.",
                        f"That's set up: from {new_plan_day.text()} you'll be billed annually.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"Annual billing starts {new_plan_day.text()}", (("annual",), new_plan_day.alts())))
    return Story("billing", ["billing"], turns, facts, forbidden)


def subscription(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    plan = rng.choice(["Team", "Business", "Pro", "Growth", "Premium"])
    end = day(rng, ctx.month, 10, 28)
    export = later(end, rng.choice([14, 21, 28]))
    credit = money(rng, 15, 220, ctx.symbol)
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"We'd like to cancel our {plan} subscription, the team is moving to another tool.",
                    f"Please cancel the {plan} plan. Budget cuts, nothing personal.",
                    f"how do I cancel? we're on {plan} and don't need it anymore",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    "I'm sorry to see you go. Can I ask whether there's anything we could have done differently?",
                    "I can help with that. Out of interest, what's the main reason?",
                    "Understood. Before I do it, is it the price or the features?",
                ]
            ),
        ),
        Turn(
            C,
            rng.choice(
                [
                    "Not really, it's a company decision.",
                    "Price mostly.",
                    "The new tool is bundled with our other software.",
                ]
            ),
        ),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "long_context_contradiction":
        wrong = Day(end.day - 7, end.month)
        turns.append(Turn(A, f"The plan ends on {wrong.text()}.", core=True))
        turns.append(Turn(C, "Hm, I thought we were paid until later than that?"))
        turns.append(
            Turn(
                A,
                f"You're right, I looked at the wrong cycle. Your access continues until {end.text()}, "
                f"not {wrong.text()}.",
                core=True,
            )
        )
        forbidden.append(Claim(f"Plan ends {wrong.text()}", wrong.alts()))
    else:
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"Done: the cancellation is booked and your {plan} plan stays active until {end.text()}.",
                        f"I've cancelled it. You keep full {plan} access until {end.text()}, the end of the paid "
                        "period.",
                        f"The subscription is cancelled as of today, but everything keeps working until {end.text()}.",
                    ]
                ),
                core=True,
            )
        )
    facts.append(Fact(f"{plan} plan cancelled, active until {end.text()}", (("cancel",), end.alts())))
    if trap == "missing_data":
        turns.append(Turn(C, "Do we get anything back for the unused seats?"))
        turns.append(
            Turn(
                A,
                "Possibly a prorated credit, but finance calculates it after the plan ends and I can't "
                "give you a figure today.",
                core=True,
            )
        )
        facts.append(Fact("Any prorated credit for unused seats not yet calculated by finance",
                          ((*OPEN, "not calculated", "not yet calculated", "no figure", "after the plan ends",
                            "possibly"),)))  # fmt: skip
        forbidden += [
            Claim(
                "A prorated credit was confirmed",
                ("credit", "refund", "prorated"),
                (("confirmed", "approved", "issued", "granted", "will receive", "receives", "gets"),),
            ),
            Claim(f"Credit of {credit.text()}", credit.alts()),
        ]
        turns.insert(2, Turn(C, f"We paid {credit.text()} for extra seats last month, by the way."))
    else:
        turns.append(
            Turn(
                A,
                rng.choice(
                    [
                        f"You'll also get a prorated credit of {credit.text()} for the unused seats.",
                        f"The seats you didn't use come to {credit.text()}, which goes back to you as a prorated "
                        "credit.",
                        f"Finance confirmed a prorated credit of {credit.text()} for the unused seats.",
                    ]
                ),
                core=True,
            )
        )
        facts.append(Fact(f"Prorated credit of {credit.text()} for unused seats", (credit.alts(), ("credit",))))
    if trap == "ambiguous":
        turns.append(
            Turn(C, "My manager might want to keep one seat for the archive. I'll confirm, we haven't agreed.")
        )
        turns.append(
            Turn(A, "No problem, tell me before the end date and I can keep one seat on a Starter plan.", core=True)
        )
        facts.append(Fact("Keeping one seat for the archive is undecided",
                          (("undecided", "not decided", "not agreed", "might", "may", "haven't agreed", "unsure",
                            "to confirm", "will confirm"),)))  # fmt: skip
        forbidden.append(Claim("One seat kept on Starter", ("starter",), ((*tuple(DECIDED), "kept", "keeps"),)))
    turns.append(
        Turn(
            A,
            rng.choice(
                [
                    f"Your data can be exported until {export.text()}; after that it is deleted.",
                    f"Make sure you export everything by {export.text()}, we delete workspace data after that date.",
                    f"Exports stay available until {export.text()}. After that the data is deleted permanently.",
                ]
            ),
            core=True,
        )
    )
    facts.append(Fact(f"Data export possible until {export.text()}, then deleted", (("export",), export.alts())))
    return Story("subscription", ["subscription"], turns, facts, forbidden)


def sla(rng: random.Random, ctx: Ctx, trap: str | None) -> Story:
    hours = rng.choice([3, 4, 5, 6, 7, 9])
    pct = rng.choice([5, 10, 15, 20, 25])
    meet = day(rng, ctx.month)
    manager = ctx.supervisor
    turns = [
        Turn(
            C,
            rng.choice(
                [
                    f"Your platform was down for {hours} hours on Tuesday. Our SLA says 99.9% monthly uptime; "
                    "we expect a service credit.",
                    f"We lost {hours} hours of processing yesterday. This breaches our contract and our board "
                    "is asking questions.",
                ]
            ),
            core=True,
        ),
        Turn(
            A,
            rng.choice(
                [
                    "I understand, and I'm sorry for the disruption. I'm checking the incident record now.",
                    "Thank you for raising it formally. Let me pull the incident report.",
                    "I'm sorry. I'll check what our monitoring recorded for your tenant.",
                ]
            ),
        ),
        Turn(
            A,
            rng.choice(
                [
                    f"The incident report confirms {hours} hours of degraded service for your region.",
                    f"Our records show {hours} hours of disruption affecting your account.",
                    f"Confirmed: {hours} hours of degraded service in your region.",
                ]
            ),
            core=True,
        ),
    ]
    facts = [Fact(f"{hours}-hour outage confirmed", ((f"{hours} hours", f"{hours}-hour", f"{hours} hour",
                  f"{hours}h"),))]  # fmt: skip
    forbidden: list[Claim] = []
    if trap in ("ambiguous", "missing_data"):
        line = (
            "Legal and finance disagree on whether the credit applies, because the outage was partly caused by a "
            "third-party provider."
            if trap == "ambiguous"
            else "The credit percentage depends on the final uptime figure for the month, which isn't available yet."
        )
        turns.append(Turn(A, f"{line} I can't confirm any credit today.", core=True))
        facts.append(Fact("Service credit not confirmed yet",
                          ((*OPEN, "can't confirm", "cannot confirm", "not confirm", "disagree"),)))  # fmt: skip
        forbidden.append(Claim(f"A {pct}% credit was agreed", pct_alts(pct), ()))
        forbidden.append(Claim("A service credit was approved", ("approved", "agreed", "granted", "issued",
                         "confirmed"), (("credit",),)))  # fmt: skip
        turns.insert(1, Turn(C, f"Last time we got {pct}% without any argument."))
    else:
        if trap == "long_context_contradiction":
            wrong = pct + 10
            turns.append(Turn(A, f"Under your contract that's a {wrong}% service credit.", core=True))
            turns.append(
                Turn(
                    S,
                    f"Jumping in: the {wrong}% tier applies below 99%; this month is above that, so the "
                    f"credit is {pct}%. Apologies for the confusion.",
                    core=True,
                )
            )
            forbidden.append(Claim(f"{wrong}% credit", pct_alts(wrong)))
        else:
            turns.append(
                Turn(
                    A,
                    rng.choice(
                        [
                            f"Under your contract that's a {pct}% service credit on this month's invoice.",
                            f"That puts you in the {pct}% service credit band, applied to this month's invoice.",
                            f"Finance agreed a {pct}% service credit, which will show on this month's invoice.",
                        ]
                    ),
                    core=True,
                )
            )
        facts.append(Fact(f"{pct}% service credit on this month's invoice", (pct_alts(pct), ("credit",))))
    turns.append(
        Turn(
            A,
            rng.choice(
                [
                    f"{manager}, your account manager, will hold a review call with you on {meet.text()}.",
                    f"I've asked {manager}, who manages your account, to walk you through it on a call on "
                    f"{meet.text()}.",
                    f"A review call with {manager} is booked for {meet.text()}.",
                ]
            ),
            core=True,
        )
    )
    facts.append(Fact(f"Review call with {manager} on {meet.text()}", ((manager.split()[0],), meet.alts())))
    return Story("sla", ["sla"], turns, facts, forbidden)
