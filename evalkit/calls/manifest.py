"""Run provenance: what ran, against what, with which code, and what the server said it was.

The endpoint profile is stored as given (it names the key's variable, never the key), so a manifest
can be shared in a sign-off report; whatever else it holds (the command line, say) is redacted too.
"""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from evalkit.inputs.endpoints import EndpointProfile
from evalkit.redaction import redact_data

_PACKAGES = ("evalkit", "openai", "anthropic", "llama_cpp_python", "vllm")


def _version(pkg: str) -> str | None:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_commit(cwd: Path | None = None) -> dict[str, Any] | None:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(dirty)}


def build_manifest(profile: EndpointProfile, suites: list[dict[str, Any]], argv: list[str]) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "evalkit_version": _version("evalkit"),
        "packages": {p: v for p in _PACKAGES if (v := _version(p)) is not None},
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git": git_commit(),
        "argv": argv,
        "endpoint": profile.model_dump(mode="json"),
        "suites": suites,
        "server": None,
        "sessions": [],
    }
    return redact_data(manifest)
