"""The batch mode's records: what a run's manifest keeps about its batches, and what a backend is.

Kept apart from `calls/batch.py` (the mode's logic) so the provider backends (`providers/batch_*.py`)
and the CLI can name these types without importing the orchestration, and so the manifest's shape is
read in one place. `manifest["batch"]` is a `BatchState`; see `calls/batch.py` for how it is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from evalkit.calls.providers.base import CallError, Generation
from evalkit.inputs.pricing import Price
from evalkit.records import Request

DEFAULT_POLL_S = 30.0

Key = tuple[str, str, int]
ItemResult = tuple[str, Generation | CallError]
"""(custom_id, the parsed answer or the per-request failure)."""


@dataclass
class BatchSession:
    """What this invocation asked for; not stored, since the next `--resume` may ask differently."""

    requested: bool = False
    """`--batch`: start the run this invocation creates in batch mode."""
    poll_s: float | None = None
    detach: bool = False
    """Submit (and collect whatever has ended), then return without waiting."""
    run_id: str | None = None
    """Set once the session's run is known, for the CLI's closing message."""


SESSION: ContextVar[BatchSession | None] = ContextVar("evalkit_batch_session", default=None)
"""Set by the CLI for one invocation; the pipeline's replay reads it through `BatchRun.of`."""


class Submission(BaseModel):
    """One batch at the provider, as kept in the run's manifest."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["submitting", "submitted", "ended", "collected"] = "submitting"
    id: str | None = None
    input_file_id: str | None = None
    submitted_at: str
    ended_at: str | None = None
    provider_status: str | None = None
    note: str = ""
    counts: dict[str, int] = Field(default_factory=dict)
    items: list[Key]
    """The work-item keys (suite, case id, repeat) this batch holds; custom ids derive from them."""


class BatchState(BaseModel):
    """`manifest["batch"]`: that the run is a batch run, at what price, and every batch it submitted."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    price: Price
    """The batch rate every answer of the run is priced at (the manifest's endpoint keeps list prices)."""
    poll_s: float = Field(default=DEFAULT_POLL_S, gt=0)
    submissions: list[Submission] = Field(default_factory=list)


@dataclass(frozen=True)
class BatchStatus:
    ended: bool
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""


class BatchBackend(Protocol):
    """One provider's batch API, through its official SDK (`providers/batch_*.py`)."""

    max_requests: int

    async def upload(self, requests: Sequence[tuple[str, Request]]) -> str | None:
        """Upload the requests where the API takes a file first; its id, or None."""
        ...

    async def create(self, requests: Sequence[tuple[str, Request]], input_file_id: str | None) -> str:
        """Create the batch (never retried: a retry after a lost answer could create it twice)."""
        ...

    async def find(self, submission: Submission, known: set[str]) -> str | None:
        """The id of a batch the provider accepted before its id was recorded, if there is one."""
        ...

    async def status(self, batch_id: str) -> BatchStatus: ...

    def results(self, batch_id: str) -> AsyncIterator[ItemResult]: ...

    async def aclose(self) -> None: ...


def custom_id(key: Key) -> str:
    """A work item's id inside a batch. A digest of its key, since Anthropic takes only
    `[A-Za-z0-9_-]{1,64}` and case ids may hold anything; the manifest keeps the keys themselves."""
    suite, case_id, repeat = key
    return "ek-" + hashlib.sha256(f"{suite}\0{case_id}\0{repeat}".encode()).hexdigest()[:40]


def open_batches(manifest: dict[str, Any]) -> list[str]:
    """Ids of the run's batches still running at the provider (for the CLI's closing message)."""
    raw = manifest.get("batch")
    if raw is None:
        return []
    return [s.id for s in BatchState.model_validate(raw).submissions if s.state == "submitted" and s.id]


__all__ = [
    "DEFAULT_POLL_S",
    "SESSION",
    "BatchBackend",
    "BatchSession",
    "BatchState",
    "BatchStatus",
    "ItemResult",
    "Key",
    "Submission",
    "custom_id",
    "open_batches",
]
