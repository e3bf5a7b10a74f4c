"""Operations stories: incident timelines and team meetings, with their decisions, owners and dates.

An incident's facts are its window, its impact, its cause and who follows up; a meeting's are the
decisions taken per agenda item. Traps are the ones ops readers get burnt by: a cause first suspected
and later ruled out, a decision reversed by someone who joined late, a disagreement left open, a
figure nobody has yet.
"""

from __future__ import annotations

import random

from summarization_common import DECIDED, DISAGREE, OPEN, Claim, Fact, Money, Story, Turn, day, later, pct_alts

SERVICES = ["checkout API", "payments gateway", "login service", "order tracking page", "mobile app sync",
            "search index", "invoice generator", "email notifications", "partner webhook delivery"]  # fmt: skip
CAUSES = [
    ("an expired TLS certificate on the load balancer", ("certificate", "tls", "cert")),
    ("a database connection pool exhausted after a config change", ("connection pool", "pool", "database")),
    ("a bad deploy that shipped a wrong feature flag", ("feature flag", "flag", "deploy")),
    ("a full disk on the primary queue broker", ("disk", "queue", "broker")),
    ("a DNS record deleted during a cleanup script", ("dns", "record")),
    ("rate limiting by a third-party fraud-check provider", ("rate limit", "rate-limit", "fraud", "third-party")),
    ("a memory leak in the new image-resizing worker", ("memory leak", "memory", "leak")),
]


def _time(rng: random.Random, hour_low: int = 6, hour_high: int = 20) -> tuple[int, int]:
    return rng.randint(hour_low, hour_high), rng.choice([2, 7, 11, 14, 18, 23, 26, 31, 37, 42, 48, 53, 56])


def _fmt(t: tuple[int, int]) -> str:
    return f"{t[0]:02d}:{t[1]:02d}"


def _add(t: tuple[int, int], minutes: int) -> tuple[int, int]:
    total = min(t[0] * 60 + t[1] + minutes, 23 * 60 + 58)
    return total // 60, total % 60


