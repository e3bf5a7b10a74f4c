"""The run store: a versioned SQLite file (or a shared PostgreSQL database) every stage after the calls
reads from (typed records)."""

from evalkit.store.location import (
    STORE_HELP,
    PostgresURL,
    StoreLocation,
    StoreUnavailable,
    default_store,
    store_argument,
    store_location,
)
from evalkit.store.lock import LockLost, RunLock, RunLocked, RunOwner
from evalkit.store.reader import DEFAULT_STORE, Blessing, CallAttempt, RunRecord, Store, SuiteRecord, now_iso
from evalkit.store.rows import dumps
from evalkit.store.schema import SCHEMA_VERSION
from evalkit.store.writer import StoreWriter

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "STORE_HELP",
    "Blessing",
    "CallAttempt",
    "LockLost",
    "PostgresURL",
    "RunLock",
    "RunLocked",
    "RunOwner",
    "RunRecord",
    "Store",
    "StoreLocation",
    "StoreUnavailable",
    "StoreWriter",
    "SuiteRecord",
    "default_store",
    "dumps",
    "now_iso",
    "store_argument",
    "store_location",
]
