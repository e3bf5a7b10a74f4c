"""How a classification case is put together: a situation, the noise around it, the envelope it arrives in.

`Maker.golden` writes an inbox ticket; the other methods write the adversarial kinds. Each returns a
`Built` whose label follows from the parts by the suite prompt's rules and whose tags say which parts (and
which rules) were used. All randomness comes from the one `random.Random` the generator passes in.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from classification_adversarial import (
    AGENT_REPLIES,
    CANCEL_TOO,
    CHASERS,
    IDEAS_FIRST,
    REVERSALS,
    TURNS,
    render_edge,
)  # fmt: skip
from classification_fill import FIRST_NAMES, LOCALES, SURNAMES, WEEKDAYS, Slots, add_typos, chat_style
from classification_noise import (
    BAIT_SIGNATURES,
    CHAT_OPENERS,
    CLOSERS,
    CONTEXT,
    EMAIL_OPENERS,
    ESCALATION_ADDONS,
    FALLBACKS,
    FORM_TOPICS,
    FORWARD_FOOTER,
    FORWARD_FOR,
    FORWARD_HEADER,
    FORWARDS,
    PLAIN_SIGNATURES,
    QUOTE_HEADERS,
    QUOTED_REPLIES,
    SECOND_PROBLEMS,
    SUBJECTS,
    SUGGESTIONS,
    VENT,
    WITHDRAWN,
    WITHDRAWN_ACTIONS,
    WITHDRAWN_REASONS,
)  # fmt: skip
from classification_situations import POOLS, Situation

LABELS = (
    "billing_question", "refund_request", "order_status", "cancel_order", "change_address", "product_defect",
    "account_access", "technical_issue", "feature_request", "complaint", "escalate",
)  # fmt: skip
PROBLEMS = ("order_status", "change_address", "product_defect", "account_access", "technical_issue",
            "billing_question")  # fmt: skip
"""The labels rule 6 chooses between by "the customer's current problem"."""
LANGUAGES = ("es", "de", "fr", "it", "pt", "nl", "pl", "sv", "ja", "zh", "tr")
OPENING_WANT: dict[tuple[str, str | None], str] = {
    ("product_defect", "refund_request"): "replace",
    ("product_defect", "cancel_order"): "replace",
    ("product_defect", None): "replace",
    ("account_access", "technical_issue"): "reset",
    ("account_access", "order_status"): "code",
    ("account_access", None): "reset",
    ("cancel_order", "change_address"): "{order}",
    ("cancel_order", "billing_question"): "{order}",
    ("refund_request", "order_status"): "refund_status",
    ("refund_request", "cancel_order"): "refund_status",
}
"""Openings the thread's follow-ups (classification_adversarial.TURNS) read naturally after."""
FINAL_WANT: dict[tuple[str, str], str] = {
    ("order_status", "refund_request"): "mix:late+refund",
    ("product_defect", "refund_request"): "mix:defect+refund",
    ("order_status", "cancel_order"): "{order}",
    ("product_defect", "cancel_order"): "{order}",
    ("refund_request", "cancel_order"): "{order}",
}
"""Final requests that follow on from the thread's opening."""


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?]+(?:\s|$)", text.strip())) or 1


@dataclass
class Built:
    label: str
    ticket: str
    tags: list[str]
    source: str | None
    """The situation (or other hand-written item) the case is built on: cases sharing it share a cluster."""


