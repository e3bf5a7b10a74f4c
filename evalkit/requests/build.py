"""Suite + case + endpoint sampling defaults -> the canonical request, and its hash.

This is the only place a prompt is assembled, so every endpoint sees byte-identical messages and
tools for the same case; the request hash (over the canonical request, which names no model) is what
lets two runs prove, case by case, that they asked the same thing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
import jinja2.nodes

from evalkit.inputs.cases import Case
from evalkit.inputs.endpoints import Sampling
from evalkit.inputs.identity import digest
from evalkit.inputs.suites import Prompt, Suite, template_env
from evalkit.records import Message, Request

_STATIC = (jinja2.nodes.Template, jinja2.nodes.Output, jinja2.nodes.TemplateData, jinja2.nodes.Const)


@lru_cache(maxsize=256)
def _template(source: str) -> tuple[jinja2.Template, str | None]:
    """Compiling a template costs far more than rendering it; a suite has two, used for every case.
    With it, the text of a template that is plain text (a long system prompt, usually: no variable, no
    call, no filter, so nothing that could differ between cases or renders): rendered once, not once
    per case."""
    env = template_env()
    template = env.from_string(source)
    static = all(isinstance(node, _STATIC) for node in env.parse(source).find_all(jinja2.nodes.Node))
    return template, template.render() if static else None


def _render(source: str, values: dict[str, Any]) -> str:
    template, constant = _template(source)
    return constant if constant is not None else template.render(**values)


def render_prompt(prompt: Prompt, values: dict[str, Any]) -> tuple[str, str]:
    """The system text (stripped; empty for none) and the user text of a case's prompt."""
    system = _render(prompt.system, values).strip() if prompt.system else ""
    return system, _render(prompt.user, values)


def render_problem(prompt: Prompt, values: dict[str, Any]) -> str | None:
    """Why a case's prompt does not render, or None: the input check, before any call."""
    try:
        render_prompt(prompt, values)
    except jinja2.TemplateError as exc:
        return str(exc)
    return None


def build_request(suite: Suite, case: Case, sampling: Sampling) -> Request:
    messages: list[Message] = []
    system, user = render_prompt(suite.prompt, case.input)
    if system:
        messages.append(Message(role="system", content=system))
    messages.extend(case.prior_turns)
    messages.append(Message(role="user", content=user))
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