def incident(rng: random.Random, people: list[str], trap: str | None, month: int) -> Story:
    service = rng.choice(SERVICES)
    (cause, cause_words), (decoy, decoy_words) = rng.sample(CAUSES, 2)
    start = _time(rng)
    end = _add(start, rng.randint(35, 190))
    pct = rng.choice([8, 12, 18, 23, 30, 41, 64])
    owner, commander = people[0], people[1]
    due = day(rng, month)
    inc = f"INC-{rng.randint(1000, 9999)}"
    turns = [
        Turn("alert", f"{_fmt(start)} Monitoring alert: error rate on the {service} above threshold.", core=True),
        Turn(commander, f"{_fmt(_add(start, 4))} {commander} declares {inc}, severity 2, takes incident commander."),
        Turn("support", f"{_fmt(_add(start, 9))} Support sees customers reporting failures on the {service}."),
        Turn(
            commander,
            f"{_fmt(_add(start, 15))} Impact estimate: about {pct}% of requests to the {service} failing.",
            core=True,
        ),
    ]
    facts = [
        Fact(f"{inc}: {service} failures from {_fmt(start)} to {_fmt(end)} UTC", ((_fmt(start),), (_fmt(end),))),
        Fact(f"About {pct}% of requests failed", (pct_alts(pct),)),
    ]
    forbidden: list[Claim] = []
    cause_ctx = ("cause", "caused", "because", "due to", "root")
    if trap == "long_context_contradiction":
        turns.append(Turn(owner, f"{_fmt(_add(start, 25))} Looks like {decoy}. Treating that as the cause.", core=True))
        turns.append(
            Turn(
                owner,
                f"{_fmt(_add(end, -20))} Correction: {decoy.split(' on ')[0]} was a red herring. "
                f"The actual cause is {cause}.",
                core=True,
            )
        )
        forbidden.append(Claim(f"Root cause was {decoy}", decoy_words, (cause_ctx,)))
        facts.append(Fact(f"Root cause: {cause}", (cause_words,)))
    elif trap == "missing_data":
        turns.append(Turn(owner, f"{_fmt(_add(start, 30))} One theory is {decoy}, but we haven't confirmed anything."))
        turns.append(
            Turn(
                owner,
                f"{_fmt(_add(end, 5))} Service recovered after a restart. Root cause still unknown; "
                f"{decoy.split(' on ')[0]} has been ruled out.",
                core=True,
            )
        )
        forbidden.append(Claim(f"Root cause was {decoy}", decoy_words, (cause_ctx,)))
        forbidden.append(Claim(f"Root cause was {cause}", cause_words, (cause_ctx,)))
        facts.append(Fact("Root cause still unknown; service recovered after a restart",
                          (("unknown", "not known", "not yet known", "unclear", "undetermined", "not identified",
                            "not found", "under investigation", "investigat", "not confirmed"),)))  # fmt: skip
    else:
        turns.append(Turn(owner, f"{_fmt(_add(start, 40))} Found it: {cause}. Rolling out a fix.", core=True))
        facts.append(Fact(f"Root cause: {cause}", (cause_words,)))
    turns.append(Turn(commander, f"{_fmt(end)} Error rate back to normal. Monitoring.", core=True))
    if trap == "ambiguous":
        turns.append(
            Turn(
                "support",
                f"{_fmt(_add(end, 30))} Should we offer affected merchants a credit? Finance "
                "says no, customer success says yes. Not decided.",
                core=True,
            )
        )
        facts.append(
            Fact(
                "Whether to credit affected customers is undecided; finance and customer success disagree",
                (tuple(DISAGREE),),
            )
        )
        forbidden.append(Claim("Credits approved", ("credit", "credits", "credited"), (tuple(DECIDED),)))
    turns.append(Turn(commander, f"{_fmt(_add(end, 45))} {owner} owns the postmortem, due {due.text()}.", core=True))
    facts.append(Fact(f"{owner} owns the postmortem, due {due.text()}", ((owner,), due.alts())))
    return Story("incident", ["incident"], turns, facts, forbidden, slots={"inc": inc, "service": service})


