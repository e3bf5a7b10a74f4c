"""The run, start to finish: inputs -> requests -> calls -> store -> scores.

A run is one endpoint against one or more suites. Its plan and the suite and case snapshots are stored
before the first call, so `--resume` rebuilds exactly the same requests from the store even if the
suite files changed since, and re-runs only work that has no answered row. Metrics, comparison and
reports are later stages that read the store; they never need this module.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from evalkit.calls.batch import BatchRun
from evalkit.calls.connection import ServerInfo, call_endpoint
from evalkit.calls.engine import CallOutcome, call_record
from evalkit.calls.manifest import build_manifest
from evalkit.calls.progress import RunProgress
from evalkit.calls.servers import keep_server_log
from evalkit.errors import InputError
from evalkit.inputs.endpoints import DEFAULT_ENDPOINTS_DIR, EndpointProfile, load_endpoint
from evalkit.inputs.suites import DEFAULT_SUITES_DIR, LoadedSuite, load_suites
from evalkit.interrupts import TermAsInterrupt
from evalkit.records import CallRecord
from evalkit.requests.build import build_request, request_hash
from evalkit.requests.plan import RunPlan, WorkItem
from evalkit.requests.shard import parse_shard
from evalkit.scoring.runner import LiveScorer, rescore_run
from evalkit.store import RunLock, RunRecord, Store, StoreWriter, SuiteRecord, now_iso


@dataclass
class RunOutcome:
    run_id: str
    status: str
    planned: int
    called: int = 0
    cached: int = 0
    skipped: int = 0
    errors: int = 0
    notes: list[str] = field(default_factory=list)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def prepare(
    suite_spec: str,
    endpoint_spec: str,
    *,
    repeats: int = 1,
    limit: int | None = None,
    cache: bool = False,
    suites_dir: Path = DEFAULT_SUITES_DIR,
    endpoints_dir: Path = DEFAULT_ENDPOINTS_DIR,
    shard: str | None = None,
) -> tuple[RunPlan, list[LoadedSuite]]:
    """Validate everything a run needs, before anything is written or called. `shard` ("I/N") keeps
    the suite snapshot whole (same input hash as an unsharded run) and narrows only the work items."""
    shard_ = parse_shard(shard) if shard is not None else None
    if repeats < 1:
        raise InputError("--repeats must be at least 1", field="--repeats")
    if limit is not None and limit < 1:
        raise InputError("--limit must be at least 1", field="--limit")
    profile = load_endpoint(endpoint_spec, endpoints_dir)
    suites = load_suites(suite_spec, suites_dir, render=True)  # rendered as loaded: no case is held for it
    profile.require_key()
    for loaded in suites:
        bad = loaded.unrenderable
        if bad is not None and (limit is None or bad[0] < limit):
            raise InputError(f"case {bad[1]!r} does not render: {bad[2]}", loaded.path, field="prompt")
    if profile.kind == "scripted":
        _check_script_covers(profile, suites, limit)
    plan = RunPlan(
        endpoint=profile, suites=[s.name for s in suites], repeats=repeats, limit=limit, cache=cache, shard=shard_
    )
    return plan, suites


def _check_script_covers(profile: EndpointProfile, suites: list[LoadedSuite], limit: int | None) -> None:
    """A scripted endpoint must answer every planned case: a gap is a defect of the script (bad
    input), not an infrastructure error to discover mid-run."""
    from evalkit.calls.providers.base import CallContext
    from evalkit.calls.providers.scripted import find_answer, load_script

    script = Path(profile.script or "")
    answers = load_script(script)
    for loaded in suites:
        for case in loaded.cases.snapshots[:limit]:
            if find_answer(answers, CallContext(loaded.name, case.id, 0)) is None:
                raise InputError(f"no scripted answer for case {case.id!r} of suite {loaded.name!r}", script)


def create_run(store: Store, plan: RunPlan, suites: list[LoadedSuite], argv: list[str]) -> str:
    run_id = new_run_id()
    suite_info = [
        {
            "name": s.name,
            "category": s.suite.category,
            "version": s.suite.version,
            "input_hash": s.input_hash,
            "expectation_hash": s.expectation_hash,
            "path": str(s.path),
            "cases_total": len(s.cases),
            "cases_planned": len(s.cases[: plan.limit]),
        }
        for s in suites
    ]
    manifest = build_manifest(plan.endpoint, suite_info, argv)
    if plan.shard is not None:
        manifest["shard"] = str(plan.shard)
    store.create_run(
        RunRecord(
            run_id=run_id,
            created_at=now_iso(),
            finished_at=None,
            status="running",
            endpoint=plan.endpoint.name,
            endpoint_identity=None,
            plan=plan,
            manifest=manifest,
        ),
        [
            SuiteRecord(
                name=s.name,
                category=s.suite.category,
                input_hash=s.input_hash,
                expectation_hash=s.expectation_hash,
                suite=s.suite,
                assets=s.assets,
            )
            for s in suites
        ],
        ((s.name, c) for s in suites for c in s.cases.snapshots[: plan.limit]),  # stored as loaded, unparsed
    )
    return run_id


def work_items(
    store: Store, run_id: str, plan: RunPlan, skip: Container[tuple[str, str, int]] = ()
) -> Iterator[WorkItem]:
    """The run's work items in snapshot order, read from the store as the engine pulls them (never all
    at once), each carrying its case for the live scorer. `skip`: (suite, case, repeat) keys already
    answered; a case none of whose items is left is neither parsed nor rendered."""
    for rec in store.suites(run_id):
        for snapshot in store.case_snapshots(run_id, rec.name):
            repeats = [
                r
                for r in range(plan.repeats)
                if plan.holds(rec.name, snapshot.id, r) and (rec.name, snapshot.id, r) not in skip
            ]
            if not repeats:
                continue
            case = snapshot.case()
            request = build_request(rec.suite, case, plan.endpoint.sampling)
            digest_ = request_hash(request)
            for repeat in repeats:
                yield WorkItem(rec.name, case.id, repeat, request, digest_, case)


def planned_items(store: Store, run_id: str, plan: RunPlan) -> int:
    """How many work items the run's plan holds (a shard's share, or every case times repeats)."""
    if plan.shard is None:
        return store.count_cases(run_id) * plan.repeats
    return sum(
        plan.holds(rec.name, case.id, repeat)
        for rec in store.suites(run_id)
        for case in store.case_snapshots(run_id, rec.name)
        for repeat in range(plan.repeats)
    )


async def _replay(
    store: Store,
    run_id: str,
    plan: RunPlan,
    console: Console,
    outcome: RunOutcome,
    lock: RunLock,
    term: TermAsInterrupt,
) -> None:
    term.attach()
    profile = plan.endpoint
    batch = BatchRun.of(store, run_id, profile)  # None unless the run is a batch run (`--batch`)
    finished = store.finished_keys(run_id)
    writer = StoreWriter(store.path, fence=lock.verify)
    scorer = LiveScorer(store, run_id, writer)
    # A generator, not a list: the engine pulls items as workers free up, so at 100,000 cases neither
    # the cases nor their rendered requests (a long system prompt each) are ever all in memory; each
    # item carries its case to the live scorer, so only the cases in flight are held.
    pending = work_items(store, run_id, plan, skip=finished)
    n_pending = max(outcome.planned - len(finished), 0)  # every stored answer is of a planned item
    outcome.skipped = outcome.planned - n_pending
    session: dict[str, Any] = {"started_at": now_iso(), "pending": n_pending, "cache": plan.cache}
    if lock.taken_over is not None:  # the dead writer this session replaced, for the record
        session["took_over_from"] = lock.taken_over.model_dump()
    served: list[dict[str, Any]] = []
    try:
        with RunProgress(outcome.planned, outcome.skipped, profile.name, console) as progress:

            def on_outcome(call: CallOutcome) -> None:
                record: CallRecord = batch.record(call) if batch else call_record(run_id, call, profile)
                writer.put_call(record)
                if record.status != "ok":
                    outcome.errors += 1
                if record.cache_hit:
                    outcome.cached += 1
                else:
                    outcome.called += 1
                progress.advance(record)
                scorer.submit(record, call.item.case)

            def on_server(info: ServerInfo) -> None:
                served.append(info.server)
                store.update_manifest(run_id, server=info.server, endpoint_identity=info.identity)
                store.set_endpoint_identity(run_id, info.keys.identity_hash)

            async def lookup(keys: Sequence[str]) -> dict[str, CallRecord]:
                return await asyncio.to_thread(store.cached_answers, keys, exclude_run=run_id)

            if n_pending and batch is not None:
                await batch.run(list(pending), on_outcome, on_server=on_server, console=console)
            elif n_pending:
                await call_endpoint(
                    profile, pending, on_outcome, on_server=on_server, lookup=lookup if plan.cache else None
                )
        session.update(called=outcome.called, cache_hits=outcome.cached, infra_errors=outcome.errors)
    finally:
        try:
            await asyncio.to_thread(scorer.close)
        finally:
            writer.close()
        session["finished_at"] = now_iso()
        if served:  # a server evalkit launched: keep its (now complete) log with the run's report
            kept = keep_server_log(served[0], store.path.parent / run_id)
            if kept is not None:
                session["server_log"] = str(kept)
        sessions = store.run(run_id).manifest.get("sessions", [])
        store.update_manifest(run_id, sessions=[*sessions, session])


def replay(store: Store, run_id: str, console: Console | None = None) -> RunOutcome:
    """Run (or finish) `run_id`; the run's status in the store says how it ended.

    The run's lock is held throughout: `RunLocked` (exit 2, nothing written or called) when another
    live process is writing the run, a takeover when its writer is dead (see `store/lock.py`). SIGTERM
    ends the run as Ctrl-C does: `interrupted`, `KeyboardInterrupt` to the caller (exit 130).
    """
    console = console or Console(stderr=True)
    plan = store.run(run_id).plan
    plan.endpoint.require_key()
    planned = planned_items(store, run_id, plan)
    outcome = RunOutcome(run_id, "running", planned)
    if plan.shard is not None:
        total = store.count_cases(run_id) * plan.repeats
        outcome.notes.append(
            f"shard {plan.shard}: {planned} of {total} work items; combine the shards with `evalkit merge`"
        )
    lock = RunLock.acquire(store.path, run_id)  # also marks the run running
    if lock.taken_over is not None:
        outcome.notes.append(f"took over the run from a dead writer ({lock.taken_over.describe()})")
    status, finished = "failed", False
    try:
        with TermAsInterrupt() as term:
            try:
                asyncio.run(_replay(store, run_id, plan, console, outcome, lock, term))
            except asyncio.CancelledError:
                if not term.fired:
                    raise
                raise KeyboardInterrupt from None
            rescore_run(store, run_id, only_missing=True)
        # "finished" means every work item has an answer; infrastructure errors leave the run incomplete
        # (exit 1), so an unattended job cannot mistake a run of timeouts for a result. `--resume` retries.
        answered = len(store.finished_keys(run_id))
        status, finished = ("finished" if answered >= planned else "incomplete"), True
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        outcome.status = status
        lock.finish(status, finished=finished)  # a no-op if the lock was taken over: the status is theirs
    return outcome


__all__ = ["RunOutcome", "create_run", "planned_items", "prepare", "replay", "work_items"]
