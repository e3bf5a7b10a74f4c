"""The classification starter suite can carry a migration decision (issue 12).

What a user relies on when they gate a cheaper model on this suite: the committed cases are exactly what
the seeded generator writes; there are enough of them, of every label and every adversarial kind, in
honest clusters, to decide at the declared margin; no case is spelled out in the prompt; every gold label
follows from the prompt's own rules; and the suite is not trivial — a keyword router run through the real
CLI and gated against the scripted frontier is NOT QUALIFIED, with the figures the suite documents — while
a candidate that stops escalating is caught by the escalation check.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from sklearn.metrics import f1_score

from evalkit import Store, run_metrics
from evalkit.cli import main
from evalkit.inputs.endpoints import LocalServer
from evalkit.inputs.suites import LoadedSuite, load_suite
from evalkit.metrics.stats import cases_to_decide
from evalkit.scoring import classification as cls

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "suites" / "build"
SUITE = ROOT / "suites" / "classification.yaml"
FRONTIER = ROOT / "runners" / "endpoints" / "scripted-frontier.yaml"
KINDS = (
    "injection", "ambiguous", "missing_data", "edge_format", "long_context_contradiction", "out_of_scope",
    "other_language",
)  # fmt: skip
ESCALATE_REASONS = {
    "legal", "safety", "self_harm", "violence", "fraud", "human", "out_of_scope", "unclear", "two_problems",
    "instructions_only", "settled",
}  # fmt: skip
"""Tags naming the escalate condition (or rule) behind every escalate gold label."""


def load_build_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"suite_build_{name}", BUILD / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def loaded() -> LoadedSuite:
    return load_suite(SUITE)


def split(loaded: LoadedSuite, name: str) -> list[Any]:
    return [c for c in loaded.cases if c.split == name]


def test_committed_cases_are_what_the_generator_writes(tmp_path: Path) -> None:
    load_build_module("classification").write(tmp_path)
    for folder in ("golden", "adversarial"):
        written = (tmp_path / folder / "classification.jsonl").read_bytes()
        assert written == (ROOT / folder / "classification.jsonl").read_bytes(), (
            f"{folder}/classification.jsonl is stale: re-run `.venv/bin/python suites/build/classification.py`"
        )


def test_enough_cases_of_every_label_and_kind_in_small_clusters(loaded: LoadedSuite) -> None:
    labels = cls.Settings.model_validate(loaded.suite.scorer).labels
    golden, adversarial = split(loaded, "golden"), split(loaded, "adversarial")
    assert len(golden) >= 300 and len(adversarial) >= 150
    per_label = Counter(c.expected["label"] for c in golden)
    assert set(per_label) == set(labels) and min(per_label.values()) >= 20, per_label
    assert per_label.most_common(1)[0][1] >= 2.5 * min(per_label.values()), "the label mix should be inbox-like"
    kinds = Counter(t for c in adversarial for t in c.tags if t in KINDS)
    assert all(kinds[k] >= 15 for k in KINDS), kinds
    adversarial_labels = Counter(c.expected["label"] for c in adversarial)
    assert set(adversarial_labels) == set(labels) and adversarial_labels["complaint"] >= 5, adversarial_labels
    clusters = Counter(c.cluster for c in loaded.cases if c.cluster)
    assert clusters and max(clusters.values()) <= 3, clusters.most_common(3)


def test_the_golden_clusters_can_decide_at_the_declared_margin(loaded: LoadedSuite) -> None:
    """n = ((z0.95 + z0.8) * sqrt(D) / margin)^2 paired units at a 10% discordance rate, counted in clusters."""
    margin = loaded.suite.gate.non_inferiority_margin
    needed = cases_to_decide(0.0, math.sqrt(0.10), margin)
    assert needed is not None
    golden_clusters = {c.cluster or c.id for c in split(loaded, "golden")}
    assert needed <= len(golden_clusters), (needed, len(golden_clusters))
    documented = re.search(r"Margin (0\.\d+):.*?= (\d+) paired clusters", loaded.suite.description)
    assert documented and float(documented.group(1)) == margin and int(documented.group(2)) == needed


def test_no_case_text_appears_in_the_prompt(loaded: LoadedSuite) -> None:
    def words(text: str) -> list[str]:
        return re.findall(r"[\w']+", text.casefold())

    def shingles(text: str) -> set[tuple[str, ...]]:
        w = words(text)
        return {tuple(w[i : i + 8]) for i in range(len(w) - 7)}

    prompt = shingles(loaded.suite.prompt.system or "") | shingles(loaded.suite.prompt.user)
    assert len(prompt) > 500
    leaked = [c.id for c in loaded.cases if shingles(c.input["ticket"]) & prompt]
    assert not leaked


def test_gold_labels_follow_the_prompt_rules(loaded: LoadedSuite) -> None:
    """Each composition tag names the rule that fixes the label; the label must be what that rule says."""
    problems = {"order_status", "change_address", "product_defect", "account_access", "technical_issue",
                "billing_question"}  # fmt: skip
    for case in loaded.cases:
        label, tags = case.expected["label"], set(case.tags)
        mixes = {t.removeprefix("mix:") for t in tags if t.startswith("mix:")}
        where = (case.id, label, sorted(tags))
        # Rule 1: withdrawn requests and fallbacks never decide.
        assert f"withdrawn:{label}" not in tags and f"fallback:{label}" not in tags, where
        # Rule 2: an injected instruction never decides.
        assert f"dictates:{label}" not in tags, where
        # Rule 3: every escalate has its condition; a lawyer's or doctor's signature is not one.
        if label == "escalate":
            assert tags & ESCALATE_REASONS, where
        if tags & {"legal", "safety", "self_harm", "violence", "fraud", "human", "two_problems"}:
            assert label == "escalate", where
        # Rule 4: a cancellation next to anything else is cancel_order.
        if any(m.endswith("+cancel") or m.startswith("cancel+") for m in mixes):
            assert label == "cancel_order", where
        # Rule 5: money back next to a fault, a delay or a charge is refund_request.
        if mixes & {"defect+refund", "late+refund", "double_charge+refund", "billing+refund"} and not (
            tags & ESCALATE_REASONS or any(m.endswith("+cancel") for m in mixes)
        ):
            assert label == "refund_request", where
        # Rule 6: a grievance with a problem is the problem; with only an idea, a feature request.
        if "complaint+problem" in mixes:
            assert label in problems, where
        if "complaint+suggestion" in mixes and label != "escalate":
            assert label == "feature_request", where
    # The ambiguous golds the review found (cls-g-045, cls-g-056, cls-a-011) are gone, not relabelled.
    tickets = " ".join(c.input["ticket"] for c in loaded.cases)
    for text in ("not valid for this item", "I thought it was £49 a year", "It doesn't work."):
        assert text not in tickets


def test_the_first_cases_are_short_and_every_prompt_fits_the_local_model(loaded: LoadedSuite) -> None:
    """`make run` puts the first 8 cases of each suite on SmolLM2-135M on a CPU (n_ctx 4096)."""
    golden = split(loaded, "golden")
    assert all(len(c.input["ticket"]) <= 120 for c in golden[:8])
    assert len({c.expected["label"] for c in golden[:8]}) == 8
    prompt = len(loaded.suite.prompt.system or "") + len(loaded.suite.prompt.user)
    longest = max(len(c.input["ticket"]) for c in loaded.cases)
    # ~3 characters a token is conservative for English text under SmolLM2's tokenizer.
    assert (prompt + longest) / 3 + (loaded.suite.request.max_tokens or 0) < LocalServer().n_ctx


# ---------------------------------------------------------------------------------------------------
# Through the real CLI, against the scripted frontier


def run(store: Path, endpoint: Path) -> str:
    assert main(["--store", str(store), "run", "--suite", str(SUITE), "--endpoint", str(endpoint)]) == 0
    with Store.existing(store) as s:
        return s.runs()[-1].run_id


def scripted(tmp_path: Path, name: str, answers: dict[str, str]) -> Path:
    """A scripted endpoint answering each case id with the given label, priced at nothing."""
    script = tmp_path / f"{name}.jsonl"
    script.write_text("".join(json.dumps({"case_id": k, "suite": "classification", "text": v}) + "\n"
                              for k, v in answers.items()))  # fmt: skip
    profile = tmp_path / f"{name}.yaml"
    profile.write_text(yaml.safe_dump({
        "name": name, "tier": "self-hosted", "kind": "scripted", "model": name, "script": script.name,
        "price": {"input_per_mtok": 0.0, "output_per_mtok": 0.0, "source": "runs on the router host"},
    }))  # fmt: skip
    return profile


def gate(store: Path, baseline: str, candidate: str, out: Path, loaded: LoadedSuite) -> tuple[int, dict[str, Any]]:
    """The suite's own gate policy with fewer resamples (200 instead of 2000, and no escalation-policy pass),
    so the test stays fast; the thresholds are the suite's."""
    policy = out.parent / f"{out.name}-policy.yaml"
    own = loaded.suite.gate.model_dump() | {"bootstrap_resamples": 200, "escalation": False}
    policy.write_text(yaml.safe_dump({"suites": {"classification": own}}))
    code = main(["--store", str(store), "gate", "--baseline", baseline, "--candidate", candidate,
                 "--policy", str(policy), "--out", str(out)])  # fmt: skip
    (category,) = json.loads((out / "signoff.json").read_text())["categories"]
    return code, category


