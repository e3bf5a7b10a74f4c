"""The store's schema, its version, and the forward migrations that bring an older store up to date.

The version lives in SQLite's `user_version` (a `schema_meta` table in PostgreSQL: see `dialect.py`;
both run the same schema script and the same migration chain). A store written by an older evalkit is migrated in one
transaction when it is opened (runs stay readable and comparable: request and suite hashes are
computed from the snapshots the old store already holds); a store written by a newer evalkit is
refused, because this code cannot know what the newer columns mean.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from evalkit.errors import InputError

if TYPE_CHECKING:
    from evalkit.store.dialect import Connection
    from evalkit.store.location import StoreLocation

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    endpoint_identity TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_endpoint ON runs (endpoint_identity);
CREATE TABLE IF NOT EXISTS suites (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    category TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    assets_json TEXT NOT NULL,
    expectation_hash TEXT NOT NULL,
    PRIMARY KEY (run_id, suite)
);
CREATE INDEX IF NOT EXISTS suites_by_input ON suites (input_hash);
CREATE TABLE IF NOT EXISTS cases (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    split TEXT NOT NULL,
    case_json TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id)
);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    latency_s REAL,
    ttft_s REAL,
    input_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    finish_reason TEXT,
    model TEXT,
    system_fingerprint TEXT,
    request_id TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    request_json TEXT NOT NULL,
    response_json TEXT,
    raw_json TEXT,
    request_hash TEXT NOT NULL DEFAULT '',
    cache_key TEXT,
    cached_from TEXT,
    original_latency_s REAL,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
CREATE INDEX IF NOT EXISTS results_by_cache_key ON results (cache_key);
CREATE TABLE IF NOT EXISTS scores (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    resolved INTEGER,
    detail_json TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scored',
    values_json TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
CREATE TABLE IF NOT EXISTS blessings (
    suite TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    run_id TEXT NOT NULL,
    blessed_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (suite, endpoint)
);
CREATE TABLE IF NOT EXISTS judgements (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    judge TEXT NOT NULL,
    status TEXT NOT NULL,
    fidelity INTEGER,
    detail_json TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    latency_s REAL,
    judged_at TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id, repeat, judge)
);
CREATE TABLE IF NOT EXISTS run_locks (
    run_id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    token TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS call_history (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    latency_s REAL,
    ttft_s REAL,
    input_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    finish_reason TEXT,
    model TEXT,
    system_fingerprint TEXT,
    request_id TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    request_json TEXT NOT NULL,
    response_json TEXT,
    raw_json TEXT,
    request_hash TEXT NOT NULL DEFAULT '',
    cache_key TEXT,
    cached_from TEXT,
    original_latency_s REAL,
    superseded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS call_history_by_item ON call_history (run_id, suite, case_id, repeat);
"""


