"""The store writer: a background thread that commits call records and scores as they finish.

Batching is by availability, not by size or timer: the thread takes one record, then everything else
already queued, and commits them together. Under load that is a large batch; when calls are slow it
is one record, committed as soon as its case finishes. Nothing on the event loop touches the disk, and
a killed run loses at most the records still queued, which `--resume` then re-runs.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from evalkit.errors import EvalkitError
from evalkit.records import CallRecord, Judgement, ScoreRecord
from evalkit.store.dialect import Connection, connect
from evalkit.store.location import StoreLocation
from evalkit.store.models import now_iso
from evalkit.store.rows import (
    INSERT_CALL,
    INSERT_JUDGEMENT,
    INSERT_SCORE,
    KEEP_HISTORY,
    call_row,
    judgement_row,
    score_row,
)

_STOP = object()


Fence = Callable[[Connection], None]
"""Called inside every write transaction; raises to refuse the batch (a run lock that was taken over)."""


class StoreWriter:
    """`fence`: see `RunLock.verify`; a run's writer passes it so a process that lost the run's lock
    can never record an answer beside the new holder's."""

    def __init__(self, path: StoreLocation, fence: Fence | None = None) -> None:
        self._queue: queue.Queue[object] = queue.Queue()
        self._error: BaseException | None = None
        self._fence = fence
        self._conn: Connection = connect(path)
        self._thread = threading.Thread(target=self._loop, name="evalkit-store-writer", daemon=True)
        self._thread.start()

    def put_call(self, record: CallRecord) -> None:
        self._check()
        self._queue.put(record)

    def put_score(self, run_id: str, record: ScoreRecord) -> None:
        self._check()
        self._queue.put((run_id, record))

    def put_judgement(self, judgement: Judgement) -> None:
        self._check()
        self._queue.put(judgement)

    def _check(self) -> None:
        if isinstance(self._error, EvalkitError):
            raise self._error  # one the user can act on (a lost run lock): said as it is
        if self._error is not None:
            raise RuntimeError(f"store writer failed: {self._error}") from self._error

    def _loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(b is _STOP for b in batch)
            items = [b for b in batch if b is not _STOP]
            if items:
                try:
                    self._write(items)
                except BaseException as exc:  # surfaced to the producer on its next put
                    self._error = exc
            if stop:
                return

    def _write(self, batch: list[object]) -> None:
        stamp = now_iso()
        calls = [call_row(b) for b in batch if isinstance(b, CallRecord)]
        scores = [score_row(b[0], b[1], stamp) for b in batch if isinstance(b, tuple)]
        judgements = [judgement_row(b) for b in batch if isinstance(b, Judgement)]
        with self._conn.transaction() as conn:
            if self._fence is not None:
                self._fence(conn)
            if calls:
                # a retried item's earlier row (an infrastructure error) is kept as history, not overwritten;
                # executemany: one statement preparation per batch, not two per call
                conn.executemany(KEEP_HISTORY, [(stamp, *row[:4]) for row in calls])
                conn.executemany(INSERT_CALL, calls)
            if scores:
                conn.executemany(INSERT_SCORE, scores)
            if judgements:
                conn.executemany(INSERT_JUDGEMENT, judgements)

    def close(self) -> None:
        """Flush everything queued and stop; raises if any write failed."""
        self._queue.put(_STOP)
        self._thread.join()
        self._conn.close()
        self._check()
