"""Backoff: exponential with jitter, Retry-After honoured, final failures returned not raised."""

from __future__ import annotations

import asyncio
import random

from evalkit.calls.providers.base import CallError, Generation, parse_retry_after
from evalkit.calls.retry import RetryPolicy, call_with_retries
from evalkit.records import Response


def run(errors: list[CallError], policy: RetryPolicy) -> tuple[object, list[float]]:
    slept: list[float] = []
    pending = list(errors)

    async def call() -> Generation:
        if pending:
            raise pending.pop(0)
        return Generation(Response(text="ok"))

    async def sleep(s: float) -> None:
        slept.append(s)

    outcome = asyncio.run(call_with_retries(call, policy, rng=random.Random(0), sleep=sleep))
    return outcome, slept


def test_backoff_grows_exponentially_within_jitter_bounds() -> None:
    errs = [CallError("server", "x", 500)] * 4
    outcome, slept = run(errs, RetryPolicy(max_attempts=5, base_s=1.0, max_s=60))
    assert outcome.generation is not None and outcome.attempts == 5  # type: ignore[attr-defined]
    for i, s in enumerate(slept):
        assert 2**i / 2 <= s <= 2**i


def test_retry_after_is_a_floor() -> None:
    outcome, slept = run([CallError("rate_limit", "slow down", 429, retry_after_s=7.0)], RetryPolicy(base_s=0.5))
    assert outcome.attempts == 2  # type: ignore[attr-defined]
    assert 7.0 <= slept[0] <= 7.5


def test_non_retryable_errors_stop_at_once() -> None:
    outcome, slept = run([CallError("bad_request", "no", 400)], RetryPolicy())
    assert outcome.error.kind == "bad_request" and outcome.attempts == 1 and slept == []  # type: ignore[attr-defined]


def test_exhausted_retries_return_the_last_error() -> None:
    outcome, slept = run([CallError("timeout", "t")] * 3, RetryPolicy(max_attempts=3, base_s=0.1))
    assert outcome.generation is None and outcome.error.kind == "timeout" and len(slept) == 2  # type: ignore[attr-defined]


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "12"}) == 12.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_a_retry_after_beyond_the_cap_gives_up_instead_of_stalling_the_run() -> None:
    err = CallError("rate_limit", "slow down", 429, retry_after_s=86400.0)
    outcome, slept = run([err], RetryPolicy(max_attempts=5, base_s=0.5, max_s=60, max_retry_after_s=300))
    assert slept == []  # no day-long sleep
    assert outcome.error is not None and outcome.attempts == 1  # type: ignore[attr-defined]
    assert "86400 s, more than the profile's max_retry_after_s 300 s" in str(outcome.error)  # type: ignore[attr-defined]


def test_an_attempt_that_never_completes_is_cut_by_its_deadline_and_retried() -> None:
    """A dripping server never trips a per-read timeout; the deadline on the whole attempt does."""
    attempts = 0

    async def call() -> Generation:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            await asyncio.sleep(3600)  # would hold the call for an hour
        return Generation(Response(text="ok"))

    policy = RetryPolicy(max_attempts=3, base_s=0.0, max_s=0.0, attempt_timeout_s=0.05)
    outcome = asyncio.run(call_with_retries(call, policy, rng=random.Random(0)))
    assert outcome.generation is not None and outcome.attempts == 2


def test_a_deadline_missed_on_every_attempt_is_a_timeout_infra_error() -> None:
    async def call() -> Generation:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    policy = RetryPolicy(max_attempts=2, base_s=0.0, max_s=0.0, attempt_timeout_s=0.05)
    outcome = asyncio.run(call_with_retries(call, policy, rng=random.Random(0)))
    assert outcome.generation is None and outcome.attempts == 2
    assert outcome.error is not None and outcome.error.kind == "timeout" and outcome.error.retryable
    assert "deadline of one attempt" in outcome.error.message
