"""Reading pytest's JUnit XML report into per-outcome test counts and the first failures.

The report, not pytest's exit code or console output, is the source of truth for what passed: it is
written by pytest itself, survives a noisy solution, and lists every testcase with one outcome. The
counts and failures are pydantic models because they are stored verbatim in the case's `Detail`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

_MAX_FAILURES = 20
_MESSAGE_CHARS = 300
_NOT_PASSED: tuple[Literal["failure", "error", "skipped"], ...] = ("failure", "error", "skipped")
"""Checked in this order: a testcase with both a failure and an error counts as a failure."""


class PytestCounts(BaseModel):
    """How the testcases of one run ended; every testcase is counted exactly once."""

    model_config = ConfigDict(extra="forbid")

    total: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0


class Failure(BaseModel):
    """One failed or erroring testcase (skips are not failures and are not listed)."""

    model_config = ConfigDict(extra="forbid")

    test: str
    outcome: Literal["failure", "error"]
    message: str
    """pytest's one-line message, cut to a few hundred characters."""


@dataclass
class RunCounts:
    tests: PytestCounts = field(default_factory=PytestCounts)
    failures: list[Failure] = field(default_factory=list)
    """The first few failures, in report order."""
    report_found: bool = False

    @property
    def all_passed(self) -> bool:
        return self.tests.total >= 1 and self.tests.passed == self.tests.total


def parse_junit(xml_text: str) -> RunCounts:
    """Per-testcase outcome from pytest's junit XML: failure > error > skipped > passed.

    Counted from the testcase elements rather than the summary attributes so a collection error
    (one error testcase) and skips (never a pass) are counted the same way everywhere.
    """
    counts = RunCounts(report_found=True)
    tests = counts.tests
    root = ET.fromstring(xml_text)
    for case in root.iter("testcase"):
        tests.total += 1
        outcome: Literal["passed", "failure", "error", "skipped"] = "passed"
        for tag in _NOT_PASSED:
            if case.find(tag) is not None:
                outcome = tag
                break
        if outcome == "passed":
            tests.passed += 1
            continue
        if outcome == "failure":
            tests.failed += 1
        elif outcome == "error":
            tests.errors += 1
        else:
            tests.skipped += 1
        if outcome != "skipped" and len(counts.failures) < _MAX_FAILURES:
            element = case.find(outcome)
            message = (element.get("message") or "") if element is not None else ""
            name = case.get("name") or ""
            counts.failures.append(Failure(test=name, outcome=outcome, message=message[:_MESSAGE_CHARS]))
    return counts
