"""Engine throughput against a loopback server that answers instantly, vs a bare asyncio SDK loop.

The target (issue 2, benchmarked properly later): evalkit's engine, with retries, storage and live
scoring, reaches at least 0.8x the calls/second of a bare asyncio loop over the same `openai` SDK at the
same concurrency. Run: `make bench` (or `python benchmarks/engine_throughput.py --cases 2000`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import openai
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalkit.cli import main as evalkit_main
from evalkit.store import Store
from tests.fakeserver import FakeLLMServer, Reply


async def bare_loop(base_url: str, n: int, concurrency: int) -> float:
    client = openai.AsyncOpenAI(api_key="x", base_url=base_url, max_retries=0)
    queue = iter(range(n))

    async def worker() -> None:
        for i in queue:
            await client.chat.completions.create(
                model="fake-model", max_tokens=16, temperature=0,
                messages=[{"role": "system", "content": "Label the ticket."},
                          {"role": "user", "content": f"Ticket: golden ticket {i}"}])

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    await client.close()
    return n / elapsed


def evalkit_run(root: Path, base_url: str, n: int, concurrency: int) -> tuple[float, float]:
    for d in ("suites", "golden", "runners/endpoints", "reports"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "suites" / "bench.yaml").write_text(yaml.safe_dump({
        "name": "bench", "version": "1", "category": "classification", "primary_metric": "macro_f1",
        "prompt": {"system": "Label the ticket.", "user": "Ticket: {{ ticket }}"},
        "request": {"max_tokens": 16, "temperature": 0}, "scorer": {"labels": ["refund", "other"]}}))
    (root / "golden" / "bench.jsonl").write_text("".join(
        json.dumps({"id": f"b{i:06d}", "input": {"ticket": f"golden ticket {i}"}, "expected": {"label": "refund"}})
        + "\n" for i in range(n)))
    (root / "runners" / "endpoints" / "bench.yaml").write_text(yaml.safe_dump({
        "name": "bench", "tier": "hosted", "kind": "openai-compatible", "model": "fake-model", "base_url": base_url,
        "concurrency": concurrency, "stream": False, "price": {"input_per_mtok": 1, "output_per_mtok": 1}}))
    import os

    os.chdir(root)
    start = time.perf_counter()
    assert evalkit_main(["run", "--suite", "bench", "--endpoint", "bench"]) == 0
    end_to_end = n / (time.perf_counter() - start)
    store = Store(root / "reports" / "evalkit.db")
    (run,) = store.runs()
    store.close()
    session = run.manifest["sessions"][0]
    replay_s = (datetime.fromisoformat(session["finished_at"]) - datetime.fromisoformat(session["started_at"]))
    return end_to_end, n / replay_s.total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    server = FakeLLMServer().start()
    server.script(lambda path, body: Reply(text="refund"))
    try:
        bare = asyncio.run(bare_loop(server.base_url, args.cases, args.concurrency))
        with tempfile.TemporaryDirectory() as tmp:
            ours, replay = evalkit_run(Path(tmp), server.base_url, args.cases, args.concurrency)
    finally:
        server.stop()
    print(f"bare SDK loop:        {bare:8.1f} calls/s")
    print(f"evalkit replay phase: {replay:8.1f} calls/s  ratio {replay / bare:.2f}x (target >= 0.8x)")
    print(f"evalkit end to end:   {ours:8.1f} calls/s  ratio {ours / bare:.2f}x (incl. imports, load, report)")


if __name__ == "__main__":
    main()
