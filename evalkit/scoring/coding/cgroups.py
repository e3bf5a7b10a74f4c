"""A pids cgroup per sandboxed run: an exact process cap and a kill that reaches every descendant.

RLIMIT_NPROC cannot do either job here: Linux counts it per user across the whole machine, and does
not enforce it at all for root, which is what evalkit (and bubblewrap's uid mapping) runs as in CI. A
cgroup's `pids.max` caps one sandbox exactly, whoever it runs as, and `cgroup.procs` lists every
process in it, however it double-forked or called setsid(), so the run can be killed as a whole.

cgroup v1 (a `pids` hierarchy, as mounted on these machines) and v2 (the unified hierarchy with the
pids controller) are both handled; the files used (`pids.max`, `cgroup.procs`) are the same in both.
Without a writable pids hierarchy (a container, no root) `Group.create` returns None and the sandbox
falls back to RLIMIT_NPROC, which the README states plainly.

The process joins its group in `preexec_fn` (after fork, before exec), so not one fork escapes it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_V1 = Path("/sys/fs/cgroup/pids")
_V2 = Path("/sys/fs/cgroup")
PARENT = "evalkit"
_KILL_ROUNDS = 200


@cache
def _parent() -> Path | None:
    """`<pids hierarchy>/evalkit`, created once; None when no writable pids hierarchy exists."""
    if (_V1 / "cgroup.procs").is_file():
        base = _V1
    elif "pids" in _read(_V2 / "cgroup.controllers").split():
        base = _V2
        with contextlib.suppress(OSError):  # the root may delegate pids to its children
            (base / "cgroup.subtree_control").write_text("+pids")
    else:
        return None
    parent = base / PARENT
    try:
        parent.mkdir(exist_ok=True)
        if base == _V2:
            (parent / "cgroup.subtree_control").write_text("+pids")
    except OSError:
        return None
    return parent


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def pids_of(group: Path) -> list[int]:
    return [int(line) for line in _read(group / "cgroup.procs").split()]


def kill_all(group: Path) -> None:
    """SIGKILL every process in `group` until it is empty (a forking loop is capped by pids.max, so
    each round can only meet a bounded number of newcomers)."""
    for _ in range(_KILL_ROUNDS):
        pids = pids_of(group)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)


def remove(group: Path) -> None:
    """Kill what is left and remove the group (an empty cgroup directory is removed with rmdir)."""
    kill_all(group)
    for _ in range(_KILL_ROUNDS):
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # EBUSY: killed processes not reaped yet
            kill_all(group)
            time.sleep(0.005)


@dataclass(frozen=True)
class Group:
    path: Path

    @classmethod
    def create(cls, name: str, max_pids: int | None) -> Group | None:
        """A fresh group `name` capped at `max_pids` processes, or None where cgroups are unusable."""
        parent = _parent()
        if parent is None:
            return None
        path = parent / name
        try:
            path.mkdir()
            (path / "pids.max").write_text("max" if max_pids is None else str(max_pids))
        except OSError:
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        return cls(path)

    def join_path(self) -> bytes:
        """What `preexec_fn` writes the child into (`os.open` + `os.write` of b"0": the writer)."""
        return os.fsencode(self.path / "cgroup.procs")

    def pids(self) -> list[int]:
        return pids_of(self.path)

    def remove(self) -> None:
        remove(self.path)


def leftover_groups() -> list[Path]:
    """Every group under evalkit's parent (for the reaper to match against dead owners)."""
    parent = _parent()
    if parent is None:
        return []
    return [p for p in parent.iterdir() if p.is_dir()]
