"""`coding.py --check`: every generated case scored by the real coding scorer, in its sandbox.

What must hold, case by case:
- the reference answer resolves (the scripted frontier's answer, and proof the hidden tests can pass);
- the trivial answers fail: an identity stub (`return args[0]`) for function cases, a comment-only diff
  for patch cases (proof the hidden tests check behaviour, not just that something was written);
- the plausible wrong answer fails where the case has one (the superseded spec of a revised request,
  the naive reading of an ambiguous rule), so the adversarial twist is really tested.

Slow (three sandboxed pytest runs per case), so it is a generator option, not part of the test suite;
tests/test_suite_coding.py re-checks the references through the scripted demo and samples the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from coding_kit import FnTask, PatchTask, fenced


def identity_stub(entry_point: str) -> str:
    """The trivial function answer: hands back its first argument."""
    return fenced(f"def {entry_point}(*args, **kwargs):\n    return args[0] if args else None\n")


def comment_only_diff(repo_files: dict[str, str], path: str) -> str:
    """The trivial patch answer: a diff that only adds a comment at the top of `path` (it applies)."""
    before = repo_files[path].splitlines(keepends=True)
    after = ["# TODO: look into the reported issue\n", *before]
    return fenced("".join(difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", n=3)), "diff")


def trivial_answer(case: Any, assets: dict[str, dict[str, str]]) -> str:
    """The trivial baseline's answer to a loaded case (evalkit Case)."""
    expected = case.expected
    if expected["kind"] == "function":
        return identity_stub(expected["entry_point"])
    return comment_only_diff(assets[expected["repo"]], expected["allowed_files"][0])


def check_all(built: Mapping[str, Sequence[Any]], root: Path) -> int:
    """Score every case's reference, trivial and wrong answers; print problems; 0 when there are none."""
    from evalkit.inputs.suites import load_suite
    from evalkit.records import Response
    from evalkit.scoring import coding
    from evalkit.scoring.base import ScoreContext

    loaded = load_suite(root / "suites" / "coding.yaml")
    settings = coding.Settings.model_validate(loaded.suite.scorer)
    assets = coding.load_fixture_assets(root / "suites" / "coding.yaml", settings)
    cases = {c.id: c for c in loaded.cases}

    def resolved(case_id: str, text: str) -> bool:
        ctx = ScoreContext(loaded.suite, cases[case_id], Response(text=text, finish_reason="stop"), assets)
        return bool(coding.score(ctx, settings).resolved)

    jobs: list[tuple[str, str, str, bool]] = []
    for split in ("golden", "adversarial"):
        for case in built[split]:
            cid = case.line["id"]
            jobs.append((cid, "reference", case.answer, True))
            jobs.append((cid, "trivial", trivial_answer(cases[cid], assets), False))
            task = case.task
            if isinstance(task, FnTask) and task.wrong:
                jobs.append((cid, "wrong", fenced(task.wrong), False))
            if isinstance(task, PatchTask) and task.wrong_fixed:
                files = assets[task.repo]
                diff = "".join(
                    "".join(difflib.unified_diff(files[p].splitlines(True), c.splitlines(True), f"a/{p}", f"b/{p}"))
                    for p, c in sorted(task.wrong_fixed.items())
                )
                jobs.append((cid, "wrong", fenced(diff, "diff"), False))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda job: resolved(job[0], job[2]), jobs))
    problems = [(cid, what) for (cid, what, _, want), got in zip(jobs, outcomes, strict=True) if got != want]
    for cid, what in problems:
        print(f"PROBLEM {cid}: the {what} answer {'failed' if what == 'reference' else 'resolved'}")
    print(f"checked {len(jobs)} answers of {len(cases)} cases: {len(problems)} problems")
    return 1 if problems else 0
