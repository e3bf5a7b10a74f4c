"""One live writer per run: an owner row (pid, host, token, heartbeat) in the store, and a takeover rule.

Why: `--resume` of a run whose process was still alive sent the same calls a second time (paid twice),
and a run killed by SIGKILL stayed "running" forever, indistinguishable from a live one. Now the
process that replays a run holds its row in `run_locks` for as long as it writes, refreshing a
heartbeat from a thread every `HEARTBEAT_S`:

* a second process asking for the same run is refused (`RunLocked`, exit 2) while the holder is alive,
  before it writes or calls anything;
* the holder is *dead* when, on this host, its pid is gone (or a zombie), or, on any host, its heartbeat
  is older than `STALE_AFTER_S` (a reused pid, a frozen process, another machine). A dead holder's lock
  is taken over, and the takeover is recorded in the run's session;
* the lock's random token fences a holder that lost it (frozen, then woken after a takeover): the store
  writer checks the token in the same transaction as every batch it commits, so the old holder's
  writes are refused and it stops, instead of two processes recording answers for one run.

Weaker across hosts: a holder on another machine can only be judged by its heartbeat, so a takeover
there waits `STALE_AFTER_S` and trusts both clocks. With SQLite, keep the store on a local disk (its
locking on a network filesystem is unreliable to begin with); machines that share one history share a
PostgreSQL store, where every read-then-write here (acquire, fence, finish) also holds the run's
advisory lock (`Connection.lock`), so the check and the write cannot be split by another machine.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.errors import EvalkitError
from evalkit.store.dialect import Connection, open_connection
from evalkit.store.location import StoreLocation, StoreUnavailable

HEARTBEAT_S = 5.0
"""How often a live holder refreshes its heartbeat."""
STALE_AFTER_S = 60.0
"""A heartbeat older than this is a dead holder, on any host (twelve missed beats)."""


def _now() -> datetime:
    return datetime.now(UTC)


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether `pid` is a running process on this host (a zombie, killed but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


class RunOwner(BaseModel):
    """The process that holds (or last held, if it died) a run's lock, as stored."""

    model_config = ConfigDict(extra="forbid")

    pid: int
    host: str
    acquired_at: str
    heartbeat_at: str

    def heartbeat_age_s(self) -> float:
        return (_now() - datetime.fromisoformat(self.heartbeat_at)).total_seconds()

    def alive(self) -> bool:
        """As judged from this host, now: a gone pid here, or a stale heartbeat anywhere, is dead."""
        if self.host == this_host() and not pid_alive(self.pid):
            return False
        return self.heartbeat_age_s() <= STALE_AFTER_S

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, heartbeat {max(0.0, self.heartbeat_age_s()):.0f} s ago"


class RunLocked(EvalkitError):
    """Another live process is writing this run: refused before anything is written (exit 2)."""

    exit_code = 2

    def __init__(self, run_id: str, holder: RunOwner) -> None:
        self.run_id = run_id
        self.holder = holder
        super().__init__(
            f"run {run_id} is being written by another live evalkit process ({holder.describe()}); "
            f"refusing a second writer, which would pay for the same calls twice. Wait for it to end, or stop "
            f"it (kill -INT {holder.pid} on {holder.host}) and resume. A dead writer's lock is taken over "
            f"automatically (on another host once its heartbeat is {STALE_AFTER_S:.0f} s old)"
        )


class LockLost(EvalkitError):
    """This process's lock on a run was taken over (it was judged dead): it must stop writing."""

    exit_code = 1


_SELECT = "SELECT pid, host, acquired_at, heartbeat_at, token FROM run_locks WHERE run_id = ?"


def read_owner(conn: Connection, run_id: str) -> tuple[RunOwner, str] | None:
    row = conn.execute(_SELECT, (run_id,)).fetchone()
    if row is None:
        return None
    return RunOwner(pid=row[0], host=row[1], acquired_at=row[2], heartbeat_at=row[3]), row[4]


