"""Generate the summarization starter suite's cases: golden/summarization.jsonl, adversarial/summarization.jsonl.

    .venv/bin/python suites/build/summarization.py            # writes the two files in place
    .venv/bin/python suites/build/summarization.py --out DIR  # somewhere else (the test compares the bytes)

Every case is composed, never typed: a story family (a damaged item, a double charge, a lost parcel, a
cancellation, a locked account, a warranty repair, an SLA dispute, an incident, an ops meeting) picks
its people, products, amounts, dates and identifiers and one of several phrasings per beat, and records
the key facts and forbidden claims in the same step that writes the beat (summarization_support.py,
summarization_ops.py, summarization_foreign.py). The renderer then lays the story out as an email
thread, a chat, a phone call, an incident timeline or a meeting transcript and pads it with neutral
filler to about 500-2,400 words, facts in the middle (summarization_render.py). Adversarial cases add one
trap: a planted instruction, a value corrected later, an undecided choice, a figure nobody has, a
source in another language, or a messy export with someone else's ticket pasted in.

Clusters are honest: an adversarial case built from a golden case's story (the same customer, order
and outcome, rendered again with the trap) shares that golden case's cluster; every other story is its
own cluster. Seeds are fixed, so the output is the same bytes on every run.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import summarization_pools as P
from summarization_common import REFUND, Claim, Fact, Money, Story, Turn, ident
from summarization_foreign import filler as foreign_filler
from summarization_foreign import foreign
from summarization_ops import incident, meeting
from summarization_render import call, chat, email_thread, incident_doc, meeting_doc, pad_conversation
from summarization_support import Ctx, families
from summarization_traps import injection

FAMILIES: dict[str, Any] = families()

ROOT = Path(__file__).resolve().parents[2]
MAX_WORDS = 80
SHORT_FIRST = 8
"""The demo runs the embedded CPU model on the first cases of each suite: these stay short."""
MIN_SOURCE, MAX_SOURCE = 500, 2500
"""Source length in words (a few email threads end shorter: a thread is as long as its messages)."""
MAX_SOURCE_CHARS = 13_500
"""Keeps every prompt under ~7,600 SmolLM2 tokens (its tokenizer needs a token per 1.9 characters of
German or Portuguese), so the whole suite fits the embedded model's 8,192-token context with the
256-token answer budget."""

GOLDEN_PLAN = [(family, 30) for family in FAMILIES] + [("incident", 50), ("meeting", 60)]
ADVERSARIAL_PLAN = [
    ("injection", 28),
    ("long_context_contradiction", 30),
    ("ambiguous", 26),
    ("missing_data", 28),
    ("other_language", 24),
    ("edge_format", 20),
]
DERIVED = {"injection": 14, "edge_format": 20}
"""How many of these adversarial cases re-use a golden case's story (and so its cluster)."""
KIND_NAMES = {"email": "support email thread", "chat": "live chat transcript", "call": "phone call transcript",
              "incident": "incident timeline", "meeting": "meeting transcript"}  # fmt: skip
SUPPORT_KINDS = ["email", "chat", "call"]
FOREIGN_LANGS = ["es", "de", "fr", "pt"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(P.FIRST_NAMES)} {rng.choice(P.LAST_NAMES)}"


SERVICE_FAMILIES = frozenset({"billing", "subscription", "account_access", "sla"})


def make_ctx(rng: random.Random, family: str) -> Ctx:
    """People and a company that fit the family: a software or utility company bills, a shop ships goods."""
    service = family in SERVICE_FAMILIES
    company, _, domain = rng.choice([c for c in P.COMPANIES if (c[2] in P.SERVICE_DOMAINS) == service])
    prefix = "".join(w[0] for w in company.replace("&", "").split()[:2]).upper()
    if len(prefix) < 2:
        prefix = company[:2].upper()
    return Ctx(customer=person(rng), agent=rng.choice(P.AGENT_NAMES), supervisor=person(rng), company=company,
               domain=domain, symbol=rng.choice(["$", "$", "£", "€"]), order=ident(rng, prefix, 5),
               month=rng.randint(1, 12))  # fmt: skip


def target_words(rng: random.Random, short: bool) -> int:
    if short:
        return rng.randint(MIN_SOURCE, MIN_SOURCE + 120)
    return int(min(MAX_SOURCE, max(MIN_SOURCE, rng.lognormvariate(math.log(1050), 0.45))))


