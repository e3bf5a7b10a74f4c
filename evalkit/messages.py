"""The canonical conversation pieces shared by requests, cases and responses.

They are provider-neutral on purpose: a suite is written once and replayed identically against every
endpoint, and the provider modules are the only places that know a wire format.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ToolCall(BaseModel):
    """A tool call as the model made it.

    `raw_arguments` keeps the exact string so a format failure (arguments that do not parse) is a
    recorded fact rather than a crash; `arguments` is None exactly when `parse_error` is set.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    arguments: dict[str, Any] | None = None
    raw_arguments: str = ""
    parse_error: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    is_error: bool = False


class ToolDef(BaseModel):
    """A function tool in canonical JSON-Schema form, sent identically to every provider."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