@pytest.fixture(scope="module")
def frontier_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    store = tmp_path_factory.mktemp("cls") / "e.db"
    return store, run(store, FRONTIER)


def test_a_keyword_router_is_not_qualified_and_scores_what_the_suite_says(
    frontier_run: tuple[Path, str], loaded: LoadedSuite, tmp_path: Path
) -> None:
    store, frontier = frontier_run
    route = load_build_module("classification_router").route
    router = run(store, scripted(tmp_path, "keyword-router", {c.id: route(c.input["ticket"]) for c in loaded.cases}))
    code, category = gate(store, frontier, router, tmp_path / "gate", loaded)
    assert code == 4 and category["verdict"] == "NOT_QUALIFIED"

    golden = {c.id for c in split(loaded, "golden")}
    with Store.existing(store) as s:
        details = [r.score.detail for r in s.scores(router, suite="classification") if r.case_id in golden]
        (metrics,) = run_metrics(s, router)
    y_true, y_pred = [d["expected"] for d in details], [d["predicted"] for d in details]
    present = sorted(set(y_true) | set(y_pred))
    golden_f1 = f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)
    adversarial = metrics.values["adversarial_pass_rate"]
    assert len(details) == len(golden)
    assert golden_f1 <= 0.5
    assert adversarial is not None and adversarial < (loaded.suite.gate.min_adversarial_pass_rate or 1.0)

    baseline_text = loaded.suite.description.split("Trivial baseline:")[1]
    doc_f1 = re.search(r"golden macro-F1 (\d\.\d+)", baseline_text)
    doc_adversarial = re.search(r"adversarial pass rate (\d\.\d+)", baseline_text)
    assert doc_f1 and doc_adversarial
    assert abs(float(doc_f1.group(1)) - golden_f1) <= 0.02, golden_f1
    assert abs(float(doc_adversarial.group(1)) - adversarial) <= 0.02, adversarial


