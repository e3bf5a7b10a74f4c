"""SIGTERM stops a run the way Ctrl-C does: status `interrupted`, exit 130, resumable.

Why: a scheduler, `docker stop`, systemd or a CI timeout ends a job with SIGTERM, whose default action
killed evalkit on the spot — no status written, the lock left behind, a run that looked "running"
forever. While a run replays, SIGTERM is handled exactly like asyncio handles SIGINT: the first one
cancels the run's main task (so its `finally` blocks flush the store, stop a launched server and
record the session), a second one raises `KeyboardInterrupt` at once. Outside the event loop (scoring
the last answers) it raises `KeyboardInterrupt` directly, as Ctrl-C would.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from types import FrameType, TracebackType
from typing import Any


class TermAsInterrupt:
    """A context manager around a run; `attach` the run's main task from inside its event loop.

    `fired` tells the caller that a `CancelledError` out of `asyncio.run` was this signal's doing.
    Only the main thread can install signal handlers: elsewhere this does nothing (SIGTERM keeps its
    default action there, as the main thread's handler is not ours to replace).
    """

    def __init__(self) -> None:
        self.fired = False
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> TermAsInterrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._handle)
            self._installed = True
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._installed:  # None: the previous handler was not set from Python; SIGTERM's default then
            signal.signal(signal.SIGTERM, signal.SIG_DFL if self._previous is None else self._previous)
            self._installed = False

    def attach(self) -> None:
        """Called by the run's main coroutine: this is the task a SIGTERM cancels."""
        self._task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        first = not self.fired
        self.fired = True
        task, loop = self._task, self._loop
        if first and task is not None and loop is not None and not task.done() and not loop.is_closed():
            task.cancel()
            loop.call_soon_threadsafe(lambda: None)  # wake the loop if it sleeps in select()
            return
        raise KeyboardInterrupt
