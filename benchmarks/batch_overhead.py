"""Batch-mode overhead (issue 10): `evalkit run --batch` against the same suite run live, in-process.

Both runs call the loopback batch server of the tests (`tests/batchserver.py`), which answers at once
and ends a batch on its second poll, so what is timed is evalkit's own work: building and uploading the
JSONL, manifest bookkeeping, polling (from 50 ms), reading the results with the live parser, storing,
scoring and the report. The live run is the same suite at concurrency 8, non-streamed. Wall clock of
`evalkit.cli.main` per run; timings depend on the shared machine's load.

Run: `python benchmarks/batch_overhead.py [--cases 1000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalkit.cli import main
from tests.batchserver import BatchLLMServer
from tests.fakeserver import Reply


def run(cases: int) -> dict[str, float]:
    server = BatchLLMServer().start()
    server.script(lambda path, body: Reply(text="refund"))
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for d in ("suites", "golden", "runners/endpoints", "reports"):
            (root / d).mkdir(parents=True)
        suite = {
            "name": "t",
            "version": "1",
            "category": "classification",
            "primary_metric": "macro_f1",
            "prompt": {"user": "Ticket: {{ ticket }}"},
            "request": {"max_tokens": 16, "temperature": 0},
            "scorer": {"labels": ["refund", "other"]},
        }
        (root / "suites/t.yaml").write_text(yaml.safe_dump(suite))
        lines = [
            {"id": f"t-{i:05d}", "input": {"ticket": f"ticket {i}"}, "expected": {"label": "refund"}}
            for i in range(cases)
        ]
        (root / "golden/t.jsonl").write_text("".join(json.dumps(c) + "\n" for c in lines))
        profile = {
            "name": "oa",
            "tier": "frontier",
            "kind": "openai",
            "model": "m",
            "base_url": server.base_url,
            "api_key_env": "EVALKIT_BENCH_KEY",
            "concurrency": 8,
            "stream": False,
            "price": {"input_per_mtok": 1.0, "output_per_mtok": 2.0},
        }
        (root / "runners/endpoints/oa.yaml").write_text(yaml.safe_dump(profile))
        os.environ["EVALKIT_BENCH_KEY"] = "sk-bench-0000"
        cwd = Path.cwd()
        os.chdir(root)
        try:
            for mode, extra in (("batch", ["--batch", "--batch-poll-s", "0.05"]), ("live", [])):
                start = time.perf_counter()
                code = main(["run", "--suite", "t", "--endpoint", "oa", *extra])
                times[mode] = time.perf_counter() - start
                assert code == 0, f"{mode} run exited {code}"
        finally:
            os.chdir(cwd)
            server.stop()
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    result = run(args.cases)
    print(f"{args.cases} cases: batch {result['batch']:.2f} s, live {result['live']:.2f} s (concurrency 8)")
