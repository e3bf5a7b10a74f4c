"""Fixture repositories for patch cases: read once when the suite loads, stored with the run.

Scoring never reads the fixtures folder itself; it gets the snapshot through `ScoreContext.assets`,
so re-scoring uses exactly the files the run was scored against even if the fixtures change later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit.errors import InputError
from evalkit.scoring.coding.spec import Settings

_SKIP_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"})


def load_fixture_assets(suite_path: Path, settings: Settings | Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Every repository folder under `fixtures_dir` as name -> relative path -> text.

    The loader stores this with the run (and hashes it). A missing folder yields {} (suites with
    only function cases need none); caches and VCS folders are skipped.
    """
    s = settings if isinstance(settings, Settings) else Settings.model_validate(dict(settings))
    base = Path(os.path.normpath(suite_path.parent / s.fixtures_dir))
    if not base.is_dir():
        return {}
    assets: dict[str, dict[str, str]] = {}
    for repo_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name not in _SKIP_DIRS):
        files: dict[str, str] = {}
        for path in sorted(repo_dir.rglob("*")):
            rel = path.relative_to(repo_dir)
            if not path.is_file() or _SKIP_DIRS.intersection(rel.parts) or path.suffix in (".pyc", ".pyo"):
                continue
            try:
                with path.open(encoding="utf-8", newline="") as handle:
                    files[rel.as_posix()] = handle.read()
            except UnicodeDecodeError:
                raise InputError("fixture files must be UTF-8 text", path, field="scorer.fixtures_dir") from None
        assets[repo_dir.name] = files
    return assets


def missing_asset(expected: Mapping[str, Any], assets: Mapping[str, Mapping[str, str]]) -> str | None:
    """Why a case cannot be scored with these assets (a patch case naming an unknown repository)."""
    repo = expected.get("repo")
    if expected.get("kind") == "patch" and repo not in assets:
        known = ", ".join(sorted(assets)) or "none"
        return f"fixture repository {repo!r} not found under the suite's fixtures_dir (found: {known})"
    return None
