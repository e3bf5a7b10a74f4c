"""The live progress bar: cases done, infrastructure errors, tokens, dollars so far, ETA."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from evalkit.records import CallRecord


class RunProgress:
    def __init__(self, total: int, done: int, label: str, console: Console | None = None) -> None:
        self.errors = 0
        self.tokens = 0
        self.cost = 0.0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("errors {task.fields[errors]}"),
            TextColumn("tokens {task.fields[tokens]:,}"),
            TextColumn("${task.fields[cost]:.4f}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID = self._progress.add_task(label, total=total, completed=done, errors=0, tokens=0, cost=0.0)

    def __enter__(self) -> RunProgress:
        self._progress.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def advance(self, call: CallRecord) -> None:
        if call.status != "ok":
            self.errors += 1
        self.tokens += call.usage.input_tokens + call.usage.output_tokens
        self.cost += call.cost_usd
        self._progress.update(self._task, advance=1, errors=self.errors, tokens=self.tokens, cost=self.cost)
