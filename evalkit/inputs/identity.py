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


def canonical_json(obj: Any) -> str:
    """Sorted keys, compact, unicode kept: what `digest` hashes and what the store keeps as a snapshot."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(obj: Any) -> str:
    """sha256 of canonical JSON: insensitive to key order and file formatting."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (model files are hundreds of MB)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _head(head: Any) -> Any:
    return hashlib.sha256(json.dumps(head, sort_keys=True, separators=(",", ":")).encode())


def _row(h: Any, row: Any) -> None:
    h.update(b"\n")
    h.update(json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


_REQUEST_FIELDS = ("id", "input", "prior_turns", "followup_turns")
_EXPECTATION_FIELDS = ("id", "expected", "split", "tags", "cluster")


class SuiteDigests:
    """Both suite hashes fed one case at a time, so the loader hashes each case as it reads it and
    keeps none. `add` takes a case's full JSON dump (`model_dump(mode="json")`, made once per case for
    its snapshot too): each hash covers the same fields, hashed the same way, as a dump of just those."""

    def __init__(self, suite: Suite, assets: dict[str, dict[str, str]] | None = None) -> None:
        self._input = _head(
            suite.model_dump(mode="json", include={"prompt", "tools", "tool_choice", "output_schema", "request"})
        )
        self._expectation = _head(
            {
                **suite.model_dump(mode="json", include={"category", "primary_metric", "scorer", "reduce"}),
                "assets": assets or {},
            }
        )

    def add(self, dumped: dict[str, Any]) -> None:
        # a case's own tools only when it has some, so suites without them keep their old hashes
        fields = (*_REQUEST_FIELDS, "tools") if dumped.get("tools") else _REQUEST_FIELDS
        _row(self._input, {k: dumped[k] for k in fields})
        _row(self._expectation, {k: dumped[k] for k in _EXPECTATION_FIELDS})

    @property
    def input_hash(self) -> str:
        return str(self._input.hexdigest())

    @property
    def expectation_hash(self) -> str:
        return str(self._expectation.hexdigest())


def input_hash(suite: Suite, cases: Iterable[Case]) -> str:
    digests = SuiteDigests(suite)
    for c in cases:
        digests.add(c.model_dump(mode="json"))
    return digests.input_hash


def expectation_hash(suite: Suite, cases: Iterable[Case], assets: dict[str, dict[str, str]] | None = None) -> str:
    digests = SuiteDigests(suite, assets)
    for c in cases:
        digests.add(c.model_dump(mode="json"))
    return digests.expectation_hash
