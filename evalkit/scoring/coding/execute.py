"""Running a case's hidden tests with pytest inside a prepared sandbox directory.

Kept apart from the scorer so both case kinds share one exact pytest invocation (same flags, same
plugin isolation, same report handling), and apart from `sandbox` because it is about pytest, not about
containing a process. Everything runs through `sandbox.run_in`.
"""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from evalkit.errors import EvalkitError
from evalkit.scoring.coding.junit import RunCounts, parse_junit
from evalkit.scoring.coding.sandbox import Limits, SandboxResult, run_in

REPORT_FILE = "report.xml"
STDERR_TAIL_CHARS = 2000


def require_pytest() -> None:
    if importlib.util.find_spec("pytest") is None:
        raise EvalkitError(f"coding suites run pytest in a sandbox; install it for {sys.executable}")


def run_pytest(work: Path, test_file: str, limits: Limits) -> tuple[SandboxResult, RunCounts, str | None]:
    """Run `test_file` in `work`; (the run, its counts, why there are no counts or None)."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={REPORT_FILE}", test_file]
    # Third-party plugins are for the host's own test suite; they only slow down and perturb a case run.
    result = run_in(work, argv, limits, extra_env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    report = work / REPORT_FILE
    if not report.is_file():
        return result, RunCounts(), "pytest wrote no report (crashed, killed or timed out)"
    try:
        return result, parse_junit(report.read_text(encoding="utf-8", errors="replace")), None
    except ET.ParseError as exc:
        return result, RunCounts(), f"unreadable junit report: {exc}"


def tail(text: str, work: Path) -> str:
    """The end of a stream with the sandbox's random path replaced, so details repeat run to run."""
    text = text.replace(str(work), "<sandbox>").replace(str(work.parent), "<sandbox-root>")
    return text[-STDERR_TAIL_CHARS:]
