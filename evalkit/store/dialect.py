"""One connection type over SQLite and PostgreSQL: the only place that knows how the two differ.

Why a layer at all: the store's SQL is written once, in SQLite's spelling (`?` placeholders,
`INSERT OR REPLACE`, `BEGIN IMMEDIATE`), and SQLite gets it byte for byte as before. PostgreSQL gets
the same statements translated here, and nowhere else:

* placeholders `?` -> `%s`;
* `INSERT OR REPLACE INTO t (...) VALUES (...)` -> `... ON CONFLICT (t's primary key) DO UPDATE SET`
  every other listed column (the primary keys are read from the one schema script);
* column types in DDL: `TEXT` -> `TEXT COLLATE "C"` (byte order, as SQLite sorts: the same run lists
  its cases in the same order on both), `INTEGER` -> `BIGINT`, `REAL` -> `DOUBLE PRECISION` (a
  PostgreSQL `REAL` is 4 bytes and would round costs and latencies);
* the schema version: SQLite's `user_version`, a `schema_meta` table in PostgreSQL;
* write serialisation: SQLite's `BEGIN IMMEDIATE` takes the file's one write lock; PostgreSQL's
  transactions do not serialise, so code that reads then writes (a run lock's takeover, a writer's
  fence, a migration) also takes `lock(key)`: a transaction-scoped advisory lock there, a no-op here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from evalkit.errors import InputError
from evalkit.store.location import PostgresURL, StoreLocation, StoreUnavailable

__all__ = ["Connection", "Cursor", "connect", "open_connection", "translate"]


class Cursor(Protocol):
    """What the store reads from a statement: both drivers' cursors fit."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection:
    """A SQLite connection in autocommit mode, statements passed through unchanged."""

    dialect = "sqlite"
    history_order = "rowid"
    """How `call_history` rows sort in insertion order (PostgreSQL has no rowid)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        """What a statement raises when the store is busy or gone (a heartbeat tries again)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; rolled back on any exception (a failed rollback does not hide it)."""
        self.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        try:
            yield self
        except BaseException:
            with suppress(*self.errors, StoreUnavailable):
                self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def lock(self, key: str) -> None:
        """Serialise read-then-write transactions on `key`; SQLite's BEGIN IMMEDIATE already has."""

    def schema_version(self) -> int:
        """0 for a new, empty store; 1 for an evalkit 0.1 file (tables but no version)."""
        (version,) = self.execute("PRAGMA user_version").fetchone()
        if version:
            return int(version)
        has_runs = self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
        return 1 if has_runs else 0

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {version}")

    def tune(self) -> None:
        """Per-connection settings of a store connection that reads and writes runs."""
        self.execute("PRAGMA journal_mode=WAL")
        self.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self._conn.close()


class PostgresConnection(Connection):
    """A psycopg 3 connection in autocommit mode; statements translated by `translate`."""

    dialect = "postgresql"
    history_order = "superseded_at, ctid"

    def __init__(self, location: PostgresURL) -> None:
        import psycopg

        self._location = location
        self._pg_errors: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
        self.errors = (psycopg.Error, StoreUnavailable)
        try:
            self._pg = psycopg.connect(location.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise self._unavailable(exc) from None

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return StoreUnavailable(f"PostgreSQL store {self._location} is not usable: {self._location.scrub(reason)}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self._pg.execute(translate(sql), tuple(params))  # type: ignore[arg-type]
        except self._pg_errors as exc:
            raise self._unavailable(exc) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        try:
            with self._pg.cursor() as cur:
                cur.executemany(translate(sql), rows)  # type: ignore[arg-type]
        except self._pg_errors as exc:
            raise self._unavailable(exc) from None

    def lock(self, key: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (f"evalkit:{key}",))

    def schema_version(self) -> int:
        """0 for an empty database. PostgreSQL stores start at the current schema, so there is no
        unversioned evalkit 0.1 layout here: tables named `runs` without `schema_meta` are someone
        else's, and refused."""
        (meta, runs) = self.execute("SELECT to_regclass('schema_meta'), to_regclass('runs')").fetchone()
        if meta is None:
            if runs is not None:
                raise InputError("not an evalkit store (a table 'runs' but no schema_meta)", str(self._location))
            return 0
        row = self.execute("SELECT value FROM schema_meta WHERE name = 'version'").fetchone()
        return 0 if row is None else int(row[0])

    def set_schema_version(self, version: int) -> None:
        self.execute("CREATE TABLE IF NOT EXISTS schema_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.execute("INSERT OR REPLACE INTO schema_meta (name, value) VALUES ('version', ?)", (str(version),))

    def tune(self) -> None:
        """Nothing per connection: durability and isolation are the server's defaults."""

    def close(self) -> None:
        self._pg.close()


def open_connection(location: StoreLocation) -> Connection:
    """A bare connection (no schema check): what the run lock's and heartbeat's short transactions use."""
    if isinstance(location, PostgresURL):
        return PostgresConnection(location)
    return Connection(sqlite3.connect(location, timeout=30, isolation_level=None, check_same_thread=False))


def connect(location: StoreLocation, *, create: bool = True) -> Connection:
    """A store connection: tuned, its schema created or migrated (or refused, see `ensure_schema`)."""
    from evalkit.store.schema import ensure_schema

    if isinstance(location, Path):
        location.parent.mkdir(parents=True, exist_ok=True)
    conn = open_connection(location)
    try:
        conn.tune()
        ensure_schema(conn, location, create=create)
    except BaseException:
        conn.close()
        raise
    return conn


# --- SQLite spelling -> PostgreSQL ------------------------------------------------------------------
_UPSERT = re.compile(r"^\s*INSERT OR REPLACE INTO (\w+) \(([^)]*)\)(.*)$", re.DOTALL)
_DDL = re.compile(r"^\s*(CREATE TABLE|ALTER TABLE)", re.IGNORECASE)
_TYPES = {"TEXT": 'TEXT COLLATE "C"', "INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION"}
_TYPE_WORD = re.compile(r"\b(TEXT|INTEGER|REAL)\b")


@cache
def _primary_keys() -> dict[str, tuple[str, ...]]:
    """Each table's primary key, read from the one schema script (plus the PostgreSQL version table)."""
    from evalkit.store.schema import SCHEMA

    keys: dict[str, tuple[str, ...]] = {"schema_meta": ("name",)}
    for name, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", SCHEMA, re.DOTALL):
        composite = re.search(r"PRIMARY KEY \(([^)]*)\)", body)
        single = re.search(r"^\s*(\w+) \w+ PRIMARY KEY", body, re.MULTILINE)
        if composite:
            keys[name] = tuple(c.strip() for c in composite.group(1).split(","))
        elif single:
            keys[name] = (single.group(1),)
    return keys


@cache
def translate(sql: str) -> str:
    """A statement in the store's SQLite spelling, as PostgreSQL (through psycopg) takes it."""
    if _DDL.match(sql):
        sql = _TYPE_WORD.sub(lambda m: _TYPES[m.group(1)], sql)
    upsert = _UPSERT.match(sql)
    if upsert:
        table, columns, rest = upsert.groups()
        names = [c.strip() for c in columns.split(",")]
        key = _primary_keys()[table]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in key)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        sql = f"INSERT INTO {table} ({columns}){rest} ON CONFLICT ({', '.join(key)}) {action}"
    return sql.replace("%", "%%").replace("?", "%s")
