"""Lay a story out as the document an operations reader actually gets, padded to a realistic length.

Core beats keep their order; neutral filler (verification, troubleshooting, hold, small talk, policy
boilerplate, signatures, disclaimers, quoted history, bot and system lines, logs, meeting chatter) goes
between them and after the last one, so the facts sit in the middle of the document: neither its first
nor its last words carry them. Customer filler gets typos; core beats never do.
"""

from __future__ import annotations

import random

import summarization_pools as P
from summarization_common import Story, Turn

POLICY = [  # the first two only make sense for goods (returns, couriers)
    "Our couriers work to their own schedules, which we don't control directly, but we do pass on every complaint "
    "so they can follow up with the depot concerned.",
    "Just so you're aware, our standard returns window is thirty days from delivery for unused items, and items "
    "that arrive faulty are handled separately by our resolutions team, who look at each case individually.",
    "For data protection reasons I can only discuss the account with the account holder, so if anyone else "
    "contacts us on your behalf we'll need your written permission on file first.",
    "I should mention that our systems update overnight, so some changes you see in the app may lag behind what "
    "I can see here by a few hours. That's normal and nothing to worry about.",
    "We do record these conversations for training and quality purposes. You can request a copy of the "
    "transcript at any time through the privacy page on our website.",
    "If you ever need to reach us outside office hours, the help centre has guides for the most common questions, "
    "and the contact form creates a ticket that the morning team picks up first thing.",
    "Just to set expectations, I'm not able to change anything on the payment side myself; that sits with another "
    "team, but I can see the history and explain what happened.",
    "For quality purposes a colleague may review this conversation afterwards, and you might receive a short "
    "survey about how it went. It's optional, but it does help us.",
]
CUSTOMER_STORIES = [  # the first two only make sense for goods (an order, a delivery address)
    "We moved house recently so I did double-check the address on the account before ordering, and it's the new "
    "one, so that's definitely not the problem here.",
    "I'll be honest, this has been a frustrating week. I ordered well in advance because I knew I'd be busy, and "
    "now I'm spending my lunch break on this instead of, you know, eating lunch.",
    "The thing is, I recommended you to my sister only last month, so now I feel a bit silly about it. She asked "
    "me yesterday how it was going and I didn't know what to say.",
    "I've had a look on a few forums and it seems other people have had similar problems, which doesn't exactly "
    "fill me with confidence, but I'm hoping you can sort it.",
    "Sorry if I sound annoyed, it isn't aimed at you personally. It's just that I've explained this twice already "
    "and every time I get a different answer from someone different.",
    "For context, I work shifts so I'm not always able to answer the phone, email is easier for me if that's "
    "possible. I check it most evenings.",
]


def _typo(rng: random.Random, text: str) -> str:
    """A realistic slip or two: a swapped pair of letters, no capital, a dropped apostrophe."""
    words = text.split()
    for _ in range(rng.choice([0, 1, 1, 2])):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    out = " ".join(words)
    if rng.random() < 0.3:
        out = out[:1].lower() + out[1:]
    return out.replace("'", "") if rng.random() < 0.2 else out


def _words(turns: list[Turn]) -> int:
    return sum(len(t.text.split()) for t in turns)


ACKS = [("Customer", "ok"), ("Customer", "right"), ("Customer", "mm ok"), ("Customer", "sure"),
        ("Agent", "Thanks for bearing with me."), ("Customer", "one sec"), ("Agent", "Okay."),
        ("Customer", "That's fine, go ahead."), ("Agent", "Understood.")]  # fmt: skip
"""Short acknowledgements: the only lines a long conversation may repeat once every other filler is used."""


