"""Clearing up after an evalkit that was killed mid-run: its sandbox folders and cgroups.

A SIGKILLed evalkit cannot clean up. Its sandboxed processes die with it (bubblewrap's
`--die-with-parent` and the PID namespace, `unshare --kill-child`, PR_SET_PDEATHSIG at level none),
but its temporary folders and empty cgroups stay. So every sandbox folder and cgroup is named after its
owner — `evalkit-sbx-<pid>-<process start time>-<random>` — and the first sandbox a process creates
sweeps the ones whose owner is gone (pid and start time together: a reused pid has another start
time), killing whatever is still in their cgroup first. Folders of live owners, other evalkit
processes running in parallel included, are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from evalkit.scoring.coding import cgroups

PREFIX = "evalkit-sbx-"
_NAME = re.compile(rf"^{PREFIX}(?P<pid>\d+)-(?P<start>\d+)-")

_swept: set[Path] = set()
_swept_lock = threading.Lock()


def _start_time(pid: int) -> int | None:
    """Field 22 of /proc/<pid>/stat (clock ticks since boot); None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[19])


@cache
def owner_tag() -> str:
    """This process as `<pid>-<start time>` (cached: the pid of a process does not change)."""
    return f"{os.getpid()}-{_start_time(os.getpid()) or 0}"


def _owner_dead(name: str) -> bool:
    match = _NAME.match(name)
    if match is None or not Path("/proc/self/stat").exists():
        return False  # not ours, or no way to tell: leave it
    pid, start = int(match["pid"]), int(match["start"])
    if f"{pid}-{start}" == owner_tag():
        return False
    return _start_time(pid) != start


def force_remove(func: Callable[..., object], path: str, _exc: object) -> None:
    """rmtree error hook: code under test may leave read-only files or folders behind."""
    with contextlib.suppress(OSError):
        parent = os.path.dirname(path)
        os.chmod(parent, stat.S_IRWXU)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, stat.S_IRWXU)
        func(path)


def remove_tree(root: Path) -> None:
    shutil.rmtree(root, onerror=force_remove)
    shutil.rmtree(root, ignore_errors=True)


def sweep(base: Path) -> list[str]:
    """Remove the sandbox folders under `base` and every cgroup whose owner is dead; their names."""
    removed: list[str] = []
    for group in cgroups.leftover_groups():
        if _owner_dead(group.name):
            cgroups.remove(group)
            removed.append(group.name)
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if entry.is_dir() and not entry.is_symlink() and _owner_dead(entry.name):
                remove_tree(entry)
                removed.append(entry.name)
    return sorted(set(removed))


def sweep_once(base: Path) -> None:
    """`sweep(base)` the first time this process uses `base`."""
    key = base.resolve()
    with _swept_lock:
        if key in _swept:
            return
        _swept.add(key)
    sweep(key)
