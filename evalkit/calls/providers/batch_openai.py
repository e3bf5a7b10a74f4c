"""OpenAI's Batch API (Files + Batches) through the official `openai` SDK, for `evalkit run --batch`.

The requests are the live provider's own (`to_openai_params`, not streamed), one JSONL line per work
item, uploaded with `purpose="batch"` and run against `/v1/chat/completions` in the 24-hour window. A
result line's body is read by `completion_generation`, the function that reads a live answer, so a batch
answer scores exactly as the same answer would live. The SDK's own retries are on for reading (polls,
listings, file contents are safe to repeat) and off for `batches.create`: repeating a create whose
answer was lost could start a second, paid batch.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Sequence
from typing import Any, TypeVar

from openai.types.chat import ChatCompletion

from evalkit.calls.batch_state import BatchStatus, ItemResult, Submission
from evalkit.calls.providers.base import CallError, ErrorKind, kind_for_status
from evalkit.calls.providers.openai_chat import classify, completion_generation, openai_client, to_openai_params
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import Request

ENDED = frozenset({"completed", "failed", "expired", "cancelled"})
_ERROR_CODES: dict[str, ErrorKind] = {"batch_expired": "timeout", "batch_cancelled": "other"}
_FIND_LIMIT = 1000
"""How many recent batches `find` looks through for an unrecorded one."""

T = TypeVar("T")


async def _sdk(call: Awaitable[T]) -> T:
    try:
        return await call
    except Exception as exc:
        raise classify(exc) from None


def batch_body(request: Request, profile: EndpointProfile) -> dict[str, Any]:
    """The live request's parameters as a batch line's body (`extra_body` is merged in: in a file there
    is no SDK to merge it)."""
    params = to_openai_params(request, profile)
    extra = params.pop("extra_body", None) or {}
    return {**params, **extra}


def parse_line(line: dict[str, Any]) -> ItemResult | None:
    """One line of an output or error file: the answer, or why the request has none."""
    cid = line.get("custom_id")
    if not isinstance(cid, str):
        return None
    error, response = line.get("error"), line.get("response")
    if isinstance(error, dict):
        code = str(error.get("code") or "error")
        return cid, CallError(_ERROR_CODES.get(code, "other"), f"{code}: {error.get('message') or ''}".strip())
    if not isinstance(response, dict):
        return cid, CallError("malformed", "batch result line without a response")
    status, body = response.get("status_code"), response.get("body")
    if status != 200:
        message = ""
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = str(body["error"].get("message", ""))[:500]
        if not isinstance(status, int):
            return cid, CallError("malformed", f"batch result line with status {status!r}")
        return cid, CallError(kind_for_status(status), message or f"HTTP {status}", status)
    # As the SDK builds a live answer: constructed, not validated, then checked by the same reader.
    completion = ChatCompletion.construct(**body) if isinstance(body, dict) else body
    request_id = response.get("request_id")
    try:
        return cid, completion_generation(completion, 0.0, request_id if isinstance(request_id, str) else None)
    except CallError as err:
        return cid, err


class OpenAIBatches:
    max_requests = 50_000
    """OpenAI's limit per batch (and 200 MB per input file)."""

    def __init__(self, profile: EndpointProfile) -> None:
        self.profile = profile
        self.client = openai_client(profile, max_retries=2)

    async def aclose(self) -> None:
        await self.client.close()

    async def upload(self, requests: Sequence[tuple[str, Request]]) -> str | None:
        lines = [
            json.dumps(
                {"custom_id": cid, "method": "POST", "url": "/v1/chat/completions", "body": batch_body(r, self.profile)}
            )
            for cid, r in requests
        ]
        data = ("\n".join(lines) + "\n").encode()
        uploaded = await _sdk(self.client.files.create(file=("evalkit-batch.jsonl", data), purpose="batch"))
        return uploaded.id

    async def create(self, requests: Sequence[tuple[str, Request]], input_file_id: str | None) -> str:
        if input_file_id is None:
            raise CallError("other", "an OpenAI batch needs its uploaded input file")
        batch = await _sdk(
            self.client.with_options(max_retries=0).batches.create(
                input_file_id=input_file_id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
                metadata={"created_by": "evalkit"},
            )
        )
        return batch.id

    async def find(self, submission: Submission, known: set[str]) -> str | None:
        """The batch created from this submission's input file, if one was (the file id is recorded
        before the batch is created, so it names the batch exactly)."""
        if submission.input_file_id is None:
            return None
        seen = 0
        try:
            async for batch in self.client.batches.list(limit=100):
                if batch.input_file_id == submission.input_file_id and batch.id not in known:
                    return batch.id
                seen += 1
                if seen >= _FIND_LIMIT:
                    break
        except Exception as exc:
            raise classify(exc) from None
        return None

    async def status(self, batch_id: str) -> BatchStatus:
        batch = await _sdk(self.client.batches.retrieve(batch_id))
        counts = batch.request_counts.model_dump() if batch.request_counts is not None else {}
        errors = [e.message or e.code or "" for e in (batch.errors.data or [])] if batch.errors else []
        return BatchStatus(batch.status in ENDED, batch.status, counts, "; ".join(e for e in errors if e)[:500])

    async def results(self, batch_id: str) -> AsyncIterator[ItemResult]:
        batch = await _sdk(self.client.batches.retrieve(batch_id))
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            content = await _sdk(self.client.files.content(file_id))
            for text in content.text.splitlines():
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except json.JSONDecodeError:
                    continue  # its request has no result then: an infrastructure error, sent again on resume
                parsed = parse_line(line) if isinstance(line, dict) else None
                if parsed is not None:
                    yield parsed


__all__ = ["OpenAIBatches", "batch_body", "parse_line"]