def _filler_turn(rng: random.Random, slots: dict[str, str], used: set[str], domain_trouble: str | None,
                 email: bool) -> list[Turn]:  # fmt: skip
    """One neutral exchange this document has not used yet (short acknowledgements once all are used).

    Troubleshooting only where the family has something to troubleshoot; no small talk in an email.
    The agent's self-introduction is not filler: `pad_conversation` places it once, at the start.
    """
    retail = domain_trouble in ("device", "delivery")
    agent = P.AGENT_FILLER[1:] + (P.RETAIL_AGENT_FILLER if retail else P.ACCOUNT_AGENT_FILLER)
    customer = P.CUSTOMER_FILLER + (P.RETAIL_CUSTOMER_FILLER if retail else P.ACCOUNT_CUSTOMER_FILLER)
    pools: list[list[list[Turn]]] = [
        [[Turn("Agent", p.format(**slots))] for p in agent],
        [[Turn("Customer", p.format(**slots))] for p in customer],
        [[Turn("Agent", p)] for p in POLICY[2:] + (POLICY[:2] if retail else [])],
        [[Turn("Customer", p)] for p in CUSTOMER_STORIES[2:] + (CUSTOMER_STORIES[:2] if retail else [])],
    ]
    weights = [25, 20, 12, 10]
    if domain_trouble is not None and not email:
        trouble = P.TROUBLESHOOTING[domain_trouble]
        pools.append([[Turn("Agent", q), Turn("Customer", rng.choice(a))] for q, a in trouble])
        weights.append(15)
    if not email:
        pools.append([[Turn(s, t) for s, t in P.SMALL_TALK[i : i + 2]] for i in range(0, len(P.SMALL_TALK), 2)])
        weights.append(8)
    fresh = [[x for x in pool if x[0].text not in used and (not email or len(x[0].text.split()) >= 12)]
             for pool in pools]  # fmt: skip
    open_pools = [i for i, pool in enumerate(fresh) if pool]
    if not open_pools:
        speaker, text = rng.choice(ACKS)
        return [Turn(speaker, text)]
    k = rng.choices(open_pools, weights=[weights[i] for i in open_pools])[0]
    turns = rng.choice(fresh[k])
    used.add(turns[0].text)
    return [Turn(t.speaker, _typo(rng, t.text) if t.speaker == "Customer" else t.text) for t in turns]


def pad_conversation(rng: random.Random, story: Story, target: int, slots: dict[str, str],
                     filler: object = None, long_only: bool = False) -> list[Turn]:  # fmt: skip
    """Core turns in order with filler between them and a tail after the last one, to about `target` words.

    `filler`, when given, is a callable (rng) -> Turn for stories in another language.
    """
    trouble = {"account_access": "account", "delivery": "delivery", "damaged_item": "device",
               "warranty": "device"}.get(story.family)  # fmt: skip
    core = story.turns
    budget = max(target - _words(core), 0)
    tail_share = rng.uniform(0.2, 0.4)
    gaps: list[list[Turn]] = [[] for _ in range(len(core) + 1)]
    used: set[str] = set()
    spent = 0
    while spent < budget:
        slot = len(core) if rng.random() < tail_share else rng.randrange(1, len(core)) if len(core) > 1 else 1
        extra = [filler(rng)] if callable(filler) else _filler_turn(rng, slots, used, trouble, long_only)
        if long_only and sum(len(t.text.split()) for t in extra) < 12:
            break  # an email does not carry "ok" or "one sec" as a message of its own: it is as long as it is
        gaps[slot].extend(extra)
        spent += _words(extra)
    if not callable(filler) and not long_only and len(core) > 1:
        gaps[1].insert(0, Turn("Agent", P.AGENT_FILLER[0].format(**slots)))  # the agent introduces themselves once
    out: list[Turn] = list(gaps[0])
    for turn, gap in zip(core, gaps[1:], strict=True):
        out.append(turn)
        out.extend(gap)
    return out


def _signature(rng: random.Random, agent: str, company: str, domain: str) -> str:
    title = rng.choice(P.SIGNATURE_TITLES)
    lines = [f"{agent}", f"{title} | {company}", f"support@{domain}", rng.choice(P.DISCLAIMERS)]
    return "\n".join(lines)


