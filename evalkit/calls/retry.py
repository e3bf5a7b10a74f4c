"""Retries with exponential backoff and full jitter, honouring Retry-After, with a deadline per attempt.

A call that still fails after the last attempt is returned as an error, not raised: the engine
records it as an infrastructure error, which is never scored as a wrong answer.

The HTTP clients' timeouts are per read: a server that drips a byte every 0.15 s never trips a 3 s
read timeout and held one call for 44 s. So each attempt also runs under `attempt_timeout_s`, a
deadline on the whole attempt (connect, wait, every chunk of a stream); missing it is a `timeout`
fault, retried like any other.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from evalkit.calls.providers.base import CallError, Generation


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_s: float = 1.0
    max_s: float = 60.0
    max_retry_after_s: float = 300.0
    """A Retry-After longer than this (86400 s, say) would stall a whole run on one call: the call is
    recorded as an infrastructure error instead, and `--resume` retries it later."""
    attempt_timeout_s: float | None = None
    """Deadline on one whole attempt (None: none beyond the client's own per-read timeout)."""

    def delay(self, attempt: int, error: CallError, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        backoff = min(self.max_s, self.base_s * 2 ** (attempt - 1))
        jittered = rng.uniform(backoff / 2, backoff)
        if error.retry_after_s is not None:
            # The server said when; wait at least that long, never shorter, with a little jitter so
            # a burst of throttled calls does not come back in lockstep.
            return min(max(self.max_s, error.retry_after_s), error.retry_after_s + rng.uniform(0, self.base_s))
        return jittered


@dataclass
class Outcome:
    generation: Generation | None
    error: CallError | None
    attempts: int


async def call_with_retries(
    call: Callable[[], Awaitable[Generation]],
    policy: RetryPolicy,
    *,
    rng: random.Random | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Outcome:
    rng = rng or random.Random()
    for attempt in range(1, policy.max_attempts + 1):
        try:
            return Outcome(await _attempt(call, policy.attempt_timeout_s), None, attempt)
        except CallError as err:
            if not err.retryable or attempt == policy.max_attempts:
                return Outcome(None, err, attempt)
            if err.retry_after_s is not None and err.retry_after_s > policy.max_retry_after_s:
                capped = CallError(
                    err.kind,
                    f"{err.message} (the server asked to wait {err.retry_after_s:.0f} s, more than the "
                    f"profile's max_retry_after_s {policy.max_retry_after_s:.0f} s; resume the run later)",
                    err.status,
                    err.retry_after_s,
                )
                return Outcome(None, capped, attempt)
            await sleep(policy.delay(attempt, err, rng))
    raise AssertionError("unreachable")


async def _attempt(call: Callable[[], Awaitable[Generation]], deadline_s: float | None) -> Generation:
    if deadline_s is None:
        return await call()
    try:
        async with asyncio.timeout(deadline_s):
            return await call()
    except TimeoutError:
        raise CallError(
            "timeout", f"no complete answer within {deadline_s:g} s (timeout_s, the deadline of one attempt)"
        ) from None
