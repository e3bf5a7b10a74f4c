"""The summarization starter suite can carry a decision: its size, trap kinds, topics and clusters, enough
units for its margin, a prompt that gives no case away, cases that are exactly what the generator
writes, a trap in every adversarial case that the scorer catches as a claim, and trivial baselines
(the last or the first 80 words of the source) that the real gate, through the CLI, refuses."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from evalkit.inputs.cases import Case
from evalkit.inputs.suites import LoadedSuite, load_suite
from evalkit.metrics.stats import cases_to_decide
from evalkit.records import Response
from evalkit.scoring import summarization as sm
from evalkit.scoring.base import ScoreContext

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("injection", "ambiguous", "missing_data", "long_context_contradiction", "other_language", "edge_format")
SOURCE_KINDS = ("support email thread", "live chat transcript", "phone call transcript", "incident timeline",
                "meeting transcript")  # fmt: skip


@pytest.fixture(scope="module")
def suite() -> LoadedSuite:
    return load_suite(ROOT / "suites" / "summarization.yaml")


def gold_summary(case: Case) -> str:
    """The scripted frontier's answer: the key facts in the case writer's words."""
    return " ".join(str(f["fact"]).rstrip(".") + "." for f in case.expected["key_facts"])


def scored(suite: LoadedSuite, case: Case, text: str) -> Any:
    settings = sm.Settings.model_validate(suite.suite.scorer)
    return sm.score(ScoreContext(suite=suite.suite, case=case, response=Response(text=text)), settings)


def test_committed_cases_are_what_the_generator_writes(tmp_path: Path) -> None:
    script = ROOT / "suites" / "build" / "summarization.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for split in ("golden", "adversarial"):
        name = f"{split}/summarization.jsonl"
        assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes(), (
            f"{name} is stale: re-run `.venv/bin/python suites/build/summarization.py`"
        )


def test_sizes_kinds_topics_clusters_and_power(suite: LoadedSuite) -> None:
    golden = [c for c in suite.cases if c.split == "golden"]
    adversarial = [c for c in suite.cases if c.split == "adversarial"]
    assert len(golden) >= 300 and len(adversarial) >= 150
    kinds = Counter(k for c in adversarial for k in c.tags if k in KINDS)
    assert all(kinds[k] >= 15 for k in KINDS), kinds
    assert all(sum(k in KINDS for k in c.tags) == 1 for c in adversarial)
    assert not any(k in KINDS for c in golden for k in c.tags)
    tags = Counter(t for c in suite.cases for t in c.tags)
    assert all(n >= 20 for n in tags.values()), {t: n for t, n in tags.items() if n < 20}
    assert set(Counter(c.input["kind"] for c in suite.cases)) == set(SOURCE_KINDS)
    assert all(re.fullmatch(r"sum-[ga]-\d{3}", c.id) for c in suite.cases)
    clusters = Counter(c.cluster for c in suite.cases)
    assert None not in clusters and max(clusters.values()) <= 3
    words = [len(str(c.input["source"]).split()) for c in suite.cases]
    assert min(words) >= 500 and max(words) <= 2500
    # The embedded model's tokenizer needs a token per ~1.9 characters of German: 13,500 characters keep
    # every prompt inside an 8,192-token context with the 256-token answer budget.
    assert max(len(str(c.input["source"])) for c in suite.cases) <= 13_500
    # Power: the golden clusters alone carry a decision at the declared margin for D = 0.10.
    margin = suite.suite.gate.non_inferiority_margin
    needed = cases_to_decide(0.0, math.sqrt(0.10), margin)
    assert needed is not None and len({c.cluster for c in golden}) >= needed, (needed, margin)


def test_no_case_text_in_the_prompt(suite: LoadedSuite) -> None:
    def shingles(value: str) -> set[str]:
        words = re.findall(r"[\w'$.,%-]+", value.lower())
        return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}

    prompt = shingles(f"{suite.suite.prompt.system}\n{suite.suite.prompt.user}")
    for case in suite.cases:
        assert not shingles(f"{case.input['source']}\n{case.input['kind']}") & prompt, case.id


def test_the_first_cases_are_short_for_the_cpu_demo(suite: LoadedSuite) -> None:
    first = suite.cases[:8]
    assert all(c.split == "golden" and len(str(c.input["source"]).split()) <= 900 for c in first)
    assert len({c.input["kind"] for c in first}) >= 3


def test_every_adversarial_case_forbids_what_its_trap_invites(suite: LoadedSuite) -> None:
    """The gold summary passes; the same summary plus any forbidden claim stated plainly fails."""
    for case in suite.cases:
        gold = gold_summary(case)
        result = scored(suite, case, gold)
        assert result.resolved, (case.id, result.detail["omissions"], result.detail["forbidden_violations"])
        forbidden = case.expected.get("forbidden", [])
        assert case.split == "golden" or forbidden, f"{case.id}: an adversarial case without a forbidden claim"
        for claim in forbidden:
            claim = claim if isinstance(claim, dict) else {"claim": claim, "value": [claim]}
            trap = " ".join([claim["value"][0], *(group[0] for group in claim.get("context", []))]) + "."
            trapped = scored(suite, case, f"{gold} {trap}")
            assert not trapped.resolved and claim["claim"] in trapped.detail["forbidden_violations"], (case.id, trap)


def test_other_language_sources_need_an_english_summary(suite: LoadedSuite) -> None:
    foreign = [c for c in suite.cases if "other_language" in c.tags]
    assert len(foreign) >= 15
    for case in foreign:
        # Answering in the source's language: its own sentences, which carry every figure and identifier.
        echo = " ".join(str(case.input["source"]).split("] ", 2)[-1].split()[:60])
        result = scored(suite, case, echo)
        assert not result.detail["language_ok"] and not result.resolved, (case.id, result.detail["language"])


NUMBER = r"([0-9]+\.[0-9]+)"
DOCUMENTED = re.compile(
    rf"last 80 words of the source cover {NUMBER} of the golden key facts and pass {NUMBER} of the "
    rf"adversarial cases; the first 80 words cover {NUMBER} and pass {NUMBER}"
)


def trivial(case: Case, first: bool) -> str:
    words = str(case.input["source"]).split()
    return " ".join(words[:80] if first else words[-80:])


def test_trivial_baselines_are_not_qualified_by_the_real_gate(
    suite: LoadedSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last-80-words through the CLI and the gate; first-80-words scored directly (same scorer)."""
    monkeypatch.chdir(ROOT)
    lines = [{"case_id": c.id, "suite": "summarization", "text": trivial(c, first=False), "latency_s": 0.05,
              "usage": {"input_tokens": 2500, "output_tokens": 110}} for c in suite.cases]  # fmt: skip
    (tmp_path / "last80.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    profile = {"name": "last-80-words", "tier": "self-hosted", "kind": "scripted", "model": "last-80-words",
               "script": "last80.jsonl", "price": {"input_per_mtok": 0.0, "output_per_mtok": 0.0, "source": "test"}}
    (tmp_path / "last80.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    store = str(tmp_path / "e.db")
    assert main(["--store", store, "run", "--suite", "summarization", "--endpoint", "scripted-frontier"]) == 0
    assert main(["--store", store, "run", "--suite", "summarization", "--endpoint", str(tmp_path / "last80.yaml")]) == 0
    with Store.existing(Path(store)) as s:
        frontier, last = (r.run_id for r in s.runs())
        splits = {c.id: c.split for c in s.cases(last, "summarization")}
        tally: dict[str, Counter[str]] = {"golden": Counter(), "adversarial": Counter()}
        for row in s.scores(last, suite="summarization"):
            detail = sm.Detail.model_validate(row.score.detail)
            tally[splits[row.case_id]].update(covered=detail.facts_covered, facts=detail.facts_total,
                                              resolved=bool(row.score.resolved), n=1)  # fmt: skip
    figures = [tally["golden"]["covered"] / tally["golden"]["facts"],
               tally["adversarial"]["resolved"] / tally["adversarial"]["n"]]  # fmt: skip
    out = tmp_path / "gate"
    assert main(["--store", store, "gate", "--baseline", frontier, "--candidate", last, "--out", str(out)]) == 4
    (category,) = json.loads((out / "signoff.json").read_text())["categories"]
    assert category["verdict"] == "NOT_QUALIFIED"

    first = Counter[str]()
    for case in suite.cases:
        result = scored(suite, case, trivial(case, first=True))
        first.update({f"{case.split}_covered": result.detail["facts_covered"], f"{case.split}_facts":
                      result.detail["facts_total"], f"{case.split}_resolved": bool(result.resolved),
                      f"{case.split}_n": 1})  # fmt: skip
    figures += [first["golden_covered"] / first["golden_facts"], first["adversarial_resolved"] / first["adversarial_n"]]
    floor = suite.suite.gate.min_adversarial_pass_rate or 1.0
    assert figures[0] <= 0.5 and figures[2] <= 0.5 and figures[1] < floor and figures[3] < floor, figures
    documented = DOCUMENTED.search(" ".join((suite.suite.description or "").split()))
    assert documented, "suites/summarization.yaml documents the trivial baselines' figures"
    assert all(abs(float(d) - f) <= 0.02 for d, f in zip(documented.groups(), figures, strict=True)), figures
