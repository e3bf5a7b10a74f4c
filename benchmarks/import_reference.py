"""Imported benchmarks scored with their own reference answers, through `evalkit run` (scripted endpoint).

HumanEval: the canonical solutions must resolve all 164 problems in the sandbox, and a stub (the
signature and docstring, `return None`) almost none. BFCL: the answer key's first acceptable call(s)
must resolve every case whose key BFCL's own checker can be passed at all. Run:

    .venv/bin/python benchmarks/import_reference.py [--bfcl-categories all] [--humaneval-limit N]

Prints resolved counts and every unresolved case id; timings are whole `evalkit run` wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalkit.cli import main as evalkit_main
from evalkit.inputs.benchmarks.bfcl import reference_calls
from evalkit.inputs.benchmarks.humaneval import canonical_answer, case_id, problems, stub_answer
from evalkit.store import Store


def scripted(root: Path, name: str, suite: str, answers: dict[str, dict[str, Any]]) -> Path:
    lines = [{"case_id": cid, "suite": suite, **a} for cid, a in answers.items()]
    (root / f"{name}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    profile = {
        "name": name,
        "tier": "self-hosted",
        "kind": "scripted",
        "model": name,
        "script": f"{name}.jsonl",
        "concurrency": 2,
        "price": {"input_per_mtok": 0.0, "output_per_mtok": 0.0, "source": "benchmark"},
    }
    path = root / f"{name}.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    return path


def run(store: Path, suite: str, endpoint: Path) -> tuple[int, int, list[str], float]:
    started = time.perf_counter()
    code = evalkit_main(["--store", str(store), "run", "--suite", suite, "--endpoint", str(endpoint)])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"evalkit run exited {code}")
    with Store.existing(store) as s:
        run_id = s.runs()[-1].run_id
        rows = list(s.scores(run_id, suite=suite))
    bad = sorted(r.case_id for r in rows if not r.score.resolved)
    return len(rows) - len(bad), len(rows), bad, seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bfcl-categories", default="all")
    parser.add_argument("--humaneval-limit", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.chdir(root)
        store = root / "e.db"
        limit = ["--limit", str(args.humaneval_limit)] if args.humaneval_limit else []
        assert evalkit_main(["import", "humaneval", *limit]) == 0
        chosen = problems()[: args.humaneval_limit]
        for label, answer in (("canonical", canonical_answer), ("stub", stub_answer)):
            texts = {case_id(p["task_id"]): {"text": answer(p)} for p in chosen}
            ok, n, bad, seconds = run(store, "humaneval", scripted(root, f"humaneval-{label}", "humaneval", texts))
            shown = bad if len(bad) < 20 else f"{len(bad)} cases"
            print(f"humaneval {label}: {ok}/{n} resolved in {seconds:.0f} s; unresolved: {shown}")
        assert evalkit_main(["import", "bfcl", "--categories", args.bfcl_categories]) == 0
        for suite_file in sorted((root / "suites").glob("bfcl-*.yaml")):
            name = suite_file.stem
            cases = [json.loads(line) for line in (root / "golden" / f"{name}.jsonl").read_text().splitlines()]
            answers = {}
            for c in cases:
                calls = reference_calls(c["expected"])
                answers[c["id"]] = {"tool_calls": calls} if calls else {"text": "None of these functions fits."}
            ok, n, bad, seconds = run(store, name, scripted(root, f"{name}-reference", name, answers))
            print(f"{name} reference: {ok}/{n} resolved in {seconds:.0f} s; unresolved: {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
