"""Shared pieces of the benchmarks: the stub server process, a throwaway workspace, the evalkit CLI as
a subprocess, the machine line every figure is printed with.

Every evalkit figure is taken from a fresh `python -m evalkit` process, so imports, loading, scoring,
storage and the report are all inside the number, as a user would see them.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def machine() -> str:
    """nproc, CPU model and the load average *now*: the machine is shared, so every figure carries it."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}, load {load}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@contextmanager
def stub_server(delay: float = 0.0, text: str = "refund") -> Iterator[str]:
    """The stub server (benchmarks/stubserver.py) in its own process; yields its base URL."""
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "benchmarks" / "stubserver.py"), "--port", "0", "--delay", str(delay), "--text", text],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("port "):
            raise RuntimeError(f"stub server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_endpoint(root: Path, base_url: str, concurrency: int, name: str = "bench") -> None:
    (root / "endpoints").mkdir(parents=True, exist_ok=True)
    (root / "endpoints" / f"{name}.yaml").write_text(
        yaml.safe_dump(
            {
                "name": name,
                "tier": "hosted",
                "kind": "openai-compatible",
                "model": "fake-model",
                "base_url": base_url,
                "concurrency": concurrency,
                "stream": False,
                "timeout_s": 60,
                "price": {"input_per_mtok": 1, "output_per_mtok": 1},
            }
        )
    )


def write_classification_suite(root: Path, n: int, name: str = "bench") -> None:
    """A small classification suite with `n` cases (the prompt of a real router, shortened)."""
    (root / "suites").mkdir(parents=True, exist_ok=True)
    (root / "golden").mkdir(parents=True, exist_ok=True)
    (root / "suites" / f"{name}.yaml").write_text(
        yaml.safe_dump(
            {
                "name": name,
                "version": "1",
                "category": "classification",
                "primary_metric": "macro_f1",
                "prompt": {"system": "Label the ticket.", "user": "Ticket: {{ ticket }}"},
                "request": {"max_tokens": 16, "temperature": 0},
                "scorer": {"labels": ["refund", "other"]},
            }
        )
    )
    (root / "golden" / f"{name}.jsonl").write_text(
        "".join(
            json.dumps({"id": f"b{i:06d}", "input": {"ticket": f"golden ticket {i}"}, "expected": {"label": "refund"}})
            + "\n"
            for i in range(n)
        )
    )


@dataclass
class Timed:
    seconds: float
    rc: int
    stdout: str
    stderr: str
    max_rss_mb: float
    cpu_s: float = 0.0
    """User + system CPU of the process and of the children it waited for (re-scoring workers)."""


def evalkit(root: Path, args: Sequence[str], *, check: bool = True, source: Path | None = None) -> Timed:
    """`python -m evalkit --store ROOT/reports/evalkit.db ARGS` in ROOT, timed (wall) with its peak RSS
    and CPU time. `source`: a folder holding another `evalkit` package to run instead (an older tree,
    for a before/after comparison in the same session)."""
    cmd = [PYTHON, "-m", "evalkit", "--store", str(root / "reports" / "evalkit.db"), *args]
    env = {**os.environ, "PYTHONPATH": str(source or ROOT), "COLUMNS": "200"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=err, text=True)
        # wait4 rather than Popen.wait: it also gives this child's own peak RSS
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        result = Timed(seconds, proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024, cpu)
    if check and result.rc != 0:
        raise RuntimeError(f"{' '.join(cmd[2:])} exited {result.rc}:\n{result.stderr[-3000:]}")
    return result


def suite_args(root: Path) -> list[str]:
    return ["--suites-dir", str(root / "suites"), "--endpoints-dir", str(root / "endpoints")]


def run_id_of(result: Timed) -> str:
    for line in (result.stderr + result.stdout).splitlines():
        if line.startswith("run ") and "->" in line:
            return line.split()[1]
    raise RuntimeError(f"no run id in the output:\n{result.stderr[-2000:]}")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
