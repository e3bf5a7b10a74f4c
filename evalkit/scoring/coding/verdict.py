"""Reading the harness's signed records into test counts, failures and integrity problems.

The verdict is positive evidence or nothing. A case's tests passed only when the record stream
(`harness.py`) is signed with this run's key from its first record to its `end`, lists exactly the
test functions evalkit finds in the pristine test file (each with as many items as its parametrize
marks make), and holds exactly one `passed` call for every item and no failure. Anything else — a
record the key does not sign, a gap in the sequence, a missing `end` (the process died, exited early
or was killed), an unknown or doubled item, tampering or a forbidden operation the harness saw — is an
integrity problem, and the case is not resolved whatever its tests said. Exit codes, console output
and report files play no part.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from evalkit.scoring.coding.harness import PROTOCOL
from evalkit.scoring.coding.harness_tests import test_functions

_MAX_FAILURES = 20
_MESSAGE_CHARS = 300
_MAX_PROBLEMS = 10

__all__ = ["Failure", "PytestCounts", "RunCounts", "new_key", "read_verdict", "test_functions"]


class PytestCounts(BaseModel):
    """How the test items of one run ended; every item is counted exactly once."""

    model_config = ConfigDict(extra="forbid")

    total: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    """Errors in setup, teardown or collection, and items that never ran because the run broke off."""
    skipped: int = 0


class Failure(BaseModel):
    """One failed or erroring test item (skips are not failures and are not listed)."""

    model_config = ConfigDict(extra="forbid")

    test: str
    outcome: Literal["failure", "error"]
    message: str
    """The exception's one-line summary, cut to a few hundred characters."""


@dataclass
class RunCounts:
    tests: PytestCounts = field(default_factory=PytestCounts)
    failures: list[Failure] = field(default_factory=list)
    """The first few failures, in the order they happened."""
    report_found: bool = False
    """The harness's record stream was readable, signed and finished (`end` record)."""
    integrity: list[str] = field(default_factory=list)
    """Why the verdict cannot count, whatever the tests said (see the module docstring)."""

    @property
    def all_passed(self) -> bool:
        return (
            self.report_found and not self.integrity and self.tests.total >= 1 and self.tests.passed == self.tests.total
        )


def new_key() -> bytes:
    """A fresh verdict key for one run; it reaches the harness through a pipe, never a file or argv."""
    return secrets.token_bytes(32)


def _records(data: bytes, key: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """The signed records in order, stopping at the first one the key does not sign."""
    records: list[dict[str, Any]] = []
    for index, line in enumerate(data.split(b"\n")[:-1]):
        parts = line.split(b"\t")
        if len(parts) != 3 or parts[0] != str(index).encode():
            return records, f"verdict record {index} is malformed or out of sequence (forged or corrupted)"
        body = parts[0] + b"\t" + parts[1]
        expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(expected, parts[2]):
            return records, f"verdict record {index} is not signed by the harness (forged or corrupted)"
        try:
            record = json.loads(parts[1])
        except ValueError:
            return records, f"verdict record {index} is not JSON"
        if not isinstance(record, dict):
            return records, f"verdict record {index} is not an object"
        records.append(record)
    if data and not data.endswith(b"\n"):
        return records, "the verdict stream ends in the middle of a record"
    return records, None


def _failure(test: str, outcome: Literal["failure", "error"], message: Any) -> Failure:
    """`test` without the test file's name: `test_x`, `test_x[1-2]`, `TestX::test_y`."""
    name = test.split("::", 1)[1] if "::" in test else test
    return Failure(test=name, outcome=outcome, message=str(message)[:_MESSAGE_CHARS])


def read_verdict(data: bytes, key: bytes, tests_source: str) -> RunCounts:
    """Counts, failures and integrity problems from the harness's record stream `data`."""
    records, broken = _records(data, key)
    problems = [broken] if broken else []
    expected_fns = test_functions(tests_source.encode("utf-8"))
    if not records or records[0].get("kind") != "start" or records[0].get("protocol") != PROTOCOL:
        problems.append("the test harness did not start")
    collected = next((r for r in records if r.get("kind") == "collected"), None)
    calls: dict[str, list[dict[str, Any]]] = {}
    failures: list[Failure] = []
    errored: set[str] = set()
    collection_failed = False
    for rec in records:
        kind = rec.get("kind")
        if kind == "call":
            calls.setdefault(str(rec.get("id")), []).append(rec)
        elif kind == "report":
            item = str(rec.get("id"))
            collection_failed |= rec.get("when") == "collect"
            errored.add(item)
            failures.append(_failure(item, "error", f"{rec.get('when')}: {rec.get('message')}"))
        elif kind == "tampered":
            problems.append(f"tampering seen at {rec.get('where')}: {', '.join(map(str, rec.get('what', [])))}")
        elif kind == "error":
            problems.append(f"{rec.get('where')}: {rec.get('message')}")
    end = next((r for r in records if r.get("kind") == "end"), None)
    if end is None:
        problems.append("the test run did not finish (it exited early, crashed or was killed)")
    elif end.get("violations"):
        problems.append("operations the harness forbids: " + ", ".join(sorted(set(map(str, end["violations"])))))

    items: list[tuple[str, str]] = []
    total = 0
    if collected is None:
        problems.append("the harness reported no collected tests")
        total = len(expected_fns)
    else:
        items = [(str(i.get("id")), str(i.get("fn"))) for i in collected.get("items", [])]
        counts = Counter(fn for _, fn in items)
        wanted = collected.get("expected", {})
        if sorted(wanted) != sorted(expected_fns):
            problems.append("the harness saw other test functions than the pristine test file defines")
        for fn in expected_fns:
            want = wanted.get(fn)
            total += want if isinstance(want, int) and want > 0 else max(counts.get(fn, 0), 1)
            if counts.get(fn, 0) == 0 and not collection_failed:
                problems.append(f"test {fn} was not collected")
            elif isinstance(want, int) and counts.get(fn, 0) not in (0, want):
                problems.append(f"test {fn} was collected {counts[fn]} times, the pristine file makes {want}")
        if unknown := sorted({fn for _, fn in items} - set(expected_fns)):
            problems.append(f"tests not in the pristine test file were collected: {', '.join(unknown)}")
        if len({i for i, _ in items}) != len(items):
            problems.append("a test item was collected twice")
    known = {i for i, _ in items}
    if stray := sorted(set(calls) - known):
        problems.append(f"results for tests that were never collected: {', '.join(stray[:5])}")

    tally = PytestCounts(total=total)
    for item, _ in items:
        outcomes = [str(c.get("outcome")) for c in calls.get(item, [])]
        if len(outcomes) > 1:
            problems.append(f"test {item} was reported {len(outcomes)} times")
        outcome = outcomes[0] if outcomes else None
        if item in errored or outcome == "error":
            tally.errors += 1
        elif outcome == "passed":
            tally.passed += 1
        elif outcome == "failed":
            tally.failed += 1
            failures.append(_failure(item, "failure", calls[item][0].get("message", "")))
        elif outcome == "skipped":
            tally.skipped += 1
        elif end is None or collection_failed:
            tally.errors += 1
        else:
            tally.skipped += 1
        if outcome == "error" and item not in errored:
            failures.append(_failure(item, "error", calls[item][0].get("message", "")))
    tally.errors += max(0, total - tally.passed - tally.failed - tally.errors - tally.skipped)
    return RunCounts(
        tests=tally,
        failures=failures[:_MAX_FAILURES],
        report_found=end is not None and broken is None,
        integrity=problems[:_MAX_PROBLEMS],
    )
