"""A seeded synthetic production log for `evalkit import traffic` tests, with its ground truth.

Four surfaces in all three formats, with PII planted where a scrubber can find it (emails, phone
numbers, Luhn-valid cards, IBANs, account numbers, names after greetings and sign-offs, and an email
inside a tool call's arguments), exact and near-duplicate requests, failed calls, retries and
escalations. `Truth` holds what the workload map must report and every planted PII value.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIRST = ["Annika", "Bertrand", "Chiamaka", "Dmitri", "Esperanza", "Folasade", "Grzegorz", "Hiroko"]
LAST = ["Kowalczyk", "Oyelaran", "Vasquez", "Lindqvist", "Okonkwo", "Brannigan"]
PHONES = ["+44 20 7946 0958", "(212) 736-5000", "+49 30 901820", "617-253-1000", "+33 1 42 68 53 00"]
IBANS = ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300"]
PRICES = {
    "gpt-5.5": (5.0, 30.0),
    "claude-opus-4-7": (5.0, 25.0),
    "gemini-3.1-pro": (2.0, 12.0),
    "claude-sonnet-4-6": (3.0, 15.0),
}
LABELS = ["refund_request", "order_status", "account_access", "escalate"]
SENTENCES = [
    "I ordered a {item} last week",
    "the {item} arrived with a cracked lid",
    "nobody answered my last email",
    "the tracking page has not moved since {day}",
    "I was charged twice on {day}",
    "my password reset link expired",
    "I would like my money back for the {item}",
    "the courier left it at the wrong door",
    "this is the third time",
    "can you check what is going on",
    "the app logs me out every time",
    "I need this before {day}",
]
ITEMS = ["kettle", "blender", "lamp", "toaster", "rug", "desk fan", "coffee grinder", "pillow set", "mirror"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "12 March", "3 April", "the 21st"]


@dataclass
class SurfaceTruth:
    calls: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    model: str = ""


@dataclass
class Truth:
    surfaces: dict[str, SurfaceTruth] = field(default_factory=dict)
    pii: set[str] = field(default_factory=set)
    exact_duplicates: int = 0
    near_duplicates: int = 0

    def add(self, surface: str, model: str, tokens_in: int | None, tokens_out: int | None) -> None:
        s = self.surfaces.setdefault(surface, SurfaceTruth(model=model))
        s.calls += 1
        if tokens_in is None or tokens_out is None:
            s.failed += 1
            return
        s.input_tokens += tokens_in
        s.output_tokens += tokens_out
        p_in, p_out = PRICES[model]
        s.cost_usd += (tokens_in * p_in + tokens_out * p_out) / 1e6


def _card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):  # Luhn check digit for the 15 digits so far
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.5 else s


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.truth = Truth()
        self.used: set[str] = set()

    def person(self) -> tuple[str, str, str]:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}{self.rng.randrange(100)}@example.com"
        self.truth.pii.update({first, last, email})
        return first, last, email

    def order(self) -> str:
        return f"LS-{self.rng.randrange(10000, 99999)}"

    def ticket(self) -> tuple[str, str]:
        """A distinct ticket text with PII, and its label."""
        r = self.rng
        while True:
            first, last, email = self.person()
            label = r.choice(LABELS)
            body = ". ".join(
                s.format(item=r.choice(ITEMS), day=r.choice(DAYS)).capitalize() for s in r.sample(SENTENCES, 3)
            )
            pii = r.choice(["email", "phone", "card", "iban", "account"])
            value = {
                "email": email,
                "phone": r.choice(PHONES),
                "card": _card(r),
                "iban": r.choice(IBANS),
                "account": str(r.randrange(10**7, 10**9)),
            }[pii]
            self.truth.pii.add(value)
            extra = {
                "email": f"Reach me at {value}.",
                "phone": f"Call me on {value}.",
                "card": f"My card {value} was used.",
                "iban": f"Refund to IBAN {value} please.",
                "account": f"My account number {value} is affected.",
            }[pii]
            text = f"Hi {first},\n{body} (order {self.order()}). {extra}\nThanks, {first} {last}"
            if text not in self.used:
                self.used.add(text)
                return text, label

    def router(self, out: list[dict[str, Any]], n: int) -> None:
        system = "You route support tickets. Answer with one label: " + ", ".join(LABELS) + "."
        made: list[tuple[str, str]] = []
        for i in range(n):
            r = self.rng
            failed = i % 97 == 13
            if made and not failed and r.random() < 0.05:
                text, label = r.choice(made)
                self.truth.exact_duplicates += 1
            elif made and not failed and r.random() < 0.03:
                text, label = r.choice(made)
                text += f" (again, #{i})"
                self.truth.near_duplicates += 1
            else:
                text, label = self.ticket()
                if not failed:  # a failed call is never drafted, so no duplicate may stand in for it
                    made.append((text, label))
            request = {
                "model": "gpt-5.5",
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": text}],
                "max_completion_tokens": 16,
                "temperature": 0,
            }
            rec: dict[str, Any] = {
                "timestamp": f"2026-04-{1 + i % 28:02d}T10:00:00Z",
                "request": request,
                "metadata": {
                    "surface": "support-router",
                    "retries": int(r.random() < 0.1),
                    "escalated": label == "escalate",
                },
                "latency_ms": 300 + r.randrange(400),
            }
            if failed:
                rec["response"] = {"error": {"message": "upstream timeout"}}
                self.truth.add("support-router", "gpt-5.5", None, None)
            else:
                t_in, t_out = 120 + len(text) // 4, r.randrange(1, 4)
                rec["response"] = {
                    "id": f"c{i}",
                    "model": "gpt-5.5",
                    "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": label}}
                    ],
                    "usage": {"prompt_tokens": t_in, "completion_tokens": t_out},
                }
                self.truth.add("support-router", "gpt-5.5", t_in, t_out)
            out.append(rec)

    def tools(self, out: list[dict[str, Any]], n: int) -> str:
        """Anthropic tool calls; the surface is fingerprinted (no metadata). Returns the system prompt."""
        system = "You are the order assistant of Larkspur. Use the tools to look orders up."
        tools = [
            {
                "name": "lookup_order",
                "description": "One order by id.",
                "input_schema": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}},
                    "required": ["order_id"],
                },
            },
            {
                "name": "search_orders",
                "description": "Orders by account email.",
                "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]},
            },
        ]
        for i in range(n):
            r = self.rng
            first, last, email = self.person()
            oid = self.order()
            kind = i % 4
            messages: list[dict[str, Any]]
            if kind == 0:
                messages = [{"role": "user", "content": f"Hello, this is {first} {last}. Where is {oid}? ref {i}"}]
                content: list[dict[str, Any]] = [
                    {"type": "tool_use", "id": f"tu{i}", "name": "lookup_order", "input": {"order_id": oid}}
                ]
            elif kind == 1:
                messages = [{"role": "user", "content": f"I lost my order id, my account is {email} (ticket {i})"}]
                content = [{"type": "tool_use", "id": f"tu{i}", "name": "search_orders", "input": {"email": email}}]
            elif kind == 2:
                messages = [{"role": "user", "content": f"What are your opening hours on {r.choice(DAYS)}? #{i}"}]
                content = [{"type": "text", "text": "We answer chats Monday to Friday, 8am-8pm."}]
            else:
                messages = [
                    {"role": "user", "content": f"Status of {oid} please, call me on {r.choice(PHONES)} (#{i})"},
                    {
                        "role": "assistant",
                        "content": [
                            {"type": "tool_use", "id": f"tu{i}", "name": "lookup_order", "input": {"order_id": oid}}
                        ],
                    },
                    {
                        "role": "user",
                        "content": [
                            {"type": "tool_result", "tool_use_id": f"tu{i}", "content": '{"status": "shipped"}'}
                        ],
                    },
                ]
                content = [{"type": "text", "text": f"{oid} has shipped."}]
            t_in, t_out = 400 + r.randrange(200), 20 + r.randrange(40)
            out.append(
                {
                    "request": {
                        "model": "claude-opus-4-7",
                        "system": system,
                        "messages": messages,
                        "tools": tools,
                        "max_tokens": 256,
                    },
                    "response": {
                        "type": "message",
                        "role": "assistant",
                        "model": "claude-opus-4-7",
                        "content": content,
                        "stop_reason": "tool_use" if content[0]["type"] == "tool_use" else "end_turn",
                        "usage": {"input_tokens": t_in, "output_tokens": t_out},
                    },
                }
            )
            self.truth.add("order-tools", "claude-opus-4-7", t_in, t_out)
        return system

    def invoices(self, out: list[dict[str, Any]], n: int) -> None:
        """OpenTelemetry spans, one per line, v1.37 attributes; surface from `app.surface`."""
        for i in range(n):
            r = self.rng
            _first, _last, email = self.person()
            iban, total = r.choice(IBANS), f"{r.randrange(100, 9999)}.{r.randrange(100):02d}"
            doc = f"INVOICE {1000 + i}\nFrom: Quayside Ltd\nTotal due: {total} EUR\nPay to {iban}\nQueries: {email}"
            answer = json.dumps({"invoice_number": str(1000 + i), "total": float(total), "iban": iban})
            t_in, t_out = 300 + r.randrange(100), 40 + r.randrange(20)
            attrs = {
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "gcp.gemini",
                "gen_ai.request.model": "gemini-3.1-pro",
                "gen_ai.output.type": "json",
                "app.surface": "invoice-extract",
                "gen_ai.system_instructions": json.dumps([{"type": "text", "content": "Extract the invoice as JSON."}]),
                "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": doc}]}]),
                "gen_ai.output.messages": json.dumps(
                    [{"role": "assistant", "finish_reason": "stop", "parts": [{"type": "text", "content": answer}]}]
                ),
                "gen_ai.usage.input_tokens": t_in,
                "gen_ai.usage.output_tokens": t_out,
            }
            out.append(
                {
                    "name": "chat gemini-3.1-pro",
                    "startTimeUnixNano": "1700000000000000000",
                    "endTimeUnixNano": str(1700000000000000000 + 800_000_000 + i),
                    "attributes": attrs,
                }
            )
            self.truth.add("invoice-extract", "gemini-3.1-pro", t_in, t_out)

    def summaries(self, out: list[dict[str, Any]], n: int) -> None:
        """OTLP/JSON exports of 5 spans a line (plus an HTTP span each), typed attribute values."""

        def kv(key: str, value: Any) -> dict[str, Any]:
            typed = {"intValue": str(value)} if isinstance(value, int) else {"stringValue": value}
            return {"key": key, "value": typed}

        spans: list[dict[str, Any]] = []
        for i in range(n):
            r = self.rng
            first, _last, _ = self.person()
            oid, amount = self.order(), f"{r.randrange(10, 300)}.{r.randrange(100):02d}"
            phone = r.choice(PHONES)
            source = (
                f"Agent: Good morning {first}, how can I help?\nCustomer: my {r.choice(ITEMS)} from {oid} broke. "
                f"I paid {amount}. Call back on {phone}.\nAgent: I have issued a refund of {amount} for {oid}, "
                f"it arrives by {r.choice(DAYS)}. Call {i}."
            )
            answer = f"The customer reported a broken item from {oid}; the agent refunded {amount}."
            t_in, t_out = 200 + r.randrange(100), 25 + r.randrange(10)
            attrs = [
                kv("gen_ai.operation.name", "chat"),
                kv("gen_ai.request.model", "claude-sonnet-4-6"),
                kv("gen_ai.system_instructions", json.dumps([{"type": "text", "content": "Summarise the call."}])),
                kv(
                    "gen_ai.input.messages",
                    json.dumps([{"role": "user", "parts": [{"type": "text", "content": source}]}]),
                ),
                kv(
                    "gen_ai.output.messages",
                    json.dumps(
                        [{"role": "assistant", "parts": [{"type": "text", "content": answer}], "finish_reason": "stop"}]
                    ),
                ),
                kv("gen_ai.usage.input_tokens", t_in),
                kv("gen_ai.usage.output_tokens", t_out),
            ]
            spans.append({"name": "chat", "attributes": attrs})
            spans.append({"name": "POST /v1/messages", "attributes": [kv("http.request.method", "POST")]})
            self.truth.add("call-summary", "claude-sonnet-4-6", t_in, t_out)
        for k in range(0, len(spans), 10):
            out.append({"resourceSpans": [{"scopeSpans": [{"spans": spans[k : k + 10]}]}]})


def write_log(folder: Path, seed: int = 7, scale: int = 1) -> tuple[list[Path], Truth, str]:
    """Write the log files; returns (paths, truth, the fingerprinted tools surface's system prompt)."""
    g = _Gen(seed)
    openai: list[dict[str, Any]] = []
    anthropic: list[dict[str, Any]] = []
    otel: list[dict[str, Any]] = []
    g.router(openai, 1200 * scale)
    tools_system = g.tools(anthropic, 600 * scale)
    g.invoices(otel, 500 * scale)
    g.summaries(otel, 400 * scale)
    mixed = anthropic + otel
    random.Random(seed).shuffle(mixed)  # formats are detected per line
    paths = [folder / "gateway-openai.jsonl", folder / "mixed.jsonl"]
    for path, rows in zip(paths, [openai, mixed], strict=True):
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return paths, g.truth, tools_system
