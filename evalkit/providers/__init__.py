"""Providers: one `generate()` per wire format, behind the `Provider` protocol."""

from __future__ import annotations

from evalkit.endpoints import EndpointProfile
from evalkit.providers.base import CallError, Generation, Provider


def make_provider(profile: EndpointProfile, base_url: str | None = None) -> Provider:
    """The provider for a profile; `base_url` overrides the profile's (for servers evalkit launched)."""
    if profile.kind == "anthropic":
        from evalkit.providers.anthropic_messages import AnthropicMessages

        return AnthropicMessages(profile, base_url)
    from evalkit.providers.openai_chat import OpenAIChat

    return OpenAIChat(profile, base_url)


__all__ = ["CallError", "Generation", "Provider", "make_provider"]
