"""Shared pieces of the coding-suite generator: the task record, literal rendering, hidden-test rendering.

The hidden tests are *derived* from each task's reference implementation: the generator executes the
reference on the task's inputs and writes the observed results into the test file as literals, so a
test can never disagree with the reference the scripted frontier answers with, and every stated rule
is checked by the inputs chosen for it (the family modules pick them). Comparison is strict where the
task is strict (types, Decimal exponents when the task says "two decimal places", dict order when it
says "in order") and lenient elsewhere (any Decimal of equal value, a float within 1e-9).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import random
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")

ADVERSARIAL_KINDS = (
    "injection",
    "ambiguous",
    "missing_data",
    "edge_format",
    "long_context_contradiction",
    "other_language",
)
"""The adversarial kinds that apply to coding (tool_failure and out_of_scope do not: every answer is code
run against hidden tests, and there are no tools)."""


@dataclass(frozen=True)
class Call:
    """One hidden-test call: positional arguments (deep-copied before the reference sees them)."""

    args: tuple[Any, ...]
    group: str = "rules"
    """Test function the call lands in (`test_<group>`): groups name the rule a failure breaks."""


@dataclass
class FnTask:
    """A function-writing task, as a family instance produced it (before ids and noise)."""

    family: str
    domain: str
    name: str
    task: str
    reference: str
    calls: list[Call]
    exact_decimals: bool = False
    """Decimal results must carry the reference's exponent (the task says "two decimal places")."""
    ordered_dicts: bool = False
    """dict results must have the reference's key order (the task says in which order)."""
    extra_tests: str = ""
    """Hand-written tests appended verbatim (complexity probes, no-mutation checks, side effects)."""
    wrong: str | None = None
    """A plausible wrong answer (superseded spec, naive reading of an ambiguous rule): the generator
    checks the derived tests reject it, so the adversarial twist is actually tested."""
    kind: str | None = None
    """The adversarial kind, None for golden cases."""
    short: bool = False
    """Short enough to open the suite (the local-model demo runs the first 8 cases)."""
    extra_tags: tuple[str, ...] = ()


@dataclass
class PatchTask:
    """A bug report against a fixture repository; the reference is a unified diff."""

    family: str
    domain: str
    repo: str
    task: str
    context_files: list[str]
    allowed_files: list[str]
    tests: str
    fixed: dict[str, str]
    """Repository-relative path -> the file's content after the fix (the reference diff is derived)."""
    kind: str | None = None
    cluster: str = ""
    extra_tags: tuple[str, ...] = ()
    wrong_fixed: dict[str, str] | None = None
    """A plausible wrong fix (the superseded request), checked to fail like FnTask.wrong."""


@dataclass
class Rendered:
    """Everything the generator writes for one case."""

    input: dict[str, str]
    expected: dict[str, Any]
    tags: list[str]
    cluster: str
    answer: str
    kind: str | None
    short: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Python literals for test files


def py(value: Any) -> str:
    """Source text that evaluates to `value` in a test module importing datetime and Decimal."""
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else f"float({str(value)!r})"
    if isinstance(value, Decimal):
        return f"Decimal({str(value)!r})"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            offset = value.utcoffset()
            assert offset is not None
            tz = "datetime.timezone.utc" if not offset else f"datetime.timezone({py(offset)})"
            base = value.replace(tzinfo=None)
            return f"{py(base)[:-1]}, tzinfo={tz})"
        return "datetime." + repr(value).removeprefix("datetime.")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "datetime." + repr(value).removeprefix("datetime.")
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, set | frozenset):
        items = sorted(value, key=repr)
        return (
            ("set()" if not items else "{" + ", ".join(py(v) for v in items) + "}")
            if isinstance(value, set)
            else f"frozenset({py(set(items))})"
        )
    raise TypeError(f"no literal for {type(value).__name__}: {value!r}")


