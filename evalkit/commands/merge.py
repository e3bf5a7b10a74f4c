"""`evalkit merge RUN... [--run-id NEW] [--allow-incomplete]`: combine shard runs into one run.

The merged run goes into `--store` (created if missing), so a CI job that downloaded every shard's
store file can merge them into the store that holds the baseline and gate right away. The new run id
is the one line on stdout (`RUN=$(evalkit merge ...)`); what was merged goes to stderr. See
`evalkit/store/merge.py` for what is refused and why.

Exit codes: 0 merged and finished, 1 merged but incomplete (only with `--allow-incomplete`: missing
shards or unanswered items; `evalkit run --resume NEW` fills them), 2 refused (nothing written).
"""

from __future__ import annotations

import argparse

from rich.console import Console

__all__ = ["handler", "register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "merge",
        help="combine shard runs (evalkit run --shard I/N), from this store or other store files, into one run",
    )
    p.add_argument(
        "runs",
        nargs="+",
        metavar="RUN",
        help="RUN_ID in --store, STORE.db:RUN_ID, or STORE.db alone when it holds exactly one run",
    )
    p.add_argument("--run-id", metavar="NEW", default=None, help="id of the merged run (default: a new one)")
    p.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="merge even with shards missing or unfinished; the merged run is incomplete and resumable",
    )
    p.set_defaults(handler=handler)


def _argv(args: argparse.Namespace) -> list[str]:
    """The command as given (the handler is not handed `argv`), for the merged run's manifest."""
    extra = (["--run-id", args.run_id] if args.run_id else []) + (
        ["--allow-incomplete"] if args.allow_incomplete else []
    )
    return ["evalkit", "--store", str(args.store), "merge", *args.runs, *extra]


def handler(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.pipeline import new_run_id
    from evalkit.store.merge import merge_runs

    result = merge_runs(
        args.store,
        list(args.runs),
        run_id=args.run_id or new_run_id(),
        allow_incomplete=args.allow_incomplete,
        argv=_argv(args),
    )
    console.print(
        f"merged {len(result.sources)} runs ({'; '.join(result.sources)}) into run {result.run_id} -> {args.store}: "
        f"{result.status}, {result.answered} of {result.planned} work items answered",
        highlight=False,
    )
    if result.missing_shards:
        console.print(f"shard {', '.join(result.missing_shards)} missing", highlight=False)
    if result.status != "finished":
        console.print(f"fill the gap with: evalkit --store {args.store} run --resume {result.run_id}", highlight=False)
    out.print(result.run_id, highlight=False)
    return 0 if result.status == "finished" else 1
