"""Which operating-system boundary model-written code runs behind, and the command that sets it up.

Three levels, strongest first; the first that works on this machine is used (probed once per process):

- `bwrap` (bubblewrap): new user, mount, PID, network, IPC and UTS namespaces; uid 65534 inside, no
  capabilities; a minimal read-only view of the system (/usr, the Python installation and venv, a
  fake /etc/passwd, nothing else from /etc, /root, /home or the evalkit checkout); a private /proc, /dev
  and /tmp; the case's working directory the only writable host path; no network at all (loopback
  included); `--die-with-parent`, so the whole sandbox dies with evalkit.
- `unshare` (util-linux): the same namespaces with root mapped into the user namespace; a setup step
  remounts every host mount read-only, masks /etc/shadow and /etc/gshadow, fakes /etc/passwd, mounts a
  private /tmp with the working directory bound back in, then drops every capability (`setpriv`). The
  host filesystem stays *readable*; that is the difference from `bwrap`.
- `none`: a scrubbed environment, rlimits, a process group and a PID-limited cgroup where the machine
  has one; nothing stops the code reading files, writing where root may, or using the network. Coding
  suites refuse to run at this level unless the operator opts in (`EVALKIT_ALLOW_UNSANDBOXED_CODE=1`
  or `--allow-unsandboxed-code`), and every score records the level it ran at.

`EVALKIT_SANDBOX=bwrap|unshare|none` forces a level (an unavailable forced level is an error, never a
silent downgrade). bwrap is started with a near-empty environment of its own: inside, /proc/1/environ
is bwrap's environment, so anything evalkit's process holds must not be passed to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from evalkit.errors import InputError

Level = Literal["bwrap", "unshare", "none"]
LEVELS: tuple[Level, ...] = ("bwrap", "unshare", "none")
ALLOW_ENV = "EVALKIT_ALLOW_UNSANDBOXED_CODE"
FORCE_ENV = "EVALKIT_SANDBOX"
SANDBOX_UID = 65534
HOST_PATH = "/usr/local/bin:/usr/bin:/bin"
"""The only variable bwrap / unshare themselves are started with."""

_PASSWD = "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
_GROUP = "nogroup:x:65534:\n"
_PROBE_TIMEOUT_S = 20.0

# Runs as root inside the new user + mount namespace (unshare level), before the code: $1 work dir,
# $2 read-only dir, $3 folder with the fake passwd/group; "$@" after them is the command. The folders
# are opened first and bound back from those descriptors once /tmp is replaced (--no-canonicalize: mount
# must not turn /proc/self/fd/N back into the path, which by then names the new, empty tmpfs).
_UNSHARE_SETUP = r"""
set -eu
work=$1; ro=$2; etc=$3; shift 3
exec 3<"$work" 4<"$ro" 5<"$etc/passwd" 6<"$etc/group"
for m in $(cut -d' ' -f5 /proc/self/mountinfo | sort -r -u); do
  mount -o remount,bind,ro "$m" 2>/dev/null || true
done
for f in /etc/shadow /etc/gshadow; do [ -e "$f" ] && mount --bind /dev/null "$f"; done
mount --no-canonicalize --bind /proc/self/fd/5 /etc/passwd
mount --no-canonicalize --bind /proc/self/fd/6 /etc/group
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mkdir -p "$work" "$ro"
mount --no-canonicalize --bind /proc/self/fd/3 "$work"
mount -o remount,bind,rw "$work"
mount --no-canonicalize --bind /proc/self/fd/4 "$ro"
mount -o remount,bind,ro "$ro"
exec 3<&- 4<&- 5<&- 6<&-
cd "$work"
unset PWD OLDPWD
exec setpriv --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
"""


@dataclass(frozen=True)
class Mounts:
    """Host paths a sandboxed command needs: `work` read-write, `readonly` read-only, `etc` holding
    the fake `passwd` and `group` (see `write_fake_etc`). All three stay at the same path inside."""

    work: Path
    readonly: Path
    etc: Path


def write_fake_etc(folder: Path) -> None:
    """`passwd` and `group` naming only the sandbox user, shown instead of the host's."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "passwd").write_text(_PASSWD, encoding="utf-8")
    (folder / "group").write_text(_GROUP, encoding="utf-8")


def _python_roots() -> list[Path]:
    """Folders the sandboxed interpreter and its site-packages live in, outside /usr."""
    roots: set[Path] = set()
    for raw in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        roots.add(Path(raw).resolve())
    roots.add(Path(sys.executable).resolve().parent.parent)
    usr = Path("/usr")
    kept = sorted(p for p in roots if p != Path("/") and not p.is_relative_to(usr))
    return [p for p in kept if not any(p != q and p.is_relative_to(q) for q in kept)]


def bwrap_prefix(mounts: Mounts, env: dict[str, str]) -> list[str]:
    """bwrap's own arguments up to `--`: namespaces, the filesystem view, the child's environment."""
    args = ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    args += ["--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox"]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    for path in ("/etc/ld.so.cache", "/etc/alternatives"):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for root in _python_roots():
        args += ["--ro-bind", str(root), str(root)]
    args += ["--ro-bind", str(mounts.etc / "passwd"), "/etc/passwd"]
    args += ["--ro-bind", str(mounts.etc / "group"), "/etc/group"]
    args += ["--proc", "/proc"]
    if os.path.isdir("/proc/sys"):
        # bwrap leaves /proc/sys writable when its folder is not (it checks the folder only), and the
        # sandbox uid maps to evalkit's: run as root, code could write host sysctls (core_pattern)
        args += ["--ro-bind", "/proc/sys", "/proc/sys"]
    args += ["--dev", "/dev", "--tmpfs", "/tmp"]
    args += ["--ro-bind", str(mounts.readonly), str(mounts.readonly)]
    args += ["--bind", str(mounts.work), str(mounts.work), "--remount-ro", "/", "--chdir", str(mounts.work)]
    args.append("--clearenv")
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--"]


