"""Run untrusted model-written code behind the strongest boundary this machine offers.

Each run gets a fresh sandbox folder `<base>/evalkit-sbx-<owner>-<random>/` holding:
- `work/`: the only host path the code may write (its cwd, HOME and TMPDIR);
- `ro/`: what it may read but not change (hidden tests, the test harness, the pytest config);
- `etc/`: the fake passwd/group shown instead of the host's; `out/`: captured output, never mounted.

The boundary itself is `isolation` (bubblewrap, unshare or none, see there). On every level:
- a scrubbed environment (a short allowlist), so API keys never reach the code, and the wrapper
  (bwrap / unshare) is started with nothing the code could read back from /proc/1/environ either;
- rlimits (address space, CPU seconds, file size, no core dumps) set before exec;
- a pids cgroup per run (`cgroups`): an exact process cap, and a kill that reaches double-forked and
  setsid() descendants; RLIMIT_NPROC as a fallback where there is no cgroup (not enforced for root);
- PR_SET_PDEATHSIG on the started process, plus bwrap's `--die-with-parent` / unshare's `--kill-child`
  and the PID namespace, so nothing sandboxed outlives a killed evalkit; `reaper` removes the folders
  and cgroups such a death leaves, the next time any evalkit process creates a sandbox;
- the wall-clock deadline kills the whole run (cgroup, process group, PID namespace).

Output goes to files rather than pipes: a grandchild holding a pipe open cannot stall the parent, and
RLIMIT_FSIZE also bounds what the child can print. `preexec_fn` runs Python between fork and exec, from
scoring's worker threads; it only calls setrlimit, prctl and writes one cgroup file with values
computed beforehand, the narrow case that is safe in practice.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evalkit.scoring.coding import isolation, reaper
from evalkit.scoring.coding.cgroups import Group
from evalkit.scoring.coding.isolation import Level, Mounts

ENV_ALLOWLIST = ("PATH", "LANG")
"""Variables copied from the parent environment; everything else (API keys included) is dropped."""

DEFAULT_OUTPUT_CHARS = 20_000
"""How much of stdout/stderr a SandboxResult keeps (the tail, where tracebacks and summaries are)."""

_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
_REAP_GRACE_S = 5.0
_WRAPPER_PROCS = {"bwrap": 2, "unshare": 1, "none": 0}
"""Processes of the wrapper itself in the run's cgroup (bwrap and its PID-1 init; unshare), so that
`max_procs` counts the program and its descendants alone."""
_PR_SET_PDEATHSIG = 1
_PIPE_MAX = 60_000
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run (the process and all its descendants)."""

    timeout_s: float = 10.0
    cpu_s: int | None = None
    """CPU seconds (RLIMIT_CPU); None: the wall-clock timeout rounded up."""
    memory_mb: int = 512
    max_file_mb: int = 16
    max_procs: int = 256
    """Processes the program and its descendants may have at once: the run's cgroup `pids.max` (plus
    the wrapper's own one or two); RLIMIT_NPROC only where no cgroup can be made, which Linux does
    not enforce for root."""


@dataclass(frozen=True)
class SandboxResult:
    returncode: int
    """The program's exit status; negative (-signal) when it was killed by a signal."""
    stdout: str
    stderr: str
    """Both decoded as UTF-8 (invalid bytes replaced) and cut to their last DEFAULT_OUTPUT_CHARS."""
    timed_out: bool
    killed_signal: int | None
    duration_s: float
    isolation: Level = "none"
    """The boundary the run had (`isolation.Level`)."""


