"""Public benchmarks (BFCL, HumanEval) turned into ordinary evalkit suites.

Why import instead of running a benchmark's own harness: the imported suite goes through the same
engine, store, scorers, gate and reports as every other suite, so a leaderboard figure reproduced here
checks the harness itself, and a candidate's leaderboard claim can be re-measured on the same endpoint
profile it will be served from. The data is read from the benchmark's own PyPI package (never
downloaded), and the package's version and licence are written into the suite (`provenance`).

Writing is all-or-nothing: every suite is written to a scratch folder and loaded back with the normal
suite loader before anything is moved into place, so an import that would produce a suite evalkit
cannot load writes nothing.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from evalkit.errors import InputError

__all__ = ["ImportedSuite", "package_data", "package_version", "write_suites"]


@dataclass(frozen=True)
class ImportedSuite:
    """One suite file's content and its golden cases, ready to write."""

    name: str
    suite: dict[str, Any]
    cases: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    """What the import left out or changed, one line each, printed by the command."""


def package_version(dist: str, install_hint: str) -> str:
    """The installed version of a benchmark package; a missing one is a setup problem named in one line."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise InputError(f"the {dist} package is not installed; {install_hint}", field=dist) from None


def package_data(module: str, *parts: str) -> Traversable:
    """A data file shipped inside a package, read through importlib.resources (no network, no cache)."""
    node = importlib.resources.files(module)
    for part in parts:
        node = node / part
    if not node.is_file():
        raise InputError(f"{module} ships no {'/'.join(parts)}; is this a supported version?", field=module)
    return node


def _dump(suite: ImportedSuite, root: Path) -> tuple[Path, Path]:
    suite_path = root / "suites" / f"{suite.name}.yaml"
    cases_path = root / "golden" / f"{suite.name}.jsonl"
    suite_path.parent.mkdir(parents=True, exist_ok=True)
    cases_path.parent.mkdir(parents=True, exist_ok=True)
    suite_path.write_text(yaml.safe_dump(suite.suite, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    cases_path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in suite.cases), encoding="utf-8")
    return suite_path, cases_path


def write_suites(suites: list[ImportedSuite], out: Path) -> list[tuple[Path, Path]]:
    """Write `suites/<name>.yaml` and `golden/<name>.jsonl` under `out`, each checked by loading it first."""
    from evalkit.inputs.suites import load_suite

    with tempfile.TemporaryDirectory(prefix="evalkit-import-") as scratch:
        for suite in suites:
            load_suite(_dump(suite, Path(scratch))[0])
        written = []
        for suite in suites:
            for sub, suffix in (("suites", ".yaml"), ("golden", ".jsonl")):
                target = out / sub / f"{suite.name}{suffix}"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(scratch) / sub / f"{suite.name}{suffix}", target)
            written.append((out / "suites" / f"{suite.name}.yaml", out / "golden" / f"{suite.name}.jsonl"))
    return written