def unshare_prefix(mounts: Mounts) -> list[str]:
    """unshare's arguments and the setup script, up to the command (which follows directly)."""
    namespaces = ["--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"]
    namespaces += ["--mount", "--mount-proc", "--ipc", "--uts"]
    setup = ["/bin/sh", "-c", _UNSHARE_SETUP, "evalkit-sandbox", str(mounts.work), str(mounts.readonly)]
    return ["unshare", *namespaces, "--", *setup, str(mounts.etc)]


def wrap(level: Level, argv: Sequence[str], mounts: Mounts, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """(the command to start, the environment to start it with) for `argv` at `level`.

    `env` is the sandboxed program's whole environment. With bwrap it travels as `--setenv` arguments
    and bwrap itself gets only PATH; unshare passes its environment down, so it gets `env`.
    """
    if level == "bwrap":
        return [*bwrap_prefix(mounts, env), *argv], {"PATH": HOST_PATH}
    if level == "unshare":
        return [*unshare_prefix(mounts), *argv], dict(env)
    return list(argv), dict(env)


def _probe_one(level: Level, scratch: Path) -> str | None:
    """None when `level` can run a trivial command here, else why not."""
    tool = "bwrap" if level == "bwrap" else "unshare"
    if shutil.which(tool) is None:
        return f"{tool} is not installed"
    if level == "unshare" and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    hidden = [str(root) for root in (Path(sys.executable).parent, *_python_roots()) if root.is_relative_to("/tmp")]
    if hidden:
        # the sandbox replaces /tmp with an empty one of its own, so an interpreter there cannot start
        return f"evalkit's Python ({hidden[0]}) is under /tmp, which the sandbox hides; install it elsewhere"
    mounts = Mounts(scratch / "work", scratch / "ro", scratch / "etc")
    for folder in (mounts.work, mounts.readonly):
        folder.mkdir(parents=True, exist_ok=True)
    write_fake_etc(mounts.etc)
    # The interpreter the graded code will use, not just a shell: a level that cannot start it is no level.
    argv, env = wrap(level, [sys.executable, "-I", "-c", "pass"], mounts, {"PATH": HOST_PATH})
    try:
        done = subprocess.run(argv, env=env, capture_output=True, timeout=_PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{tool} did not start: {exc}"
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return f"{tool} failed (exit {done.returncode}): {message[-1] if message else 'no message'}"
    return None


_lock = threading.Lock()
_reasons: dict[Level, str | None] = {}
_allowed = False


def unavailable(level: Level) -> str | None:
    """None when `level` works on this machine, else why not; probed once per process and level
    (a few tens of milliseconds: bwrap or unshare starting evalkit's Python)."""
    if level == "none":
        return None
    with _lock:
        if level not in _reasons:
            import tempfile

            with tempfile.TemporaryDirectory(prefix="evalkit-probe-") as scratch:
                _reasons[level] = _probe_one(level, Path(scratch))
        return _reasons[level]


def strongest() -> tuple[Level, dict[str, str]]:
    """The strongest working level, and why each stronger one is not available."""
    reasons: dict[str, str] = {}
    for level in LEVELS:
        why = unavailable(level)
        if why is None:
            return level, reasons
        reasons[level] = why
    raise AssertionError("level none is always available")  # pragma: no cover


def allow_unsandboxed(allowed: bool = True) -> None:
    """What `--allow-unsandboxed-code` sets: coding cases may run at level `none`."""
    global _allowed
    _allowed = allowed


def unsandboxed_allowed() -> bool:
    return _allowed or os.environ.get(ALLOW_ENV, "") == "1"


def select_level() -> Level:
    """The level coding cases run at now; raises InputError (exit 2) rather than run code unconfined."""
    forced = os.environ.get(FORCE_ENV, "").strip() or "auto"
    reasons: dict[str, str] = {}
    if forced == "auto":
        level, reasons = strongest()
    elif forced in LEVELS:
        level = forced  # type: ignore[assignment]
        why = unavailable(level)
        if why is not None:
            raise InputError(f"{FORCE_ENV}={forced} is not available here: {why}", field=FORCE_ENV)
        reasons[forced] = f"{FORCE_ENV}={forced}"
    else:
        raise InputError(f"{FORCE_ENV} must be auto, {', '.join(LEVELS)}; got {forced!r}", field=FORCE_ENV)
    if level == "none" and not unsandboxed_allowed():
        why = "; ".join(f"{k}: {v}" for k, v in reasons.items())
        raise InputError(
            "coding suites run model-written code, and no sandbox is in use on this machine "
            f"({why}). Install bubblewrap (apt-get install bubblewrap), or accept running the code "
            f"unconfined with {ALLOW_ENV}=1 or --allow-unsandboxed-code",
            field="sandbox",
        )
    return level


def require_isolation(categories: Iterable[str]) -> Level | None:
    """Check before a run or a re-score writes anything: None when no coding suite is involved."""
    return select_level() if "coding" in set(categories) else None


def _reset_for_tests() -> None:
    """Forget the probe and the opt-in (tests switch levels with FORCE_ENV)."""
    global _allowed
    with _lock:
        _reasons.clear()
        _allowed = False
