"""The engine: the one path every model call takes — live calls, cache hits and judge calls alike.

A fixed pool of workers pulls from a shared iterator, so memory does not grow with the number of
cases and concurrency is exactly the endpoint's limit. Each finished item becomes one `CallOutcome`
handed to the caller's sink (the run stores a `CallRecord`; the judge stores a `Judgement`), on the
event loop, so sinks must only queue work, never touch the disk.

With the cache on, the first call is always live: its `system_fingerprint` says what the server serves
*now*, and only answers recorded under that same fingerprint are reused.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from evalkit.calls.cache import CacheKeys
from evalkit.calls.providers.base import CallContext, CallError, Generation, Provider
from evalkit.calls.retry import RetryPolicy, call_with_retries
from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import CallRecord, Usage
from evalkit.requests.plan import WorkItem
from evalkit.store.reader import now_iso

FATAL_KINDS = frozenset({"auth"})

Lookup = Callable[[Sequence[str]], Awaitable[dict[str, CallRecord]]]
"""Cache keys -> earlier live answers stored under them."""


@dataclass(frozen=True)
class CallOutcome:
    item: WorkItem
    generation: Generation | None
    error: CallError | None
    attempts: int
    started_at: str
    finished_at: str
    cache_key: str | None = None
    cached: CallRecord | None = None
    """For a cache hit: the earlier record whose answer is reused."""


def redact_key(error: CallError, profile: EndpointProfile) -> CallError:
    """A provider error that echoes the key (some do, in "invalid key sk-...") must not carry it into the
    store, the reports or the console: every message leaves the engine with the key's value masked."""
    key = profile.api_key()
    if not key or key not in error.message:
        return error
    return dataclasses.replace(error, message=error.message.replace(key, f"<${profile.api_key_env}>"))


def call_record(run_id: str, outcome: CallOutcome, profile: EndpointProfile) -> CallRecord:
    """The stored row for an outcome. A cache hit spends nothing and measured no latency in this run;
    the original latency is kept, labelled, for reference. Built with `model_construct`: every value is
    already typed (the request, the parsed response, the usage), and this runs once per call on the
    event loop's thread, where re-validating them cost ~1% of a fast run's CPU."""
    item, gen, cached = outcome.item, outcome.generation, outcome.cached
    resp = gen.response if gen else None
    return CallRecord.model_construct(
        run_id=run_id,
        suite=item.suite,
        case_id=item.case_id,
        repeat=item.repeat,
        status="ok" if resp is not None else "infra_error",
        error_kind=outcome.error.kind if outcome.error else None,
        error_message=str(outcome.error) if outcome.error else None,
        attempts=outcome.attempts,
        cache_hit=cached is not None,
        cached_from=cached.run_id if cached else None,
        latency_s=resp.latency_s if resp and not cached else None,
        ttft_s=resp.ttft_s if resp and not cached else None,
        original_latency_s=cached.latency_s if cached else None,
        usage=resp.usage if resp else Usage(),
        cost_usd=profile.price.cost(resp.usage) if resp and not cached else 0.0,
        finish_reason=resp.finish_reason if resp else None,
        model=resp.model if resp else None,
        system_fingerprint=resp.system_fingerprint if resp else None,
        request_id=resp.request_id if resp else None,
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        request_hash=item.request_hash,
        cache_key=outcome.cache_key if resp is not None else None,
        request=item.request,
        response=resp,
        raw=gen.raw if gen else None,
    )


async def execute(
    items: Iterable[WorkItem],
    provider: Provider,
    profile: EndpointProfile,
    on_outcome: Callable[[CallOutcome], None],
    *,
    keys: CacheKeys | None = None,
    lookup: Lookup | None = None,
    rng: random.Random | None = None,
) -> None:
    """Call the endpoint for every item (or reuse a cached answer when `lookup` is given).

    `keys` stamps every live answer with its cache key, so a later run may reuse it; `lookup` is the
    explicit opt-in to reuse.
    """
    policy = RetryPolicy(
        profile.max_attempts,
        profile.backoff_base_s,
        profile.backoff_max_s,
        profile.max_retry_after_s,
        attempt_timeout_s=profile.timeout_s,  # a total deadline per attempt, not only per read
    )
    rng = rng or random.Random()

    async def live(item: WorkItem) -> CallOutcome:
        started = now_iso()
        context = CallContext(item.suite, item.case_id, item.repeat)
        result = await call_with_retries(partial(provider.generate, item.request, context), policy, rng=rng)
        if result.error is not None:
            result.error = redact_key(result.error, profile)
        if result.error is not None and result.error.kind in FATAL_KINDS:
            raise EndpointError(
                f"endpoint {profile.name!r} refused the call ({result.error}); "
                + (f"check the key in ${profile.api_key_env}" if profile.api_key_env else "check its settings")
            )
        key = None
        if keys is not None and result.generation is not None:
            key = keys.key(item, result.generation.response.system_fingerprint)
        return CallOutcome(item, result.generation, result.error, result.attempts, started, now_iso(), key)

    source: Iterator[WorkItem] = iter(items)
    if lookup is not None and keys is not None:
        source = iter(await _serve_from_cache(source, live, keys, lookup, on_outcome))

    async def worker() -> None:
        for item in source:
            on_outcome(await live(item))

    workers = [asyncio.create_task(worker()) for _ in range(profile.concurrency)]
    try:
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


async def _serve_from_cache(
    source: Iterator[WorkItem],
    live: Callable[[WorkItem], Awaitable[CallOutcome]],
    keys: CacheKeys,
    lookup: Lookup,
    on_outcome: Callable[[CallOutcome], None],
) -> list[WorkItem]:
    """Call the first item live to learn the server's fingerprint, answer what the cache holds under
    it, and return the items that still need a live call."""
    first = next(source, None)
    if first is None:
        return []
    outcome = await live(first)
    on_outcome(outcome)
    rest = list(source)
    if outcome.generation is None:
        return rest  # fingerprint unknown: reuse nothing rather than guess
    fingerprint = outcome.generation.response.system_fingerprint
    wanted = [keys.key(item, fingerprint) for item in rest]
    hits = await lookup(wanted)
    misses: list[WorkItem] = []
    for item, key in zip(rest, wanted, strict=True):
        cached = hits.get(key)
        if cached is None or cached.response is None:
            misses.append(item)
            continue
        stamp = now_iso()
        on_outcome(
            CallOutcome(item, Generation(cached.response, cached.raw or {}), None, 0, stamp, stamp, key, cached)
        )
    return misses
