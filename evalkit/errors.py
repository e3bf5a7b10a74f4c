"""Errors a user can act on.

Every problem with user input surfaces as one `InputError` that names the file, line and field, so
the CLI can print a single line and exit 2 without writing anything. Problems with the world outside
(an endpoint that will not start or answer) are `EndpointError` and exit 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class EvalkitError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


@dataclass
class InputError(EvalkitError):
    """Bad user input: a suite, case file, endpoint profile, CLI argument or missing key."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    field: str | None = None

    exit_code = 2

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
        if self.field:
            where = f"{where} [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message


class EndpointError(EvalkitError):
    """An endpoint that cannot be reached, started or authenticated against."""

    exit_code = 1


class RunNotFound(EvalkitError):
    exit_code = 2