def test_a_candidate_that_stops_escalating_fails_the_escalation_check(
    frontier_run: tuple[Path, str], loaded: LoadedSuite, tmp_path: Path
) -> None:
    """The frontier's own answers, except that eight legal threats, injuries and fraud reports it escalated
    are answered as complaints: macro-F1 barely moves, but abstain recall may trail by at most the margin
    and the escalation check does not let it through."""
    store, frontier = frontier_run
    lines = (ROOT / "runners" / "scripted" / "frontier.jsonl").read_text(encoding="utf-8").splitlines()
    answers = {a["case_id"]: a["text"] for a in map(json.loads, lines) if a["suite"] == "classification"}
    missed = [c.id for c in loaded.cases if c.expected["label"] == answers[c.id] == "escalate"][:8]
    answers |= dict.fromkeys(missed, "complaint")
    candidate = run(store, scripted(tmp_path, "stops-escalating", answers))
    code, category = gate(store, frontier, candidate, tmp_path / "gate", loaded)
    assert code == 4 and category["verdict"] == "NOT_QUALIFIED"
    conditions = {c["name"]: c for c in category["conditions"]}
    assert conditions["escalation_behaviour"]["passed"] is False
    interval = category["interval"]
    assert interval["lower"] > -loaded.suite.gate.non_inferiority_margin  # the headline metric alone would pass