def _migrate_1_to_2(conn: Connection) -> None:
    """v1 (evalkit 0.1, no version): one suite hash, no request hashes, an unkeyed response cache. SQLite
    only (no PostgreSQL store was ever v1), so this one keeps SQLite's spelling (rowid, json_extract).

    Request hashes are computed from the stored requests and the two suite hashes from the stored
    suite and case snapshots, so a migrated run pairs with a new one case by case. The old response
    cache is dropped: it was keyed without the server's fingerprint, so reusing it would be the
    dishonest cache this version removes.
    """
    from evalkit.inputs.cases import Case
    from evalkit.inputs.identity import digest, expectation_hash, input_hash
    from evalkit.inputs.suites import Suite

    conn.execute("ALTER TABLE runs ADD COLUMN endpoint_identity TEXT")
    conn.execute("ALTER TABLE suites RENAME COLUMN hash TO input_hash")
    conn.execute("ALTER TABLE suites ADD COLUMN expectation_hash TEXT NOT NULL DEFAULT ''")
    new_columns = (
        "request_hash TEXT NOT NULL DEFAULT ''",
        "cache_key TEXT",
        "cached_from TEXT",
        "original_latency_s REAL",
    )
    for column in new_columns:
        conn.execute(f"ALTER TABLE results ADD COLUMN {column}")
    for column in ("status TEXT NOT NULL DEFAULT 'scored'", "values_json TEXT NOT NULL DEFAULT '{}'", "error TEXT"):
        conn.execute(f"ALTER TABLE scores ADD COLUMN {column}")
    conn.execute("DROP TABLE IF EXISTS response_cache")
    for run_id, plan_json in conn.execute("SELECT run_id, plan_json FROM runs").fetchall():
        plan = json.loads(plan_json)
        plan.pop("use_cache", None)  # v1's cache was on by default; a resumed old run now calls live
        conn.execute("UPDATE runs SET plan_json = ? WHERE run_id = ?", (json.dumps(plan, sort_keys=True), run_id))

    suites = conn.execute("SELECT run_id, suite, definition_json, assets_json FROM suites").fetchall()
    for run_id, name, definition_json, assets_json in suites:
        definition = json.loads(definition_json)
        definition.pop("gate", None)  # untyped in v1 and in neither hash
        suite = Suite.model_validate(definition)
        cases = [
            Case.model_validate(json.loads(r[0]))
            for r in conn.execute(
                "SELECT case_json FROM cases WHERE run_id = ? AND suite = ? ORDER BY ordinal", (run_id, name)
            )
        ]
        conn.execute(
            "UPDATE suites SET input_hash = ?, expectation_hash = ?, definition_json = ? "
            "WHERE run_id = ? AND suite = ?",
            (
                input_hash(suite, cases),
                expectation_hash(suite, cases, json.loads(assets_json)),
                json.dumps(suite.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                run_id,
                name,
            ),
        )
    rows = conn.execute("SELECT rowid, request_json FROM results").fetchall()
    conn.executemany(
        "UPDATE results SET request_hash = ? WHERE rowid = ?", [(digest(json.loads(rj)), rid) for rid, rj in rows]
    )
    # v1 recorded a scorer crash as resolved = false with a `scorer_error` key, and scored truncated
    # answers like any other; both are unscored outcomes now.
    conn.execute(
        "UPDATE scores SET status = 'scorer_error', resolved = NULL, "
        "error = json_extract(detail_json, '$.scorer_error'), detail_json = '{}' "
        "WHERE json_extract(detail_json, '$.scorer_error') IS NOT NULL"
    )
    conn.execute(
        "UPDATE scores SET status = 'truncated', resolved = NULL, detail_json = '{}' WHERE EXISTS ("
        "SELECT 1 FROM results r WHERE r.run_id = scores.run_id AND r.suite = scores.suite AND "
        "r.case_id = scores.case_id AND r.repeat = scores.repeat AND r.finish_reason = 'length')"
    )
    conn.execute(
        "UPDATE scores SET values_json = json_object('resolved', CAST(resolved AS REAL)) WHERE status = 'scored'"
    )
    conn.execute(
        "INSERT INTO scores (run_id, suite, case_id, repeat, resolved, detail_json, scored_at, status, error) "
        "SELECT run_id, suite, case_id, repeat, NULL, '{}', finished_at, 'infra_error', error_message FROM results r "
        "WHERE status = 'infra_error' AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = r.run_id AND "
        "s.suite = r.suite AND s.case_id = r.case_id AND s.repeat = r.repeat)"
    )


def _migrate_2_to_3(conn: Connection) -> None:
    """v2 -> v3: blessed baselines per (suite, endpoint), for nightly regression. Nothing to convert: the
    new table is created by the schema script that runs after every migration."""


def _migrate_3_to_4(conn: Connection) -> None:
    """v3 -> v4: `run_locks` (one live writer per run: pid, host, token, heartbeat; see `store/lock.py`)
    and `call_history` (the rows a resume replaced, so an infrastructure error's attempts are kept).
    Nothing to convert: a v3 run left "running" has no lock row, so it reads as dead and resumes."""


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}
"""`from_version -> migration`; each brings the schema one version forward. From v4 on a migration runs
on both dialects: write it in the portable subset `dialect.translate` handles."""


def ensure_schema(conn: Connection, where: StoreLocation, *, create: bool = True) -> None:
    """Create, migrate or refuse. Runs inside one write transaction (BEGIN IMMEDIATE, or PostgreSQL's
    schema advisory lock), so two processes opening the same old store do not both migrate it, and a
    failed migration leaves the old store untouched. `create=False`: a store with no evalkit tables is
    "not found" (reading commands never create one)."""
    version = conn.schema_version()
    if version == SCHEMA_VERSION:
        return  # the common case: no lock taken, so readers polling a live run never block its writer
    if version == 0 and not create:
        raise InputError("store not found (no evalkit tables there yet; `evalkit run` creates them)", str(where))
    with conn.transaction():
        conn.lock("schema")
        version = conn.schema_version()
        if version > SCHEMA_VERSION:
            raise InputError(
                f"store schema version {version} is newer than this evalkit understands ({SCHEMA_VERSION}); "
                "upgrade evalkit to read it",
                str(where),
            )
        while 0 < version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.set_schema_version(SCHEMA_VERSION)
