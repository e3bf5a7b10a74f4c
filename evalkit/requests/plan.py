"""The run plan and its work items: what a run will send, decided before the first call.

The plan is stored with the run, so `--resume` and every later stage rebuild exactly the same requests
from the store even if the suite files changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from evalkit.inputs.cases import Case
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.records import Request
from evalkit.requests.shard import Shard


class RunPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: EndpointProfile
    suites: list[str]
    repeats: int = Field(default=1, ge=1)
    limit: int | None = Field(default=None, ge=1)
    cache: bool = False
    """Reuse earlier answers of the same endpoint identity and server fingerprint. Off by default: a
    run exists to find out what the endpoint answers *now*."""
    shard: Shard | None = None
    """Run only this shard's work items (`--shard I/N`, see `requests/shard.py`); None: all of them."""

    def holds(self, suite: str, case_id: str, repeat: int) -> bool:
        """Whether this run's plan includes the work item (always, unless the run is a shard)."""
        return self.shard is None or self.shard.holds(suite, case_id, repeat)


@dataclass(frozen=True)
class WorkItem:
    suite: str
    case_id: str
    repeat: int
    request: Request
    request_hash: str
    case: Case | None = field(default=None, compare=False, repr=False)
    """The case the request was rendered from, for the live scorer (None for judge calls)."""
