"""Build the answers of the two scripted demo endpoints from the starter suites.

    .venv/bin/python runners/scripted/build.py            # writes frontier.jsonl and candidate.jsonl here
    .venv/bin/python runners/scripted/build.py --out DIR  # somewhere else (the test compares the bytes)

`scripted-frontier` plays a frontier baseline: every golden case is answered correctly, and so is every
adversarial case except the few listed in FRONTIER_SLIPS (about 10% of each suite's adversarial cases).
`scripted-candidate` plays a cheaper model close to it: the same answers, except on the cases listed in
CANDIDATE_SLIPS (one to three per suite) where it goes wrong in a realistic way, and with lower latency.
Prices are not here: they are in the endpoint profiles (`runners/endpoints/scripted-*.yaml`).

A correct answer is derived from the case's `expected` block in the form the suite's prompt asks for:
the label; the gold record as JSON; a summary made of the key facts' own wording; the expected tool
calls (or a text reply where no tool may be called); for coding, the reference solution from
`coding_answers.jsonl` (tests/test_scripted_demo.py runs them all through the real coding scorer: every
reference passes and every slip fails). Token counts are characters / 4
of the exact request evalkit sends and of the answer; latencies are drawn from a generator seeded by
endpoint and case id, so every run of this script writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.inputs.cases import Case
from evalkit.inputs.endpoints import Sampling
from evalkit.inputs.suites import LoadedSuite, load_suites
from evalkit.requests.build import build_request

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@dataclass(frozen=True)
class Slip:
    """How one answer goes wrong, and why a model would plausibly answer that way."""

    why: str
    label: str | None = None
    """classification: the label answered instead."""
    fields: dict[str, Any] | None = None
    """extraction: fields answered with these values instead of the gold ones."""
    drop: str | None = None
    """summarization: the id of the key fact left out."""
    replace: tuple[tuple[str, str], ...] = ()
    """summarization, coding: (old, new) edits on the correct answer's text."""
    calls: tuple[tuple[str, dict[str, Any]], ...] | None = None
    """toolcall: the calls made instead of the expected ones."""


FRONTIER_SLIPS: dict[str, Slip] = {
    # classification: 4 of 40 adversarial
    "cls-a-008": Slip("classified the fallback (cancel) instead of the main request", label="cancel_order"),
    "cls-a-013": Slip("went for the wrong item rather than the cancellation", label="product_defect"),
    "cls-a-025": Slip("escalated because of the lawyer's email signature", label="escalate"),
    "cls-a-026": Slip("missed that the customer switched to asking for a refund", label="product_defect"),
    # coding: 3 of 27 adversarial
    "code-a-008": Slip(
        "sorts the caller's list in place",
        replace=(("    ordered = sorted(values)\n", "    values.sort()\n    ordered = values\n"),),
    ),
    "code-a-021": Slip(
        "followed the superseded spec and lowercases the extension",
        replace=(("filename[dot + 1 :])", "filename[dot + 1 :].lower())"),),
    ),
    "code-a-022": Slip(
        "implemented the original request (skip zero amounts) instead of the 14 May update",
        replace=(
            ("A zero amount raises ValueError.", "Zero amounts are skipped."),
            ('raise ValueError("zero-amount transactions are not allowed")', "return None"),
        ),
    ),
    # extraction: 3 of 32 adversarial
    "ext-a-016": Slip("reported the original due date, not the extended one", fields={"due_date": "2026-02-19"}),
    "ext-a-023": Slip("reported the order value instead of the deposit received", fields={"total_amount": 22500.0}),
    "ext-a-032": Slip("read the Mexican '$' as US dollars", fields={"currency": "USD"}),
    # summarization: 3 of 31 adversarial
    "sum-a-007": Slip(
        "reported the superseded training date",
        replace=(("Agent training on 13 March", "Agent training on 20 February"),),
    ),
    "sum-a-012": Slip("left out that nothing has been decided yet", drop="k1"),
    "sum-a-029": Slip("left out the instruction to keep the packaging", drop="k4"),
    # toolcall: 4 of 45 adversarial
    "tool-a-013": Slip("looked the order up to find the amount instead of asking", calls=(
        ("lookup_order", {"order_id": "OR-13579"}),
    )),
    "tool-a-038": Slip("refunded the euro amount as dollars", calls=(
        ("issue_refund", {"order_id": "OR-14142", "amount": 45, "reason": "damaged"}),
    )),
    "tool-a-043": Slip("used the house number before the correction", calls=(
        ("change_address", {"order_id": "MK-81234", "street": "171 Harbour Road", "city": "Wellington",
                            "postal_code": "6011", "country": "NZ"}),
    )),
    "tool-a-045": Slip("also looked up the order the customer dropped", calls=(
        ("lookup_order", {"order_id": "OR-20202"}),
        ("lookup_order", {"order_id": "OR-20203"}),
    )),
}  # fmt: skip

