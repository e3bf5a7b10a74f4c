"""The fork server's in-sandbox half: Python, pytest and the harness imported once, one fork per case.

Runs INSIDE a bubblewrap sandbox (`forkserver` starts it; standard library + pytest + the harness
files, evalkit is not importable in there) and never runs graded code itself. Starting Python and
importing pytest costs a few hundred milliseconds of CPU per case; forking a process that has done
it (and has built pytest's config and loaded its built-in plugins, `harness.prepare_config`, which
no graded code has seen) costs a few. Each case still gets a boundary of its own, set up in the forked
child before any graded code runs:

- a new user, mount, PID, network, IPC and UTS namespace (`unshare(2)`), so cases never share
  loopback, SysV IPC, process ids or mounts with each other or with this server;
- a fresh tmpfs on /tmp (hiding the other cases' folders and this server's own files), the case's
  `work` folder bound back read-write and its read-only folder read-only, fresh tmpfs on /dev/shm,
  and an empty read-only /proc and /dev/pts: no process, this server included, is visible;
- the case's process is PID 1 of its namespace (its whole tree dies with it), in its own session,
  with every capability dropped, no_new_privs, the case's rlimits, a scrubbed environment and only
  the descriptors evalkit passed for it (stdin with the harness config, stdout, stderr, the verdict).

Before any of that the child reports its pid to evalkit (SCM_CREDENTIALS, which the kernel
translates to evalkit's PID namespace) and waits until evalkit has moved it into the case's pids
cgroup, so not one process of the case escapes the cap or the kill. The verdict key goes to the
child through its own stdin pipe: this server never reads it, so no case's key is in it.

Everything bubblewrap set up for the server (read-only host view, uid 65534 without capabilities,
no network, no host processes, the scrubbed environment) holds for every case on top of this.
"""

from __future__ import annotations

import array
import contextlib
import gc
import json
import os
import select
import signal
import socket
import struct
import sys
from typing import Any, NoReturn

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUTS = 0x04000000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT = 1, 24, 38, 47
_CAP_VERSION_3 = 0x20080522
_STATUS_FD = 97
_MAX_FDS = 8


def _native() -> Any:
    """libc through ctypes, for the syscalls Python 3.11 has no wrapper for. Kept out of module
    globals (graded code can read those); the child removes ctypes from sys.modules as well."""
    import ctypes

    return ctypes.CDLL(None, use_errno=True), ctypes


def _check(result: int, what: str, ctypes: Any) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else text.encode()


