"""Where the run store lives: a SQLite file (the default) or a PostgreSQL database named by a URL.

Why one small type for both: the CLI's `--store`, `load_run` and the pipeline pass a store's location
around and derive two things from it, where reports go (`.parent`) and how to name it in a message
(`str()`). A `PostgresURL` answers both like a `Path` does, so callers need no branch, and its `str()`
never shows the password: a URL printed in an error, written into a report's metadata or stored in a
run's manifest (the argv) is masked, always.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from evalkit.errors import EvalkitError, InputError
from evalkit.redaction import MIN_SECRET_LENGTH

__all__ = [
    "DEFAULT_STORE",
    "REPORTS_DIR",
    "STORE_ENV",
    "STORE_HELP",
    "PostgresURL",
    "StoreLocation",
    "StoreUnavailable",
    "default_store",
    "mask_text",
    "mask_url",
    "store_argument",
    "store_location",
]

DEFAULT_STORE = Path("reports/evalkit.db")
STORE_ENV = "EVALKIT_STORE"
"""Where `--store` defaults to when given: a team sets its shared database once, and no password
travels on a command line (libpq's PGPASSWORD or ~/.pgpass work too)."""
STORE_HELP = (
    f"run store: a SQLite file or postgresql://user@host:port/database (default: ${STORE_ENV}, else {DEFAULT_STORE})"
)
REPORTS_DIR = DEFAULT_STORE.parent
"""Where reports of a PostgreSQL store's runs are written (a SQLite store's go beside its file)."""

_SCHEMES = ("postgresql", "postgres")
_URL_PASSWORD = re.compile(r"(?i)(postgres(?:ql)?://[^:/@\s]*:)[^@\s]*@")
_PARAM_PASSWORD = re.compile(r"(?i)(\bpassword=)[^&\s]*")


def mask_text(text: str) -> str:
    """`text` with the password of every PostgreSQL URL in it (user:PASSWORD@, ?password=) masked."""
    return _PARAM_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", text))


def mask_url(url: str) -> str:
    return mask_text(url)


@dataclass(frozen=True)
class PostgresURL:
    """A PostgreSQL store: `postgresql://user[:password]@host[:port]/database[?options]`."""

    url: str = field(repr=False)

    def __str__(self) -> str:
        return mask_url(self.url)

    def __repr__(self) -> str:
        return f"PostgresURL({mask_url(self.url)!r})"

    @property
    def parent(self) -> Path:
        """Reports of runs in a shared database go to ./reports (or `--out`), like the default store's."""
        return REPORTS_DIR

    def scrub(self, text: str) -> str:
        """`text` with this URL's password masked: in any PostgreSQL URL, and standing alone where it is
        long enough to be told from ordinary text (a two-letter password is not replaced everywhere)."""
        text = mask_text(text.replace(self.url, str(self)))
        password = _password(urlsplit(self.url))
        for form in {password, unquote(password)} if password else set():
            if len(form) >= MIN_SECRET_LENGTH:
                text = text.replace(form, "***")
        return text


StoreLocation = Path | PostgresURL
"""A SQLite file or a PostgreSQL database."""


class StoreUnavailable(EvalkitError):
    """The PostgreSQL server cannot be reached or went away: an infrastructure error (exit 1), never a
    reason to read a run as empty or to record an answer twice."""

    exit_code = 1


def _password(parts: SplitResult) -> str | None:
    try:
        return parts.password
    except ValueError:
        return None


def store_location(value: str | Path | PostgresURL) -> StoreLocation:
    """A path (SQLite) or a `postgresql://` URL; a malformed or foreign URL is bad input (exit 2)."""
    if isinstance(value, Path | PostgresURL):
        return value
    if "://" not in value:
        return Path(value)
    masked = mask_url(value)
    scheme = value.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        raise InputError(
            f"unsupported store URL {masked!r}: give a file path (SQLite) or postgresql://user@host:port/database",
            field="--store",
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InputError(f"malformed store URL {masked!r}: {mask_text(str(exc))}", field="--store") from None
    if not parts.path.strip("/"):
        raise InputError(
            f"store URL {masked!r} names no database: postgresql://user@host:port/DATABASE", field="--store"
        )
    from psycopg.conninfo import conninfo_to_dict  # only a URL needs psycopg

    try:
        conninfo_to_dict(value)  # libpq's own parser: bad options, bad escapes
    except Exception as exc:
        raise InputError(f"malformed store URL {masked!r}: {mask_text(str(exc))}", field="--store") from None
    return PostgresURL(value)


def default_store() -> str:
    """`--store`'s default as text, so argparse checks it like a given value (a bad $EVALKIT_STORE is exit 2)."""
    return os.environ.get(STORE_ENV) or str(DEFAULT_STORE)


def store_argument(text: str) -> StoreLocation:
    """`--store`'s argparse type: argparse prints ArgumentTypeError's message (masked) and exits 2;
    any other exception's message would quote the raw value, password included."""
    try:
        return store_location(text)
    except InputError as err:
        raise argparse.ArgumentTypeError(err.message) from None