def run_reference(reference: str, name: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": "solution"}
    exec(compile(reference, "<reference>", "exec"), namespace)
    fn = namespace[name]
    assert callable(fn), name
    return fn  # type: ignore[no-any-return]


Outcome = tuple[str, Any]
"""("value", result) or ("raises", exception class name)."""

ALLOWED_ERRORS = ("ValueError", "KeyError", "TypeError", "LookupError")


def outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> Outcome:
    try:
        return "value", fn(*copy.deepcopy(args))
    except Exception as exc:  # the family decides which errors a rule raises
        name = type(exc).__name__
        if name not in ALLOWED_ERRORS:
            raise AssertionError(f"reference raised {name}: {exc} for {args!r}") from exc
        return "raises", name


_PRELUDE = '''\
import datetime
import math
from decimal import Decimal

import pytest

from solution import {name}

EXACT_DECIMALS = {exact}
ORDERED_DICTS = {ordered}


def same(got, want):
    """Equal in value and kind: bool is not int, date is not datetime, list is not tuple."""
    if want is None or isinstance(want, bool):
        return got is want
    if isinstance(want, float):
        return isinstance(got, int | float) and not isinstance(got, bool) and math.isclose(
            got, want, rel_tol=1e-9, abs_tol=1e-9
        )
    if isinstance(want, int):
        return type(got) is int and got == want
    if isinstance(want, Decimal):
        return isinstance(got, Decimal) and got == want and (not EXACT_DECIMALS or str(got) == str(want))
    if isinstance(want, datetime.date | datetime.time | datetime.timedelta):
        return type(got) is type(want) and got == want and (
            not isinstance(want, datetime.datetime | datetime.time) or got.utcoffset() == want.utcoffset()
        )
    if isinstance(want, list | tuple):
        kind = list if isinstance(want, list) else tuple
        return isinstance(got, kind) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return False
        if ORDERED_DICTS and list(got) != list(want):
            return False
        return all(same(got[k], want[k]) for k in want)
    if isinstance(want, set | frozenset):
        return isinstance(got, set | frozenset) and got == want
    return type(got) is type(want) and got == want


def check(got, want):
    assert same(got, want), f"got {{got!r}}, expected {{want!r}}"


def test_standard_library_only():
    """Answers may use the standard library only: the service that runs them has no other packages."""
    import ast
    import pathlib
    import sys

    import solution

    tree = ast.parse(pathlib.Path(solution.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {{alias.name.split(".")[0] for alias in node.names}}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    assert names <= set(sys.stdlib_module_names), sorted(names - set(sys.stdlib_module_names))
'''


def render_tests(task: FnTask) -> str:
    """The hidden pytest module: the prelude, one test per group of calls, then the extra tests."""
    fn = run_reference(task.reference, task.name)
    groups: dict[str, list[str]] = {}
    for call in task.calls:
        args = ", ".join(py(a) for a in call.args)
        kind, value = outcome(fn, call.args)
        if kind == "raises":
            line = f"    with pytest.raises({value}):\n        {task.name}({args})"
        else:
            line = f"    check({task.name}({args}), {py(value)})"
        groups.setdefault(call.group, []).append(line)
    parts = [_PRELUDE.format(name=task.name, exact=task.exact_decimals, ordered=task.ordered_dicts)]
    for group, lines in groups.items():
        parts.append(f"\n\ndef test_{group}():\n" + "\n".join(lines) + "\n")
    if task.extra_tests:
        parts.append("\n\n" + textwrap.dedent(task.extra_tests).strip("\n") + "\n")
    return "".join(parts)


def rejects(task: FnTask, wrong: str) -> bool:
    """True when some hidden-test call tells `wrong` from the reference (used on FnTask.wrong)."""
    right_fn, wrong_fn = run_reference(task.reference, task.name), run_reference(wrong, task.name)
    for call in task.calls:
        a, b = outcome(right_fn, call.args), outcome(wrong_fn, call.args)
        if a[0] != b[0] or (a[0] == "value" and (type(a[1]) is not type(b[1]) or repr(a[1]) != repr(b[1]))):
            return True
    return False


def fenced(code: str, lang: str = "python") -> str:
    return f"```{lang}\n{code.rstrip()}\n```"


# --------------------------------------------------------------------------------------------------
# Small helpers the families share


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def bullets(rng: random.Random, rules: Sequence[str]) -> str:
    """The rules as dashes, asterisks, numbers or prose: tickets are written every way."""
    style = rng.randrange(4)
    if style == 0:
        return "\n".join(f"- {r}" for r in rules)
    if style == 1:
        return "\n".join(f"* {r}" for r in rules)
    if style == 2:
        return "\n".join(f"{i}. {r}" for i, r in enumerate(rules, 1))
    return " ".join(r if r.endswith((".", ")", ":")) else r + "." for r in rules)


def dedent(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


@dataclass(frozen=True)
class Family:
    """A task family: `make(rng, mode)` builds one instance; mode is "golden" or an adversarial kind."""

    name: str
    domain: str
    make: Callable[[random.Random, str], FnTask]
    modes: tuple[str, ...]
    """Adversarial kinds this family can build itself (injection is added generically to any family)."""


def example_pairs(
    fn: Callable[..., Any], calls: Sequence[Call], k: int, show: Callable[[Call], str], groups: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Up to k (call, result) pairs for the request's examples, from calls the shown rules accept."""
    pairs: list[tuple[str, str]] = []
    for call in calls:
        if len(pairs) >= k:
            break
        if groups and call.group not in groups:
            continue
        try:
            pairs.append((show(call), repr(fn(*copy.deepcopy(call.args)))))
        except (ValueError, KeyError, TypeError, LookupError):
            continue
    return pairs


def separating(
    reference: str, name: str, variant: str, candidates: Iterable[Call], k: int = 2, budget: int = 1500
) -> list[Call]:
    """The first k candidate calls on which `variant` (a plausible misreading of a stated rule, such as
    half-even rounding where the request says half-up) answers differently from the reference: added to
    the hidden tests so the stated rule is really tested, not just stated."""
    right, other = run_reference(reference, name), run_reference(variant, name)
    found: list[Call] = []
    for call in itertools.islice(candidates, budget):
        a, b = outcome(right, call.args), outcome(other, call.args)
        if a[0] != b[0] or (a[0] == "value" and repr(a[1]) != repr(b[1])):
            found.append(call)
            if len(found) == k:
                break
    return found


def half_even(reference: str) -> str:
    """The reference with banker's rounding instead of half-up (the default a Decimal context uses)."""
    assert "ROUND_HALF_UP" in reference
    return reference.replace("ROUND_HALF_UP", "ROUND_HALF_EVEN")
