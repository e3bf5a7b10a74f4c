"""Running a case's hidden tests through a warm fork server instead of a fresh Python per case.

Why: a small coding case spends most of its time starting Python and importing pytest inside a new
sandbox (a few hundred milliseconds of CPU), not running tests. One long-lived server per evalkit
process (`zygote.py`, started behind bubblewrap exactly as a case would be) does that once; each
case is a fork of it that enters namespaces of its own before any graded code runs, so the boundary
is still per case (`zygote` lists what each case gets). Only the harness runs this way, only at level
`bwrap`; `git apply` and every other command still start through `sandbox.run_in`.

Case folders must live under the server's `cases` folder (the only host folder it sees), so the
scorer creates them there (`cases_root`). The server is started by a thread kept alive for it
(bubblewrap's `--die-with-parent` follows the thread that started it), and dies with evalkit; its
folder is named like any sandbox folder and swept by `reaper` after a crash.

`EVALKIT_FORKSERVER=0` turns it off (every case then starts its own sandboxed Python). If the server
cannot start, or dies, cases fall back to that path: never a wrong answer for an infrastructure fault.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from evalkit.scoring.coding import isolation, reaper
from evalkit.scoring.coding.cgroups import Group
from evalkit.scoring.coding.sandbox import (
    DEFAULT_OUTPUT_CHARS,
    Limits,
    SandboxResult,
    _read_tail,
    _rlimit_plan,
    _stdin_source,
    readonly_dir,
    scrubbed_env,
)

__all__ = ["ENABLE_ENV", "cases_root", "enabled", "run", "shutdown"]

ENABLE_ENV = "EVALKIT_FORKSERVER"
SERVER_FILES = ("harness.py", "harness_guard.py", "harness_tests.py", "zygote.py")
_HERE = Path(__file__).parent
_START_TIMEOUT_S = 60.0
_CREDS = struct.calcsize("3i")
_EXIT_GRACE_S = 1.0


class _NotStarted(Exception):
    """The server did not take the case (it is gone): nothing of the case ran, so run it elsewhere."""


@dataclass
class _Server:
    root: Path
    proc: subprocess.Popen[bytes]
    control: socket.socket
    lock: threading.Lock

    @property
    def cases(self) -> Path:
        return self.root / "cases"

    def alive(self) -> bool:
        return self.proc.returncode is None and self.proc.poll() is None


_state_lock = threading.Lock()
_server: _Server | None = None
_failure: str | None = None


def enabled() -> bool:
    return os.environ.get(ENABLE_ENV, "1").strip() != "0"


def _spawn(command: list[str], env: dict[str, str], keep_fd: int, log: int) -> subprocess.Popen[bytes]:
    """Start the server from a thread that then waits for it for as long as it runs: PDEATHSIG (and
    so `--die-with-parent`) fires when the starting *thread* exits, not the process."""
    box: dict[str, object] = {}
    started = threading.Event()

    def park() -> None:
        try:
            proc = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=[keep_fd],
                close_fds=True,
                start_new_session=True,
            )
        except OSError as exc:
            box["error"] = exc
            started.set()
            return
        box["proc"] = proc
        started.set()
        proc.wait()

    threading.Thread(target=park, name="evalkit-forkserver", daemon=True).start()
    started.wait()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["proc"]  # type: ignore[return-value]


def _start() -> _Server:
    base = Path(tempfile.gettempdir())
    reaper.sweep_once(base)
    root = Path(tempfile.mkdtemp(prefix=f"{reaper.PREFIX}{reaper.owner_tag()}-", dir=base))
    try:
        for name in ("cases", "ro", "out"):
            (root / name).mkdir()
        isolation.write_fake_etc(root / "etc")
        for name in SERVER_FILES:
            shutil.copyfile(_HERE / name, root / "ro" / name)
        host_end, server_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        mounts = isolation.Mounts(work=root / "cases", readonly=root / "ro", etc=root / "etc")
        env = scrubbed_env(root / "cases", {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
        argv = [sys.executable, "-s", "-P", "-B", str(root / "ro" / "zygote.py"), str(server_end.fileno())]
        command, start_env = isolation.wrap("bwrap", argv, mounts, env)
        log = os.open(root / "out" / "server.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            proc = _spawn(command, start_env, server_end.fileno(), log)
        finally:
            os.close(log)
            server_end.close()
        ready, _, _ = select.select([host_end], [], [], _START_TIMEOUT_S)
        if not ready or host_end.recv(16) != b"ready":
            proc.kill()
            host_end.close()
            raise OSError("the fork server did not start: " + _log_tail(root))
        return _Server(root, proc, host_end, threading.Lock())
    except BaseException:
        reaper.remove_tree(root)
        raise


def _log_tail(root: Path) -> str:
    with contextlib.suppress(OSError):
        return (root / "out" / "server.log").read_text(errors="replace")[-500:].strip() or "no output"
    return "no output"


def _get() -> _Server | None:
    """The running server, started on first use (and again if it died); None if it cannot start."""
    global _server, _failure
    with _state_lock:
        if _server is not None and _server.alive():
            return _server
        if _server is not None:
            _stop(_server)
            _server = None
        if _failure is not None:
            return None
        try:
            _server = _start()
        except OSError as exc:
            _failure = str(exc)
            return None
        atexit.register(shutdown)  # its folder; the server itself dies with evalkit in any case
        return _server


def _stop(server: _Server) -> None:
    with contextlib.suppress(OSError):
        server.control.close()
    with contextlib.suppress(OSError):
        server.proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.proc.wait(timeout=5)
    reaper.remove_tree(server.root)


def shutdown() -> None:
    """Stop the server (tests and benchmarks; evalkit's exit does it anyway)."""
    global _server, _failure
    with _state_lock:
        if _server is not None:
            _stop(_server)
        _server, _failure = None, None


def cases_root() -> Path | None:
    """The folder a case's sandbox must be created in to run on the fork server; None when it is not
    in use (turned off, a level other than bwrap, or it cannot start here)."""
    if not enabled() or isolation.select_level() != "bwrap":
        return None
    server = _get()
    return server.cases if server is not None else None


def serves(work: Path) -> bool:
    """Whether the case folder holding `work` can run on the fork server."""
    server = _server
    return server is not None and enabled() and work.parent.parent == server.cases and server.alive()


def _await_ready(status: socket.socket, deadline: float) -> int | None:
    """The case process's pid in our PID namespace (from SCM_CREDENTIALS), or None if it never came."""
    ready, _, _ = select.select([status], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        return None
    msg, ancdata, _, _ = status.recvmsg(64, socket.CMSG_SPACE(_CREDS))
    for level, kind, data in ancdata:
        if msg == b"ready" and level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid: int = struct.unpack("3i", data[:_CREDS])[0]
            return pid
    return None


def _await_status(status: socket.socket, deadline: float) -> tuple[int | None, bool]:
    """(the case's wait status or None, whether the deadline passed first)."""
    ready, _, _ = select.select([status], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        return None, True
    msg = status.recv(4096)
    try:
        report = json.loads(msg)
    except ValueError:
        return None, False  # EOF: the case process died (killed by a limit, or the server went away)
    if isinstance(report, dict) and "setup_error" in report:  # before anything of the case ran
        raise _NotStarted(f"the fork server could not set the case up: {report['setup_error']}")
    try:
        return int(report["wait_status"]), False
    except (KeyError, TypeError, ValueError):
        return None, False


def _await_exit(status: socket.socket, deadline: float) -> None:
    """Wait for the case's namespace parent to exit (its end of the socket closes as it does), so
    that its cgroup is usually empty by the time it is removed: no kill-and-retry rounds."""
    while select.select([status], [], [], max(0.0, deadline - time.monotonic()))[0]:
        if not status.recv(4096):
            return


def _submit(server: _Server, header: bytes, fds: list[int]) -> None:
    try:
        with server.lock:
            server.control.sendmsg([header], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    except OSError as exc:
        raise _NotStarted(str(exc)) from None


def run(
    work: Path,
    limits: Limits,
    *,
    stdin_pipe: bytes,
    verdict_fd: int,
    extra_env: Mapping[str, str] | None = None,
) -> SandboxResult | None:
    """Run the harness for the case in `work` on the fork server; None when the server did not take
    it (nothing of the case ran: the caller starts it the ordinary way)."""
    server = _server
    if server is None:
        return None
    root = work.parent
    capture = root / "out"
    capture.mkdir(exist_ok=True)
    out_path, err_path = capture / "stdout", capture / "stderr"
    env = scrubbed_env(work, extra_env)
    header = json.dumps(
        {
            "work": str(work),
            "ro": str(readonly_dir(work)),
            "cases": str(server.cases),
            "verdict_fd": verdict_fd,
            "rlimits": _rlimit_plan(limits),
            "env": env,
        }
    ).encode()
    host_status, child_status = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    host_status.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    group = Group.create(f"{root.name}-{time.monotonic_ns()}", limits.max_procs + 1)  # + the namespace's parent
    started = time.monotonic()
    deadline = started + limits.timeout_s
    pid: int | None = None
    wait_status: int | None = None
    timed_out = False
    try:
        stdin_fd = _stdin_source(capture, None, stdin_pipe)
        fout = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        ferr = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _submit(server, header, [stdin_fd, fout, ferr, verdict_fd, child_status.fileno()])
        finally:
            for fd in (stdin_fd, fout, ferr):
                os.close(fd)
            child_status.close()
        pid = _await_ready(host_status, deadline)
        if pid is None:
            raise _NotStarted("the fork server did not start the case")
        if group is not None:  # before anything of the case runs: every process it makes is in it
            fd = os.open(group.join_path(), os.O_WRONLY)
            try:
                os.write(fd, str(pid).encode())
            finally:
                os.close(fd)
        host_status.send(b"go")
        wait_status, timed_out = _await_status(host_status, deadline)
        if wait_status is not None:
            _await_exit(host_status, min(deadline, time.monotonic() + _EXIT_GRACE_S))
    except _NotStarted:
        return None
    finally:
        if group is not None:
            group.remove()  # the deadline, or leftovers of a finished run: every descendant
        if pid is not None and wait_status is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)  # no cgroup: the namespace's parent; its PID 1 follows it
        host_status.close()
    duration = time.monotonic() - started
    killed: int | None
    if wait_status is None:
        returncode, killed = -int(signal.SIGKILL), int(signal.SIGKILL)
    else:
        returncode = os.waitstatus_to_exitcode(wait_status)
        killed = -returncode if returncode < 0 else None
    return SandboxResult(
        returncode=returncode,
        stdout=_read_tail(out_path, DEFAULT_OUTPUT_CHARS),
        stderr=_read_tail(err_path, DEFAULT_OUTPUT_CHARS),
        timed_out=timed_out,
        killed_signal=int(signal.SIGKILL) if timed_out else killed,
        duration_s=duration,
        isolation="bwrap",
    )
