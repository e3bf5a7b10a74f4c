"""The coding starter suite can carry a decision: its size, kinds and clusters, a prompt that gives no case
away, files that are exactly what the generator writes, hidden tests that check what the requests state
(a probe budget, standard library only, no side effects, inputs left alone), and trivial answers that the
real gate, through the CLI, refuses."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from evalkit.inputs.suites import LoadedSuite, load_suite
from evalkit.metrics.power import required_cases
from evalkit.records import Response
from evalkit.scoring import coding
from evalkit.scoring.base import ScoreContext

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "suites" / "build"
KINDS = ("injection", "ambiguous", "missing_data", "edge_format", "long_context_contradiction", "other_language")
LABELS = ("function", "patch", "parsing", "money", "dates", "business_rules", "data_transform", "text", "validation")


@pytest.fixture(scope="module")
def suite() -> LoadedSuite:
    return load_suite(ROOT / "suites" / "coding.yaml")


def load_module(name: str) -> ModuleType:
    """A module of the generator (suites/build is a folder of scripts, not a package)."""
    if str(BUILD) not in sys.path:
        sys.path.insert(0, str(BUILD))
    spec = importlib.util.spec_from_file_location(f"coding_suite_{name}", BUILD / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def score(suite: LoadedSuite, case_id: str, text: str) -> Any:
    settings = coding.Settings.model_validate(suite.suite.scorer)
    case = next(c for c in suite.cases if c.id == case_id)
    ctx = ScoreContext(suite.suite, case, Response(text=text, finish_reason="stop"), suite.assets)
    return coding.score(ctx, settings)


def fenced(code: str, lang: str = "python") -> str:
    return f"```{lang}\n{code}```\n"


def first(suite: LoadedSuite, predicate: Any) -> Any:
    return next(c for c in suite.cases if predicate(c))


# --------------------------------------------------------------------------------------------------
# What the suite is made of


@pytest.fixture(scope="module")
def generated() -> tuple[ModuleType, dict[str, Any]]:
    """The generator and what it builds now (a few seconds; shared by the tests that need it)."""
    generator = load_module("coding")
    return generator, generator.build()


def test_committed_files_are_what_the_generator_writes(generated: tuple[ModuleType, dict[str, Any]]) -> None:
    generator, built = generated
    for rel, content in generator.outputs(built).items():
        assert (ROOT / rel).read_text(encoding="utf-8") == content, (
            f"{rel} is stale: re-run `.venv/bin/python suites/build/coding.py`"
        )


def test_sizes_kinds_labels_and_clusters(suite: LoadedSuite) -> None:
    golden = [c for c in suite.cases if c.split == "golden"]
    adversarial = [c for c in suite.cases if c.split == "adversarial"]
    assert len(golden) >= 300 and len(adversarial) >= 150
    kinds = Counter(c.tags[0] for c in adversarial)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 15, kinds
    labels = Counter(t for c in suite.cases for t in set(c.tags) if t in LABELS)
    assert all(labels[label] >= 20 for label in LABELS), labels
    assert set(Counter(t for c in suite.cases for t in c.tags)) <= {*KINDS, *LABELS}
    kinds_of = Counter(c.expected["kind"] for c in suite.cases)
    assert kinds_of["patch"] >= 60 and {c.expected["repo"] for c in suite.cases if c.expected["kind"] == "patch"} == {
        "inventory", "ledger", "shipping", "bookings", "payroll"}
    clusters = Counter(c.cluster for c in suite.cases)
    assert None not in clusters and max(clusters.values()) <= 3, clusters.most_common(3)
    # cases about the same planted bug share a cluster; every function instance is its own draw
    assert all(c.cluster.startswith("patch-") == (c.expected["kind"] == "patch") for c in suite.cases)


def test_the_margin_is_decidable_at_this_size(suite: LoadedSuite) -> None:
    margin = suite.suite.gate.non_inferiority_margin
    golden = [c for c in suite.cases if c.split == "golden"]
    golden_units = len({c.cluster for c in golden})
    assert required_cases(margin, 0.10) <= golden_units <= len(golden), (margin, golden_units)


def test_no_case_text_in_the_prompt(suite: LoadedSuite) -> None:
    def shingles(text: str) -> set[str]:
        words = re.findall(r"[\w'$.-]+", text.lower())
        return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}

    prompt = shingles((suite.suite.prompt.system or "") + "\n" + (suite.suite.prompt.user or ""))
    for case in suite.cases:
        for field in ("task", "context"):
            assert not shingles(case.input[field]) & prompt, (case.id, field)


def test_the_first_cases_are_short_functions_for_the_cpu_demo(suite: LoadedSuite) -> None:
    first8 = suite.cases[:8]
    assert all(c.split == "golden" and c.expected["kind"] == "function" and len(c.input["task"]) < 1200 for c in first8)
    assert len({c.expected["entry_point"] for c in first8}) >= 6


def changed_functions(diff: str, files: dict[str, str]) -> set[str]:
    """Names of the functions whose lines a unified diff removes, changes or adds to."""
    names: set[str] = set()
    path, line = "", 0
    for row in diff.splitlines():
        if row.startswith("--- a/"):
            path = row[6:]
        elif row.startswith("@@"):
            line = int(re.match(r"@@ -(\d+)", row).group(1)) - 1  # type: ignore[union-attr]
        elif row[:1] in ("-", " ", "+") and not row.startswith(("---", "+++")) and path:
            line += row[:1] != "+"
            if row[:1] != " ":  # a removed or added line: which function is it in?
                before = files[path].splitlines()[:line]
                enclosing = next((b for b in reversed(before) if " def " in f" {b}"), "")  # "" at module level
                names.update(re.findall(r"^\s*def (\w+)", enclosing))
    return names


def test_patch_requests_describe_symptoms_not_fixes(suite: LoadedSuite) -> None:
    """A bug report names neither the file to change nor, as code, the function the fix changes."""
    answers = {json.loads(line)["case_id"]: json.loads(line)["text"] for line in
               (ROOT / "runners" / "scripted" / "coding_answers.jsonl").read_text(encoding="utf-8").splitlines()}
    checked = 0
    for case in suite.cases:
        if case.expected["kind"] != "patch":
            continue
        task = case.input["task"]
        for path in case.expected["allowed_files"]:
            assert path not in task and path.rsplit("/", 1)[-1] not in task, (case.id, path)
        names = changed_functions(answers[case.id], suite.assets[case.expected["repo"]])
        assert names, case.id
        for name in names:
            assert not re.search(rf"\b{name}\(|`{name}`|\.{name}\b", task), (case.id, name)
        checked += 1
    assert checked >= 60


# --------------------------------------------------------------------------------------------------
# Stated requirements are tested (each assertion failed on the old suite, where nothing checked them)


def test_a_linear_scan_fails_the_stated_probe_budget(suite: LoadedSuite) -> None:
    case = first(suite, lambda c: "2·log2(n) + 4 entries" in c.input["task"] and c.split == "golden")
    name = case.expected["entry_point"]
    missing = "return None" if "there is none: return None" in case.input["task"] else 'raise ValueError("none")'
    linear = (  # right answers, one pass over the whole schedule
        f"def {name}(schedule, when):\n    found = None\n    for start, value in schedule:\n"
        f"        if start <= when:\n            found = (value,)\n    if found is None:\n        {missing}\n"
        "    return found[0]\n"
    )
    result = score(suite, case.id, fenced(linear))
    assert not result.resolved
    assert [f["test"].rsplit("::", 1)[-1] for f in result.detail["failures"]] == ["test_lookups_stay_logarithmic"]


def test_a_third_party_import_fails_the_standard_library_rule(suite: LoadedSuite) -> None:
    case = first(suite, lambda c: c.expected["kind"] == "function" and c.split == "golden")
    reference = {json.loads(line)["case_id"]: json.loads(line)["text"] for line in
                 (ROOT / "runners" / "scripted" / "coding_answers.jsonl").read_text(encoding="utf-8").splitlines()}
    code = reference[case.id].removeprefix("```python\n").removesuffix("```")
    assert score(suite, case.id, fenced(code)).resolved
    assert not score(suite, case.id, fenced("import numpy as np  # for speed\n" + code)).resolved
    # pytest is importable wherever the hidden tests run, so only the rule itself can fail this one
    result = score(suite, case.id, fenced("from pytest import approx  # handy for floats\n" + code))
    assert not result.resolved
    assert [f["test"].rsplit("::", 1)[-1] for f in result.detail["failures"]] == ["test_standard_library_only"]


def test_obeying_an_injected_instruction_fails(suite: LoadedSuite) -> None:
    case = first(suite, lambda c: c.tags[0] == "injection" and c.expected["kind"] == "function")
    reference = {json.loads(line)["case_id"]: json.loads(line)["text"] for line in
                 (ROOT / "runners" / "scripted" / "coding_answers.jsonl").read_text(encoding="utf-8").splitlines()}
    code = reference[case.id].removeprefix("```python\n").removesuffix("```")
    leaky = "import os\n\nprint(dict(os.environ))\n" + code
    result = score(suite, case.id, fenced(leaky))
    assert not result.resolved
    assert "test_no_side_effects" in {f["test"].rsplit("::", 1)[-1] for f in result.detail["failures"]}


def test_modifying_the_callers_records_fails(suite: LoadedSuite) -> None:
    case = first(suite, lambda c: "test_input_is_not_modified" in c.expected["tests"] and "dedupe" not in c.cluster
                 and "group_totals" in c.cluster and c.split == "golden")
    reference = {json.loads(line)["case_id"]: json.loads(line)["text"] for line in
                 (ROOT / "runners" / "scripted" / "coding_answers.jsonl").read_text(encoding="utf-8").splitlines()}
    code = reference[case.id].removeprefix("```python\n").removesuffix("```")
    name = case.expected["entry_point"]
    wrapper = (  # right results, but it marks the caller's dicts on the way
        f"\n\n_original = {name}\n\n\ndef {name}(records):\n    for rec in records:\n"
        "        rec['seen'] = True\n"
        "    return _original([{k: v for k, v in r.items() if k != 'seen'} for r in records])\n"
    )
    result = score(suite, case.id, fenced(code + wrapper))
    assert not result.resolved
    assert [f["test"].rsplit("::", 1)[-1] for f in result.detail["failures"]] == ["test_input_is_not_modified"]


def test_every_adversarial_twist_rejects_its_plausible_wrong_answer(
    generated: tuple[ModuleType, dict[str, Any]],
) -> None:
    """Revised specs and ambiguous rules: the superseded / naive implementation must fail the hidden tests."""
    _, built = generated
    kit = load_module("coding_kit")
    checked = 0
    for case in built["golden"] + built["adversarial"]:
        wrong = getattr(case.task, "wrong", None)
        if wrong:
            assert kit.rejects(case.task, wrong), case.line["id"]
            checked += 1
    kinds = Counter(c.line["tags"][0] for c in built["adversarial"] if getattr(c.task, "wrong", None))
    assert kinds["long_context_contradiction"] >= 15 and kinds["ambiguous"] >= 15 and checked >= 30, kinds


# --------------------------------------------------------------------------------------------------
# The trivial baseline, through the CLI and the real gate

DOCUMENTED = re.compile(r"golden pass@1 ([0-9.]+), adversarial pass rate ([0-9.]+)")


def test_trivial_answers_are_not_qualified_by_the_real_gate(
    suite: LoadedSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Identity stubs (`return args[0]`) and comment-only diffs, scored in the sandbox and gated."""
    check = load_module("coding_check")
    monkeypatch.chdir(ROOT)
    lines = [
        {
            "case_id": case.id,
            "suite": "coding",
            "text": check.trivial_answer(case, suite.assets),
            "latency_s": 0.05,
            "usage": {"input_tokens": 600, "output_tokens": 40},
        }
        for case in suite.cases
    ]
    (tmp_path / "trivial.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    profile = {
        "name": "trivial-coder",
        "tier": "self-hosted",
        "kind": "scripted",
        "model": "trivial-coder",
        "script": "trivial.jsonl",
        "concurrency": 8,
        "price": {"input_per_mtok": 0.0, "output_per_mtok": 0.0, "source": "test"},
    }
    (tmp_path / "trivial-coder.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    store = str(tmp_path / "e.db")
    assert main(["--store", store, "run", "--suite", "coding", "--endpoint", "scripted-frontier"]) == 0
    assert main(["--store", store, "run", "--suite", "coding", "--endpoint", str(tmp_path / "trivial-coder.yaml")]) == 0
    with Store.existing(Path(store)) as s:
        frontier, trivial = (r.run_id for r in s.runs())
        splits = {c.id: c.split for c in s.cases(trivial, "coding")}
        resolved: dict[str, list[bool]] = {"golden": [], "adversarial": []}
        for row in s.scores(trivial, suite="coding"):
            resolved[splits[row.case_id]].append(bool(row.score.resolved))
    golden = sum(resolved["golden"]) / len(resolved["golden"])
    adversarial = sum(resolved["adversarial"]) / len(resolved["adversarial"])
    out = tmp_path / "gate"
    policy = {**suite.suite.gate.model_dump(mode="json"), "bootstrap_resamples": 200, "escalation": False}
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"suites": {"coding": policy}}), encoding="utf-8")
    gate = ["gate", "--baseline", frontier, "--candidate", trivial, "--out", str(out), "--policy",
            str(tmp_path / "policy.yaml")]
    assert main(["--store", store, *gate]) == 4
    (category,) = json.loads((out / "signoff.json").read_text())["categories"]
    assert category["verdict"] == "NOT_QUALIFIED"
    assert golden <= 0.5 and adversarial < (suite.suite.gate.min_adversarial_pass_rate or 1.0)
    documented = DOCUMENTED.search(" ".join((suite.suite.description or "").split()))
    assert documented, "suites/coding.yaml documents the trivial answers' figures"
    assert abs(float(documented.group(1)) - golden) <= 0.02 and abs(float(documented.group(2)) - adversarial) <= 0.02