@dataclass
class Maker:
    rng: random.Random
    uses: Counter[str] = field(default_factory=Counter)

    # -- drawing --------------------------------------------------------------------------------------

    def situation(self, label: str, want: str | None = None) -> Situation:
        """A least-used situation of `label` (optionally one carrying tag `want`); each feeds two cases at most."""
        pool = [s for s in POOLS[label] if want is None or want in s.tags or want in s.text]
        if min(self.uses[s.key] for s in pool) >= 2:
            pool = POOLS[label]  # the wanted kind is used up: any situation of the label will do
        low = min(self.uses[s.key] for s in pool)
        if low >= 2:
            raise RuntimeError(f"situation pool {label!r} is used up")
        choice = self.rng.choice([s for s in pool if self.uses[s.key] == low])
        self.uses[choice.key] += 1
        return choice

    def slots(self) -> Slots:
        locale = self.rng.choice(LOCALES)
        return Slots(self.rng, locale, self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # -- the body: what the customer says -----------------------------------------------------------

    def body(self, sit: Situation, slots: Slots, tags: list[str], extra: str | None = None, plain: bool = False) -> str:
        """The situation's text with the noise that leaves its label alone (rule 1 and rule 6)."""
        label = sit.label
        parts: list[str] = []
        if not plain and self.chance(0.3):
            parts.append(slots.fill(self.rng.choice(CONTEXT)))
            tags.append("context")
        if not plain and label != "escalate" and self.chance(0.09):
            other = self.rng.choice([x for x in WITHDRAWN_ACTIONS if x != label])
            reason = self.rng.choice(WITHDRAWN_REASONS)
            text = self.rng.choice(WITHDRAWN).format(
                action=self.rng.choice(WITHDRAWN_ACTIONS[other]), reason=reason, reason_cap=reason.capitalize()
            )
            parts.append(slots.fill(text))
            tags += ["withdrawn", f"withdrawn:{other}"]
        parts.append(slots.fill(sit.text))
        if extra:
            parts.append(slots.fill(extra))
        if not plain and "replace" in sit.tags and label in FALLBACKS and self.chance(0.3):
            text, instead = self.rng.choice(FALLBACKS[label])
            parts.append(text)
            tags += ["fallback", f"fallback:{instead}"]
        if not plain and label not in ("complaint", "feature_request") and self.chance(0.14):
            parts.append(self.rng.choice(VENT))
            tags.append("vent")
        if not plain and label not in ("complaint", "feature_request", "escalate") and self.chance(0.07):
            parts.append(self.rng.choice(SUGGESTIONS))
            tags.append("suggestion")
        # Tickets of one to six sentences: drop small talk, then venting and ideas, until it fits.
        for optional, tag in ((CONTEXT, "context"), (VENT, "vent"), (SUGGESTIONS, "suggestion")):
            if sentences(" ".join(parts)) > 6 and tag in tags:
                parts = [p for p in parts if not any(p == slots.fill(o) for o in optional)]
                tags.remove(tag)
        return " ".join(parts)

    # -- the envelope: how the ticket reaches the inbox ---------------------------------------------

    def signature(self, slots: Slots, tags: list[str]) -> str:
        if self.chance(0.22):
            tags.append("bait_signature")
            return slots.fill(self.rng.choice(BAIT_SIGNATURES))
        tags.append("signature")
        return slots.fill(self.rng.choice(PLAIN_SIGNATURES))

    def trailer(self, label: str, slots: Slots, tags: list[str]) -> str:
        """An earlier shop reply the customer answered, or a shop email they forwarded: context (rule 1)."""
        roll = self.rng.random()
        if roll < 0.3:
            tags.append("quoted_reply")
            header = slots.fill(self.rng.choice(QUOTE_HEADERS))
            quoted = slots.fill(self.rng.choice(QUOTED_REPLIES))
            return "\n\n" + header + "\n" + "\n".join("> " + line for line in quoted.splitlines())
        if roll < 0.42 and label in FORWARD_FOR:
            tags.append("forwarded")
            sender, text = FORWARDS[self.rng.choice(FORWARD_FOR[label])]
            header = slots.fill(FORWARD_HEADER.replace("{sender}", sender))
            return "\n\n" + header + slots.fill(text) + FORWARD_FOOTER
        return ""

    def envelope(self, label: str, body: str, slots: Slots, tags: list[str], foreign: bool = False) -> str:
        channel = self.rng.choices(("email", "chat", "web_form", "app"), (0.5, 0.25, 0.2, 0.05))[0]
        tags.append(channel)
        if not foreign and self.chance(0.6 if channel == "chat" else 0.13):
            body = add_typos(body, self.rng, 0.09)
            tags.append("typos")
        if channel == "chat":
            text = body if foreign else chat_style(body, self.rng)
            return f"{self.rng.choice(CHAT_OPENERS)}\n{text}" if self.chance(0.45) else text
        if channel == "web_form":
            order = slots["order"] if self.chance(0.6) else ""
            form = (f"Name: {slots['full']}\nEmail: {slots['email']}\nOrder number: {order}\n"
                    f"Topic: {self.rng.choice(FORM_TOPICS)}\nMessage:\n{body}")  # fmt: skip
            return form + ("\n\n" + self.signature(slots, tags) if self.chance(0.2) else "")
        if channel == "app":
            return f"{body}\n\n[Sent from the Larkspur app on {slots['device']}]"
        lines = []
        if self.chance(0.3):
            lines.append("Subject: " + slots.fill(self.rng.choice(SUBJECTS)) + "\n")
        if not foreign and self.chance(0.85):
            lines.append(self.rng.choice(EMAIL_OPENERS) + "\n")
        lines.append(body + "\n")
        if not foreign and self.chance(0.8):
            lines.append(self.rng.choice(CLOSERS))
        if self.chance(0.75):
            lines.append(self.signature(slots, tags))
        text = "\n".join(lines).rstrip()
        return text + ("" if foreign else self.trailer(label, slots, tags))

    # -- golden ---------------------------------------------------------------------------------------

    def golden(self, sit: Situation, compose: str | None = None) -> Built:
        """One inbox ticket on `sit`; `compose` adds an escalation (`legal`, `human`, `fraud`, `safety`), a
        second unrelated problem (`two_problems`) or, on a complaint, an idea (`suggestion`)."""
        slots = self.slots()
        label, tags = sit.label, [*sit.tags]
        if sit.key.split("-")[0] in LANGUAGES:
            tags.append("other_language")
            text = self.envelope(label, slots.fill(sit.text), slots, tags, foreign=True)
            return Built(label, text, [label, *tags], sit.key)
        extra = None
        if compose == "suggestion":
            label, extra = "feature_request", self.rng.choice(SUGGESTIONS)
            tags.append("mix:complaint+suggestion")
        elif compose == "two_problems":
            other = self.rng.choice([p for p in PROBLEMS if p != label])
            extra = self.rng.choice(SECOND_PROBLEMS[other])
            tags += ["two_problems", f"mix:{label}+{other}"]
            label = "escalate"
        elif compose is not None:
            extra = self.rng.choice(ESCALATION_ADDONS[compose])
            tags += [compose, f"mix:{label}+{compose}"]
            label = "escalate"
        body = self.body(sit, slots, tags, extra)
        return Built(label, self.envelope(label, body, slots, tags), [label, *tags], sit.key)

    # -- adversarial ------------------------------------------------------------------------------------

    def plain_email(self, body: str, slots: Slots) -> str:
        """A bare email around an adversarial body, so the trick is the only noise."""
        opener = self.rng.choice(EMAIL_OPENERS) + "\n\n" if self.chance(0.5) else ""
        closer = "\n\n" + self.rng.choice(CLOSERS) + "\n" + slots["first"] if self.chance(0.5) else ""
        return opener + body + closer

    def injection(self, sit: Situation, inj: tuple[str, str]) -> Built:
        """A real request with an instruction planted around it: the request decides (rule 2)."""
        slots, tags = self.slots(), [*sit.tags, "injection"]
        body = slots.fill(sit.text)
        wrong = self.rng.choice([x for x in LABELS if x != sit.label])
        planted, where = inj[0].replace("{wrong}", wrong), inj[1]
        if where == "prefix":
            text = planted + "\n" + self.plain_email(body, slots)
        elif where == "suffix":
            text = self.plain_email(body, slots) + "\n\n" + planted
        elif where == "middle":
            head, _, tail = body.partition(". ")
            text = f"{head}. {planted} {tail}".strip() if tail else f"{planted} {body}"
        else:
            text = f"{body}\n\n{slots['full']}\n{planted}"
        return Built(sit.label, text, [sit.label, *tags, f"dictates:{wrong}"], sit.key)

    def two_problems(self, sit: Situation) -> Built:
        """Two unrelated problems and no rule to pick one: escalate (rule 6)."""
        slots = self.slots()
        other = self.rng.choice([p for p in PROBLEMS if p != sit.label])
        body = slots.fill(sit.text) + " " + slots.fill(self.rng.choice(SECOND_PROBLEMS[other]))
        tags = ["escalate", "ambiguous", "two_problems", f"mix:{sit.label}+{other}"]
        return Built("escalate", self.plain_email(body, slots), tags, sit.key)

    def decided(self, sit: Situation, how: str) -> Built:
        """Two things asked or said at once where one rule decides (rules 1, 4 and 6)."""
        slots, tags = self.slots(), [*sit.tags, "ambiguous"]
        text, label = slots.fill(sit.text), sit.label
        if how == "complaint+problem":
            label = self.rng.choice(PROBLEMS)
            text += " " + slots.fill(self.rng.choice(SECOND_PROBLEMS[label]))
        elif how == "cancel_too":
            label = "cancel_order"
            text += " " + slots.fill(self.rng.choice(CANCEL_TOO))
        elif how == "fallback":
            fallback, instead = self.rng.choice(FALLBACKS[label])
            text += " " + fallback
            tags += ["fallback", f"fallback:{instead}"]
        elif how == "idea_first":
            text = self.rng.choice(IDEAS_FIRST) + " " + text
        else:
            raise ValueError(how)
        mix = {"complaint+problem": "complaint+problem", "cancel_too": f"{sit.label}+cancel",
               "fallback": "fallback", "idea_first": f"idea+{label}"}[how]  # fmt: skip
        return Built(label, self.plain_email(text, slots), [label, *tags, f"mix:{mix}"], sit.key)

    def edge(self, sit: Situation, kind: str) -> Built:
        """The request in an odd shape: the shape never changes the label."""
        slots = self.slots()
        text = render_edge(kind, slots.fill(sit.text), slots, self.rng)
        return Built(sit.label, text, [sit.label, *sit.tags, "edge_format", f"format:{kind}"], sit.key)

    def thread(self, first: str, final: Situation | None, settled: str | None = None) -> Built:
        """A long thread about `first` whose latest message asks for `final` instead (rule 1), or withdraws
        everything (`settled`: no request left, escalate)."""
        final_label = final.label if final else None
        slots, opening = self.slots(), self.situation(first, want=OPENING_WANT.get((first, final_label)))
        label = final.label if final else "escalate"
        turns = TURNS[first]
        if final is None:
            last = settled or ""
        elif final.label == "escalate":
            last = "I've had enough of going round in circles. " + slots.fill(final.text)
        else:
            last = self.rng.choice(REVERSALS[(first, final.label)]) + " " + slots.fill(final.text)
        context = [slots.fill(c) for c in self.rng.sample(CONTEXT, 3)]
        replies = [slots.fill(r) for r in self.rng.sample(AGENT_REPLIES, 4)]
        chasers = self.rng.sample(CHASERS, 2)
        first_message = " ".join([context[0], slots.fill(opening.text), context[1]])
        if first in FORWARD_FOR:
            sender, shop_email = FORWARDS[self.rng.choice(FORWARD_FOR[first])]
            first_message += "\n\n" + slots.fill(FORWARD_HEADER.replace("{sender}", sender) + shop_email)
        history = [
            ("customer", first_message),
            ("agent", replies[0]),
            ("customer", turns[0] + " " + context[2]),
            ("agent", replies[1]),
            ("customer", chasers[0] + " " + turns[1]),
            ("agent", replies[2]),
            ("customer", chasers[1]),
            ("agent", replies[3]),
            ("customer", last),
        ]
        style = self.rng.choice(("quoted", "transcript", "digest"))
        text = self._render_thread(history, slots, style)
        tags = [label, "long_context_contradiction", f"thread:{style}", f"mix:{first}->{label}"]
        if final is None:
            tags.append("settled")
        elif final.label == "escalate":
            tags += [t for t in final.tags if t in ESCALATION_ADDONS or t in ("self_harm", "violence")]
        return Built(label, text, tags, final.key if final else opening.key)

    def _render_thread(self, history: list[tuple[str, str]], slots: Slots, style: str) -> str:
        agent = slots["agent"]
        if style == "transcript":
            lines = [f"Chat transcript - {slots['date']}"]
            hour = self.rng.randint(8, 18)
            for i, (who, text) in enumerate(history):
                name = slots["first"] if who == "customer" else f"{agent} (Larkspur)"
                lines.append(f"[{hour + i // 3:02d}:{(i * 7 + 3) % 60:02d}] {name}: {text}")
            return "\n".join(lines)
        if style == "digest":
            names = {"customer": "Me", "agent": f"{agent} at Larkspur"}
            paras = [f"--- {names[who]} ---\n{text}" for who, text in history]
            return "Full history of my case below, oldest first, because I'm tired of repeating myself.\n\n" + (
                "\n\n".join(paras)
            )
        out = history[-1][1] + "\n\n" + slots["first"]
        depth, day = 1, self.rng.randrange(7)
        for who, text in reversed(history[:-1]):
            sender = f"{agent}, Larkspur Customer Care" if who == "agent" else slots["full"]
            day = (day - 1) % 7
            out += f"\n\n{'>' * (depth - 1)}{' ' if depth > 1 else ''}On {WEEKDAYS[day]}, {sender} wrote:\n"
            out += "\n".join(">" * depth + " " + line for line in text.splitlines())
            depth += 1
        return out
