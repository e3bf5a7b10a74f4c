"""Coding: run the model's code against hidden pytest tests in a sandbox; pass@k is the headline.

Two kinds of case:
- `function`: the answer is a module defining `entry_point`, saved as `solution.py`; the case's tests
  run as `test_solution.py` from a read-only folder beside it;
- `patch`: the answer is a unified diff against a fixture repository; it is applied with `git apply`
  in a fresh copy, and the case's tests run as `test_evalkit_case.py` from the read-only folder.
  A patch that touches a file outside `allowed_files` (tests, config, unrelated modules) never counts
  as resolved, even when the tests pass: "stays inside the files it may touch" is part of the task,
  and editing tests or conftest is the classic way to make tests pass without fixing anything.

Extraction problems (no code block, no diff) are recorded as `extraction_failed`, apart from wrong
code, because they are a formatting problem a prompt change may fix rather than a capability gap.
Everything model-controlled runs in the sandbox, and the verdict never comes from anything the graded
code can write: a test harness inside the sandbox runs the pristine tests and reports through signed
records (README, "What evalkit guarantees").

The package is split along the scorer's seams, each module one job:
- `spec`: `Expectation` and `Settings`, validated when the suite loads;
- `fixtures`: the fixture repositories snapshotted with the suite (`load_fixture_assets`, `missing_asset`);
- `extract`: finding the code or the diff in an answer, and the files a diff touches (pure text);
- `isolation`: which boundary (bubblewrap, unshare, none) and the command that sets it up;
  `cgroups`: the per-run process cap and whole-tree kill; `reaper`: what a killed evalkit left behind;
  `sandbox`: running one command behind all that;
- `harness`, `harness_guard`, `harness_tests`: the test harness that runs INSIDE the sandbox;
  `execute`: starting it; `verdict`: reading its signed records into counts;
- `forkserver` (evalkit's side) and `zygote` (inside the sandbox): the harness forked from a warm
  server, each case entering namespaces of its own, instead of a new sandboxed Python per case;
- `patch`: applying a diff in the sandbox;
- `detail`: the stored `Detail` and the per-case `VALUES`;
- `scorer`: `score`, the one place that combines the above; `aggregation`: `METRICS` and `aggregate`.
"""

from __future__ import annotations

from evalkit.scoring.coding.aggregation import METRICS, aggregate
from evalkit.scoring.coding.detail import VALUES, Detail
from evalkit.scoring.coding.fixtures import load_fixture_assets, missing_asset
from evalkit.scoring.coding.scorer import score
from evalkit.scoring.coding.spec import Expectation, Settings


def escalation_reason(detail: Detail, settings: Settings) -> str | None:
    """No code or no diff in the answer: nothing to run, so the final authority takes the case."""
    return "no code or diff in the answer" if detail.extraction_failed else None


__all__ = [
    "METRICS",
    "VALUES",
    "Detail",
    "Expectation",
    "Settings",
    "aggregate",
    "escalation_reason",
    "load_fixture_assets",
    "missing_asset",
    "score",
]
