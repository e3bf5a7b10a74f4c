"""Reading the harness's signed record stream (no subprocess): what counts as a verdict and what not.
And the harness's own discipline: none of its functions keeps state in a closure, which graded code
could read or rewrite without an audited call."""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import types
from typing import Any

from evalkit.scoring.coding import harness, harness_guard, harness_tests
from evalkit.scoring.coding.verdict import read_verdict

KEY = bytes(range(32))
TESTS = "import pytest\n\n\ndef test_a():\n    pass\n\n\nclass TestB:\n    def test_c(self):\n        pass\n"
ITEMS = [{"id": "t.py::test_a", "fn": "test_a"}, {"id": "t.py::TestB::test_c", "fn": "TestB.test_c"}]


def stream(records: list[dict[str, Any]], key: bytes = KEY) -> bytes:
    lines = []
    for seq, record in enumerate(records):
        body = f"{seq}\t{json.dumps(record)}"
        lines.append(f"{body}\t{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()}\n")
    return "".join(lines).encode()


def good(outcome_c: str = "passed") -> list[dict[str, Any]]:
    return [
        {"kind": "start", "protocol": harness.PROTOCOL},
        {"kind": "collected", "expected": {"test_a": 1, "TestB.test_c": 1}, "items": ITEMS},
        {"kind": "call", "id": "t.py::test_a", "fn": "test_a", "outcome": "passed", "message": ""},
        {"kind": "call", "id": "t.py::TestB::test_c", "fn": "TestB.test_c", "outcome": outcome_c, "message": "boom"},
        {"kind": "end", "exit": 0, "violations": []},
    ]


def test_a_complete_signed_stream_with_every_item_passed_counts() -> None:
    counts = read_verdict(stream(good()), KEY, TESTS)
    assert counts.all_passed and counts.integrity == [] and counts.report_found
    assert counts.tests.model_dump() == {"total": 2, "passed": 2, "failed": 0, "errors": 0, "skipped": 0}


def test_a_failure_is_counted_and_named() -> None:
    counts = read_verdict(stream(good("failed")), KEY, TESTS)
    assert not counts.all_passed and counts.integrity == []
    assert counts.tests.failed == 1 and [f.test for f in counts.failures] == ["TestB::test_c"]


def test_records_the_key_does_not_sign_are_rejected() -> None:
    counts = read_verdict(stream(good(), key=b"x" * 32), KEY, TESTS)
    assert not counts.all_passed and "not signed" in counts.integrity[0]


def test_a_tampered_record_breaks_the_stream_from_there() -> None:
    data = stream(good("failed")).replace(b'"outcome": "failed"', b'"outcome": "passed"')
    counts = read_verdict(data, KEY, TESTS)
    assert not counts.all_passed and any("record 3 is not signed" in p for p in counts.integrity)


def test_a_stream_without_its_end_is_not_a_verdict() -> None:
    counts = read_verdict(stream(good()[:-1]), KEY, TESTS)
    assert not counts.all_passed and not counts.report_found
    assert any("did not finish" in p for p in counts.integrity)


def test_missing_doubled_and_unknown_tests_are_integrity_problems() -> None:
    only_a = good()
    only_a[1] = {**only_a[1], "items": ITEMS[:1]}
    del only_a[3]
    assert any("TestB.test_c was not collected" in p for p in read_verdict(stream(only_a), KEY, TESTS).integrity)

    twice = good()
    twice.insert(3, twice[2])
    assert any("reported 2 times" in p for p in read_verdict(stream(twice), KEY, TESTS).integrity)

    extra = good()
    extra[1] = {**extra[1], "items": [*ITEMS, {"id": "t.py::test_z", "fn": "test_z"}]}
    assert any("test_z" in p for p in read_verdict(stream(extra), KEY, TESTS).integrity)

    fewer = good()
    fewer[1] = {**fewer[1], "expected": {"test_a": 3, "TestB.test_c": 1}}
    assert any(
        "collected 1 times, the pristine file makes 3" in p for p in read_verdict(stream(fewer), KEY, TESTS).integrity
    )


def test_tampering_and_forbidden_operations_mean_not_resolved() -> None:
    tampered = good()
    tampered.insert(
        4, {"kind": "tampered", "where": "t.py::test_a", "what": ["_pytest.runner.call_and_report changed"]}
    )
    counts = read_verdict(stream(tampered), KEY, TESTS)
    assert counts.tests.passed == 2 and not counts.all_passed
    assert "call_and_report" in counts.integrity[0]

    forbidden = good()
    forbidden[-1] = {"kind": "end", "exit": 0, "violations": ["gc.get_objects"]}
    assert not read_verdict(stream(forbidden), KEY, TESTS).all_passed


def test_no_stream_at_all() -> None:
    counts = read_verdict(b"", KEY, TESTS)
    assert not counts.all_passed and counts.tests.total == 2 and counts.tests.errors == 2


def _code_objects(module: types.ModuleType) -> list[types.CodeType]:
    with open(module.__file__ or "", encoding="utf-8") as handle:
        todo = [compile(handle.read(), module.__file__ or "", "exec")]
    found = []
    while todo:
        code = todo.pop()
        found.append(code)
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return found


def test_the_harness_keeps_no_state_in_closures() -> None:
    comprehension = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")
    for module in (harness, harness_guard, harness_tests):
        leaky = [
            f"{module.__name__}:{c.co_qualname} closes over {c.co_freevars}"
            for c in _code_objects(module)
            if c.co_freevars
            and c.co_flags & inspect.CO_OPTIMIZED  # functions, not class bodies
            and c.co_name not in comprehension
            and c.co_name != "starter"  # starter is not kept
        ]
        assert leaky == []