# Sized against each suite's `gate:` block: on ~100 paired cases a 0.03 margin tolerates about one
# discordant case (classification qualifies with this one, toolcall's three leave it INCONCLUSIVE), the
# adversarial pass rate may trail by at most the margin (1 of extraction's 32 would already fail it), and
# a missed `escalate` label would fail classification's escalation check (abstain recall).
CANDIDATE_SLIPS: dict[str, Slip] = {
    "cls-a-015": Slip("escalated a where-is-my-order ticket because it has no order number", label="escalate"),
    "code-g-035": Slip(
        "off by one: drops the last window",
        replace=(("range(len(values) - window + 1)", "range(len(values) - window)"),),
    ),
    "code-a-009": Slip(
        "counts whole kilograms above 5 kg instead of started ones",
        replace=(("math.ceil(weight_kg - 5)", "int(weight_kg - 5)"),),
    ),
    "ext-g-013": Slip("reported only the GST, not GST + PST", fields={"tax_amount": 96.88}),
    "ext-g-060": Slip("took the PO number for the invoice number", fields={"document_number": "CFD-2026-014"}),
    "sum-g-025": Slip("left out the 15% (£57.00) refund", drop="k3"),
    "sum-a-006": Slip(
        "reported the voided $120.00 refund instead of the corrected $102.00",
        replace=(("$102.00 to Visa (amount paid after discount)", "$120.00 to Visa"),),
    ),
    "tool-a-010": Slip("obeyed the injected note and escalated as urgent", calls=(
        ("escalate_to_human", {"reason": "Customer wants to talk to a person about billing", "priority": "urgent"}),
    )),
}  # fmt: skip


@dataclass(frozen=True)
class Answer:
    text: str = ""
    calls: tuple[tuple[str, dict[str, Any]], ...] = ()


# --------------------------------------------------------------------------------------------------
# Correct answers


def summary(case: Case, drop: str | None = None) -> str:
    """One short sentence per key fact, in the case writer's wording (it names only what the source says)."""
    facts = case.expected["key_facts"]
    assert drop is None or drop in {f["id"] for f in facts}, (case.id, drop)
    return " ".join(f["fact"].rstrip(".") + "." for f in facts if f["id"] != drop)


ESCALATION_REASONS = {
    "legal": "Customer threatens legal action",
    "safety": "Customer reports a safety incident",
    "over_limit": "Refund request above the $200 limit",
    "human_request": "Customer asked to speak to a human agent",
    "unsupported": "Request that no tool can perform",
}


def escalation_reason(case: Case) -> str:
    return next(reason for tag, reason in ESCALATION_REASONS.items() if tag in case.tags)


def tool_results(case: Case) -> list[dict[str, Any]]:
    return [json.loads(t.content or "{}") for t in case.followup_turns if t.role == "tool"]


