"""Run untrusted model-written code in a throwaway directory under resource limits.

Model answers are executed (hidden pytest tests, `git apply` of model diffs), so each run gets:
- its own temporary directory, deleted afterwards, as cwd, HOME and TMPDIR;
- a scrubbed environment (a short allowlist), so a solution can never read the operator's API keys;
- rlimits (address space, CPU seconds, file size, process count, no core dumps) set in the child
  before exec, so a runaway allocation or an endless write fails inside the child, not the host;
- its own session / process group, killed as a whole (SIGKILL) at the wall-clock deadline and again
  after a normal exit, so grandchildren (a forked `sleep`, a background server) never outlive the run.

This is containment against accidents and sloppy code, not a security boundary against code written
to escape (there is no filesystem or network isolation). Output goes to files rather than pipes: a
grandchild holding a pipe open cannot stall the parent, and RLIMIT_FSIZE also bounds what the child
can print.

`preexec_fn` runs Python between fork and exec. Scoring calls this from worker threads, which the
CPython docs flag as risky; the function here only calls `resource.setrlimit` with precomputed values
(no imports, no locks, no allocation-heavy work), which is the narrow case that is safe in practice.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ENV_ALLOWLIST = ("PATH", "LANG")
"""Variables copied from the parent environment; everything else (API keys included) is dropped."""

DEFAULT_OUTPUT_CHARS = 20_000
"""How much of stdout/stderr a SandboxResult keeps (the tail, where tracebacks and summaries are)."""

_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
_REAP_GRACE_S = 5.0


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed process (and, for the group kill, its descendants)."""

    timeout_s: float = 10.0
    cpu_s: int | None = None
    """CPU seconds (RLIMIT_CPU); None: the wall-clock timeout rounded up."""
    memory_mb: int = 512
    max_file_mb: int = 16
    max_procs: int = 256
    """RLIMIT_NPROC. Linux counts every process of the user, not just this tree, and does not enforce
    it for root; it is a fork-bomb backstop, not an exact cap."""


@dataclass(frozen=True)
class SandboxResult:
    returncode: int
    """The child's exit status; negative (-signal) when it was killed by a signal."""
    stdout: str
    stderr: str
    """Both decoded as UTF-8 (invalid bytes replaced) and cut to their last DEFAULT_OUTPUT_CHARS."""
    timed_out: bool
    killed_signal: int | None
    duration_s: float


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


def _force_remove(func: Callable[..., object], path: str, _exc: object) -> None:
    """rmtree error hook: code under test may leave read-only files or folders behind."""
    with contextlib.suppress(OSError):
        parent = os.path.dirname(path)
        os.chmod(parent, stat.S_IRWXU)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, stat.S_IRWXU)
        func(path)


@contextlib.contextmanager
def sandbox_dir(files: Mapping[str, str] | None = None, *, parent: Path | None = None) -> Iterator[Path]:
    """A fresh working directory holding `files`, removed (whatever the code did to it) on exit.

    The yielded directory is `<root>/work`; `<root>` also holds the run's captured output, outside
    the working tree so tests and patches never see it.
    """
    root = Path(tempfile.mkdtemp(prefix="evalkit-sbx-", dir=parent))
    try:
        work = root / "work"
        work.mkdir()
        write_files(work, files or {})
        yield work
    finally:
        shutil.rmtree(root, onerror=_force_remove)
        shutil.rmtree(root, ignore_errors=True)


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


def _limiter(plan: list[tuple[int, int, int]]) -> Callable[[], None]:
    def apply() -> None:
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


def run_in(
    workdir: Path,
    argv: list[str],
    limits: Limits,
    *,
    stdin: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    output_chars: int = DEFAULT_OUTPUT_CHARS,
) -> SandboxResult:
    """Run `argv` in an existing sandbox directory (see `sandbox_dir`) under `limits`.

    Several steps can share one directory this way (apply a patch, then run its tests). A program
    that cannot be started is reported as returncode 127 with the reason on stderr, not raised.
    """
    capture = workdir.parent
    out_path, err_path, in_path = capture / "stdout", capture / "stderr", capture / "stdin"
    in_path.write_bytes((stdin or "").encode("utf-8"))
    env = scrubbed_env(workdir, extra_env)
    started = time.monotonic()
    with in_path.open("rb") as fin, out_path.open("wb") as fout, err_path.open("wb") as ferr:
        try:
            proc = subprocess.Popen(
                argv,
                cwd=workdir,
                env=env,
                stdin=fin,
                stdout=fout,
                stderr=ferr,
                start_new_session=True,
                close_fds=True,
                preexec_fn=_limiter(_rlimit_plan(limits)),
            )
        except OSError as exc:  # missing program, permission denied
            return SandboxResult(127, "", f"cannot start {argv[0]!r}: {exc}", False, None, 0.0)
        try:
            exited = _wait_exited(proc, limits.timeout_s)
        finally:
            _kill_group(proc.pid)  # the deadline, or leftovers of a finished run
            try:
                proc.wait(timeout=_REAP_GRACE_S)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
                proc.kill()
                proc.wait()
    duration = time.monotonic() - started
    returncode = proc.returncode
    timed_out = not exited
    killed: int | None = -returncode if returncode < 0 else None
    if timed_out:
        killed = int(signal.SIGKILL)
    return SandboxResult(
        returncode=returncode,
        stdout=_read_tail(out_path, output_chars),
        stderr=_read_tail(err_path, output_chars),
        timed_out=timed_out,
        killed_signal=killed,
        duration_s=duration,
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
) -> SandboxResult:
    """One command in a fresh directory: `cwd_files_from` (a base tree such as a fixture repository,
    path -> text) is written first, then `files` on top; the directory is deleted afterwards."""
    limits = Limits(timeout_s=timeout_s, cpu_s=cpu_s, memory_mb=memory_mb, max_file_mb=max_file_mb, max_procs=max_procs)
    with sandbox_dir({**(cwd_files_from or {}), **files}, parent=parent_dir) as work:
        return run_in(work, argv, limits, stdin=stdin, extra_env=extra_env)
