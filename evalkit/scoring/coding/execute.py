"""Running a case's hidden tests inside a prepared sandbox, and reading back a verdict that counts.

Kept apart from the scorer so both case kinds share one exact invocation, and apart from `sandbox`
because it is about pytest and grading, not about containing a process. The steps:

1. The pristine tests, a pytest config of evalkit's own and the harness (`harness.py`,
   `harness_guard.py`, `harness_tests.py`) are written to the sandbox's read-only folder; nothing the answer or the
   fixture repository ships (conftest.py, pytest.ini, pyproject.toml, setup.cfg) is used: pytest gets
   `-c <that config> --rootdir <read-only folder> --noconftest -p no:cacheprovider`, and third-party
   plugins are not loaded.
2. A fresh key goes to the harness through a pipe (stdin) it reads and closes before any graded code
   runs; its signed records go to a file outside the sandbox through an inherited descriptor.
3. `verdict.read_verdict` turns the records into counts; nothing the graded code can write counts.

At level bwrap the harness runs on the fork server (`forkserver`) when the case folder was made there;
anywhere else, or if the server cannot take the case, it starts as its own sandboxed process.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from evalkit.errors import EvalkitError
from evalkit.scoring.coding import forkserver
from evalkit.scoring.coding.sandbox import Limits, SandboxResult, readonly_dir, run_in
from evalkit.scoring.coding.verdict import RunCounts, new_key, read_verdict

STDERR_TAIL_CHARS = 2000
HARNESS_FILES = ("harness.py", "harness_guard.py", "harness_tests.py")
_HERE = Path(__file__).parent
_PYTEST_INI = "[pytest]\n"
_VERDICT_FD_MIN = 100
"""The verdict descriptor is moved this high: the unshare setup script uses descriptors 3 to 6."""


def require_pytest() -> None:
    if importlib.util.find_spec("pytest") is None:
        raise EvalkitError(f"coding suites run pytest in a sandbox; install it for {sys.executable}")


@dataclass(frozen=True)
class TestRun:
    result: SandboxResult
    counts: RunCounts
    report_error: str | None
    """Why there is no usable verdict (the run died, timed out, or its records do not verify)."""


def _prepare(work: Path, tests: str, test_file: str) -> Path:
    """Write the pristine tests, evalkit's pytest config and the harness to the read-only folder."""
    ro = readonly_dir(work)
    ro.mkdir(exist_ok=True)
    (ro / test_file).write_text(tests, encoding="utf-8")
    (ro / "pytest.ini").write_text(_PYTEST_INI, encoding="utf-8")
    for name in HARNESS_FILES:
        shutil.copyfile(_HERE / name, ro / name)
    return ro


def run_pytest(work: Path, tests: str, test_file: str, limits: Limits) -> TestRun:
    """Run the hidden `tests` (saved as `test_file`) against what is in `work`."""
    ro = _prepare(work, tests, test_file)
    key = new_key()
    verdict_path = work.parent / "out" / "verdict"
    verdict_path.parent.mkdir(exist_ok=True)
    fd = os.open(verdict_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC, 0o600)
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, _VERDICT_FD_MIN)
    os.close(fd)
    config = {
        "key": key.hex(),
        "verdict_fd": high,
        "tests": str(ro / test_file),
        "tests_sha256": hashlib.sha256(tests.encode("utf-8")).hexdigest(),
        "module": Path(test_file).stem,
        "work": str(work),
        "ini": str(ro / "pytest.ini"),
    }
    argv = [sys.executable, "-s", "-P", "-B", str(ro / "harness.py")]
    stdin, env = json.dumps(config).encode("utf-8"), {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    try:
        result = None
        if forkserver.serves(work):  # the same harness, forked from a warm server (see there)
            result = forkserver.run(work, limits, stdin_pipe=stdin, verdict_fd=high, extra_env=env)
        if result is None:
            result = run_in(work, argv, limits, stdin_pipe=stdin, pass_fds=[high], extra_env=env)
    finally:
        os.close(high)
    counts = read_verdict(verdict_path.read_bytes(), key, tests)
    report_error = None
    if not counts.report_found:
        report_error = "the test run left no complete verdict (crashed, killed, timed out or exited early)"
        if result.timed_out:
            report_error = "the test run timed out before it finished"
    return TestRun(result, counts, report_error)


def tail(text: str, work: Path) -> str:
    """The end of a stream with the sandbox's random path replaced, so details repeat run to run."""
    text = text.replace(str(work), "<sandbox>").replace(str(work.parent), "<sandbox-root>")
    return text[-STDERR_TAIL_CHARS:]
