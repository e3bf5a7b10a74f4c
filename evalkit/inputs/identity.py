"""Suite identity, split in two so that each comparison asks the right question.

`input_hash` covers everything that shapes the requests (prompt templates, tools, tool choice, output
schema, request settings, and each case's id, input and turns): two runs with equal input hashes put
the same questions to their endpoints. `expectation_hash` covers everything that judges the answers
(category, primary metric, scorer settings, repeat reduction, expectations, splits, tags, clusters,
fixture assets): equal expectation hashes mean answers were graded alike. Descriptions, versions and
the gate policy are in neither, so editing a threshold never makes an old baseline "a different suite".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalkit.inputs.cases import Case
    from evalkit.inputs.suites import Suite


def digest(obj: Any) -> str:
    """sha256 of canonical JSON: insensitive to key order and file formatting."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (model files are hundreds of MB)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stream_digest(head: Any, rows: Iterable[Any]) -> str:
    h = hashlib.sha256(json.dumps(head, sort_keys=True, separators=(",", ":")).encode())
    for row in rows:
        h.update(b"\n")
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
    return h.hexdigest()


_REQUEST_FIELDS = {"id", "input", "prior_turns", "followup_turns"}


def input_hash(suite: Suite, cases: Iterable[Case]) -> str:
    head = suite.model_dump(mode="json", include={"prompt", "tools", "tool_choice", "output_schema", "request"})
    return _stream_digest(
        head,
        # a case's own tools only when it has some, so suites without them keep their old hashes
        (c.model_dump(mode="json", include=_REQUEST_FIELDS | ({"tools"} if c.tools else set())) for c in cases),
    )


def expectation_hash(suite: Suite, cases: Iterable[Case], assets: dict[str, dict[str, str]] | None = None) -> str:
    head = {
        **suite.model_dump(mode="json", include={"category", "primary_metric", "scorer", "reduce"}),
        "assets": assets or {},
    }
    return _stream_digest(
        head,
        (c.model_dump(mode="json", include={"id", "expected", "split", "tags", "cluster"}) for c in cases),
    )
