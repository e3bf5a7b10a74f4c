"""Applying a model's diff to a fresh copy of a fixture repository, all or nothing.

`git apply` first (strict, atomic, `--recount` forgives the wrong hunk line counts models often
write), then GNU `patch` with fuzz as a fallback, dry-run first so a half-applied patch never reaches
the tests. Both run through the sandbox like any model-controlled input.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Literal, NamedTuple

from evalkit.scoring.coding.execute import STDERR_TAIL_CHARS, tail
from evalkit.scoring.coding.sandbox import Limits, SandboxResult, run_in

ApplyMethod = Literal["git", "patch"]

_GIT_APPLY = ["git", "apply", "--recount", "--whitespace=nowarn", "-p1", "-"]
_PATCH_ARGS = ["-p1", "--batch", "--forward", "--no-backup-if-mismatch", "--reject-file=-"]


class Application(NamedTuple):
    applied: bool
    method: ApplyMethod | None
    """The tool that applied the diff; None when it did not apply."""
    error: str | None
    """Why it did not apply (each tool's complaint, tail only); None when it did."""
    last_run: SandboxResult
    """The last step run (its `timed_out` is recorded when the diff did not apply)."""


def apply_patch(work: Path, diff: str, limits: Limits) -> Application:
    """Apply `diff` in `work`: `git apply` (all-or-nothing), else GNU `patch` if installed, dry-run
    first so a half-applied patch never reaches the tests."""
    # Git must not discover a repository above the sandbox nor read the operator's config.
    git_env = {
        "GIT_CEILING_DIRECTORIES": str(work.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    errors: list[str] = []
    last: SandboxResult | None = None
    if shutil.which("git"):
        last = run_in(work, _GIT_APPLY, limits, stdin=diff, extra_env=git_env)
        if last.returncode == 0:
            return Application(True, "git", None, last)
        errors.append("git apply: " + tail((last.stderr or last.stdout).strip(), work))
    if shutil.which("patch"):
        dry = run_in(work, ["patch", *_PATCH_ARGS, "--dry-run"], limits, stdin=diff)
        last = dry
        if dry.returncode == 0:
            last = run_in(work, ["patch", *_PATCH_ARGS], limits, stdin=diff)
            if last.returncode == 0:
                return Application(True, "patch", None, last)
        errors.append("patch: " + tail((last.stdout + last.stderr).strip(), work))
    if last is None:
        nothing_ran = SandboxResult(127, "", "", False, None, 0.0)
        return Application(False, None, "neither git nor patch is installed", nothing_ran)
    return Application(False, None, "\n".join(errors)[-STDERR_TAIL_CHARS:], last)
