"""The scripted provider: canned answers from a JSONL file, keyed by case id.

What httpx's `MockTransport` is to httpx: a real provider behind the same `generate()`, shipped in the
library, so tests, dry runs of a new suite and the gate's offline demonstration go through exactly the
code path a live endpoint takes (engine, retries, store, scoring, cost) without a network or a key.

One line per answer:
`{"case_id": "...", "suite": "...", "repeat": 0, "text": "...", "tool_calls": [{"name": "...",
"arguments": {...}}], "usage": {"input_tokens": 10, "output_tokens": 3}, "latency_s": 0.4,
"finish_reason": "stop", "error": {"kind": "server", "status": 500}}`. `suite` and `repeat` are
optional; the most specific line wins. A line with `error` fails the call the way a live endpoint does
(retried when the kind is retryable), which is how tests inject infrastructure faults.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evalkit.calls.providers.base import (
    CallContext,
    CallError,
    ErrorKind,
    Generation,
    checked_usage_record,
    parse_tool_call,
)
from evalkit.errors import InputError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.inputs.files import validation_error
from evalkit.inputs.identity import file_sha256
from evalkit.records import FinishReason, Request, Response, Usage


class ScriptedCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    arguments: dict[str, Any] | None = None
    raw_arguments: str | None = None
    """Verbatim argument text, to script a call whose arguments do not parse."""


class ScriptedError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ErrorKind
    status: int | None = None
    message: str = "scripted failure"
    retry_after_s: float | None = None


class ScriptedAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(min_length=1)
    suite: str | None = None
    repeat: int | None = Field(default=None, ge=0)
    text: str = ""
    tool_calls: list[ScriptedCall] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = Field(default=0.0, ge=0)
    ttft_s: float | None = Field(default=None, ge=0)
    finish_reason: FinishReason | None = None
    """None: `tool_calls` when the line has calls, else `stop`."""
    model: str | None = None
    system_fingerprint: str | None = None
    error: ScriptedError | None = None


Key = tuple[str | None, str, int | None]


def load_script(path: Path) -> dict[Key, ScriptedAnswer]:
    """Every answer by (suite, case id, repeat); errors name the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("script file not found", path, field="script") from None
    answers: dict[Key, ScriptedAnswer] = {}
    for lineno, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            answer = ScriptedAnswer.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, lineno) from None
        except ValidationError as exc:
            raise validation_error(exc, path, line=lineno) from None
        key = (answer.suite, answer.case_id, answer.repeat)
        if key in answers:
            raise InputError(f"a second answer for case {answer.case_id!r}", path, lineno, "case_id")
        answers[key] = answer
    return answers


def find_answer(answers: dict[Key, ScriptedAnswer], call: CallContext) -> ScriptedAnswer | None:
    for key in (
        (call.suite, call.case_id, call.repeat),
        (call.suite, call.case_id, None),
        (None, call.case_id, call.repeat),
        (None, call.case_id, None),
    ):
        if key in answers:
            return answers[key]
    return None


class Scripted:
    def __init__(self, profile: EndpointProfile, base_url: str | None = None) -> None:
        if profile.script is None:
            raise InputError(f"endpoint {profile.name!r} of kind scripted needs `script`", field="script")
        self.profile = profile
        self.path = Path(profile.script)
        self.answers = load_script(self.path)

    async def aclose(self) -> None:
        return None

    async def describe(self) -> dict[str, Any]:
        return {"script": str(self.path), "script_sha256": file_sha256(self.path), "answers": len(self.answers)}

    async def generate(self, request: Request, call: CallContext) -> Generation:
        answer = find_answer(self.answers, call)
        if answer is None:
            raise CallError("not_found", f"the script {self.path} has no answer for case {call.case_id!r}")
        if answer.error is not None:
            e = answer.error
            raise CallError(e.kind, e.message, e.status, e.retry_after_s)
        calls = [
            parse_tool_call(
                f"call_{i}", c.name, c.raw_arguments if c.raw_arguments is not None else json.dumps(c.arguments or {})
            )
            for i, c in enumerate(answer.tool_calls)
        ]
        finish = answer.finish_reason or ("tool_calls" if calls else "stop")
        response = Response(
            text=answer.text,
            tool_calls=calls,
            finish_reason=finish,
            raw_finish_reason=finish,
            usage=checked_usage_record(answer.usage),  # negative counts: a fault, as from a live server
            latency_s=answer.latency_s,
            ttft_s=answer.ttft_s,
            model=answer.model or self.profile.model,
            system_fingerprint=answer.system_fingerprint,
            request_id=f"scripted-{call.suite}-{call.case_id}-{call.repeat}",
        )
        return Generation(response, {"scripted": answer.model_dump(mode="json", exclude_none=True)})
