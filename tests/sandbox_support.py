"""Shared by the sandbox tests: which isolation levels work here, and finding processes on the host.

Sandboxed processes live in their own PID namespace, so a pid they print means nothing on the host;
the tests find them instead by a unique marker in their command line.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from evalkit.scoring.coding import isolation

NAMESPACED: tuple[isolation.Level, ...] = ("bwrap", "unshare")


def require_level(level: isolation.Level) -> None:
    """Skip (saying why) when `level` cannot run on this machine."""
    why = isolation.unavailable(level)
    if why is not None:
        pytest.skip(f"sandbox level {level} is not available here: {why}")


def marker() -> str:
    return f"evalkit-test-{uuid.uuid4().hex}"


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed orphan may wait a while to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def host_pids(mark: str) -> list[int]:
    """Live host processes whose command line contains `mark` (this test process excluded)."""
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if mark.encode() in cmdline and _alive(int(entry)):
            found.append(int(entry))
    return found


def wait_until(predicate: object, within_s: float = 15.0) -> bool:
    """Poll `predicate` (a no-argument callable) until it is true or `within_s` passes. A bound on
    waiting for the kernel to reap, not a timing assertion."""
    assert callable(predicate)
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())
