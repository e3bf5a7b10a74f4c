"""Providers: one `generate()` per wire format, chosen by the profile's kind from a registry.

An unknown kind is a clear error, never a silent fall-through to some default wire format.
"""

from __future__ import annotations

import importlib

from evalkit.calls.providers.base import CallContext, CallError, Generation, Provider
from evalkit.errors import InputError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.redaction import register_key_variable

PROVIDERS: dict[str, str] = {
    "openai": "evalkit.calls.providers.openai_chat:OpenAIChat",
    "openai-compatible": "evalkit.calls.providers.openai_chat:OpenAIChat",
    "vllm": "evalkit.calls.providers.openai_chat:OpenAIChat",
    "local": "evalkit.calls.providers.openai_chat:OpenAIChat",
    "anthropic": "evalkit.calls.providers.anthropic_messages:AnthropicMessages",
    "scripted": "evalkit.calls.providers.scripted:Scripted",
}
"""kind -> "module:class"; imported on first use so a run loads only the SDK it talks through."""


def make_provider(profile: EndpointProfile, base_url: str | None = None) -> Provider:
    """The provider for a profile; `base_url` overrides the profile's (for servers evalkit launched)."""
    target = PROVIDERS.get(profile.kind)
    if target is None:
        raise InputError(
            f"endpoint {profile.name!r}: no provider for kind {profile.kind!r}; known: {', '.join(sorted(PROVIDERS))}",
            field="kind",
        )
    # From here on the key's value is sent, so from here on it may come back: mask it everywhere.
    register_key_variable(profile.api_key_env)
    module, _, name = target.partition(":")
    factory = getattr(importlib.import_module(module), name)
    provider: Provider = factory(profile, base_url)
    return provider


__all__ = ["PROVIDERS", "CallContext", "CallError", "Generation", "Provider", "make_provider"]