class RunLock:
    """A held lock: `acquire` it, let the store writer `verify` it, `finish` the run through it."""

    def __init__(self, path: StoreLocation, run_id: str, token: str, taken_over: RunOwner | None) -> None:
        self.path = path
        self.run_id = run_id
        self.token = token
        self.taken_over = taken_over
        """The dead holder whose lock this one replaced, if any."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"evalkit-lock-{run_id}", daemon=True)

    @classmethod
    def acquire(cls, path: StoreLocation, run_id: str) -> RunLock:
        """Take the run's lock and mark it running, in one transaction; `RunLocked` if a live process
        holds it. The store's schema must exist (open a `Store` first)."""
        conn = open_connection(path)
        try:
            with conn.transaction():
                conn.lock(f"run:{run_id}")
                found = read_owner(conn, run_id)
                if found is not None and found[0].alive():
                    raise RunLocked(run_id, found[0])
                token = secrets.token_hex(8)
                stamp = _now().isoformat(timespec="milliseconds")
                conn.execute(
                    "INSERT OR REPLACE INTO run_locks (run_id, pid, host, token, acquired_at, heartbeat_at) "
                    "VALUES (?,?,?,?,?,?)",
                    (run_id, os.getpid(), this_host(), token, stamp, stamp),
                )
                conn.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE run_id = ?", (run_id,))
        finally:
            conn.close()
        lock = cls(path, run_id, token, found[0] if found is not None else None)
        lock._thread.start()
        return lock

    def verify(self, conn: Connection) -> None:
        """Raise `LockLost` unless this process still holds the lock; call it inside the transaction
        whose writes it guards, so a takeover cannot slip in between the check and the write."""
        conn.lock(f"run:{self.run_id}")
        found = read_owner(conn, self.run_id)
        if found is None or found[1] != self.token:
            holder = f" by {found[0].describe()}" if found is not None else ""
            raise LockLost(
                f"run {self.run_id} was taken over{holder} while this process was not heartbeating "
                "(frozen or suspended?); this process stops writing to it"
            )

    def _beat(self) -> None:
        conn: Connection | None = None
        try:
            while not self._stop.wait(HEARTBEAT_S):
                try:
                    conn = conn or open_connection(self.path)
                    cur = conn.execute(
                        "UPDATE run_locks SET heartbeat_at = ? WHERE run_id = ? AND token = ?",
                        (_now().isoformat(timespec="milliseconds"), self.run_id, self.token),
                    )
                except sqlite3.Error:
                    continue  # the store is busy: the next beat tries again, long before the lock goes stale
                except StoreUnavailable:  # the PostgreSQL server went away: reconnect on the next beat
                    if conn is not None:
                        conn.close()
                    conn = None
                    continue
                if cur.rowcount == 0:
                    return  # taken over; `verify` stops the writes
        finally:
            if conn is not None:
                conn.close()

    def finish(self, status: str, *, finished: bool) -> bool:
        """Record how the run ended and release the lock, in one transaction; False (and nothing
        written) when the lock was taken over, since the run's status is then the new holder's."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        conn = open_connection(self.path)
        try:
            with conn.transaction():
                conn.lock(f"run:{self.run_id}")
                found = read_owner(conn, self.run_id)
                ours = found is not None and found[1] == self.token
                if ours:
                    conn.execute(
                        "UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ?",
                        (status, _now().isoformat(timespec="milliseconds") if finished else None, self.run_id),
                    )
                    conn.execute("DELETE FROM run_locks WHERE run_id = ? AND token = ?", (self.run_id, self.token))
        finally:
            conn.close()
        return ours


def run_state(status: str, owner: RunOwner | None) -> str:
    """What `evalkit runs` shows: the stored status, except that a "running" run with no live writer
    is "dead" (killed by SIGKILL, a power cut, an OOM kill): nothing is writing it; `--resume` finishes it."""
    if status == "running" and (owner is None or not owner.alive()):
        return "dead"
    return status
