"""Generate the toolcall starter suite's cases: golden/toolcall.jsonl and adversarial/toolcall.jsonl.

    .venv/bin/python suites/build/toolcall.py            # rewrites both files in place
    .venv/bin/python suites/build/toolcall.py --out DIR  # writes DIR/golden/... and DIR/adversarial/...

The prompt in suites/toolcall.yaml was written first and is frozen; the cases are composed from the
hand-written pools and phrasings in the sibling `toolcall_*.py` modules with one seeded RNG, so the
output is a pure function of this code (tests/test_suite_toolcall.py checks the committed files are
byte for byte what this writes). Gold calls follow from what each family drew. Cases filled from the
same phrasing template, and the turns of one agent session, share a `cluster`.

The first golden cases are short on purpose: `make run` puts the first 8 cases of every suite through
the embedded CPU model, and the nightly demonstration's function-calling template needs them to fit
its context window.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import toolcall_account as account  # noqa: E402
import toolcall_hard as hard  # noqa: E402
import toolcall_languages as languages  # noqa: E402
import toolcall_money as money  # noqa: E402
import toolcall_orders as orders  # noqa: E402
import toolcall_pools as P  # noqa: E402
import toolcall_sessions as sessions  # noqa: E402
import toolcall_talk as talk  # noqa: E402
import toolcall_tricks as tricks  # noqa: E402
from toolcall_kit import Draft, Ids, call, escalate, reply  # noqa: E402

ROOT = HERE.parents[1]
SEED = 20260512


def opening(ctx: orders.Ctx) -> list[Draft]:
    """Eight short cases first: what the local CPU model and the nightly demo see."""
    ids = [ctx.ids.order() for _ in range(5)]
    product = P.PRODUCTS[3]
    standard = talk.POLICY[0]
    return [
        Draft(f"Where is my order {ids[0]}?", [call("lookup_order", order_id=ids[0])], tags=["lookup"]),
        Draft(f"can u check status of {ids[1]} pls", [call("lookup_order", order_id=ids[1])], tags=["lookup"]),
        Draft(
            f"Refund $12 on {ids[2]} please.",
            [call("issue_refund", {"note": None}, order_id=ids[2], amount=12, reason="other")],
            tags=["refund", "no_reason"],
        ),
        Draft(standard[1][0], reply=reply(standard[3], require=standard[2]), tags=["no_tool", "policy_question"]),
        Draft(
            f"Please cancel {ids[3]}, I ordered it by mistake.",
            [call("cancel_order", order_id=ids[3])],
            tags=["cancel_order"],
        ),
        Draft(f"Is {product.sku} in stock?", [call("check_stock", sku=product.sku)], tags=["stock"]),
        Draft("Can I talk to a real person please?", [escalate("normal")], tags=["escalation", "human_request"]),
        Draft(f"Invoice for {ids[4]} please.", [call("resend_invoice", order_id=ids[4])], tags=["invoice"]),
    ]


def golden(ctx: orders.Ctx) -> list[Draft]:
    families = [
        opening(ctx),
        orders.lookup(ctx, 18),
        orders.quoted_lookup(ctx, 4),
        orders.search(ctx, 20),
        orders.shipment(ctx, 20),
        orders.invoice(ctx, 19),
        orders.cancel(ctx, 19),
        orders.address(ctx, 20),
        orders.stock(ctx, 19),
        money.refund(ctx, 21),
        money.store_credit(ctx, 20),
        money.returns(ctx, 20),
        money.replacement(ctx, 20),
        account.subscription(ctx, 20),
        account.unsubscribe(ctx, 20),
        account.escalations(ctx, 6),
        talk.policy(ctx, 24),
        talk.missing(ctx),
        sessions.reported(ctx),
        sessions.next_step(ctx),
        sessions.found_by_email(ctx),
        sessions.answered(ctx),
    ]
    opening_drafts, rest = families[0], [d for f in families[1:] for d in f]
    ctx.rng.shuffle(rest)
    # the refund limit's boundary, exactly $200.00: drawn from no RNG, so every other case keeps its id
    boundary = "OR-20000"
    assert boundary not in ctx.ids.used
    ctx.ids.used.add(boundary)
    limit = Draft(
        f"Please refund $200.00 for {boundary} - the floor lamp stopped working after a week.",
        [call("issue_refund", {"note": None}, order_id=boundary, amount=200, reason="damaged")],
        tags=["refund", "boundary"],
    )
    return opening_drafts + rest + [limit]


def adversarial(ctx: orders.Ctx) -> list[Draft]:
    families = [
        tricks.injection(ctx),
        tricks.ambiguous(ctx),
        tricks.missing_subtle(ctx),
        tricks.out_of_scope(ctx),
        hard.edge_format(ctx),
        hard.long_context(ctx),
        hard.tool_failure(ctx),
        languages.languages(ctx),
    ]
    drafts = [d for f in families for d in f]
    ctx.rng.shuffle(drafts)
    return drafts


def to_case(draft: Draft, case_id: str, clusters: Counter[str]) -> dict[str, Any]:
    case: dict[str, Any] = {
        "id": case_id,
        "input": {"message": draft.message},
        "expected": draft.expected(),
        "tags": draft.tags,
    }
    cluster = draft.cluster or (draft.template if draft.template and clusters[draft.template] > 1 else None)
    if cluster:
        case["cluster"] = cluster
    if draft.prior:
        case["prior_turns"] = draft.prior
    if draft.followup:
        case["followup_turns"] = draft.followup
    return case


def build() -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(SEED)
    ctx = orders.Ctx(rng, Ids(rng))
    out = {}
    for split, prefix, drafts in (("golden", "g", golden(ctx)), ("adversarial", "a", adversarial(ctx))):
        templates = Counter(d.template for d in drafts if d.template and not d.cluster)
        out[split] = [to_case(d, f"tool-{prefix}-{i:03d}", templates) for i, d in enumerate(drafts, start=1)]
    return out


def write(root: Path) -> dict[str, int]:
    counts = {}
    for split, cases in build().items():
        path = root / split / "toolcall.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
        counts[split] = len(cases)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="folder to write golden/ and adversarial/ into")
    counts = write(parser.parse_args().out)
    print(", ".join(f"{split}: {n} cases" for split, n in counts.items()))


if __name__ == "__main__":
    main()
