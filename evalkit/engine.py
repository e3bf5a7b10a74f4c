"""The replay engine: bounded concurrent calls, retries, and one stored row per finished case.

A fixed pool of workers pulls from a shared iterator, so memory does not grow with the number of
cases and concurrency is exactly the endpoint's limit. Rows are handed to the store writer thread;
nothing on the event loop touches the disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from evalkit.endpoints import EndpointProfile
from evalkit.errors import EndpointError
from evalkit.providers.base import CallError, Generation, Provider
from evalkit.request import Request
from evalkit.response import Response
from evalkit.retry import RetryPolicy, call_with_retries
from evalkit.store import StoreWriter, dumps, now_iso


@dataclass(frozen=True)
class WorkItem:
    suite: str
    case_id: str
    repeat: int
    request: Request
    request_json: str
    """The request as stored; serialised once, it also keys the response cache."""
    cache_key: str


def work_item(suite: str, case_id: str, repeat: int, request: Request, identity_json: str) -> WorkItem:
    request_json = dumps(request.model_dump(mode="json"))
    return WorkItem(suite, case_id, repeat, request, request_json, cache_key(identity_json, request_json, repeat))


def cache_key(identity_json: str, request_json: str, repeat: int) -> str:
    """Endpoint identity + the full request + repeat index: never shared across models or URLs."""
    return hashlib.sha256(f"{identity_json}\n{request_json}\n{repeat}".encode()).hexdigest()


def result_row(
    run_id: str,
    item: WorkItem,
    profile: EndpointProfile,
    *,
    started: str,
    generation: Generation | None,
    error: CallError | None,
    attempts: int,
    cache_hit: bool,
) -> dict[str, Any]:
    resp: Response | None = generation.response if generation else None
    usage = resp.usage if resp else None
    return {
        "run_id": run_id,
        "suite": item.suite,
        "case_id": item.case_id,
        "repeat": item.repeat,
        "status": "ok" if resp is not None else "infra_error",
        "error_kind": error.kind if error else None,
        "error_message": str(error) if error else None,
        "attempts": attempts,
        "cache_hit": int(cache_hit),
        "latency_s": resp.latency_s if resp else None,
        "ttft_s": resp.ttft_s if resp else None,
        "input_tokens": usage.input_tokens if usage else 0,
        "cached_input_tokens": usage.cached_input_tokens if usage else 0,
        "output_tokens": usage.output_tokens if usage else 0,
        "cost_usd": profile.price.cost(usage) if usage else 0.0,
        "finish_reason": resp.finish_reason if resp else None,
        "model": resp.model if resp else None,
        "system_fingerprint": resp.system_fingerprint if resp else None,
        "request_id": resp.request_id if resp else None,
        "started_at": started,
        "finished_at": now_iso(),
        "request_json": item.request_json,
        "response_json": dumps(resp.model_dump(mode="json")) if resp else None,
        "raw_json": dumps(generation.raw) if generation else None,
    }


FATAL_KINDS = frozenset({"auth"})


async def execute(
    run_id: str,
    items: Iterable[WorkItem],
    provider: Provider,
    profile: EndpointProfile,
    writer: StoreWriter,
    on_row: Callable[[dict[str, Any]], None],
    *,
    use_cache: bool = True,
    rng: random.Random | None = None,
) -> None:
    """Call the endpoint for every item; each finished item becomes one stored row."""
    policy = RetryPolicy(profile.max_attempts, profile.backoff_base_s, profile.backoff_max_s)
    identity_json = dumps(profile.identity())
    rng = rng or random.Random()
    source: Iterator[WorkItem] = iter(items)

    async def worker() -> None:
        for item in source:
            started = now_iso()
            outcome = await call_with_retries(partial(provider.generate, item.request), policy, rng=rng)
            if outcome.error is not None and outcome.error.kind in FATAL_KINDS:
                raise EndpointError(
                    f"endpoint {profile.name!r} refused the call ({outcome.error}); "
                    + (f"check the key in ${profile.api_key_env}" if profile.api_key_env else "check its settings")
                )
            row = result_row(
                run_id,
                item,
                profile,
                started=started,
                generation=outcome.generation,
                error=outcome.error,
                attempts=outcome.attempts,
                cache_hit=False,
            )
            cache = None
            if use_cache and outcome.generation is not None:
                cache = (item.cache_key, identity_json, row["response_json"], row["raw_json"])
            writer.put_result(row, cache)
            on_row(row)

    workers = [asyncio.create_task(worker()) for _ in range(profile.concurrency)]
    try:
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