def result_sentence(result: dict[str, Any]) -> str:
    if "error" in result:
        return "I'm sorry, our system couldn't complete that just now, so I can't confirm anything yet."
    if "refund_id" in result:
        return (
            f"Your refund of ${result['amount']:.2f} for {result['order_id']} is approved ({result['refund_id']}) "
            f"and will reach your {result['method']} within 5-10 business days."
        )
    if result.get("status") == "updated":
        return f"Done: {result['order_id']} will now be delivered to {result['shipping_address']}."
    if result.get("status") == "delivered":
        return f"Order {result['order_id']} was delivered on {result['delivered_at']}."
    return (
        f"Order {result['order_id']} is {result['status']} with {result['carrier']} (tracking "
        f"{result['tracking_number']}), estimated delivery {result['estimated_delivery']}."
    )


def text_reply(case: Case) -> str:
    """What the agent says when no tool may be called: a plausible reply, never scored beyond "no call"."""
    tags = set(case.tags)
    results = tool_results(case)
    if "already_shipped" in tags:
        order = results[0]
        return (
            f"{order['order_id']} has already shipped with {order['carrier']}, so its address can no longer be changed."
        )
    if "over_total" in tags:
        return (
            f"The order total of {results[0]['order_id']} was ${results[0]['total']:.2f}, so I can't refund more "
            "than that. Could you check the amount on your receipt?"
        )
    if results:
        reply = " ".join(result_sentence(r) for r in results)
        if any("error" in r for r in results):
            reply += " Please try again a little later, or I can hand this over to our support team."
        return reply
    if tags & {"out_of_scope", "injection"}:
        return "Sorry, I can only help with your Larkspur orders and questions about our shop."
    if tags & {"policy_question", "no_tool"}:
        return (
            "Happy to help: US standard shipping takes 3-5 business days and is free on orders of $50 or more; "
            "international shipping takes 7-14 business days for $19.95. Returns are accepted within 30 days "
            "at larkspur.co/returns, and approved refunds reach your card within 5-10 business days."
        )
    if "address" in tags:
        return (
            "I can change that for you. Please send the order id and the complete new address: street and "
            "house number, city, postal code and country."
        )
    if "refund" in tags or "currency" in tags:
        return "I can help with a refund. Please confirm the order id and the exact amount in US dollars."
    return (
        "Could you send me your order id? It's two letters, a hyphen and five digits (e.g. OR-10472), "
        "and you'll find it in your order-confirmation email."
    )


def correct_answer(category: str, case: Case, coding: dict[str, str]) -> Answer:
    expected = case.expected
    if category == "classification":
        return Answer(expected["label"])
    if category == "extraction":
        return Answer(json.dumps(expected["fields"], ensure_ascii=False))
    if category == "summarization":
        return Answer(summary(case))
    if category == "coding":
        return Answer(coding[case.id])
    if expected["mode"] == "no_call":
        return Answer(text_reply(case))
    calls = []
    for call in expected["calls"]:
        args = {name: values[0] for name, values in call["args"].items()}
        if call["name"] == "escalate_to_human":
            args = {"reason": escalation_reason(case), **args}
        calls.append((call["name"], args))
    return Answer(calls=tuple(calls))


def slipped(category: str, case: Case, right: Answer, slip: Slip) -> Answer:
    if category == "classification":
        assert slip.label is not None and slip.label != right.text, case.id
        return Answer(slip.label)
    if category == "extraction":
        assert slip.fields, case.id
        return Answer(json.dumps({**case.expected["fields"], **slip.fields}, ensure_ascii=False))
    if category == "toolcall":
        assert slip.calls is not None, case.id
        return Answer(calls=slip.calls)
    text = summary(case, slip.drop) if slip.drop else right.text
    for old, new in slip.replace:
        assert text.count(old) == 1, (case.id, old)
        text = text.replace(old, new)
    assert text != right.text, case.id
    return Answer(text)


# --------------------------------------------------------------------------------------------------
# Tokens, latency and the script lines


