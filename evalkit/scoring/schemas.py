"""One compiled JSON-Schema validator per schema object, shared by the scorers that check answers.

Building a `Draft202012Validator` (its referencing registry, its keyword table) and its first pass
cost several times what validating one small record costs, and the extraction and tool-call scorers
built one per answer: a 100,000-answer re-score spent a fifth of its time there. The schemas are the
suite's (its `output_schema`, its tools' parameters), objects that live as long as the suite, so the
cache is keyed by the schema object itself; it holds a reference, so an id is never reused while its
entry lives, and it is bounded for suites whose cases each bring their own tools.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import jsonschema

__all__ = ["json_value", "validator_for"]

_MAX = 512
_CACHE: dict[int, tuple[Any, jsonschema.Draft202012Validator]] = {}
_LOCK = threading.Lock()  # the live scorer scores on threads; a miss (rare) takes the lock


def validator_for(schema: Any) -> jsonschema.Draft202012Validator:
    """The Draft 2020-12 validator of `schema`, built once per schema object."""
    hit = _CACHE.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    validator = jsonschema.Draft202012Validator(schema)
    with _LOCK:
        if len(_CACHE) >= _MAX:
            del _CACHE[next(iter(_CACHE))]  # the oldest entry
        _CACHE[id(schema)] = (schema, validator)
    return validator


def json_value(value: Any) -> Any:
    """A JSON value as pydantic's JSON mode dumps a `JsonValue` or `Any` field holding it: a non-finite
    float (an answer's `1e400` parses to inf) becomes null; everything else is already JSON. What the
    scorers that build a detail as the dict its model would dump apply to the answer's values."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value