def email_thread(rng: random.Random, turns: list[Turn], names: dict[str, str], meta: dict[str, str],
                 messy: bool = False) -> str:  # fmt: skip
    """Consecutive turns of one side become one email; newest first with quoted history, or a ticket export."""
    emails: list[tuple[str, list[str]]] = []
    for t in turns:
        side = "Customer" if t.speaker == "Customer" else "Agent"
        if emails and emails[-1][0] == side:
            emails[-1][1].append(t.text)
        else:
            emails.append((side, [t.text]))
    subject = meta["subject"]
    rendered: list[str] = []
    for i, (side, lines) in enumerate(emails):
        who = names[side]
        month = P.MONTHS[int(meta["month"]) - 1][:3]
        date = f"{P.WEEKDAYS[i % 5][:3]}, {1 + (i * 2) % 27} {month} 2026 {9 + i % 8}:{(i * 17) % 60:02d}"
        if side == "Agent":
            body = f"Hi {names['Customer'].split()[0]},\n\n" + "\n\n".join(lines) + "\n\nKind regards,\n"
            body += _signature(rng, who, meta["company"], meta["domain"])
        else:
            body = "\n".join(lines) + f"\n\n{rng.choice(['Thanks', 'Regards', 'Cheers', 'Best'])}\n{who}"
            if rng.random() < 0.3:
                body += "\nSent from my iPhone"
        if messy:
            body = "\n".join(
                line + (rng.choice(P.HTML_NOISE) if rng.random() < 0.3 else "") for line in body.split("\n")
            )
        rendered.append(f"From: {who}\nDate: {date}\nSubject: {'Re: ' if i else ''}{subject}\n\n{body}")
    if rng.random() < 0.5:
        return "Ticket export " + meta["ticket"] + "\n" + "=" * 24 + "\n\n" + "\n\n---\n\n".join(rendered)
    newest_first: list[str] = []
    for i in range(len(rendered) - 1, -1, -1):
        block = rendered[i]
        if i > 0:
            prev = rendered[i - 1].split("\n\n", 1)[1]
            header = rng.choice(P.QUOTE_HEADERS).format(date="earlier", name=names[emails[i - 1][0]],
                                                        email="(hidden)", subject=subject)  # fmt: skip
            block += "\n\n" + header + "\n" + "\n".join("> " + line for line in prev.split("\n"))
        newest_first.append(block)
    return "\n\n========\n\n".join(newest_first)


def chat(rng: random.Random, turns: list[Turn], names: dict[str, str], meta: dict[str, str]) -> str:
    hour, minute, second = rng.randint(8, 19), rng.randint(0, 59), rng.randint(0, 59)
    lines: list[str] = []
    bot = P.CHAT_BOT_INTRO[: rng.randint(2, 5)] if meta.get("lang", "en") == "en" else P.CHAT_BOT_INTRO[-1:]
    intro = [(s, t.format(**meta)) for s, t in bot]
    for speaker, text in intro + [(t.speaker, t.text) for t in turns]:
        second += rng.randint(8, 95)
        minute += second // 60
        second %= 60
        hour += minute // 60
        minute %= 60
        name = names.get(speaker, speaker)
        lines.append(f"[{hour % 24:02d}:{minute:02d}:{second:02d}] {name}: {text}")
    lines += rng.sample(P.SURVEY_FOOTERS, 2)
    return "\n".join(lines)


def call(rng: random.Random, turns: list[Turn], names: dict[str, str], meta: dict[str, str]) -> str:
    lines = [o.format(**meta) for o in P.CALL_OPENINGS[: rng.randint(1, 3)]]
    for t in turns:
        text = t.text
        if not t.core and rng.random() < 0.35:
            text = f"{rng.choice(P.CALL_NOISE)} {text}"
        if rng.random() < 0.05:
            lines.append(f"[on hold {rng.randint(1, 4):02d}:{rng.randint(0, 59):02d}]")
        role = "Agent" if t.speaker in ("Agent", "Supervisor") else t.speaker
        label = f"{role} ({names.get(t.speaker, t.speaker).split()[0]})" if rng.random() < 0.5 else role
        lines.append(f"{label}: {text}")
    lines.append(f"[Call ended. Duration {rng.randint(9, 48)}:{rng.randint(0, 59):02d}]")
    return "\n".join(lines)


LOG_TEMPLATES = [
    "{t} ERROR [{svc}-worker-{n}] request failed: upstream timeout after 30000ms (trace {h})",
    "{t} WARN  [{svc}-gw] retry budget exhausted for tenant {n}, returning 503",
    "{t} INFO  [deploy-bot] canary at {n}% of traffic, error budget burn 4.2x",
    "{t} ERROR [{svc}-api] connection reset by peer (pod {svc}-{h})",
    "{t} INFO  [autoscaler] scaled {svc} from {n} to {m} replicas",
]
AOB = [
    "Reminder that the quarterly all-hands moved rooms; the calendar invite has the new link.",
    "Someone left a laptop charger in the small meeting room, it's at reception.",
    "Please fill in the training feedback form if you haven't yet, it closes soon.",
    "The coffee machine on the third floor is fixed, apparently.",
    "Nothing from me this week.",
    "Just a thank-you to the weekend team for covering the spike in chats.",
    "Holiday requests for the summer need to be in the shared calendar, not in emails.",
]


