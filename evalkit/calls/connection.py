"""One connection to an endpoint: start (or attach to) its server, ask what it is, make the calls.

The run and the judge both come through here, so every call of either takes the same path: the server
is launched and always stopped, an unusable endpoint is one clear error before any case is called, and
the cache keys carry what the server said about itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evalkit.calls.cache import CacheKeys, endpoint_identity
from evalkit.calls.engine import CallOutcome, Lookup, execute
from evalkit.calls.providers import CallError, make_provider
from evalkit.calls.servers import endpoint_server
from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.redaction import redact_data
from evalkit.requests.plan import WorkItem


@dataclass(frozen=True)
class ServerInfo:
    server: dict[str, Any]
    """What the server reported about itself (model list, versions)."""
    identity: dict[str, Any]
    """What about the endpoint can change an answer (see `calls/cache.py`)."""
    keys: CacheKeys


async def call_endpoint(
    profile: EndpointProfile,
    items: Iterable[WorkItem],
    on_outcome: Callable[[CallOutcome], None],
    *,
    on_server: Callable[[ServerInfo], None] | None = None,
    lookup: Lookup | None = None,
) -> None:
    """Call `profile` for every item; `on_server` hears what the server is before the first call."""
    async with endpoint_server(profile) as base_url:
        provider = make_provider(profile, base_url)
        try:
            try:
                # redacted: a vLLM config dump can hold its own --api-key, and this goes into the manifest
                server = redact_data(await provider.describe())
            except CallError as err:
                raise EndpointError(
                    f"endpoint {profile.name!r} at {base_url or profile.base_url} is not usable: {err}"
                ) from None
            keys = CacheKeys.of(profile, server)
            if on_server is not None:
                on_server(ServerInfo(server, endpoint_identity(profile), keys))
            await execute(items, provider, profile, on_outcome, keys=keys, lookup=lookup)
        finally:
            await provider.aclose()
