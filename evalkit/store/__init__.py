"""The run store: a versioned SQLite file every stage after the calls reads from (typed records)."""

from evalkit.store.lock import LockLost, RunLock, RunLocked, RunOwner
from evalkit.store.reader import DEFAULT_STORE, Blessing, CallAttempt, RunRecord, Store, SuiteRecord, now_iso
from evalkit.store.rows import dumps
from evalkit.store.schema import SCHEMA_VERSION
from evalkit.store.writer import StoreWriter

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "Blessing",
    "CallAttempt",
    "LockLost",
    "RunLock",
    "RunLocked",
    "RunOwner",
    "RunRecord",
    "Store",
    "StoreWriter",
    "SuiteRecord",
    "dumps",
    "now_iso",
]