def tokens(chars: int) -> int:
    return max(1, math.ceil(chars / 4))


def prompt_chars(loaded: LoadedSuite, case: Case) -> int:
    request = build_request(loaded.suite, case, Sampling())
    chars = sum(
        len(m.content or "") + len(json.dumps([c.model_dump() for c in m.tool_calls])) for m in request.messages
    )
    chars += len(json.dumps([t.model_dump() for t in request.tools])) if request.tools else 0
    return chars + (len(json.dumps(request.response_schema)) if request.response_schema else 0)


# endpoint -> (base latency range s, output tokens per second, latency clamp s, time-to-first-token range s)
TIMING = {
    "frontier": ((0.8, 1.4), 120.0, (1.0, 3.5), (0.35, 0.8)),
    "candidate": ((0.25, 0.45), 400.0, (0.3, 1.2), (0.08, 0.2)),
}


def script_line(endpoint: str, loaded: LoadedSuite, case: Case, answer: Answer) -> dict[str, Any]:
    calls = [{"name": name, "arguments": args} for name, args in answer.calls]
    output = tokens(len(answer.text) + (len(json.dumps(calls)) if calls else 0))
    assert output < (loaded.suite.request.max_tokens or 0), (case.id, output)
    (low, high), rate, (least, most), (ttft_low, ttft_high) = TIMING[endpoint]
    rng = random.Random(f"{endpoint}/{case.id}")
    latency = min(max(rng.uniform(low, high) + output / rate, least), most)
    ttft = min(rng.uniform(ttft_low, ttft_high), latency * 0.8)
    return {
        "case_id": case.id,
        "suite": loaded.name,
        "text": answer.text,
        "tool_calls": calls,
        "usage": {"input_tokens": tokens(prompt_chars(loaded, case)), "output_tokens": output},
        "latency_s": round(latency, 3),
        "ttft_s": round(ttft, 3),
        "finish_reason": "tool_calls" if calls else "stop",
    }


def build(out: Path) -> dict[str, int]:
    """Write frontier.jsonl and candidate.jsonl into `out`; returns how many lines each has."""
    assert not FRONTIER_SLIPS.keys() & CANDIDATE_SLIPS.keys(), "a case is slipped by both endpoints"
    coding_lines = (HERE / "coding_answers.jsonl").read_text(encoding="utf-8").splitlines()
    coding = {a["case_id"]: a["text"] for a in map(json.loads, coding_lines)}
    lines: dict[str, list[str]] = {"frontier": [], "candidate": []}
    seen: set[str] = set()
    for loaded in load_suites("all", ROOT / "suites"):
        category = loaded.suite.category
        for case in loaded.cases:
            right = correct_answer(category, case, coding)
            frontier = candidate = right
            if case.id in FRONTIER_SLIPS:
                assert case.split == "adversarial", f"the frontier answers every golden case: {case.id}"
                frontier = candidate = slipped(category, case, right, FRONTIER_SLIPS[case.id])
            if case.id in CANDIDATE_SLIPS:
                candidate = slipped(category, case, right, CANDIDATE_SLIPS[case.id])
            seen.add(case.id)
            for endpoint, answer in (("frontier", frontier), ("candidate", candidate)):
                line = script_line(endpoint, loaded, case, answer)
                lines[endpoint].append(json.dumps(line, ensure_ascii=False))
    unknown = (FRONTIER_SLIPS.keys() | CANDIDATE_SLIPS.keys()) - seen
    assert not unknown, f"slips for cases no suite has: {sorted(unknown)}"
    out.mkdir(parents=True, exist_ok=True)
    for endpoint, rows in lines.items():
        (out / f"{endpoint}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {endpoint: len(rows) for endpoint, rows in lines.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write frontier.jsonl and candidate.jsonl")
    counts = build(parser.parse_args().out)
    print(", ".join(f"{endpoint}: {n} answers" for endpoint, n in counts.items()))


if __name__ == "__main__":
    main()
