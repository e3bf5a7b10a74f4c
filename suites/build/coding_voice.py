"""How requests are worded: the people, channels and framings a coding request arrives in.

Real requests come as Jira tickets, Slack messages, e-mails, PR review comments and TODOs, from
people who write their rules as bullets, numbered lists or one long paragraph, with greetings,
signatures and asides. The families write the substance (signature, rules, examples); this module
wraps it, so no two cases of one family share a fixed sentence a baseline could key on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from coding_kit import pick

PEOPLE = (
    "Priya", "Tomasz", "Aisha", "Mateo", "Yuki", "Oluwaseun", "Hannah", "Diego", "Mei", "Lars", "Fatima",
    "Jonas", "Chidi", "Ingrid", "Ravi", "Sofia", "Kwame", "Elif", "Marco", "Anouk", "Wei", "Leila",
    "Sean", "Camille", "Nikhil", "Greta", "Tariq", "Beatriz", "Olek", "Hyun-woo", "Amara", "Pieter",
)  # fmt: skip
SURNAMES = (
    "Shah", "Nowak", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Alvarez", "Kowalczyk", "Nguyen", "Byrne",
    "Haddad", "Fischer", "Mensah", "Rossi", "Iyer", "de Vries", "Park", "Costa", "Yilmaz", "Kimura",
)  # fmt: skip
TEAMS = (
    "billing", "finance ops", "the warehouse team", "growth", "data platform", "support tooling",
    "payments", "logistics", "the mobile team", "HR systems", "procurement", "customer success",
    "the reporting squad", "marketplace", "fulfilment",
)  # fmt: skip
PROJECTS = ("FIN", "OPS", "WH", "DATA", "PAY", "LOG", "CRM", "HR", "SUP", "MKT", "BILL", "PLAT")


def person(rng: random.Random) -> str:
    return f"{pick(rng, PEOPLE)} {pick(rng, SURNAMES)}"


def ticket_id(rng: random.Random) -> str:
    return f"{pick(rng, PROJECTS)}-{rng.randrange(120, 9800)}"


def _opening(rng: random.Random, title: str) -> str:
    who = pick(rng, PEOPLE)
    options = (
        f"{ticket_id(rng)}: {title}",
        f"[{ticket_id(rng)}] {title}",
        f"Hi! {who} from {pick(rng, TEAMS)} here. {title[0].upper() + title[1:]}.",
        f"Hey, quick one for {pick(rng, TEAMS)}: {title}.",
        f"Subject: {title}\n\nHi,",
        f"From #{pick(rng, ('dev-help', 'eng-requests', 'backend', 'data-eng', 'ops-tooling'))}: {title}",
        f"TODO({who.lower()}): {title}",
        f"Task: {title}",
        title[0].upper() + title[1:] + ".",
        f"Follow-up from {pick(rng, ('standup', 'the retro', 'planning', 'the incident review', 'a customer call'))}: "
        f"{title}.",
    )
    return str(pick(rng, options))


def _closing(rng: random.Random) -> str:
    options = (
        "",
        "",
        "",
        "Thanks!",
        "Thanks a lot,\n" + pick(rng, PEOPLE),
        f"Cheers, {pick(rng, PEOPLE)}",
        "Ping me if anything is unclear.",
        f"-- \n{person(rng)} | {pick(rng, TEAMS).title()}",
        "Happy to pair on it if needed.",
        "No rush, but it blocks the next release.",
        f"Best,\n{person(rng)}\nSent from my phone",
    )
    return str(pick(rng, options))


def frame(rng: random.Random, title: str, background: Sequence[str], body: str) -> str:
    """The whole request: an opening in some channel's style, background, the substance, a closing."""
    parts = [_opening(rng, title)]
    if background:
        chosen = list(background)
        rng.shuffle(chosen)
        parts.append(" ".join(chosen[: rng.randint(1, len(chosen))]))
    parts.append(body.strip())
    closing = _closing(rng)
    if closing:
        parts.append(closing)
    return "\n\n".join(parts)


def signature_line(rng: random.Random, signature: str) -> str:
    options = (
        f"Write `{signature}`.",
        f"Please implement `{signature}`.",
        f"Signature: `{signature}`",
        f"Function: {signature}",
        f"Can you write {signature} for this?",
        f"We need `{signature}`.",
        f"Implement:\n\n    {signature}",
        f"The function should be `{signature}`.",
    )
    return str(pick(rng, options))


def examples_block(rng: random.Random, pairs: Sequence[tuple[str, str]]) -> str:
    """Worked examples in one of the ways people write them."""
    if not pairs:
        return ""
    style = rng.randrange(4)
    head = pick(rng, ("Examples:", "For example:", "Some cases from the real data:", "e.g.", "A few samples:"))
    if style == 0:
        return head + "\n" + "\n".join(f"- {a} -> {b}" for a, b in pairs)
    if style == 1:
        return head + "\n" + "\n".join(f"    {a}  =>  {b}" for a, b in pairs)
    if style == 2:
        return head + "\n\n```\n" + "\n".join(f">>> {a}\n{b}" for a, b in pairs) + "\n```"
    return head + " " + "; ".join(f"{a} gives {b}" for a, b in pairs) + "."
