"""Commands beyond the core pipeline (`run`, `score`, `gate`, ...), each in its own module.

Why a registry: `evalkit/cli.py` holds the pipeline's own commands; features that stand beside the
pipeline (imports, shards, batch runs, review) each add one module here instead of growing one file
that everyone edits. A module listed in `MODULES` exposes

    def register(sub: argparse._SubParsersAction) -> None   # add its sub-parser(s), set `handler`
    def handler(args, console, out) -> int                   # set via parser.set_defaults(handler=...)

and imports anything heavy inside its handler, so `evalkit --help` and a one-case run stay fast.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol

from rich.console import Console

__all__ = ["MODULES", "Handler", "register_all"]

# Module names under evalkit.commands, one per feature.
MODULES: tuple[str, ...] = ("imports", "merge", "review")


class Handler(Protocol):
    """What a command module's handler is: args parsed, stderr console, stdout console → exit code."""

    def __call__(self, args: argparse.Namespace, console: Console, out: Console) -> int: ...


def register_all(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add every listed module's sub-commands to the parser."""
    for name in MODULES:
        module = importlib.import_module(f"evalkit.commands.{name}")
        module.register(sub)
