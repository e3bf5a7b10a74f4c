"""Generate the coding suite: golden/coding.jsonl, adversarial/coding.jsonl and the scripted frontier's
reference answers (runners/scripted/coding_answers.jsonl).

    .venv/bin/python suites/build/coding.py            # write the three files
    .venv/bin/python suites/build/coding.py --check    # also run every reference, stub and wrong answer
                                                       # through the real sandboxed scorer (minutes)

Why a generator: 450+ realistic cases cannot be typed one by one, and hand-typed expected values drift
from the rules they claim to test. Here every function case is an instance of a task *family* whose
rules are drawn per instance (separators, rounding, windows, error policies, return types), the request
is written from those rules in varied voices, and the hidden tests are derived by running a reference
implementation built from the same rules. Patch cases are bug reports against multi-file fixture
repositories (golden/fixtures/coding/), each naming a symptom, never the function or the fix; their
reference is the diff that removes the planted bug. Everything is seeded: the same code writes the
same bytes (tests/test_suite_coding.py checks the committed files against it).

Clusters: every function instance is its own cluster (it is one draw of a family's parameters); patch
cases share a cluster with every other report about the same planted bug.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import coding_fn_data  # noqa: E402
import coding_fn_dates  # noqa: E402
import coding_fn_i18n  # noqa: E402
import coding_fn_money  # noqa: E402
import coding_fn_parsing  # noqa: E402
import coding_fn_rules  # noqa: E402
import coding_fn_text  # noqa: E402
import coding_patches  # noqa: E402
from coding_kit import ADVERSARIAL_KINDS, Family, FnTask, PatchTask, fenced, py, rejects, render_tests  # noqa: E402
from coding_twists import injection, side_effect_test  # noqa: E402

FAMILIES: list[Family] = [
    *coding_fn_parsing.FAMILIES,
    *coding_fn_money.FAMILIES,
    *coding_fn_dates.FAMILIES,
    *coding_fn_rules.FAMILIES,
    *coding_fn_data.FAMILIES,
    *coding_fn_text.FAMILIES,
]
I18N: list[Family] = coding_fn_i18n.FAMILIES

GOLDEN_FUNCTIONS = 287
"""Golden function cases, spread round-robin over the families (11 or 12 each); with the 33 golden patch
cases the golden split has 320."""
ADVERSARIAL_FUNCTIONS = {
    "injection": 20,
    "ambiguous": 21,
    "missing_data": 20,
    "edge_format": 20,
    "long_context_contradiction": 20,
    "other_language": 23,
}
"""With the 30 adversarial patch cases: 154 adversarial cases, every kind at least 20."""
OPENERS = 8
"""Short cases first: `make run` sends the first 8 cases of each suite to a 135M model on a CPU."""


@dataclass
class Case:
    """One case as written to JSONL, plus the reference answer and what the checks need."""

    split: str
    line: dict[str, Any]
    answer: str
    task: FnTask | PatchTask
    short: bool = False


# --------------------------------------------------------------------------------------------------
# Function cases


def _function_case(task: FnTask, split: str, cluster: str) -> Case:
    if task.wrong is not None:
        assert rejects(task, task.wrong), f"{cluster}: the hidden tests do not reject the wrong answer"
    tags = ([task.kind] if task.kind else []) + ["function", task.domain, *task.extra_tags]
    line = {
        "id": "",
        "input": {"answer_format": "function", "task": task.task, "context": ""},
        "expected": {"kind": "function", "entry_point": task.name, "tests": render_tests(task)},
        "tags": list(dict.fromkeys(tags)),
        "cluster": cluster,
    }
    return Case(split, line, fenced(task.reference), task, short=task.short and len(task.task) < 1200)


def _injected(rng: random.Random, family: Family) -> FnTask:
    task = family.make(rng, "golden")
    task.task = injection(rng, task.task)
    task.kind = "injection"
    calls = [", ".join(py(a) for a in call.args) for call in task.calls[:4]]
    task.extra_tests = (task.extra_tests + "\n\n" if task.extra_tests else "") + side_effect_test(task.name, calls)
    return task


def function_cases() -> list[Case]:
    cases: list[Case] = []
    for i in range(GOLDEN_FUNCTIONS):
        family = FAMILIES[i % len(FAMILIES)]
        k = i // len(FAMILIES)
        rng = random.Random(f"coding/golden/{family.name}/{k}")
        cases.append(_function_case(family.make(rng, "golden"), "golden", f"fn-{family.name}-g{k}"))
    for kind, count in ADVERSARIAL_FUNCTIONS.items():
        if kind == "injection":
            pool = FAMILIES
        elif kind == "other_language":
            pool = I18N
        else:
            pool = [f for f in FAMILIES if kind in f.modes]
        for i in range(count):
            family = pool[i % len(pool)]
            k = i // len(pool)
            rng = random.Random(f"coding/{kind}/{family.name}/{k}")
            task = _injected(rng, family) if kind == "injection" else family.make(rng, kind)
            assert task.kind == kind, (family.name, kind, task.kind)
            cases.append(_function_case(task, "adversarial", f"fn-{family.name}-{kind}-{k}"))
    return cases


# --------------------------------------------------------------------------------------------------
# Patch cases


def _patch_case(task: PatchTask, split: str) -> Case:
    tags = ([task.kind] if task.kind else []) + ["patch", task.domain, *task.extra_tags]
    line = {
        "id": "",
        "input": {"answer_format": "patch", "task": task.task, "context": coding_patches.context(task)},
        "expected": {"kind": "patch", "repo": task.repo, "tests": task.tests, "allowed_files": task.allowed_files},
        "tags": list(dict.fromkeys(tags)),
        "cluster": task.cluster,
    }
    return Case(split, line, fenced(coding_patches.reference_diff(task), "diff"), task)


def patch_cases() -> list[Case]:
    return [_patch_case(t, "golden" if t.kind is None else "adversarial") for t in coding_patches.tasks()]


# --------------------------------------------------------------------------------------------------
# Assembly


def build() -> dict[str, list[Case]]:
    """Every case, ordered and numbered: {"golden": [...], "adversarial": [...]}."""
    everything = function_cases() + patch_cases()
    out: dict[str, list[Case]] = {}
    for split, prefix in (("golden", "code-g"), ("adversarial", "code-a")):
        chosen = [c for c in everything if c.split == split]
        rng = random.Random(f"coding/order/{split}")
        rng.shuffle(chosen)
        if split == "golden":
            shortest: dict[str, Case] = {}
            for c in sorted((c for c in chosen if c.short), key=lambda c: len(c.line["input"]["task"])):
                shortest.setdefault(c.task.family, c)
            openers = sorted(shortest.values(), key=lambda c: len(c.line["input"]["task"]))[:OPENERS]
            spare = sorted(
                (c for c in chosen if c.short and c not in openers), key=lambda c: len(c.line["input"]["task"])
            )
            openers += spare[: OPENERS - len(openers)]
            chosen = openers + [c for c in chosen if c not in openers]
        for n, case in enumerate(chosen, 1):
            case.line["id"] = f"{prefix}-{n:03d}"
        out[split] = chosen
    texts = Counter(c.line["input"]["task"] for cases in out.values() for c in cases)
    assert max(texts.values()) == 1, "two cases with the same request text"
    return out


def _jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def outputs(built: dict[str, list[Case]]) -> dict[Path, str]:
    """File path (relative to the repository root) -> exact content."""
    answers = [{"case_id": c.line["id"], "text": c.answer} for split in ("golden", "adversarial") for c in built[split]]
    return {
        Path("golden/coding.jsonl"): _jsonl(c.line for c in built["golden"]),
        Path("adversarial/coding.jsonl"): _jsonl(c.line for c in built["adversarial"]),
        Path("runners/scripted/coding_answers.jsonl"): _jsonl(answers),
    }


def summary(built: dict[str, list[Case]]) -> str:
    kinds = Counter(c.line["tags"][0] for c in built["adversarial"])
    tags = Counter(t for cases in built.values() for c in cases for t in c.line["tags"])
    clusters = {c.line["cluster"] for cases in built.values() for c in cases}
    return (
        f"golden {len(built['golden'])}, adversarial {len(built['adversarial'])}, clusters {len(clusters)}\n"
        f"kinds: {dict(sorted(kinds.items()))}\n"
        f"tags: {dict(sorted(tags.items()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root to write into")
    parser.add_argument("--check", action="store_true", help="run every answer through the real scorer (slow)")
    args = parser.parse_args()
    built = build()
    for rel, content in outputs(built).items():
        path = args.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    print(summary(built))
    if args.check:
        import coding_check

        sys.exit(coding_check.check_all(built, args.root))


if __name__ == "__main__":
    main()

_ = ADVERSARIAL_KINDS