def _mount(
    libc: Any, ctypes: Any, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    result = libc.mount(_bytes(source), target.encode(), _bytes(fstype), flags, _bytes(data))
    _check(result, f"mount {target}", ctypes)


def _enter_namespaces(libc: Any, ctypes: Any, request: dict[str, Any]) -> None:
    """New namespaces for this case and its filesystem view (see the module docstring)."""
    uid, gid = os.getuid(), os.getgid()
    flags = _CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWPID | _CLONE_NEWNET | _CLONE_NEWIPC | _CLONE_NEWUTS
    _check(libc.unshare(flags), "unshare", ctypes)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")
    _mount(libc, ctypes, None, "/", None, _MS_REC | _MS_PRIVATE)
    work, ro, cases = request["work"], request["ro"], request["cases"]
    work_fd = os.open(work, os.O_PATH | os.O_DIRECTORY)
    ro_fd = os.open(ro, os.O_PATH | os.O_DIRECTORY)
    locked = _MS_NOSUID | _MS_NODEV
    _mount(libc, ctypes, "tmpfs", "/tmp", "tmpfs", locked, "mode=0755")
    if os.path.isdir(cases):  # the cases folder lives outside /tmp: cover it as well
        _mount(libc, ctypes, "tmpfs", cases, "tmpfs", locked, "mode=0755")
    for path in (work, ro):
        os.makedirs(path, exist_ok=True)
    _mount(libc, ctypes, f"/proc/self/fd/{work_fd}", work, None, _MS_BIND)
    _mount(libc, ctypes, f"/proc/self/fd/{ro_fd}", ro, None, _MS_BIND)
    _mount(libc, ctypes, None, ro, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | locked)
    os.close(work_fd)
    os.close(ro_fd)
    _mount(libc, ctypes, "tmpfs", "/dev/shm", "tmpfs", locked, "mode=1777")
    _mount(libc, ctypes, "tmpfs", "/dev/pts", "tmpfs", locked | _MS_NOEXEC | _MS_RDONLY, "mode=0555")
    _mount(libc, ctypes, "tmpfs", "/proc", "tmpfs", locked | _MS_NOEXEC | _MS_RDONLY, "mode=0555")


def _drop_privileges(libc: Any, ctypes: Any, rlimits: list[list[int]]) -> None:
    """Every capability gone (bounding, ambient, effective, permitted, inheritable), no_new_privs,
    then the case's rlimits: what bubblewrap's `--cap-drop ALL` and evalkit's preexec do."""
    import resource

    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows
    libc.prctl(_PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = struct.pack("Ii", _CAP_VERSION_3, 0)
    data = bytes(24)
    _check(libc.capset(ctypes.c_char_p(header), ctypes.c_char_p(data)), "capset", ctypes)
    _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs", ctypes)
    for res, soft, hard in rlimits:
        resource.setrlimit(res, (soft, hard))


def _place_fds(fds: list[int], verdict_fd: int) -> None:
    """stdin, stdout, stderr, the verdict at the number the harness config names, the status socket
    at `_STATUS_FD`; every other descriptor (the server's socket among them) closed."""
    moved = [os.dup(fd) for fd in fds]  # out of the way of the targets first
    for fd in fds:
        os.close(fd)
    stdin, stdout, stderr, verdict, status = moved
    for src, dst in ((stdin, 0), (stdout, 1), (stderr, 2), (verdict, verdict_fd), (status, _STATUS_FD)):
        os.dup2(src, dst, inheritable=(dst != _STATUS_FD))
    keep = sorted({0, 1, 2, verdict_fd, _STATUS_FD})
    low = 3
    for fd in keep[3:]:
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def _case(request: dict[str, Any], fds: list[int], prepared: Any) -> NoReturn:
    """The forked child: report, wait for the cgroup, enter the namespaces, fork the case's PID 1."""
    libc, ctypes = _native()
    libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    _place_fds(fds, request["verdict_fd"])
    status = socket.socket(fileno=_STATUS_FD)
    creds = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
    status.sendmsg([b"ready"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, creds)])
    if status.recv(16) != b"go":
        os._exit(125)
    try:
        _enter_namespaces(libc, ctypes, request)
        pid = os.fork()
    except BaseException as exc:
        _setup_failed(status, exc)
    if pid == 0:
        _enter_case(libc, ctypes, request, status)
        _run_harness(prepared)
    os.close(0)
    _, raw = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        status.send(json.dumps({"wait_status": raw}).encode())
    os._exit(0)


def _setup_failed(status: socket.socket, exc: BaseException) -> NoReturn:
    """Setting up the boundary failed before anything of the case ran: say so, so that evalkit runs
    the case the ordinary way instead of scoring a crash."""
    with contextlib.suppress(OSError):
        status.send(json.dumps({"setup_error": f"{type(exc).__name__}: {exc}"}).encode())
    os._exit(123)


def _enter_case(libc: Any, ctypes: Any, request: dict[str, Any], status: socket.socket) -> None:
    """The case's PID 1, before the harness: its session, no privileges, its environment and folder."""
    try:
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        os.setsid()
        _drop_privileges(libc, ctypes, request["rlimits"])
        for name in [n for n in sys.modules if n == "ctypes" or n.startswith(("ctypes.", "_ctypes"))]:
            del sys.modules[name]
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["work"])
    except BaseException as exc:
        _setup_failed(status, exc)
    status.close()


def _run_harness(prepared: Any) -> NoReturn:
    code: object = 126
    try:
        import harness

        code = harness.main(prepared)
    except BaseException as exc:  # the harness's own failure: no `end` record, so no verdict
        os.write(2, f"evalkit zygote: {type(exc).__name__}: {exc}\n".encode(errors="replace"))
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) else 1)


def _warm() -> Any:
    """Import what every case needs, so each fork starts with it (and `gc.freeze`: the pages stay shared)."""
    import importlib

    import harness
    import pytest  # noqa: F401
    from _pytest.config import default_plugins

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")
    for name in ("_pytest.assertion.rewrite", "_pytest.mark.structures", "_pytest.outcomes", "logging", "_hashlib"):
        importlib.import_module(name)
    _native()
    prepared = harness.prepare_config()
    gc.collect()
    gc.freeze()
    return prepared


def serve(control: socket.socket, prepared: Any) -> None:
    """One request per message: a JSON header and five descriptors; fork a child for it. Ends when
    evalkit closes its end."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while True:
        ready, _, _ = select.select([control], [], [], 1.0)
        while True:  # reap finished children
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if not ready:
            continue
        fds = array.array("i")
        msg, ancdata, _, _ = control.recvmsg(65536, socket.CMSG_SPACE(_MAX_FDS * fds.itemsize))
        for level, kind, data in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        if not msg:
            return
        received = list(fds)
        try:
            request = json.loads(msg)
            pid = os.fork()
        except Exception:
            pid = -1
        if pid == 0:
            try:
                control.close()
                _case(request, received, prepared)
            finally:
                os._exit(124)
        for fd in received:
            os.close(fd)


def main() -> None:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    control = socket.socket(fileno=int(sys.argv[1]))
    prepared = _warm()  # a local, passed down as an argument: no module global leads to it
    control.send(b"ready")
    serve(control, prepared)


if __name__ == "__main__":
    main()
