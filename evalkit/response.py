"""The one canonical response every provider translates to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.messages import ToolCall

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "other"]


class Usage(BaseModel):
    """Token counts. `input_tokens` includes the cached ones, whatever the provider's convention."""

    model_config = ConfigDict(extra="forbid")

    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    finish_reason: FinishReason = "other"
    raw_finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    ttft_s: float | None = None
    model: str | None = None
    """The model id the server reported, which may differ from the one requested."""
    system_fingerprint: str | None = None
    request_id: str | None = None
