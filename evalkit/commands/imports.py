"""`evalkit import SOURCE ...`: turn outside data (logged traffic, public benchmarks) into suites.

Each source is its own module under evalkit.commands (listed in `SOURCES`) exposing
`register(sub)` for its `evalkit import <source>` sub-parser (setting `handler`), so the traffic
importer and the benchmark importers grow independently.
"""

from __future__ import annotations

import argparse
import importlib

__all__ = ["SOURCES", "register"]

# Module names under evalkit.commands, one per import source.
SOURCES: tuple[str, ...] = ("import_traffic", "import_bench")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `evalkit import` with one sub-command per source."""
    parser = sub.add_parser("import", help="make suites from logged traffic or public benchmarks")
    sources = parser.add_subparsers(dest="source", required=True)
    for name in SOURCES:
        importlib.import_module(f"evalkit.commands.{name}").register(sources)
