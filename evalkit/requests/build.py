"""Suite + case + endpoint sampling defaults -> the canonical request, and its hash.

This is the only place a prompt is assembled, so every endpoint sees byte-identical messages and
tools for the same case; the request hash (over the canonical request, which names no model) is what
lets two runs prove, case by case, that they asked the same thing.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from evalkit.inputs.cases import Case
from evalkit.inputs.endpoints import Sampling
from evalkit.inputs.identity import digest
from evalkit.inputs.suites import Suite, template_env
from evalkit.records import Message, Request


@lru_cache(maxsize=256)
def _template(source: str) -> jinja2.Template:
    """Compiling a template costs far more than rendering it; a suite has two, used for every case."""
    return template_env().from_string(source)


def build_request(suite: Suite, case: Case, sampling: Sampling) -> Request:
    messages: list[Message] = []
    system = _template(suite.prompt.system).render(**case.input).strip() if suite.prompt.system else ""
    if system:
        messages.append(Message(role="system", content=system))
    messages.extend(case.prior_turns)
    messages.append(Message(role="user", content=_template(suite.prompt.user).render(**case.input)))
    messages.extend(case.followup_turns)
    settings = suite.request
    return Request(
        messages=messages,
        tools=[*suite.tools, *case.tools],
        tool_choice=suite.tool_choice if suite.tools or case.tools else None,
        response_schema=suite.output_schema,
        max_tokens=settings.max_tokens or sampling.max_tokens,
        temperature=settings.temperature if settings.temperature is not None else sampling.temperature,
        top_p=settings.top_p if settings.top_p is not None else sampling.top_p,
        seed=settings.seed if settings.seed is not None else sampling.seed,
    )


def request_hash(request: Request) -> str:
    return digest(request.model_dump(mode="json"))