def _vendor(rng: random.Random, people: list[str], trap: str | None, month: int) -> tuple[list[Turn], list[Fact],
                                                                                        list[Claim]]:  # fmt: skip
    vendor = rng.choice(["HelpHive", "Deskwise", "CallNest", "Ticketry", "Voxline", "Chatterbox CX"])
    lead, fin, other = people[0], people[1], people[2]
    list_price = Money(float(rng.choice([18500, 21500, 24000, 32000, 41000])))
    one = Money(float(round(list_price.amount * 0.85, -2)))
    three = Money(float(round(list_price.amount * 0.75, -2)))
    deadline = day(rng, month)
    turns = [
        Turn(
            fin,
            f"{vendor} renewal. List price is {list_price.text()} a year. They offer {one.text()} for one year "
            f"or {three.text()} a year for three years.",
        ),
        Turn(other, "Three years has no exit clause. After the reorg we might change the whole stack."),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "ambiguous":
        turns += [
            Turn(fin, "The three-year price saves real money, I'd take it."),
            Turn(other, "And I'd rather not lock in. We won't agree today."),
            Turn(lead, f"Fine, no decision on {vendor} today. We revisit before {deadline.text()}.", core=True),
        ]
        facts.append(
            Fact(
                f"No decision on the {vendor} renewal; one-year vs three-year disputed",
                ((*tuple(DISAGREE), "no decision"), (vendor,)),
            )
        )
        forbidden += [
            Claim("Three-year deal chosen", three.alts(), ((*tuple(DECIDED), "sign"),)),
            Claim("One-year deal chosen", one.alts(), ((*tuple(DECIDED), "sign"),)),
        ]
    else:
        turns.append(
            Turn(lead, f"Then we take one year at {one.text()}. {fin}, get it signed by {deadline.text()}.", core=True)
        )
        if trap == "long_context_contradiction":
            turns.append(
                Turn(
                    other,
                    "Sorry, late addition from procurement: the one-year price expired last week; "
                    f"{vendor} now only offers one year at list price.",
                )
            )
            turns.append(
                Turn(lead, f"Then we sign one year at {list_price.text()}, not {one.text()}. Same deadline.", core=True)
            )
            forbidden.append(Claim(f"{vendor} renewed at {one.text()}", one.alts()))
            facts.append(
                Fact(
                    f"{vendor}: one year at {list_price.text()}, signed by {deadline.text()}",
                    (list_price.alts(), deadline.alts()),
                )
            )
        else:
            facts.append(
                Fact(
                    f"{vendor}: one year at {one.text()}, {fin} signs by {deadline.text()}",
                    (one.alts(), deadline.alts()),
                )
            )
    return turns, facts, forbidden


def _staffing(rng: random.Random, people: list[str], trap: str | None, month: int) -> tuple[list[Turn], list[Fact],
                                                                                          list[Claim]]:  # fmt: skip
    lead, hr, other = people[0], people[3], people[1]
    n = rng.choice([4, 5, 6, 8, 10, 12])
    start = day(rng, month)
    turns = [
        Turn(
            other,
            f"Ticket volume is up {rng.choice([18, 22, 31, 40])}% since the spring launch. Response times "
            "are slipping.",
        ),
        Turn(hr, "We could hire seasonal agents through the agency again."),
    ]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "missing_data":
        turns += [
            Turn(hr, "The agency hasn't sent their day rate yet, so I can't cost it."),
            Turn(lead, f"Then we can't approve a number of hires today. {hr} gets the rate first.", core=True),
        ]
        facts.append(
            Fact(
                f"Seasonal hiring not approved; agency rate unknown, {hr} to get it",
                ((*tuple(OPEN), "not approved", "no rate", "rate"), (hr,)),
            )
        )
        forbidden.append(Claim(f"{n} hires approved", (str(n), f"{n} agents", f"{n} seasonal"),
                               ((*DECIDED, "hire", "hiring"),)))  # fmt: skip
        turns.insert(1, Turn(other, f"My gut says we need about {n} extra people."))
    else:
        wrong = n + 4
        if trap == "long_context_contradiction":
            turns.append(Turn(lead, f"Agreed, {wrong} seasonal agents starting {start.text()}.", core=True))
            turns.append(Turn(hr, f"Budget check: we can only fund {n}. Can we go with {n}?"))
            turns.append(Turn(lead, f"Yes, make it {n}, not {wrong}.", core=True))
            forbidden.append(Claim(f"{wrong} agents hired", (f"{wrong} seasonal", f"{wrong} agents", f"{wrong} extra",
                                                             f"{wrong} new"),))  # fmt: skip
        else:
            turns.append(
                Turn(lead, f"Let's do it: {n} seasonal agents starting {start.text()}, {hr} books them.", core=True)
            )
        facts.append(Fact(f"{n} seasonal agents start {start.text()}", ((str(n),), start.alts())))
    return turns, facts, forbidden


def _sla_target(rng: random.Random, people: list[str], trap: str | None, month: int) -> tuple[list[Turn], list[Fact],
                                                                                            list[Claim]]:  # fmt: skip
    lead, owner = people[0], people[2]
    old, new = rng.choice([(24, 12), (12, 8), (8, 4), (48, 24)])
    go = day(rng, month)
    turns = [Turn(owner, f"Proposal: cut the first-response target for email from {old} to {new} hours.")]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "ambiguous":
        turns += [
            Turn(people[1], "Not with current staffing. I'm against it."),
            Turn(owner, "I think we can if the macros go live."),
            Turn(lead, "We're split. Leave it open until the staffing item is settled.", core=True),
        ]
        facts.append(
            Fact(
                f"First-response target change ({old} to {new} hours) left open; team split",
                ((*tuple(DISAGREE), "left open"), ("response", "target")),
            )
        )
        forbidden.append(Claim(f"Target cut to {new} hours", (f"{new} hours", f"{new}-hour", f"{new}h"),
                               ((*tuple(DECIDED), "cut", "reduced", "changed", "moves", "moved"),)))  # fmt: skip
    else:
        turns.append(Turn(lead, f"Agreed, {new} hours from {go.text()}. {owner} updates the help centre.", core=True))
        facts.append(
            Fact(
                f"Email first-response target {new} hours from {go.text()}",
                ((f"{new} hours", f"{new}-hour", f"{new}h"), go.alts()),
            )
        )
    return turns, facts, forbidden


def _tool_go_live(rng: random.Random, people: list[str], trap: str | None, month: int) -> tuple[list[Turn], list[Fact],
                                                                                              list[Claim]]:  # fmt: skip
    lead, owner, late = people[0], people[1], people[3]
    tool = rng.choice(["the new ticketing system", "the knowledge base migration", "the chatbot pilot",
                       "the returns portal", "the new telephony platform"])  # fmt: skip
    first = day(rng, month, 3, 12)
    final = later(first, rng.choice([7, 14, 21]))
    turns = [Turn(owner, f"Status on {tool}: testing is done, training material is drafted.")]
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    if trap == "long_context_contradiction":
        turns.append(Turn(lead, f"Great, go-live for {tool} is {first.text()}.", core=True))
        turns.append(Turn(late, f"Sorry I'm late, from the security review: they can't sign off before "
                          f"{later(first, 3).text()}."))  # fmt: skip
        turns.append(Turn(lead, f"Then go-live moves to {final.text()}. {owner}, tell the team leads.", core=True))
        forbidden.append(Claim(f"Go-live on {first.text()}", first.alts(), (("go-live", "go live", "launch", "live"),)))
        facts.append(Fact(f"Go-live for {tool} moved from {first.text()} to {final.text()}", (final.alts(),)))
    elif trap == "missing_data":
        turns.append(Turn(owner, "We're waiting on the vendor's final build; they haven't given a date."))
        turns.append(Turn(lead, f"So no go-live date for {tool} yet. {owner} chases the vendor.", core=True))
        facts.append(
            Fact(
                f"No go-live date for {tool} yet; {owner} chases the vendor",
                ((*tuple(OPEN), "no go-live date", "no date"), (owner,)),
            )
        )
        forbidden.append(Claim(f"Go-live on {first.text()}", first.alts() + final.alts(), ()))
        turns.insert(
            0, Turn(late, f"Last month we pencilled in {first.text()}, but that was before the vendor slipped.")
        )
    else:
        turns.append(Turn(lead, f"Then go-live is {final.text()}. {owner} owns the rollout.", core=True))
        facts.append(Fact(f"{tool} goes live {final.text()}, owned by {owner}", (final.alts(), (owner,))))
    return turns, facts, forbidden


AGENDA = [_vendor, _staffing, _sla_target, _tool_go_live]
SUPPORTS = {
    _vendor: {"ambiguous", "long_context_contradiction"},
    _staffing: {"missing_data", "long_context_contradiction"},
    _sla_target: {"ambiguous"},
    _tool_go_live: {"long_context_contradiction", "missing_data"},
}
"""Which traps each agenda item can carry; other traps (injection, formats) are added around the story."""


def meeting(rng: random.Random, people: list[str], trap: str | None, month: int) -> Story:
    """Two or three agenda items; the trap (if any) lands on one of them."""
    able = [item for item in AGENDA if trap is None or trap in SUPPORTS[item]]
    first = rng.choice(able) if able else rng.choice(AGENDA)
    items = [first, *rng.sample([item for item in AGENDA if item is not first], rng.choice([1, 2]))]
    rng.shuffle(items)
    trap_at = items.index(first)
    turns: list[Turn] = []
    facts: list[Fact] = []
    forbidden: list[Claim] = []
    tags = ["meeting"]
    for i, item in enumerate(items):
        item_turns, item_facts, item_forbidden = item(rng, people, trap if i == trap_at else None, month)
        turns += [Turn("section", f"Item {i + 1}"), *item_turns]
        facts += item_facts
        forbidden += item_forbidden
    return Story("meeting", tags, turns, facts, forbidden)
