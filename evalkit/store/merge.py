"""Merge shard runs (`evalkit run --shard I/N`) into one new run that every later stage reads as any other.

Why it lives in the store: merging is a copy of stored rows (suite and case snapshots, answers, scores,
judgements) under a new run id, after checks that only the stored runs can answer. Nothing is called
and nothing is re-scored: the merged run's answers, scores and costs are the shards' own.

Why so many refusals: a merged run claims "this endpoint answered this suite". That claim is false if
the shards ran different suite versions, different endpoints or servers, different repeats or limits,
or if two shards overlap, so each of these is bad input (exit 2) and nothing is written. A missing
shard, or a shard left unfinished (infrastructure errors, interrupted), is refused too unless the user
passes `allow_incomplete`: the merged run is then `incomplete`, the gap shows as unanswered in every
report, and `evalkit run --resume MERGED` calls exactly the missing work items (the merged plan has no
shard, so a resume plans the whole suite and skips what is answered).

Shards usually come from separate store files (each CI job or pod writes its own SQLite file), so a
source is `RUN_ID` (in the target store), `STORE:RUN_ID`, or `STORE` alone when that file holds exactly
one run. Everything is written in one transaction of the target store.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit.calls.cache import server_fingerprint
from evalkit.errors import InputError, RunNotFound
from evalkit.inputs.identity import digest
from evalkit.records import CallRecord, Judgement, ScoreRecord
from evalkit.requests.shard import Shard
from evalkit.store.location import StoreLocation, store_location
from evalkit.store.reader import RunRecord, Store, SuiteRecord, now_iso

__all__ = ["MergeOutcome", "merge_runs", "parse_source"]

_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_OPERATIONAL = {
    "concurrency",
    "timeout_s",
    "connect_timeout_s",
    "max_attempts",
    "backoff_base_s",
    "backoff_max_s",
    "max_retry_after_s",
    "notes",
}
"""Profile fields that change how hard a shard pushed its endpoint, not what it answered or cost."""


@dataclass
class _Source:
    label: str
    path: StoreLocation
    store: Store
    record: RunRecord
    suites: list[SuiteRecord]

    @property
    def shard(self) -> Shard:
        """An unsharded run is the whole suite: shard 1/1."""
        return self.record.plan.shard or Shard(index=1, count=1)

    @property
    def name(self) -> str:
        return f"run {self.label} (shard {self.shard})"


@dataclass
class MergeOutcome:
    run_id: str
    status: str
    """`finished` when every work item of the suite has an answer, else `incomplete`."""
    planned: int
    answered: int
    sources: list[str]
    missing_shards: list[str] = field(default_factory=list)


def parse_source(spec: str, default_store: StoreLocation) -> tuple[StoreLocation, str | None]:
    """`STORE` (an existing file: its one run), `STORE:RUN_ID`, or `RUN_ID` in `default_store`. A
    PostgreSQL store is `postgresql://user@host/db:RUN_ID` (a URL alone: its one run)."""
    if "://" in spec:
        url, run_id = spec.rsplit(":", 1) if ":" in spec.rsplit("/", 1)[-1] else (spec, None)
        return store_location(url), run_id or None
    if Path(spec).is_file():
        return Path(spec), None
    if ":" in spec:
        path, run_id = spec.rsplit(":", 1)
        if not Path(path).is_file():
            raise InputError(f"store not found (from {spec!r}, read as STORE:RUN_ID)", path, field="RUN")
        if not run_id:
            raise InputError(f"no run id after ':' in {spec!r}", path, field="RUN")
        return Path(path), run_id
    if isinstance(default_store, Path) and not default_store.is_file():
        raise InputError(
            f"store not found (looking for run {spec!r}; name another store as STORE:RUN_ID)", default_store
        )
    return default_store, spec


def _key(where: StoreLocation) -> str:
    return str(where.resolve()) if isinstance(where, Path) else where.url


def _open_sources(specs: list[str], default_store: StoreLocation, stack: ExitStack) -> list[_Source]:
    stores: dict[str, Store] = {}
    out: list[_Source] = []
    seen: dict[tuple[str, str], str] = {}
    for spec in specs:
        path, run_id = parse_source(spec, default_store)
        key = _key(path)
        if key not in stores:
            stores[key] = stack.enter_context(Store.existing(path))
        store = stores[key]
        if run_id is None:
            runs = store.runs()
            if len(runs) != 1:
                names = ", ".join(r.run_id for r in runs[:5]) or "none"
                raise InputError(f"holds {len(runs)} runs ({names}); name one as {path}:RUN_ID", str(path), field="RUN")
            run_id = runs[0].run_id
        if (key, run_id) in seen:
            raise InputError(f"run {run_id} is given twice ({seen[(key, run_id)]!r} and {spec!r})", field="RUN")
        seen[(key, run_id)] = spec
        label = run_id if path == default_store else f"{path}:{run_id}"
        out.append(_Source(label, path, store, store.run(run_id), store.suites(run_id)))
    return out


def _check_status(sources: list[_Source], allow_incomplete: bool) -> None:
    for s in sources:
        state = s.record.state()
        if state == "running":
            owner = s.record.owner.describe() if s.record.owner is not None else "a live process"
            raise InputError(f"{s.name} is still being written ({owner}); merge it once it has ended", field="RUN")
        if state != "finished" and not allow_incomplete:
            raise InputError(
                f"{s.name} is {state} (not every work item has an answer): resume it with "
                f"`evalkit run --resume {s.record.run_id}` in its store, or pass --allow-incomplete to merge what "
                "it has (the merged run is then incomplete and resumable)",
                field="RUN",
            )


def _differing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _check_same_work(sources: list[_Source]) -> None:
    """Same suites (by hash), same plan apart from the shard index, same endpoint and server."""
    first = sources[0]
    p0 = first.record.plan
    for s in sources[1:]:
        p = s.record.plan
        for what, mine, theirs in (
            ("suites", p.suites, p0.suites),
            ("repeats (--repeats)", p.repeats, p0.repeats),
            ("case limit (--limit)", p.limit, p0.limit),
            ("cache setting (--cache)", p.cache, p0.cache),
            ("shard count", s.shard.count, first.shard.count),
        ):
            if mine != theirs:
                raise InputError(
                    f"{s.name} and {first.name} differ in {what}: {mine!r} vs {theirs!r}; shards of one run "
                    "must share one plan",
                    field="RUN",
                )
        keys = _differing(
            p.endpoint.model_dump(mode="json", exclude=_OPERATIONAL),
            p0.endpoint.model_dump(mode="json", exclude=_OPERATIONAL),
        )
        if keys:
            raise InputError(
                f"{s.name} and {first.name} used different endpoint profiles (differ in: {', '.join(keys)})",
                field="RUN",
            )
        mine_s = {x.name: x for x in s.suites}
        for suite in first.suites:
            other = mine_s[suite.name]
            if (other.input_hash, other.expectation_hash) != (suite.input_hash, suite.expectation_hash):
                raise InputError(
                    f"suite {suite.name!r} differs between {s.name} and {first.name} (input hash "
                    f"{other.input_hash[:12]} vs {suite.input_hash[:12]}, expectation hash "
                    f"{other.expectation_hash[:12]} vs {suite.expectation_hash[:12]}): the suite was edited "
                    "between shards; re-run the shards from one version of the suite",
                    field="RUN",
                )
    _check_same_endpoint(sources)


def _check_same_endpoint(sources: list[_Source]) -> None:
    """Shards that called nothing (an empty shard) have no identity and no server to compare."""
    identities = [(s, s.record.endpoint_identity) for s in sources if s.record.endpoint_identity is not None]
    for s, ident in identities[1:]:
        first, ident0 = identities[0]
        if ident != ident0:
            raise InputError(
                f"{s.name} and {first.name} were answered by different endpoints (endpoint identity "
                f"{ident[:12]} vs {ident0[:12]}: model, base URL, launch or wire settings differ)",
                field="RUN",
            )
    servers = [(s, digest(server_fingerprint(srv))) for s in sources if (srv := s.record.manifest.get("server"))]
    for s, fp in servers[1:]:
        first, fp0 = servers[0]
        if fp != fp0:
            raise InputError(
                f"{s.name} and {first.name} were answered by different servers (server fingerprint {fp[:12]} vs "
                f"{fp0[:12]}: model list, server version, engine config or chat template differ)",
                field="RUN",
            )


def _check_shards(sources: list[_Source], allow_incomplete: bool) -> list[str]:
    """Each shard at most once; every shard present unless `allow_incomplete` (then: the missing ones)."""
    count = sources[0].shard.count
    by_index: dict[int, _Source] = {}
    for s in sources:
        if s.shard.index in by_index:
            raise InputError(
                f"shard {s.shard} is given twice ({by_index[s.shard.index].label} and {s.label}); the runs overlap",
                field="RUN",
            )
        by_index[s.shard.index] = s
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in by_index]
    if missing and not allow_incomplete:
        raise InputError(
            f"shard {', '.join(missing)} missing ({len(by_index)} of {count} shards given); merge every shard, "
            "or pass --allow-incomplete and resume the merged run to fill the gap",
            field="RUN",
        )
    return missing


def _rows(sources: list[_Source], run_id: str) -> tuple[list[CallRecord], list[ScoreRecord], list[Judgement]]:
    calls: list[CallRecord] = []
    scores: list[ScoreRecord] = []
    judgements: list[Judgement] = []
    owner: dict[tuple[str, str, int], str] = {}
    for s in sources:
        rid, plan = s.record.run_id, s.record.plan
        for call in s.store.calls(rid, with_raw=True):
            key = (call.suite, call.case_id, call.repeat)
            if not plan.holds(*key):
                raise InputError(f"{s.name} holds an answer outside its shard: {key}", str(s.path), field="RUN")
            if key in owner:
                raise InputError(f"{s.name} and {owner[key]} both hold an answer for {key}", field="RUN")
            owner[key] = s.name
            calls.append(call.model_copy(update={"run_id": run_id}))
        scores += s.store.scores(rid)
        judgements += [j.model_copy(update={"run_id": run_id}) for j in s.store.judgements(rid)]
    return calls, scores, judgements


def _manifest(sources: list[_Source], argv: list[str], missing: list[str], answered: list[int]) -> dict[str, Any]:
    manifest = dict(sources[0].record.manifest)
    manifest.pop("shard", None)
    manifest["argv"] = argv
    manifest["server"] = next((s.record.manifest["server"] for s in sources if s.record.manifest.get("server")), None)
    manifest["sessions"] = [
        {**session, "source_run": s.record.run_id, "shard": str(s.shard)}
        for s in sources
        for session in s.record.manifest.get("sessions", [])
    ]
    manifest["merged_at"] = now_iso()
    manifest["merged_from"] = [
        {
            "run_id": s.record.run_id,
            "store": str(s.path),
            "shard": str(s.shard),
            "status": s.record.status,
            "created_at": s.record.created_at,
            "finished_at": s.record.finished_at,
            "endpoint_identity": s.record.endpoint_identity,
            "answered": n,
        }
        for s, n in zip(sources, answered, strict=True)
    ]
    if missing:
        manifest["missing_shards"] = missing
    return manifest


def merge_runs(
    target: StoreLocation,
    specs: list[str],
    *,
    run_id: str,
    allow_incomplete: bool = False,
    argv: list[str] | None = None,
) -> MergeOutcome:
    """Check the sources, then write the merged run to `target` in one transaction (or nothing)."""
    if not _RUN_ID.fullmatch(run_id):
        raise InputError(
            f"--run-id must be letters, digits, '.', '_' or '-' (at most 128), got {run_id!r}", field="--run-id"
        )
    with ExitStack() as stack:
        sources = sorted(_open_sources(specs, target, stack), key=lambda s: s.shard.index)
        _check_status(sources, allow_incomplete)
        _check_same_work(sources)
        missing = _check_shards(sources, allow_incomplete)
        calls, scores, judgements = _rows(sources, run_id)
        first = sources[0]
        cases = [(s.name, c) for s in first.suites for c in first.store.cases(first.record.run_id, s.name)]
        planned = len(cases) * first.record.plan.repeats
        answered = sum(c.status == "ok" for c in calls)
        per_source = [len(s.store.finished_keys(s.record.run_id)) for s in sources]
        status = "finished" if answered >= planned else "incomplete"
        stamp = now_iso()
        record = RunRecord(
            run_id=run_id,
            created_at=stamp,
            finished_at=stamp,
            status=status,
            endpoint=first.record.endpoint,
            endpoint_identity=next((s.record.endpoint_identity for s in sources if s.record.endpoint_identity), None),
            plan=first.record.plan.model_copy(update={"shard": None}),
            manifest=_manifest(sources, argv or [], missing, per_source),
        )
        with Store(target) as out:  # a new store (no run in it yet) or one checked for the run id first
            try:
                out.run(run_id)
            except RunNotFound:
                pass
            else:
                raise InputError(f"a run {run_id!r} already exists in this store", str(target), field="--run-id")
            out.create_run(record, first.suites, cases, calls=calls, scores=scores, judgements=judgements)
    return MergeOutcome(run_id, status, planned, answered, [s.name for s in sources], missing)
