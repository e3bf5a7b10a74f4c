"""Starting and resuming runs: validate, snapshot into the store, replay what is not done yet.

A run is one endpoint against one or more suites. Its plan and the suite and case snapshots are
stored before the first call, so `--resume` rebuilds exactly the same requests from the store even if
the suite files changed since, and re-runs only work that has no answered row.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from evalkit.cases import Case
from evalkit.endpoints import DEFAULT_ENDPOINTS_DIR, EndpointProfile, load_endpoint
from evalkit.engine import WorkItem, execute, result_row, work_item
from evalkit.errors import EndpointError, InputError
from evalkit.manifest import build_manifest
from evalkit.progress import RunProgress
from evalkit.providers import CallError, Generation, make_provider
from evalkit.render import build_request
from evalkit.response import Response
from evalkit.score import LiveScorer, rescore_run
from evalkit.servers import endpoint_server
from evalkit.store import Store, StoreWriter, dumps, now_iso
from evalkit.suite import DEFAULT_SUITES_DIR, LoadedSuite, Suite, load_suites


class RunPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: EndpointProfile
    suites: list[str]
    repeats: int = Field(default=1, ge=1)
    limit: int | None = Field(default=None, ge=1)
    use_cache: bool = True


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


def _render_checked(suite: Suite, case: Case, profile: EndpointProfile, where: Path) -> None:
    try:
        build_request(suite, case, profile.sampling)
    except jinja2.TemplateError as exc:
        raise InputError(f"case {case.id!r} does not render: {exc}", where, field="prompt") from None


def prepare(
    suite_spec: str,
    endpoint_spec: str,
    *,
    repeats: int = 1,
    limit: int | None = None,
    use_cache: bool = True,
    suites_dir: Path = DEFAULT_SUITES_DIR,
    endpoints_dir: Path = DEFAULT_ENDPOINTS_DIR,
) -> tuple[RunPlan, list[LoadedSuite]]:
    """Validate everything a run needs, before anything is written or called."""
    if repeats < 1:
        raise InputError("--repeats must be at least 1", field="--repeats")
    if limit is not None and limit < 1:
        raise InputError("--limit must be at least 1", field="--limit")
    profile = load_endpoint(endpoint_spec, endpoints_dir)
    suites = load_suites(suite_spec, suites_dir)
    profile.require_key()
    for loaded in suites:
        for case in loaded.cases[:limit]:
            _render_checked(loaded.suite, case, profile, loaded.path)
    plan = RunPlan(endpoint=profile, suites=[s.name for s in suites], repeats=repeats, limit=limit, use_cache=use_cache)
    return plan, suites


def create_run(store: Store, plan: RunPlan, suites: list[LoadedSuite], argv: list[str]) -> str:
    run_id = new_run_id()
    suite_info = [
        {
            "name": s.name,
            "category": s.suite.category,
            "version": s.suite.version,
            "hash": s.hash,
            "path": str(s.path),
            "cases_total": len(s.cases),
            "cases_planned": len(s.cases[: plan.limit]),
        }
        for s in suites
    ]
    manifest = build_manifest(plan.endpoint, suite_info, argv)
    store.create_run(
        run_id,
        plan.endpoint.name,
        plan.model_dump(mode="json"),
        manifest,
        [(s.name, s.suite.category, s.hash, s.suite.model_dump(mode="json"), s.assets) for s in suites],
        (
            (s.name, c.id, i, c.split, c.model_dump(mode="json"))
            for s in suites
            for i, c in enumerate(s.cases[: plan.limit])
        ),
    )
    return run_id


def work_items(store: Store, run_id: str, plan: RunPlan) -> Iterator[WorkItem]:
    identity = dumps(plan.endpoint.identity())
    for name, _category, _hash, definition in store.suites(run_id):
        suite = Suite.model_validate(definition)
        for raw in store.cases(run_id, name):
            case = Case.model_validate(raw)
            request = build_request(suite, case, plan.endpoint.sampling)
            for repeat in range(plan.repeats):
                yield work_item(name, case.id, repeat, request, identity)


def load_plan(store: Store, run_id: str) -> RunPlan:
    return RunPlan.model_validate(store.run(run_id).plan)


async def _replay(store: Store, run_id: str, plan: RunPlan, console: Console, outcome: RunOutcome) -> None:
    profile = plan.endpoint
    finished = store.finished_keys(run_id)
    pending = [i for i in work_items(store, run_id, plan) if (i.suite, i.case_id, i.repeat) not in finished]
    outcome.skipped = outcome.planned - len(pending)
    hits: dict[str, tuple[str, str | None]] = {}
    if plan.use_cache and pending:
        hits = await asyncio.to_thread(store.cache_lookup, [i.cache_key for i in pending])
    misses = [i for i in pending if i.cache_key not in hits]
    session: dict[str, Any] = {"started_at": now_iso(), "pending": len(pending), "cache_hits": 0}
    writer = StoreWriter(store.path)
    scorer = LiveScorer(store, run_id, writer)
    try:
        with RunProgress(outcome.planned, outcome.skipped, f"{profile.name}", console) as progress:

            def on_row(row: dict[str, Any]) -> None:
                if row["status"] != "ok":
                    outcome.errors += 1
                progress.advance(row)
                scorer.submit(row)

            for item in pending:
                if item.cache_key not in hits:
                    continue
                resp_json, raw_json = hits[item.cache_key]
                generation = Generation(Response.model_validate_json(resp_json), json.loads(raw_json or "{}"))
                row = result_row(
                    run_id,
                    item,
                    profile,
                    started=now_iso(),
                    generation=generation,
                    error=None,
                    attempts=0,
                    cache_hit=True,
                )
                writer.put_result(row)
                outcome.cached += 1
                on_row(row)
            session["cache_hits"] = outcome.cached
            if misses:
                async with endpoint_server(profile) as base_url:
                    provider = make_provider(profile, base_url)
                    try:
                        try:
                            server = await provider.describe()
                        except CallError as err:
                            raise EndpointError(
                                f"endpoint {profile.name!r} at {base_url or profile.base_url} is not usable: {err}"
                            ) from None
                        store.update_manifest(run_id, server=server)
                        before = outcome.errors
                        await execute(run_id, misses, provider, profile, writer, on_row, use_cache=plan.use_cache)
                        outcome.called = len(misses)
                        session["infra_errors"] = outcome.errors - before
                    finally:
                        await provider.aclose()
    finally:
        try:
            await asyncio.to_thread(scorer.close)
        finally:
            writer.close()
        session["finished_at"] = now_iso()
        sessions = store.run(run_id).manifest.get("sessions", [])
        store.update_manifest(run_id, sessions=[*sessions, session])


def replay(store: Store, run_id: str, console: Console | None = None) -> RunOutcome:
    """Run (or finish) `run_id`; the run's status in the store says how it ended."""
    console = console or Console(stderr=True)
    plan = load_plan(store, run_id)
    plan.endpoint.require_key()
    planned = sum(len(store.cases(run_id, s)) for s in plan.suites) * plan.repeats
    outcome = RunOutcome(run_id, "running", planned)
    store.set_status(run_id, "running")
    try:
        asyncio.run(_replay(store, run_id, plan, console, outcome))
    except KeyboardInterrupt:
        store.set_status(run_id, "interrupted")
        outcome.status = "interrupted"
        raise
    except BaseException:
        store.set_status(run_id, "failed")
        outcome.status = "failed"
        raise
    rescore_run(store, run_id, only_missing=True)
    done = store.count_results(run_id)
    outcome.status = "finished" if done >= planned else "incomplete"
    store.set_status(run_id, outcome.status, finished=True)
    return outcome
