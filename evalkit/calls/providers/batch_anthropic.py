"""Anthropic's Message Batches API through the official `anthropic` SDK, for `evalkit run --batch`.

Each request carries the live provider's own parameters (`to_anthropic_params`); a succeeded result's
message is read by `message_generation`, the function that reads a live answer, so a batch answer
scores exactly as the same answer would live. `errored`, `expired` and `canceled` results become
infrastructure errors. The SDK's retries are on for reading and off for `batches.create`, whose
repetition after a lost answer could start a second, paid batch.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from evalkit.calls.batch_state import BatchStatus, ItemResult, Submission
from evalkit.calls.providers.anthropic_messages import (
    anthropic_client,
    classify,
    message_generation,
    to_anthropic_params,
)
from evalkit.calls.providers.base import CallError, ErrorKind
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import Request

_ERROR_TYPES: dict[str, ErrorKind] = {
    "invalid_request_error": "bad_request",
    "request_too_large": "bad_request",
    "authentication_error": "auth",
    "permission_error": "auth",
    "not_found_error": "not_found",
    "rate_limit_error": "rate_limit",
    "api_error": "server",
    "overloaded_error": "server",
    "timeout_error": "timeout",
}
_FIND_LIMIT = 1000
_FIND_SLACK = timedelta(minutes=2)
"""Clock difference tolerated between this machine and the provider when matching creation times."""

T = TypeVar("T")


async def _sdk(call: Awaitable[T]) -> T:
    try:
        return await call
    except Exception as exc:
        raise classify(exc) from None


def batch_params(request: Request, profile: EndpointProfile) -> dict[str, Any]:
    """The live request's parameters as a batch request's `params` (`extra_body` merged in)."""
    params = to_anthropic_params(request, profile)
    extra = params.pop("extra_body", None) or {}
    return {**params, **extra}


def read_result(entry: Any) -> ItemResult:
    """One entry of a batch's results: the answer, or why the request has none."""
    cid = str(entry.custom_id)
    result = entry.result
    kind = getattr(result, "type", None)
    if kind == "succeeded":
        try:
            return cid, message_generation(result.message, 0.0, None, None, False)
        except CallError as err:
            return cid, err
    if kind == "errored":
        error = getattr(getattr(result, "error", None), "error", None)
        etype = str(getattr(error, "type", "") or "error")
        message = str(getattr(error, "message", "") or "")[:500]
        return cid, CallError(_ERROR_TYPES.get(etype, "other"), f"{etype}: {message}".strip())
    if kind == "expired":
        return cid, CallError("timeout", "expired: the batch's 24-hour window ended before this request ran")
    if kind == "canceled":
        return cid, CallError("other", "canceled: the batch was canceled before this request ran")
    return cid, CallError("malformed", f"unknown batch result type {kind!r}")


class AnthropicBatches:
    max_requests = 100_000
    """Anthropic's limit per batch (and 256 MB per batch)."""

    def __init__(self, profile: EndpointProfile) -> None:
        self.profile = profile
        self.client = anthropic_client(profile, max_retries=2)

    async def aclose(self) -> None:
        await self.client.close()

    async def upload(self, requests: Sequence[tuple[str, Request]]) -> str | None:
        return None  # the requests travel in the create call itself

    async def create(self, requests: Sequence[tuple[str, Request]], input_file_id: str | None) -> str:
        body = [{"custom_id": cid, "params": batch_params(r, self.profile)} for cid, r in requests]
        batch = await _sdk(self.client.with_options(max_retries=0).messages.batches.create(requests=cast(Any, body)))
        return batch.id

    async def find(self, submission: Submission, known: set[str]) -> str | None:
        """A batch the provider accepted but whose id was never recorded. Anthropic's batches carry no
        metadata, so it is matched by what they do carry: created after the submission was recorded,
        holding as many requests, and no other batch of this run. Only an unambiguous match is taken;
        otherwise the items are submitted again (the caller's only way forward)."""
        since = datetime.fromisoformat(submission.submitted_at) - _FIND_SLACK
        matches: list[str] = []
        seen = 0
        try:
            async for batch in self.client.messages.batches.list(limit=100):
                counts = batch.request_counts
                total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired
                if batch.created_at >= since and total == len(submission.items) and batch.id not in known:
                    matches.append(batch.id)
                seen += 1
                if seen >= _FIND_LIMIT:
                    break
        except Exception as exc:
            raise classify(exc) from None
        return matches[0] if len(matches) == 1 else None

    async def status(self, batch_id: str) -> BatchStatus:
        batch = await _sdk(self.client.messages.batches.retrieve(batch_id))
        return BatchStatus(
            batch.processing_status == "ended", batch.processing_status, batch.request_counts.model_dump()
        )

    async def results(self, batch_id: str) -> AsyncIterator[ItemResult]:
        decoder = await _sdk(self.client.messages.batches.results(batch_id))
        try:
            async for entry in decoder:
                yield read_result(entry)
        except CallError:
            raise
        except Exception as exc:
            raise classify(exc) from None


__all__ = ["AnthropicBatches", "batch_params", "read_result"]
