"""The store's typed records: what readers get instead of rows (runs, suites, blessings, attempts).

Kept apart from the reader so `Store` holds queries only, and so the records can be imported without
opening anything.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from evalkit.inputs.suites import Suite
from evalkit.records import CallRecord
from evalkit.requests.plan import RunPlan
from evalkit.store.lock import RunOwner, run_state

__all__ = ["RUN_COLUMNS", "RUN_SELECT", "Blessing", "CallAttempt", "RunRecord", "SuiteRecord", "now_iso", "run_record"]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class RunRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: str
    created_at: str
    finished_at: str | None
    status: str
    endpoint: str
    endpoint_identity: str | None
    """Hash of everything that makes the endpoint answer as it does (None for migrated runs)."""
    plan: RunPlan
    manifest: dict[str, Any]
    owner: RunOwner | None = None
    """The process holding the run's lock, or the last one if it died holding it (None: nobody)."""

    def state(self) -> str:
        """The status as seen from here, now: a "running" run whose writer is gone reads "dead"."""
        return run_state(self.status, self.owner)


class CallAttempt(BaseModel):
    """One stored outcome of a work item. A resume replaces an infrastructure error's row with the new
    outcome; the replaced row is kept, with its attempts, error and timing, as a superseded attempt."""

    model_config = ConfigDict(extra="forbid")

    call: CallRecord
    superseded_at: str | None = None
    """When a later session replaced this outcome; None for the current one (what `calls()` returns)."""

    @property
    def current(self) -> bool:
        return self.superseded_at is None


class Blessing(BaseModel):
    """The accepted baseline of one (suite, endpoint): what nightly runs are compared against."""

    model_config = ConfigDict(extra="forbid")

    suite: str
    endpoint: str
    run_id: str
    blessed_at: str
    note: str = ""


class SuiteRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    category: str
    input_hash: str
    expectation_hash: str
    suite: Suite
    assets: dict[str, dict[str, str]]


RUN_COLUMNS = "run_id, created_at, finished_at, status, endpoint, endpoint_identity, plan_json, manifest_json"
RUN_SELECT = (
    "SELECT " + ", ".join(f"r.{c}" for c in RUN_COLUMNS.split(", ")) + ", l.pid, l.host, l.acquired_at, "
    "l.heartbeat_at FROM runs r LEFT JOIN run_locks l ON l.run_id = r.run_id"
)


def run_record(row: tuple[Any, ...]) -> RunRecord:
    return RunRecord(
        run_id=row[0],
        created_at=row[1],
        finished_at=row[2],
        status=row[3],
        endpoint=row[4],
        endpoint_identity=row[5],
        plan=RunPlan.model_validate_json(row[6]),
        manifest=json.loads(row[7]),
        owner=None if row[8] is None else RunOwner(pid=row[8], host=row[9], acquired_at=row[10], heartbeat_at=row[11]),
    )
