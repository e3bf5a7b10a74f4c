"""Reading the answer: dig the JSON record out of the text, then check it against the suite's schema.

Kept apart from field comparison because it answers a different question: *can a strict consumer
use this answer at all?* A bare JSON object is `ok`; one found inside a code fence or prose is still
scored (its values may be right) but is a `deviation`, because a strict JSON consumer would have
rejected it; no object at all is `unparseable`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import jsonschema

ParseHow = Literal["ok", "deviation", "unparseable"]


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; accepting them would also make `detail` unserialisable."""
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.S)


def _outermost_object(text: str) -> dict[str, Any] | None:
    """The first `{...}` in `text` that parses as a JSON object. Scanning from the left and taking the
    first start that decodes yields the outermost object: any object nested inside it starts later."""
    for match in re.finditer(r"\{", text):
        try:
            obj, _ = _DECODER.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            return obj
    return None


def parse_answer(text: str) -> tuple[dict[str, Any] | None, ParseHow]:
    """(record, how): `ok` for a bare JSON object, `deviation` when it had to be dug out of a code
    fence or prose, `unparseable` when no JSON object can be found."""
    stripped = text.strip()
    try:
        obj = _DECODER.decode(stripped)
    except (ValueError, RecursionError):
        obj = None
    if isinstance(obj, dict):
        return obj, "ok"
    for match in _FENCE.finditer(stripped):
        try:
            fenced = _DECODER.decode(match.group(1).strip())
        except (ValueError, RecursionError):
            fenced = None
        if isinstance(fenced, dict):
            return fenced, "deviation"
    found = _outermost_object(stripped)
    if found is not None:
        return found, "deviation"
    return None, "unparseable"


def schema_errors(record: Any, schema: dict[str, Any]) -> list[str]:
    """Every Draft 2020-12 violation, in a stable order (by location, then message)."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(record), key=lambda e: (e.json_path, e.message))
    return [f"{e.json_path}: {e.message}" for e in errors]