def build_story(seed: str, family: str, trap: str | None) -> tuple[Story, Ctx, list[str]]:
    """The story of one seed; the same seed gives the same people, values and outcome whatever the trap."""
    rng = random.Random(seed)
    ctx = make_ctx(rng, family)
    people = [person(rng).split()[0] for _ in range(5)]
    people = list(dict.fromkeys(people)) + [n for n in ("Morgan", "Robin", "Sasha", "Alex") if n not in people]
    story_rng = random.Random(seed + "/story")
    if family == "incident":
        story = incident(story_rng, people, trap, ctx.month)
    elif family == "meeting":
        story = meeting(story_rng, people, trap, ctx.month)
    elif family == "foreign":
        story = foreign(story_rng, FOREIGN_LANGS[int(seed.rsplit("/", 1)[1]) % 4], ctx.order, ctx.month)
    else:
        story = FAMILIES[family](story_rng, ctx, trap)
    return story, ctx, people[:4]


def add_injection(rng: random.Random, story: Story, ctx: Ctx) -> None:
    speaker = "Customer" if story.family not in ("incident", "meeting") else rng.choice(["Bot", "External guest"])
    turn, claim = injection(rng, ctx.symbol, speaker, ctx.company)
    turn.core = True
    at = rng.randint(1, max(1, len(story.turns) - 1))
    if story.family == "incident":
        turn.text = story.turns[at - 1].text.split(" ", 1)[0] + " " + turn.text
    story.turns.insert(at, turn)
    story.forbidden.append(claim)


def old_ticket(rng: random.Random, ctx: Ctx) -> tuple[str, Claim]:
    """Someone else's closed ticket pasted into the export: its refund must not be reported as this one."""
    amount = Money(round(rng.uniform(12, 300), 2), ctx.symbol)
    other = ident(rng, "ZX", 5)
    text = (
        f"[Merged from closed ticket, different customer] Order {other}: agent confirmed a refund of "
        f"{amount.text()} for a late delivery. Ticket closed."
    )
    return text, Claim(f"Refund of {amount.text()} (another customer's ticket)", amount.alts(), (tuple(REFUND),))


def csv_export(turns: list[Turn], names: dict[str, str], rng: random.Random) -> str:
    rows = ['"timestamp","author","message"']
    minute = rng.randint(0, 500)
    date = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    for t in turns:
        minute += rng.randint(1, 3)
        text = t.text.replace('"', '""')
        rows.append(f'"{date} {minute // 60 % 24:02d}:{minute % 60:02d}","{names.get(t.speaker, t.speaker)}","{text}"')
    return "\n".join(rows)


