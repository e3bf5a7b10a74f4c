"""Reading the answer: dig the JSON record out of the text, then check it against the suite's schema.

Kept apart from field comparison because it answers a different question: *can a strict consumer
use this answer at all?* A bare JSON object is `ok`; one found inside a code fence or prose is still
scored (its values may be right) but is a `deviation`, because a strict JSON consumer would have
rejected it; no object at all is `unparseable`.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Literal

from evalkit.scoring.schemas import validator_for

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
    validator = validator_for(schema)  # built once per suite schema, not per answer
    errors = sorted(validator.iter_errors(record), key=lambda e: (e.json_path, e.message))
    return [f"{e.json_path}: {e.message}" for e in errors]


_SEEN_MAX = 256
_SEEN: dict[tuple[int, str], tuple[dict[str, Any], tuple[str, ...]]] = {}
_SEEN_LOCK = threading.Lock()  # the live scorer scores on threads


def answer_schema_errors(text: str, record: Any, schema: dict[str, Any]) -> list[str]:
    """`schema_errors` of the record `parse_answer` read from the answer `text`, remembered for the last
    few hundred distinct short answers per schema object.

    A candidate that fails the format tends to fail it the same way, verbatim (`{}`, a refusal, the
    same half record), and jsonschema builds an error object per violation: an empty record against
    an eleven-field schema cost more than everything else in its score. Distinct answers pay one dict
    lookup; the text determines the record, so a remembered list is the list it would compute."""
    key = (id(schema), text)
    hit = _SEEN.get(key)
    if hit is not None and hit[0] is schema:
        return list(hit[1])
    errors = schema_errors(record, schema)
    if len(text) <= 2048:
        with _SEEN_LOCK:
            if len(_SEEN) >= _SEEN_MAX:
                del _SEEN[next(iter(_SEEN))]  # the oldest entry
            _SEEN[key] = (schema, tuple(errors))
    return errors
