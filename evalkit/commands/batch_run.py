"""`evalkit run --batch`: the run command's batch-API options (the mode itself is `calls/batch.py`).

Not a sub-command of its own: batch mode is a way to run, so its options sit on `run`. Giving any of
them routes the invocation here; everything a run does besides (suites, endpoint, plan, report) is the
`run` command's own code, called unchanged, with the batch session set for the replay to pick up.

    evalkit run --suite S --endpoint E --batch [--batch-poll-s 30]   submit, wait, collect, report
    evalkit run --suite S --endpoint E --batch --batch-detach          submit and exit 0
    evalkit run --resume RUN [--batch-detach]                          re-attach, collect, resubmit failures

Bad combinations are input errors (exit 2, nothing written): an endpoint kind without a batch API,
`--cache` (a cached run must call live first to learn the server's fingerprint), a non-positive poll
interval, or batch options on `--resume` of a live run.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from rich.console import Console

__all__ = ["add_batch_options", "handler"]


class _RouteHere(argparse.Action):
    """Store the option as usual and route the invocation to `handler`. A default handler on `run`
    would take every run; this way a run without batch options never comes near this module."""

    def __init__(self, option_strings: Sequence[str], dest: str, const: Any = None, **kw: Any) -> None:
        self._flag = kw.get("nargs") == 0
        super().__init__(option_strings, dest, const=const, **kw)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, True if self._flag else values)
        namespace.handler = handler


def add_batch_options(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("provider batch APIs (OpenAI, Anthropic: half price, up to 24 h)")
    group.add_argument(
        "--batch",
        action=_RouteHere,
        nargs=0,
        default=False,
        help="submit the run through the provider's batch API, priced at its batch rate",
    )
    group.add_argument(
        "--batch-poll-s",
        action=_RouteHere,
        type=float,
        default=None,
        metavar="S",
        help="first poll interval in seconds (default 30; backs off to 10x, at most 600)",
    )
    group.add_argument(
        "--batch-detach",
        action=_RouteHere,
        nargs=0,
        default=False,
        help="submit and exit 0, leaving the batch at the provider; collect with --resume RUN",
    )
    run.set_defaults(_run_parser=run)


def _argv(args: argparse.Namespace) -> list[str]:
    """The command line for the manifest, rebuilt from the run parser's own options (the handler is
    not given the raw argv)."""
    parser: argparse.ArgumentParser = args._run_parser
    out = ["evalkit", "run"]
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help",):
            continue
        value = getattr(args, action.dest, None)
        if value is None or value is False or value == action.default:
            continue
        out.append(action.option_strings[-1])
        if value is not True:
            out.append(str(value))
    return out


def handler(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit import cli
    from evalkit.calls.batch import SESSION, BatchSession, check_batch_mode, open_batches
    from evalkit.errors import InputError
    from evalkit.inputs.endpoints import load_endpoint
    from evalkit.store import Store

    if args.batch_poll_s is not None and not args.batch_poll_s > 0:
        raise InputError(f"--batch-poll-s must be more than 0, got {args.batch_poll_s}", field="--batch-poll-s")
    if args.resume:
        with Store.existing(args.store) as store:
            if "batch" not in store.run(args.resume).manifest:
                raise InputError(
                    f"run {args.resume} is a live run; batch options apply to runs started with --batch",
                    field="--batch",
                )
    else:
        if not args.batch:
            raise InputError("--batch-poll-s and --batch-detach go with --batch (or --resume RUN)", field="--batch")
        if args.cache:
            raise InputError(
                "--cache needs a live first call to learn the server's fingerprint; drop it", field="--cache"
            )
        if args.endpoint:
            check_batch_mode(load_endpoint(args.endpoint, args.endpoints_dir))
    session = BatchSession(
        requested=bool(args.batch) and not args.resume, poll_s=args.batch_poll_s, detach=args.batch_detach
    )
    token = SESSION.set(session)
    try:
        code = cli._cmd_run(args, console, _argv(args))
    finally:
        SESSION.reset(token)
    if args.batch_detach and session.run_id is not None and code == 1:
        with Store.existing(args.store) as store:
            waiting = open_batches(store.run(session.run_id).manifest)
        if waiting:
            console.print(
                f"batch {', '.join(waiting)} submitted and running at the provider; "
                f"collect with: evalkit run --resume {session.run_id}",
                highlight=False,
            )
            return 0
    return code
