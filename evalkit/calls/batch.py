"""Provider batch APIs as a run mode (`evalkit run --batch`): submit, poll, collect, resume, batch prices.

Why: OpenAI's and Anthropic's batch APIs answer the very same requests at half the price, within 24
hours instead of seconds. A baseline re-run of thousands of cases rarely needs its answers in minutes,
so the mode halves what a run costs without changing what is asked or how an answer is read: each
result is parsed by the same function the live provider uses (`completion_generation`,
`message_generation`), so scores are identical, and stored as a normal call row priced at the batch rate.

Where the state lives: in the run's manifest (`manifest["batch"]`, a `BatchState`), written through
`Store.update_manifest` the moment each step has happened at the provider — the intent to submit and
its work-item keys before anything is sent, the input file id once uploaded, the batch id once created,
the provider's status as polled, `collected` once every answer read is in the store. A kill at any
point leaves the batch running at the provider; `evalkit run --resume RUN` re-attaches to the stored
batch id and never submits an item that a live batch still holds, so no request is paid twice. The one
window that cannot be closed by bookkeeping — killed after the provider accepted a batch, before its id
was written — is closed by asking the provider: an OpenAI batch is found by its recorded input file id;
an Anthropic batch (no file, no metadata) by its creation time and request count (`find` in each backend).

Per-request failures (an error status, `expired` after the 24-hour window, `canceled`) and requests a
batch ended without answering are stored as infrastructure errors, never as answers; the run then ends
`incomplete` (exit 1) and `--resume` submits exactly those items again, as a new batch at batch price
(a run stays one mode, so its cost stays one rate).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Sequence

from rich.console import Console

from evalkit.calls.batch_state import (
    DEFAULT_POLL_S,
    SESSION,
    BatchBackend,
    BatchSession,
    BatchState,
    Key,
    Submission,
    custom_id,
    open_batches,
)
from evalkit.calls.cache import CacheKeys, endpoint_identity
from evalkit.calls.connection import ServerInfo
from evalkit.calls.engine import CallOutcome, call_record, redact_key
from evalkit.calls.providers.base import CallError, Generation
from evalkit.errors import EndpointError, InputError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import CallRecord
from evalkit.redaction import redact_data
from evalkit.requests.plan import WorkItem
from evalkit.store import Store, now_iso

MAX_POLL_S = 600.0
"""Polls back off by half again each time, up to ten times the first interval, at most ten minutes."""
DEFAULT_DISCOUNT = 0.5
"""OpenAI's and Anthropic's batch APIs both bill half the list price."""

BACKENDS: dict[str, str] = {
    "openai": "evalkit.calls.providers.batch_openai:OpenAIBatches",
    "openai-compatible": "evalkit.calls.providers.batch_openai:OpenAIBatches",
    "anthropic": "evalkit.calls.providers.batch_anthropic:AnthropicBatches",
}
"""kind -> "module:class". An OpenAI-compatible host qualifies only when its profile states batch rates."""


def check_batch_mode(profile: EndpointProfile) -> None:
    """Refuse (exit 2, before anything is written) an endpoint whose kind has no batch API."""
    if profile.kind not in BACKENDS:
        raise InputError(
            f"endpoint {profile.name!r} (kind {profile.kind!r}) has no batch API; --batch works with kinds "
            "openai and anthropic (and openai-compatible hosts whose price states batch rates)",
            field="--batch",
        )
    if profile.kind == "openai-compatible" and not profile.price.has_batch_rates():
        raise InputError(
            f"endpoint {profile.name!r}: an OpenAI-compatible host takes --batch only when its profile states "
            "its batch rates (price.batch_discount or price.batch_*_per_mtok), which says it has a batch API",
            field="price.batch_discount",
        )
    if profile.price.gpu_hour_usd is not None:
        raise InputError(f"endpoint {profile.name!r}: a GPU-hour price has no batch rate", field="price")


def make_backend(profile: EndpointProfile) -> BatchBackend:
    module, _, name = BACKENDS[profile.kind].partition(":")
    backend: BatchBackend = getattr(importlib.import_module(module), name)(profile)
    return backend


class BatchRun:
    """The batch side of one replay session of a run (see `pipeline._replay`)."""

    def __init__(self, store: Store, run_id: str, profile: EndpointProfile, state: BatchState, detach: bool) -> None:
        self.store, self.run_id, self.profile, self.state, self.detach = store, run_id, profile, state, detach
        self.priced = profile.model_copy(update={"price": state.price})
        self.keys: CacheKeys | None = None
        self.console: Console | None = None

    @classmethod
    def of(cls, store: Store, run_id: str, profile: EndpointProfile) -> BatchRun | None:
        """The run's batch mode: from its manifest, or started now when this session asked for it;
        None for a live run."""
        session = SESSION.get()
        raw = store.run(run_id).manifest.get("batch")
        if raw is None:
            if session is None or not session.requested:
                return None
            check_batch_mode(profile)
            if store.count_calls(run_id):
                raise InputError(
                    f"run {run_id} already has live answers; --batch starts new runs only", field="--batch"
                )
            state = BatchState(kind=profile.kind, price=profile.price.batch(DEFAULT_DISCOUNT))
        else:
            state = BatchState.model_validate(raw)
        if session is not None:
            session.run_id = run_id
            if session.poll_s is not None:
                state.poll_s = session.poll_s
        run = cls(store, run_id, profile, state, bool(session and session.detach))
        run._save()
        return run

    def record(self, call: CallOutcome) -> CallRecord:
        """The stored row: priced at the batch rate; no latency, since a batch answer's wait is the
        batch's (kept in the manifest), not a property of the answer."""
        return call_record(self.run_id, call, self.priced).model_copy(update={"latency_s": None, "ttft_s": None})

    def _say(self, message: str) -> None:
        """A batch can wait for hours: every step at the provider is said as it happens."""
        if self.console is not None:
            self.console.print(message, highlight=False, markup=False)

    def _save(self) -> None:
        self.store.update_manifest(self.run_id, batch=self.state.model_dump(mode="json"))

    async def run(
        self,
        pending: Sequence[WorkItem],
        on_outcome: Callable[[CallOutcome], None],
        on_server: Callable[[ServerInfo], None] | None = None,
        console: Console | None = None,
    ) -> None:
        """Re-attach to this run's open batches, submit what no open batch holds, wait and collect."""
        from evalkit.calls.providers import make_provider

        self.console = console

        provider = make_provider(self.profile)
        try:  # what the server is, for the manifest and the cache keys: the same as a live run records
            server = redact_data(await provider.describe())
        except CallError as err:
            raise EndpointError(f"endpoint {self.profile.name!r} is not usable: {err}") from None
        finally:
            await provider.aclose()
        self.keys = CacheKeys.of(self.profile, server)
        if on_server is not None:
            on_server(ServerInfo(server, endpoint_identity(self.profile), self.keys))
        items = {(i.suite, i.case_id, i.repeat): i for i in pending}
        backend = make_backend(self.profile)
        try:
            await self._recover(backend)
            for sub in self.state.submissions:
                if sub.state == "submitted":
                    self._say(f"re-attached to batch {sub.id} (last seen {sub.provider_status or 'submitted'})")
            await self._submit(backend, items)
            await self._wait(backend, items, on_outcome)
        finally:
            await backend.aclose()

    async def _recover(self, backend: BatchBackend) -> None:
        """A submission recorded as `submitting` may or may not exist at the provider: ask it."""
        known = {s.id for s in self.state.submissions if s.id}
        for sub in [s for s in self.state.submissions if s.state == "submitting"]:
            try:
                found = await backend.find(sub, known)
            except CallError as err:
                raise EndpointError(f"could not look for an unrecorded batch at the provider: {err}") from None
            if found is None:
                self.state.submissions.remove(sub)  # it never reached the provider: its items go out again
            else:
                sub.id, sub.state = found, "submitted"
                known.add(found)
                self._say(f"found batch {found} at the provider (accepted before its id was recorded)")
        self._save()

    async def _submit(self, backend: BatchBackend, items: dict[Key, WorkItem]) -> None:
        held = {key for s in self.state.submissions if s.state != "collected" for key in s.items}
        todo = [key for key in items if key not in held]
        for start in range(0, len(todo), backend.max_requests):
            chunk = todo[start : start + backend.max_requests]
            requests = [(custom_id(key), items[key].request) for key in chunk]
            sub = Submission(submitted_at=now_iso(), items=chunk)
            self.state.submissions.append(sub)
            self._save()  # the intent, before anything exists at the provider
            try:
                sub.input_file_id = await backend.upload(requests)
                self._save()
                sub.id = await backend.create(requests, sub.input_file_id)
            except CallError as err:
                if err.status is not None:  # refused outright: no batch exists, forget the intent
                    self.state.submissions.remove(sub)
                self._save()
                raise EndpointError(f"endpoint {self.profile.name!r} refused the batch: {err}") from None
            sub.state = "submitted"
            self._save()
            self._say(
                f"submitted batch {sub.id} ({len(chunk)} requests); it runs at the provider even if this process "
                f"stops: collect with evalkit run --resume {self.run_id}"
            )

    async def _wait(
        self, backend: BatchBackend, items: dict[Key, WorkItem], on_outcome: Callable[[CallOutcome], None]
    ) -> None:
        delay = self.state.poll_s
        cap = max(self.state.poll_s, min(self.state.poll_s * 10, MAX_POLL_S))
        failures = 0
        while True:
            for sub in [s for s in self.state.submissions if s.state in ("submitted", "ended")]:
                if sub.state == "submitted" and sub.id is not None:
                    try:
                        status = await backend.status(sub.id)
                    except CallError as err:
                        failures += 1
                        if not err.retryable or failures >= self.profile.max_attempts:
                            raise EndpointError(
                                f"could not poll batch {sub.id} ({err}); it keeps running at the provider"
                            ) from None
                        continue
                    failures = 0
                    sub.provider_status, sub.counts, sub.note = status.status, status.counts, status.note
                    if status.ended:
                        sub.state, sub.ended_at = "ended", now_iso()
                        shown = ", ".join(f"{k} {v}" for k, v in status.counts.items() if v)
                        self._say(f"batch {sub.id} ended ({status.status}{': ' + shown if shown else ''})")
                    self._save()
                if sub.state == "ended":
                    await self._collect(backend, sub, items, on_outcome)
            if self.detach or not any(s.state == "submitted" for s in self.state.submissions):
                return
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, cap)

    async def _collect(
        self,
        backend: BatchBackend,
        sub: Submission,
        items: dict[Key, WorkItem],
        on_outcome: Callable[[CallOutcome], None],
    ) -> None:
        """Store every result of an ended batch that the run still needs; a request the batch ended
        without answering is an infrastructure error too, so `--resume` sends it again."""
        assert sub.id is not None
        wanted = {custom_id(key): key for key in sub.items if key in items}
        if not wanted:  # every item of it is answered already: nothing to read
            sub.state = "collected"
            self._save()
            return
        answered: set[Key] = set()
        seen: set[str] = set()
        try:
            async for cid, result in backend.results(sub.id):
                key = wanted.get(cid)
                if key is None or cid in seen:
                    continue
                seen.add(cid)
                if isinstance(result, Generation):
                    answered.add(key)
                self._emit(items[key], result, sub, on_outcome)
        except CallError as err:
            raise EndpointError(f"could not read the results of batch {sub.id} ({err}); resume to try again") from None
        for cid, key in wanted.items():
            if cid not in seen:
                reason = f"batch {sub.id} ended ({sub.provider_status}{'; ' + sub.note if sub.note else ''})"
                self._emit(
                    items[key], CallError("other", f"{reason} without a result for this request"), sub, on_outcome
                )
        if await self._stored(answered):
            sub.state = "collected"
            self._save()

    def _emit(
        self, item: WorkItem, result: Generation | CallError, sub: Submission, on_outcome: Callable[[CallOutcome], None]
    ) -> None:
        generation, error = (
            (result, None) if isinstance(result, Generation) else (None, redact_key(result, self.profile))
        )
        key = None
        if generation is not None:
            generation.raw["batch"] = {"id": sub.id, "custom_id": custom_id((item.suite, item.case_id, item.repeat))}
            if self.keys is not None:
                key = self.keys.key(item, generation.response.system_fingerprint)
        on_outcome(CallOutcome(item, generation, error, 1, sub.submitted_at, now_iso(), key))

    async def _stored(self, answered: set[Key]) -> bool:
        """Whether the answers just read are committed (the pipeline's writer stores them from its own
        thread). Only then is the batch marked `collected` and never read again; until then a resume
        reads it once more and stores whatever is still missing, so a kill here loses nothing."""
        for _ in range(200):
            done = await asyncio.to_thread(self.store.finished_keys, self.run_id)
            if answered <= done:
                return True
            await asyncio.sleep(0.05)
        return False


__all__ = [
    "BACKENDS",
    "DEFAULT_DISCOUNT",
    "DEFAULT_POLL_S",
    "SESSION",
    "BatchRun",
    "BatchSession",
    "BatchState",
    "check_batch_mode",
    "custom_id",
    "open_batches",
]
