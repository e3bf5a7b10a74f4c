"""Write the classification suite's cases: golden/classification.jsonl and adversarial/classification.jsonl.

    .venv/bin/python suites/build/classification.py            # writes the two files in the repository
    .venv/bin/python suites/build/classification.py --out DIR  # somewhere else (the test compares the bytes)

Deterministic (one seeded `random.Random`, no set or dict order that varies between runs): the same code
writes the same bytes. Every case is composed from hand-written parts whose labels are fixed by the suite
prompt's rules — a situation (classification_situations.py, classification_foreign.py) decides the label,
and the noise around it (classification_noise.py) is chosen so that no rule lets it change the label —
except where the composition itself is the point (an escalation added to a request: escalate, rule 3;
two unrelated problems: escalate, rule 6; an idea added to a grievance: feature_request, rule 6). The tags
name each such rule, and tests/test_suite_classification.py checks them.

Golden cases are realistic inbox traffic (an imbalanced label mix, 1-6 sentences, email / chat / web form,
signatures, quoted replies, forwarded shop emails, typos, other languages); adversarial cases are the seven
kinds the suite needs (injection, ambiguous, missing_data, edge_format, long_context_contradiction,
out_of_scope, other_language). A situation feeds at most two cases, and cases that share one share a
`cluster`, so the gate's bootstrap resamples them together.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classification_adversarial import (
    EDGE_KINDS,
    INJECTION_ONLY,
    INJECTIONS,
    MISSING_DATA,
    OUT_OF_SCOPE,
    REVERSALS,
    SETTLED,
)  # fmt: skip
from classification_foreign import FOREIGN
from classification_maker import FINAL_WANT, LABELS, PROBLEMS, Built, Maker
from classification_situations import Situation

ROOT = Path(__file__).resolve().parents[2]
SEED = 122026
GOLDEN_COUNTS = {
    "order_status": 64, "refund_request": 54, "product_defect": 48, "cancel_order": 38, "account_access": 34,
    "escalate": 36, "billing_question": 32, "technical_issue": 26, "change_address": 24, "complaint": 22,
    "feature_request": 22,
}  # fmt: skip
"""An inbox-like mix (where-is-my-order and refunds dominate), every label at least 20."""
ESCALATION_MIXES = 10
"""Golden escalate cases made of another request plus an escalation (rule 3)."""
TWO_PROBLEMS = 6
"""Golden escalate cases raising two unrelated problems that no rule orders (rule 6)."""
IDEA_MIXES = 4
"""Golden feature requests made of a grievance plus an idea (rule 6)."""
FIRST_SHORT = 8
"""`make run` puts the first 8 cases of each suite on the embedded CPU model: short ones go first."""


def foreign_split(rng: random.Random) -> tuple[list[Situation], list[Situation]]:
    """About half the other-language tickets are inbox traffic (golden), the rest the other_language kind;
    the language-switching and out-of-scope ones are adversarial."""
    golden: list[Situation] = []
    adversarial: list[Situation] = []
    for label in LABELS:
        mine = [s for s in FOREIGN if s.label == label]
        rng.shuffle(mine)
        for i, sit in enumerate(mine):
            special = "code_switch" in sit.tags or "out_of_scope" in sit.tags
            (adversarial if special or i % 2 else golden).append(sit)
    return golden, adversarial


def golden_cases(maker: Maker, foreign: list[Situation]) -> list[Built]:
    """GOLDEN_COUNTS tickets: the other-language share, the rule-3 and rule-6 compositions, and for the rest
    an English situation of the label."""
    rng = maker.rng
    recipes: list[tuple[str, Situation | str]] = []
    for label, count in GOLDEN_COUNTS.items():
        mine: list[tuple[str, Situation | str]] = [("as_is", s) for s in foreign if s.label == label]
        mine += [("escalation", label)] * (ESCALATION_MIXES if label == "escalate" else 0)
        mine += [("two_problems", label)] * (TWO_PROBLEMS if label == "escalate" else 0)
        mine += [("idea", label)] * (IDEA_MIXES if label == "feature_request" else 0)
        recipes += mine + [("own", label)] * (count - len(mine))
    rng.shuffle(recipes)
    out = []
    for how, what in recipes:
        if isinstance(what, Situation):
            out.append(maker.golden(what))
        elif how == "escalation":
            reason = rng.choice(("legal", "legal", "human", "human", "fraud", "safety"))
            if reason == "safety":
                core = maker.situation("product_defect", want="{appliance}")
            elif reason == "fraud":
                core = maker.situation(rng.choice(("billing_question", "refund_request")), want="charg")
            else:
                core = maker.situation(rng.choice([x for x in LABELS if x not in ("escalate", "feature_request")]))
            out.append(maker.golden(core, reason))
        elif how == "two_problems":
            out.append(maker.golden(maker.situation(rng.choice(PROBLEMS)), "two_problems"))
        elif how == "idea":
            out.append(maker.golden(maker.situation("complaint"), "suggestion"))
        else:
            out.append(maker.golden(maker.situation(what)))
    return out


def adversarial_cases(maker: Maker, foreign: list[Situation]) -> list[Built]:
    """Each of the seven kinds, at least 15 cases each, every label present."""
    out: list[Built] = []
    # injection: a real request under planted instructions, and a few with nothing but the attempt
    for i, inj in enumerate(INJECTIONS):
        out.append(maker.injection(maker.situation(LABELS[i % len(LABELS)]), inj))
    for text in INJECTION_ONLY:
        out.append(Built("escalate", text, ["escalate", "injection", "out_of_scope", "instructions_only"], None))
    # ambiguous: two problems (escalate), or two things at once where one rule decides
    for i in range(14):
        out.append(maker.two_problems(maker.situation(PROBLEMS[i % len(PROBLEMS)])))
    for how, labels in (
        ("complaint+problem", ("complaint",) * 4),
        ("cancel_too", ("refund_request", "billing_question", "refund_request", "order_status")),
        ("fallback", ("product_defect", "change_address", "product_defect", "change_address")),
        ("idea_first", ("technical_issue", "account_access", "order_status")),
    ):
        for label in labels:
            out.append(maker.decided(maker.situation(label, want="replace" if how == "fallback" else None), how))
    # missing data and out of scope: hand-written, one case each
    for text, label in MISSING_DATA:
        tags = [label, "missing_data"] + (["unclear"] if label == "escalate" else [])
        out.append(Built(label, maker.slots().fill(text), tags, None))
    for text in OUT_OF_SCOPE:
        out.append(Built("escalate", maker.slots().fill(text), ["escalate", "out_of_scope"], None))
    # odd shapes: every shape at least once, spread over the labels
    for i in range(24):
        out.append(maker.edge(maker.situation(LABELS[(i * 5) % len(LABELS)]), EDGE_KINDS[i % len(EDGE_KINDS)]))
    # long threads whose latest message changes the request, or withdraws everything
    pairs = sorted(REVERSALS)
    for i in range(20):
        first, final = pairs[i % len(pairs)]
        out.append(maker.thread(first, maker.situation(final, want=FINAL_WANT.get((first, final)))))
    for first, reason in (("order_status", "legal"), ("refund_request", "human")):
        out.append(maker.thread(first, maker.situation("escalate", want=reason)))
    for first, text in zip(("product_defect", "account_access"), SETTLED, strict=True):
        out.append(maker.thread(first, None, settled=text))
    # other languages
    out += [maker.golden(sit) for sit in foreign]
    return out


def _short_first(cases: list[Built]) -> list[Built]:
    """Up to FIRST_SHORT short tickets of different labels first (the local-model demo runs the first 8)."""
    first: list[Built] = []
    for case in sorted(cases, key=lambda c: len(c.ticket)):
        fresh = case.label not in {c.label for c in first} and "other_language" not in case.tags
        if len(first) < FIRST_SHORT and fresh:
            first.append(case)
    return first + [c for c in cases if all(c is not f for f in first)]


def build() -> dict[str, list[Built]]:
    """Both splits, golden first (so golden cases get the least-used situations)."""
    maker = Maker(random.Random(SEED))
    golden_foreign, adversarial_foreign = foreign_split(maker.rng)
    golden = _short_first(golden_cases(maker, golden_foreign))
    adversarial = adversarial_cases(maker, adversarial_foreign)
    maker.rng.shuffle(adversarial)
    return {"golden": golden, "adversarial": _short_first(adversarial)}


def render(splits: dict[str, list[Built]]) -> dict[str, str]:
    """split -> JSONL text; `cluster` only where another case (in either split) shares the source."""
    shared = Counter(c.source for cases in splits.values() for c in cases if c.source)
    out = {}
    for split, cases in splits.items():
        rows = []
        for i, c in enumerate(cases, start=1):
            row: dict[str, object] = {
                "id": f"cls-{split[0]}-{i:03d}",
                "input": {"ticket": c.ticket},
                "expected": {"label": c.label},
                "tags": list(dict.fromkeys(c.tags)),
            }
            if c.source and shared[c.source] > 1:
                row["cluster"] = c.source
            rows.append(json.dumps(row, ensure_ascii=False))
        out[split] = "\n".join(rows) + "\n"
    return out


def write(out: Path) -> dict[str, Path]:
    """Write `<out>/golden/classification.jsonl` and `<out>/adversarial/classification.jsonl`."""
    paths = {}
    for split, text in render(build()).items():
        path = out / split / "classification.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[split] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="folder holding golden/ and adversarial/")
    for path in write(parser.parse_args().out).values():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        labels = ", ".join(f"{k} {v}" for k, v in Counter(r["expected"]["label"] for r in rows).most_common())
        clusters = len({r.get("cluster") or r["id"] for r in rows})
        print(f"{path}: {len(rows)} cases, {clusters} clusters; {labels}")


if __name__ == "__main__":
    main()