def _stamp(rng: random.Random, hhmm: str) -> str:
    return f"{hhmm} UTC" if rng.random() < 0.5 else hhmm


def incident_doc(rng: random.Random, story: Story, target: int) -> str:
    """A timeline from the incident channel: entries, bot and log noise, then an appendix of raw notes."""
    inc, svc = story.slots["inc"], story.slots["service"]
    head = [f"{inc} incident timeline (draft, times in UTC)", f"Service: {svc}", "Status: monitoring",
            "Scribe notes follow; edits welcome.", ""]  # fmt: skip
    lines: list[str] = []
    words = sum(len(x.split()) for x in head)
    core_words = sum(len(t.text.split()) for t in story.turns)
    budget = max(target - core_words - words, 0)
    per_gap = budget * rng.uniform(0.55, 0.75) / max(len(story.turns), 1)
    noise = list(P.INCIDENT_NOISE)
    rng.shuffle(noise)
    for turn in story.turns:
        hhmm, _, rest = turn.text.partition(" ")
        who = "" if turn.speaker == "alert" else f"{turn.speaker}: "
        lines.append(f"{_stamp(rng, hhmm)} - {who}{rest}")
        hour, minute = (int(x) for x in hhmm.split(":"))
        spent = 0
        while spent < per_gap:
            minute += rng.choice([0, 0, 1, 1, 2])
            now = f"{(hour + minute // 60) % 24:02d}:{minute % 60:02d}"
            if rng.random() < 0.45 and noise:
                entry = f"{now} - {noise.pop()}"
            else:
                entry = rng.choice(LOG_TEMPLATES).format(
                    t=now,
                    svc=svc.split()[0],
                    n=rng.randint(2, 40),
                    m=rng.randint(41, 80),
                    h=f"{rng.getrandbits(24):06x}",
                )
            lines.append(entry)
            spent += len(entry.split())
    tail = ["", "Appendix: raw notes from the bridge call"]
    extra = [n for n in P.INCIDENT_NOISE if n in noise] + [d for d in P.MEETING_DISCUSSION if "?" not in d]
    rng.shuffle(extra)
    while extra and sum(len(x.split()) for x in head + lines + tail) < target:
        tail.append("- " + extra.pop())
    return "\n".join(head + lines + tail)


def meeting_doc(rng: random.Random, story: Story, people: list[str], target: int, meta: dict[str, str]) -> str:
    """An auto-transcribed meeting: attendees, chatter, the agenda items in order, then AOB and goodbyes."""
    head = [f"{meta['title']} - transcript", f"Attendees: {', '.join(people)}", ""]
    core_words = sum(len(t.text.split()) for t in story.turns)
    budget = max(target - core_words - 20, 0)
    lead = people[0]
    clock = rng.randint(0, 3) * 60

    def line(speaker: str, text: str) -> str:
        nonlocal clock
        clock += rng.randint(6, 70)
        return f"[{clock // 3600:02d}:{clock % 3600 // 60:02d}:{clock % 60:02d}] {speaker}: {text}"

    body = [line(rng.choice(people), t) for t in rng.sample(P.MEETING_OPENING, rng.randint(2, 4))]
    per_gap = budget * rng.uniform(0.5, 0.7) / max(len(story.turns), 1)
    talk = list(P.MEETING_DISCUSSION)
    rng.shuffle(talk)
    for turn in story.turns:
        if turn.speaker == "section":
            body.append(line(lead, rng.choice(["Next item.", "Okay, moving on.", "Right, next on the list."])))
            continue
        body.append(line(turn.speaker, turn.text))
        spent = 0
        while spent < per_gap and talk:
            text = talk.pop()
            body.append(line(rng.choice(people), text))
            spent += len(text.split()) + 2
    while sum(len(x.split()) for x in head + body) < target * 0.8:
        text = rng.choice(P.ROUND_TABLE).format(team=rng.choice(P.TEAMS), n=rng.randint(3, 240), m=rng.randint(2, 60))
        body.append(line(rng.choice(people), text[0].upper() + text[1:]))
    body.append(line(lead, "Any other business?"))
    aob = AOB + talk
    rng.shuffle(aob)
    while aob and sum(len(x.split()) for x in head + body) < target:
        body.append(line(rng.choice(people), aob.pop()))
    body += [line(rng.choice(people), t) for t in rng.sample(P.MEETING_CLOSING, 2)]
    return "\n".join(head + body)
