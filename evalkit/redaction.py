"""Keeping API keys out of everything evalkit stores, writes or prints.

Some providers echo the key back ("invalid key sk-..."), some servers log request headers, and a
vLLM `server_info` dump can carry its own `--api-key`. Left alone, the key would travel from there
into the store, and from the store into exports, sign-off reports and CI logs that are meant to be
shared. The rule is held here, once: the *value* of every configured key variable is replaced by
`<$NAME>` (its variable's name) in every string before it is stored, written or printed.

"Configured" means: every variable an endpoint profile names in `api_key_env` once a provider for it
is made (`register_key_variable`), plus every environment variable named `*_API_KEY` (the convention
of all shipped profiles, so a key that is merely present in the environment is covered too). Values
shorter than `MIN_SECRET_LENGTH` are not treated as secrets: replacing a four-letter "key" everywhere
would corrupt answers, and no real provider key is that short.

Values are read from the environment at the moment of redaction, so a key set or rotated after
start-up is still masked.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from typing import IO, Any, TypeVar, cast

MIN_SECRET_LENGTH = 8
KEY_SUFFIX = "_API_KEY"

_registered: set[str] = set()
_lock = threading.Lock()

T = TypeVar("T")


def register_key_variable(name: str | None) -> None:
    """Treat the value of environment variable `name` as a secret from now on (None: no key)."""
    if name:
        with _lock:
            _registered.add(name)


def secrets_in_environment() -> list[tuple[str, str]]:
    """(value, variable name) of every secret currently set, longest value first, so a key that
    contains another key is masked whole."""
    with _lock:
        names = set(_registered)
    names.update(n for n in os.environ if n.endswith(KEY_SUFFIX))
    found: dict[str, str] = {}
    for name in sorted(names):
        value = os.environ.get(name)
        if value and len(value) >= MIN_SECRET_LENGTH:
            found.setdefault(value, name)
    return sorted(found.items(), key=lambda item: -len(item[0]))


def redact(text: str) -> str:
    """`text` with every secret's value replaced by `<$NAME>`."""
    for value, name in secrets_in_environment():
        if value in text:
            text = text.replace(value, f"<${name}>")
    return text


def contains_secret(text: str) -> bool:
    return any(value in text for value, _ in secrets_in_environment())


def redact_data(obj: T) -> T:
    """A JSON-like structure (dicts, lists, tuples, strings, scalars) with every string redacted,
    keys included; other objects pass through unchanged."""
    secrets = secrets_in_environment()
    if not secrets:
        return obj
    return _walk(obj, secrets)  # type: ignore[no-any-return]


def _walk(obj: Any, secrets: list[tuple[str, str]]) -> Any:
    if isinstance(obj, str):
        for value, name in secrets:
            if value in obj:
                obj = obj.replace(value, f"<${name}>")
        return obj
    if isinstance(obj, dict):
        return {_walk(k, secrets): _walk(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v, secrets) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_walk(v, secrets) for v in obj)
    return obj


def data_contains_secret(obj: Any) -> bool:
    """Whether any string in a JSON-like structure holds a secret (a cheap test before rebuilding it)."""
    secrets = secrets_in_environment()
    if not secrets:
        return False
    text = json.dumps(obj, default=str, ensure_ascii=False)
    return any(value in text for value, _ in secrets)


def scrub_exception(exc: BaseException) -> None:
    """Redact an exception in place — its args and every string or JSON-like attribute (an OSError's
    `filename`, an SDK error's `message` and `body`) — and the same for every exception it was raised
    from, so a traceback printed by Python itself shows no key either."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(redact_data(a) for a in current.args)
        for name in ("filename", "filename2", *getattr(current, "__dict__", {})):
            value = getattr(current, name, None)
            if isinstance(value, str | dict | list | tuple):
                with contextlib.suppress(AttributeError, TypeError):  # a read-only attribute
                    setattr(current, name, redact_data(value))
        current = current.__cause__ or current.__context__


class RedactingStream:
    """A text stream that redacts everything written through it: what the console, the progress bar
    and the summary print (rich writes each rendered line or refresh in one call, so a key is never
    split across writes)."""

    def __init__(self, target: IO[str]) -> None:
        self._target = target

    def write(self, text: str) -> int:
        self._target.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._target, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def redacting(target: IO[str]) -> IO[str]:
    """`target` behind a RedactingStream, typed as the text stream it stands in for."""
    return cast(IO[str], RedactingStream(target))


__all__ = [
    "KEY_SUFFIX",
    "MIN_SECRET_LENGTH",
    "RedactingStream",
    "contains_secret",
    "data_contains_secret",
    "redact",
    "redact_data",
    "redacting",
    "register_key_variable",
    "scrub_exception",
    "secrets_in_environment",
]
