"""The one canonical request every provider translates from."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.messages import Message, ToolDef

ToolChoice = Literal["auto", "required", "none"] | None


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[Message]
    tools: list[ToolDef] = Field(default_factory=list)
    tool_choice: ToolChoice | str = None
    """`auto | required | none`, a tool name to force that tool, or None to leave it to the provider."""
    response_schema: dict[str, Any] | None = None
    max_tokens: int = 512
    temperature: float | None = 0.0
    top_p: float | None = None
    seed: int | None = None
