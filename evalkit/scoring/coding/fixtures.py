"""Fixture repositories for patch cases: read once when the suite loads, stored with the run.

Scoring never reads the fixtures folder itself; it gets the snapshot through `ScoreContext.assets`,
so re-scoring uses exactly the files the run was scored against even if the fixtures change later.

A fixture repository must not carry version-control data (`.git`, `.hg`, `.svn`, also a `.git` file
pointing at a worktree): a model answering a patch case could read the reference fix from its history
(SWE-bench#465). Loading refuses such a folder with an input error rather than quietly skipping it, so
the suite author removes the history instead of shipping it next to the hidden answer.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit.errors import InputError
from evalkit.scoring.coding.spec import Settings

_SKIP_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
VCS_NAMES = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".gitmodules"})


def vcs_paths(files: Mapping[str, str] | Path) -> list[str]:
    """Version-control entries in a fixture repository: a folder on disk or a stored path -> text map."""
    if isinstance(files, Path):
        found = [p.relative_to(files).as_posix() for p in files.rglob("*") if p.name in VCS_NAMES]
    else:
        found = [name for name in files if VCS_NAMES.intersection(name.split("/"))]
    return sorted(found)


def load_fixture_assets(suite_path: Path, settings: Settings | Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Every repository folder under `fixtures_dir` as name -> relative path -> text.

    The loader stores this with the run (and hashes it). A missing folder yields {} (suites with
    only function cases need none); caches are skipped, version-control data is refused.
    """
    s = settings if isinstance(settings, Settings) else Settings.model_validate(dict(settings))
    base = Path(os.path.normpath(suite_path.parent / s.fixtures_dir))
    project = suite_path.resolve().parent.parent
    if not base.resolve().is_relative_to(project):
        # Everything under fixtures_dir is copied into the store and shown to the model: a suite
        # written by someone else must not be able to point it at the operator's home or /etc.
        raise InputError(
            f"fixtures_dir must stay inside the suite's project folder {project}, got {s.fixtures_dir!r}",
            suite_path,
            field="scorer.fixtures_dir",
        )
    if not base.is_dir():
        return {}
    assets: dict[str, dict[str, str]] = {}
    for repo_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name not in _SKIP_DIRS):
        if repo_dir.is_symlink():
            raise InputError("fixture repositories may not be symbolic links", repo_dir, field="scorer.fixtures_dir")
        if history := ([repo_dir.name] if repo_dir.name in VCS_NAMES else vcs_paths(repo_dir)):
            raise InputError(
                f"fixture repository {repo_dir.name!r} carries version-control data ({history[0]}); remove it: "
                "a patch answer could read the fix from its history",
                repo_dir,
                field="scorer.fixtures_dir",
            )
        files: dict[str, str] = {}
        for path in sorted(repo_dir.rglob("*")):
            rel = path.relative_to(repo_dir)
            if path.is_symlink():  # could point anywhere (a key file, /etc/shadow) and be stored as text
                raise InputError("fixture files may not be symbolic links", path, field="scorer.fixtures_dir")
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