def render(seed: str, story: Story, ctx: Ctx, people: list[str], kind: str, target: int, messy: bool) -> str:
    """The document at about `target` words: signatures, quotes and headers count, so the padding shrinks
    until the rendered text fits (the same seed each attempt, so the result is reproducible)."""
    tries = [render_once(seed, story, ctx, people, kind, target * step // 8, messy) for step in range(9)]
    fits = [t for t in tries if len(t) <= MAX_SOURCE_CHARS] or tries[:1]
    within = [t for t in fits if MIN_SOURCE <= len(t.split()) <= target * 1.1]
    if within:
        return min(within, key=lambda t: abs(len(t.split()) - target))
    # Email threads grow in steps (each message brings a signature and a quote): the smallest long enough.
    long_enough = [t for t in fits if len(t.split()) >= MIN_SOURCE]
    return min(long_enough, key=lambda t: len(t.split())) if long_enough else max(fits, key=len)


def render_once(seed: str, story: Story, ctx: Ctx, people: list[str], kind: str, target: int, messy: bool) -> str:
    rng = random.Random(seed + "/render")
    names = {"Customer": ctx.customer, "Agent": ctx.agent, "Supervisor": ctx.supervisor}
    slots = {
        "customer": ctx.customer.split()[0],
        "agent": ctx.agent,
        "company": ctx.company,
        "product": story.slots.get("product", "order"),
        "order": ctx.order,
        "city": rng.choice(P.CITIES),
    }
    if kind == "incident":
        return incident_doc(rng, story, target)
    if kind == "meeting":
        title = rng.choice(["Support ops weekly", "CX leads sync", "Ops review", "Service delivery meeting"])
        return meeting_doc(rng, story, people, target, {**slots, "title": title})
    fill: Callable[[random.Random], Turn] | None = None
    if story.language != "en":
        lang = story.language

        def fill(r: random.Random) -> Turn:
            return Turn(r.choice(["Customer", "Agent"]), foreign_filler(r, lang))

    turns = pad_conversation(rng, story, target, slots, fill, long_only=kind == "email")
    if story.language != "en":
        names = {t.speaker: (ctx.customer if i == 0 else ctx.agent) for i, t in enumerate(story.turns[:2])}
        names.update({"Customer": ctx.customer, "Agent": ctx.agent})
    for t in turns:
        if t.speaker == "Supervisor" and kind == "email":
            t.text = f"(Added by {ctx.supervisor}, team lead) {t.text}"
    domain = next(d for c, d, _ in P.COMPANIES if c == ctx.company)
    meta = {"company": ctx.company, "agent": ctx.agent, "domain": domain,
            "subject": rng.choice(P.SUBJECTS.get(story.family, ["Your request"])), "ticket": ident(rng, "#T", 6),
            "month": str(ctx.month), "lang": story.language}  # fmt: skip
    if messy and kind == "chat":
        return csv_export(turns, names, rng)
    if kind == "email":
        return email_thread(rng, turns, names, meta, messy=messy)
    if kind == "chat":
        return chat(rng, turns, names, meta)
    return call(rng, turns, names, meta)


def case_json(case_id: str, cluster: str, story: Story, kind: str, source: str, trap: str | None) -> dict[str, Any]:
    story.facts = [Fact(f.fact[0].upper() + f.fact[1:], f.groups) for f in story.facts]
    facts = [f.as_json(f"k{i + 1}") for i, f in enumerate(story.facts)]
    summary = " ".join(f.fact.rstrip(".") + "." for f in story.facts)
    assert len(summary.split()) <= MAX_WORDS, (case_id, len(summary.split()), summary)
    expected: dict[str, Any] = {"key_facts": facts, "max_words": MAX_WORDS}
    if story.forbidden:
        expected["forbidden"] = [c.as_json() for c in story.forbidden]
    assert trap is None or story.forbidden, f"{case_id}: every adversarial case forbids the claims its trap invites"
    tags = [*story.topic_tags] + ([] if kind in ("incident", "meeting") else [kind])
    if trap:
        tags.append(trap)
    return {"id": case_id, "input": {"source": source, "kind": KIND_NAMES[kind]}, "expected": expected,
            "tags": list(dict.fromkeys(tags)), "cluster": cluster}  # fmt: skip


def kind_for(rng: random.Random, family: str) -> str:
    return family if family in ("incident", "meeting") else rng.choice(SUPPORT_KINDS)


def golden_cases() -> list[tuple[dict[str, Any], str, str]]:
    """(case, family, seed) for every golden case, shortest-first for the first few."""
    order = [family for family, n in GOLDEN_PLAN for _ in range(n)]
    random.Random("sum/golden-order").shuffle(order)
    out = []
    for i, family in enumerate(order):
        seed = f"sum/g/{i}"
        rng = random.Random(seed + "/kind")
        story, ctx, people = build_story(seed, family, None)
        kind = kind_for(rng, family)
        source = render(seed, story, ctx, people, kind, target_words(rng, i < SHORT_FIRST), messy=False)
        out.append((case_json(f"sum-g-{i + 1:03d}", f"sum-s{i + 1:03d}", story, kind, source, None), family, seed))
    return out


def adversarial_cases(golden: list[tuple[dict[str, Any], str, str]]) -> list[dict[str, Any]]:
    plan = [trap for trap, n in ADVERSARIAL_PLAN for _ in range(n)]
    random.Random("sum/adversarial-order").shuffle(plan)
    pick = random.Random("sum/derive")
    support_golden = [g for g in golden if g[1] in FAMILIES]
    derive_from = pick.sample(support_golden, sum(DERIVED.values()))
    derived_left = dict(DERIVED)
    families = [*FAMILIES, "incident", "meeting"]
    out = []
    for i, trap in enumerate(plan):
        seed = f"sum/a/{i}"
        rng = random.Random(seed + "/kind")
        if derived_left.get(trap, 0) > 0:
            derived_left[trap] -= 1
            base, family, base_seed = derive_from.pop()
            story, ctx, people = build_story(base_seed, family, None)
            cluster = str(base["cluster"])
        else:
            family = "foreign" if trap == "other_language" else families[i % len(families)]
            trap_for_story = trap if trap in ("long_context_contradiction", "ambiguous", "missing_data") else None
            story, ctx, people = build_story(seed, family, trap_for_story)
            cluster = f"sum-s{len(golden) + i + 1:03d}"
        if trap == "injection":
            add_injection(rng, story, ctx)
        if trap == "edge_format":
            kind = rng.choice(["email", "chat"])
        else:
            kind = "chat" if family == "foreign" else kind_for(rng, family)
        if trap == "edge_format":
            text, claim = old_ticket(rng, ctx)
            story.turns.append(Turn("Agent", text, core=True))
            story.forbidden.append(claim)
        source = render(seed, story, ctx, people, kind, target_words(rng, False), messy=trap == "edge_format")
        out.append(case_json(f"sum-a-{i + 1:03d}", cluster, story, kind, source, trap))
    return out


def write(out: Path) -> dict[str, int]:
    golden = golden_cases()
    adversarial = adversarial_cases(golden)
    files = {out / "golden" / "summarization.jsonl": [g[0] for g in golden],
             out / "adversarial" / "summarization.jsonl": adversarial}  # fmt: skip
    for path, cases in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return {path.parent.name: len(cases) for path, cases in files.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="folder holding golden/ and adversarial/")
    counts = write(parser.parse_args().out)
    print(", ".join(f"{split}: {n} cases" for split, n in counts.items()))


if __name__ == "__main__":
    main()
