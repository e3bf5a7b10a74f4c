"""`make run`: what evalkit is for, offline, in a few minutes.

1. A frontier baseline answers every starter suite (a `scripted` endpoint: canned answers near the
   golden ones, priced like a frontier API).
2. A cheap hosted candidate close to it answers the same suites (scripted, priced like a hosted
   open-weight endpoint), and the gate decides per category whether it may take the traffic.
3. The embedded local model (SmolLM2-135M on this CPU, no key, no network) answers the first
   `LOCAL_LIMIT` cases of every suite and is gated against the same baseline: a real model, a real
   serving stack, and an honest verdict about it.

Every step is an ordinary evalkit command; the store, the run summaries and the sign-off reports land
in `reports/`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL_LIMIT = int(os.environ.get("EVALKIT_DEMO_LOCAL_LIMIT", "8"))


def main() -> int:
    os.chdir(ROOT)
    from evalkit import Store
    from evalkit.cli import main as evalkit

    store_path = Path("reports/evalkit.db")

    def run(*args: str) -> str:
        code = evalkit(["run", "--suite", "all", *args])
        if code not in (0, 1):  # 1: some calls failed after retries; the gate counts and shows them
            raise SystemExit(f"demo: `evalkit run {' '.join(args)}` exited {code}")
        with Store.existing(store_path) as store:
            return store.runs()[-1].run_id

    frontier = run("--endpoint", "scripted-frontier")
    candidate = run("--endpoint", "scripted-candidate")
    local = run("--endpoint", "local", "--limit", str(LOCAL_LIMIT))
    print("\n== The cheap hosted candidate against the frontier baseline ==", flush=True)
    close = evalkit(["gate", "--baseline", frontier, "--candidate", candidate])
    print(f"\n== The embedded local model ({LOCAL_LIMIT} cases per suite) against the same baseline ==", flush=True)
    small = evalkit(["gate", "--baseline", frontier, "--candidate", local])
    print(
        f"\ngate exit codes: hosted candidate {close}, local model {small} "
        "(0 qualified, 3 inconclusive, 4 not qualified); reports in reports/gate-*/",
        flush=True,
    )
    return 0 if close in (0, 3, 4) and small in (0, 3, 4) else 1


if __name__ == "__main__":
    sys.exit(main())