def scrubbed_env(workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child's whole environment: the allowlist plus fixed, reproducible Python settings."""
    env = {name: os.environ[name] for name in ENV_ALLOWLIST if name in os.environ}
    env.setdefault("PATH", _DEFAULT_PATH)
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        {
            "HOME": str(workdir),
            "TMPDIR": str(workdir),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    if extra:
        env.update(extra)
    return env


def _safe_relative(name: str) -> PurePosixPath:
    """Reject absolute paths and `..` so a files mapping can only write inside the sandbox."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise ValueError(f"sandbox file path must be relative and inside the sandbox: {name!r}")
    return path


def write_files(directory: Path, files: Mapping[str, str]) -> None:
    """Write path -> text (UTF-8, newlines untouched) under `directory`, creating parent folders."""
    for name, text in files.items():
        target = directory / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)


def readonly_dir(work: Path) -> Path:
    """The read-only folder next to a sandbox's `work` folder (see the module docstring)."""
    return work.parent / "ro"


@contextlib.contextmanager
def sandbox_dir(files: Mapping[str, str] | None = None, *, parent: Path | None = None) -> Iterator[Path]:
    """A fresh sandbox holding `files` in its `work` folder (yielded), removed whatever the code did.

    The first sandbox a process makes under a base folder sweeps what killed evalkit processes left
    there (`reaper`).
    """
    base = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    reaper.sweep_once(base)
    root = Path(tempfile.mkdtemp(prefix=f"{reaper.PREFIX}{reaper.owner_tag()}-", dir=base))
    try:
        work = root / "work"
        for folder in (work, root / "ro", root / "out"):
            folder.mkdir()
        isolation.write_fake_etc(root / "etc")
        write_files(work, files or {})
        yield work
    finally:
        reaper.remove_tree(root)


def _rlimit_plan(limits: Limits) -> list[tuple[int, int, int]]:
    """(resource, soft, hard) triples, computed in the parent so the child only calls setrlimit."""
    mb = 1024 * 1024
    cpu = limits.cpu_s if limits.cpu_s is not None else max(1, int(-(-limits.timeout_s // 1)))
    wanted = [
        (resource.RLIMIT_AS, limits.memory_mb * mb, limits.memory_mb * mb),
        (resource.RLIMIT_CPU, cpu, cpu + 1),  # soft: SIGXCPU; hard one second later: SIGKILL
        (resource.RLIMIT_FSIZE, limits.max_file_mb * mb, limits.max_file_mb * mb),
        (resource.RLIMIT_NPROC, limits.max_procs, limits.max_procs),
        (resource.RLIMIT_CORE, 0, 0),
    ]
    plan: list[tuple[int, int, int]] = []
    for res, soft, hard in wanted:
        _, current_hard = resource.getrlimit(res)
        if current_hard != resource.RLIM_INFINITY:  # an unprivileged child cannot raise its hard limit
            hard = min(hard, current_hard)
            soft = min(soft, hard)
        plan.append((res, soft, hard))
    return plan


def _preexec(plan: list[tuple[int, int, int]], cgroup_procs: bytes | None) -> Callable[[], None]:
    prctl = _libc.prctl

    def apply() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)  # die with the thread that started us
        if cgroup_procs is not None:  # join the run's cgroup before anything can fork
            fd = os.open(cgroup_procs, os.O_WRONLY)
            try:
                os.write(fd, b"0")
            finally:
                os.close(fd)
        for res, soft, hard in plan:
            resource.setrlimit(res, (soft, hard))

    return apply


def _wait_exited(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait until the child has exited WITHOUT reaping it, so its pid (= the process group id)
    cannot be reused before we kill the group. True if it exited within `timeout`."""
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, timeout))
            return bool(ready)
        finally:
            os.close(fd)
    deadline = time.monotonic() + timeout
    while True:  # fallback for kernels without pidfd: poll without reaping
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
        if info is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _read_tail(path: Path, limit: int) -> str:
    """The last `limit` characters of a captured stream (marked when cut)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        if size > limit * 4:
            handle.seek(size - limit * 4)
        text = handle.read().decode("utf-8", errors="replace")
    if len(text) > limit or size > limit * 4:
        return "[...truncated...]\n" + text[-limit:]
    return text


def _stdin_source(capture: Path, stdin: str | None, stdin_pipe: bytes | None) -> int:
    """An fd for the child's stdin: a pipe already holding `stdin_pipe` (it cannot be re-read or
    seeked back, for secrets), else a file holding `stdin` in the capture folder."""
    if stdin_pipe is not None:
        if len(stdin_pipe) > _PIPE_MAX:
            raise ValueError("stdin_pipe is limited to what a pipe buffers without a reader")
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, stdin_pipe)
        finally:
            os.close(write_end)
        return read_end
    path = capture / "stdin"
    path.write_bytes((stdin or "").encode("utf-8"))
    return os.open(path, os.O_RDONLY)


def _outcome(returncode: int, level: Level) -> tuple[int, int | None]:
    """(returncode, killed signal). bwrap reports a signal death of its child as 128 + signal."""
    if returncode < 0:
        return returncode, -returncode
    if level == "bwrap" and 128 < returncode <= 128 + 64:
        return -(returncode - 128), returncode - 128
    return returncode, None


def run_in(
    workdir: Path,
    argv: Sequence[str],
    limits: Limits,
    *,
    stdin: str | None = None,
    stdin_pipe: bytes | None = None,
    pass_fds: Sequence[int] = (),
    extra_env: Mapping[str, str] | None = None,
    output_chars: int = DEFAULT_OUTPUT_CHARS,
    level: Level | None = None,
) -> SandboxResult:
    """Run `argv` in an existing sandbox (see `sandbox_dir`) under `limits`, at `level` (default:
    `isolation.select_level()`, which refuses level none unless the operator opted in).

    Several steps can share one sandbox this way (apply a patch, then run its tests). A program that
    cannot be started is reported as returncode 127 with the reason on stderr, not raised.
    """
    level = level or isolation.select_level()
    env = scrubbed_env(workdir, extra_env)
    if shutil.which(argv[0], path=env["PATH"]) is None:  # the same answer on every level
        return SandboxResult(127, "", f"cannot start {argv[0]!r}: not found", False, None, 0.0, level)
    root = workdir.parent
    capture = root / "out"
    capture.mkdir(exist_ok=True)
    out_path, err_path = capture / "stdout", capture / "stderr"
    mounts = Mounts(work=workdir, readonly=root / "ro", etc=root / "etc")
    command, env = isolation.wrap(level, argv, mounts, env)
    group = Group.create(f"{root.name}-{time.monotonic_ns()}", limits.max_procs + _WRAPPER_PROCS[level])
    preexec = _preexec(_rlimit_plan(limits), group.join_path() if group else None)
    started = time.monotonic()
    stdin_fd = _stdin_source(capture, stdin, stdin_pipe)
    try:
        with out_path.open("wb") as fout, err_path.open("wb") as ferr:
            try:
                proc = subprocess.Popen(
                    command,
                    cwd=workdir,
                    env=env,
                    stdin=stdin_fd,
                    stdout=fout,
                    stderr=ferr,
                    start_new_session=True,
                    close_fds=True,
                    pass_fds=tuple(pass_fds),
                    preexec_fn=preexec,
                )
            except (OSError, subprocess.SubprocessError) as exc:  # missing program, permission denied
                return SandboxResult(127, "", f"cannot start {argv[0]!r}: {exc}", False, None, 0.0, level)
            finally:
                os.close(stdin_fd)
                stdin_fd = -1
            try:
                exited = _wait_exited(proc, limits.timeout_s)
            finally:
                if group is not None:
                    group.remove()  # the deadline, or leftovers of a finished run: every descendant
                _kill_group(proc.pid)
                try:
                    proc.wait(timeout=_REAP_GRACE_S)
                except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
                    proc.kill()
                    proc.wait()
    finally:
        if stdin_fd >= 0:
            os.close(stdin_fd)
        if group is not None:
            group.remove()
    duration = time.monotonic() - started
    returncode, killed = _outcome(proc.returncode, level)
    timed_out = not exited
    if timed_out:
        killed = int(signal.SIGKILL)
    return SandboxResult(
        returncode=returncode,
        stdout=_read_tail(out_path, output_chars),
        stderr=_read_tail(err_path, output_chars),
        timed_out=timed_out,
        killed_signal=killed,
        duration_s=duration,
        isolation=level,
    )


def run_sandboxed(
    argv: list[str],
    files: dict[str, str],
    *,
    cwd_files_from: dict[str, str] | None = None,
    timeout_s: float = 10.0,
    cpu_s: int | None = None,
    memory_mb: int = 512,
    max_file_mb: int = 16,
    max_procs: int = 256,
    stdin: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    parent_dir: Path | None = None,
    level: Level | None = None,
) -> SandboxResult:
    """One command in a fresh sandbox: `cwd_files_from` (a base tree such as a fixture repository,
    path -> text) is written first, then `files` on top; the sandbox is deleted afterwards."""
    limits = Limits(timeout_s=timeout_s, cpu_s=cpu_s, memory_mb=memory_mb, max_file_mb=max_file_mb, max_procs=max_procs)
    with sandbox_dir({**(cwd_files_from or {}), **files}, parent=parent_dir) as work:
        return run_in(work, argv, limits, stdin=stdin, extra_env=extra_env, level=level)
