"""The offline demonstration endpoints, `scripted-frontier` and `scripted-candidate`, over every starter suite.

Both run through the real CLI (engine, store, scoring, the coding sandbox), as `make run` runs them, and
the figures the demonstration stands on are checked through the typed reader: a frontier that gets every
golden case right, a candidate a few points behind it, exactly the slips `runners/scripted/build.py`
declares, and nothing unscored. The committed scripts must be byte for byte what `build.py` writes now.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from evalkit import Store, SuiteMetrics, run_metrics
from evalkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPTED = ROOT / "runners" / "scripted"
SUITES = {"classification", "coding", "extraction", "summarization", "toolcall"}


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scripted_build", SCRIPTED / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run_all_suites(store: Path, endpoint: str) -> str:
    assert main(["--store", str(store), "run", "--suite", "all", "--endpoint", endpoint]) == 0
    with Store.existing(store) as s:
        return s.runs()[-1].run_id


def test_scripted_frontier_and_candidate_over_every_starter_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    store = tmp_path / "e.db"
    frontier_run = run_all_suites(store, "scripted-frontier")
    candidate_run = run_all_suites(store, "scripted-candidate")

    metrics: dict[str, dict[str, SuiteMetrics]] = {}
    failed: dict[str, set[str]] = {}
    golden_resolved: dict[str, dict[str, float]] = {}
    with Store.existing(store) as s:
        for run_id in (frontier_run, candidate_run):
            metrics[run_id] = {m.suite: m for m in run_metrics(s, run_id)}
            failed[run_id] = {r.case_id for r in s.scores(run_id) if not r.score.resolved}
            golden_resolved[run_id] = {}
            for suite in SUITES:
                golden = {c.id for c in s.cases(run_id, suite) if c.split == "golden"}
                scores = [r.score for r in s.scores(run_id, suite=suite) if r.case_id in golden]
                assert len(scores) == len(golden)
                golden_resolved[run_id][suite] = sum(bool(sc.resolved) for sc in scores) / len(scores)

    frontier, candidate = metrics[frontier_run], metrics[candidate_run]
    assert set(frontier) == set(candidate) == SUITES
    for run_id in (frontier_run, candidate_run):
        for m in metrics[run_id].values():
            assert m.scored == m.planned, m.suite
            assert {o: n for o, n in m.counts.items() if o != "scored"} == dict.fromkeys(
                ("scorer_error", "truncated", "infra_error", "unanswered"), 0
            ), m.suite
            assert m.warnings == [] and m.operations["retries"] == 0, m.suite

    build = load_build()
    # The frontier: every golden case right, wrong only where build.py says so (adversarial cases).
    assert failed[frontier_run] == set(build.FRONTIER_SLIPS)
    assert golden_resolved[frontier_run] == dict.fromkeys(SUITES, 1.0)
    for suite, m in frontier.items():
        assert m.primary is not None and m.primary >= 0.95, (suite, m.primary)
        assert m.values["adversarial_pass_rate"] is not None and m.values["adversarial_pass_rate"] >= 0.85, suite

    # The candidate: the frontier's answers plus its own few slips, a few points behind, far cheaper, faster.
    assert failed[candidate_run] == set(build.FRONTIER_SLIPS) | set(build.CANDIDATE_SLIPS)
    for suite, m in candidate.items():
        base = frontier[suite]
        assert m.primary is not None and base.primary is not None
        assert 0 < base.primary - m.primary <= 0.03, (suite, base.primary, m.primary)
        assert m.operations["cost_usd"] < base.operations["cost_usd"] / 10, suite
        assert m.operations["latency_p95_s"] < base.operations["latency_p50_s"], suite


def test_committed_scripts_are_what_build_writes_now(tmp_path: Path) -> None:
    load_build().build(tmp_path)
    for name in ("frontier.jsonl", "candidate.jsonl"):
        assert (tmp_path / name).read_bytes() == (SCRIPTED / name).read_bytes(), (
            f"runners/scripted/{name} is stale: re-run `.venv/bin/python runners/scripted/build.py`"
        )
