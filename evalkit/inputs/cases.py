"""Cases: one stable id, the input fields the prompt is filled from, and the expectation.

Cases come from JSONL files (read line by line so an error names its line) or from anything
`datasets.load_dataset` reads, with a column mapping, for teams that export production traffic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evalkit.errors import InputError
from evalkit.inputs.files import validation_error
from evalkit.records import Message, ToolDef

Split = Literal["golden", "adversarial"]
Reference = Literal["unreviewed", "reviewed"]


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    input: dict[str, Any]
    expected: dict[str, Any]
    tags: list[str] = Field(default_factory=list)
    cluster: str | None = None
    """Cases sharing a source document or conversation; later statistics resample them together."""
    prior_turns: list[Message] = Field(default_factory=list)
    followup_turns: list[Message] = Field(default_factory=list)
    tools: list[ToolDef] = Field(default_factory=list)
    """Tools this case offers besides the suite's: public benchmarks (BFCL) give every case its own
    functions, and one suite per case would break pairing and gating by suite."""
    split: Split = "golden"
    reference: Reference | None = None
    """Who vouches for `expected`: None for hand-written cases; `unreviewed` for an expectation drafted
    from a logged frontier answer (`evalkit import traffic`), which the gate will not decide on, until
    `evalkit review` marks it `reviewed` with the reviewer and the time. In neither suite hash: a review
    that accepts a draft changes who vouches for it, not what it says."""
    reviewer: str | None = None
    reviewed_at: str | None = None

    @model_validator(mode="after")
    def _review(self) -> Case:
        if self.reference == "reviewed" and not (self.reviewer and self.reviewed_at):
            raise ValueError("a reviewed reference needs reviewer and reviewed_at")
        if self.reference != "reviewed" and (self.reviewer or self.reviewed_at):
            raise ValueError("reviewer and reviewed_at belong to `reference: reviewed` cases")
        return self

    @model_validator(mode="after")
    def _turns(self) -> Case:
        seen_calls: set[str] = set()
        for turn in [*self.prior_turns, *self.followup_turns]:
            if turn.role == "system":
                raise ValueError("turns may not be system messages; the suite owns the system prompt")
            seen_calls.update(c.id for c in turn.tool_calls)
            if turn.role == "tool":
                if not turn.tool_call_id:
                    raise ValueError("a tool turn needs tool_call_id")
                if turn.tool_call_id not in seen_calls:
                    raise ValueError(f"tool turn answers unknown tool call {turn.tool_call_id!r}")
        return self


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """One case as the store keeps it: its canonical JSON (`store.rows.dumps` of its JSON dump), with
    the columns stored beside it. A parsed `Case` costs ~4.8 KB of Python objects, its JSON ~1.3 KB;
    parsing it back costs ~10 µs, nothing next to a model call."""

    id: str
    split: str
    json: str

    def case(self) -> Case:
        return Case.model_validate_json(self.json)


class CaseList(Sequence[Case]):
    """A suite's cases in order, kept as snapshots and parsed on access, so holding 100,000 of them
    costs their JSON, not their objects. Slicing gives another `CaseList` over the same snapshots.
    Each case's cluster is kept beside it: the power check counts clusters before every run."""

    __slots__ = ("_clusters", "_snapshots")

    def __init__(self, snapshots: Sequence[CaseSnapshot], clusters: Sequence[str | None]) -> None:
        self._snapshots = snapshots
        self._clusters = clusters

    @property
    def snapshots(self) -> Sequence[CaseSnapshot]:
        return self._snapshots

    @property
    def clusters(self) -> Sequence[str | None]:
        """Each case's `cluster`, in order, without parsing the cases."""
        return self._clusters

    def __len__(self) -> int:
        return len(self._snapshots)

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> CaseList: ...
    def __getitem__(self, index: int | slice) -> Case | CaseList:
        if isinstance(index, slice):
            return CaseList(self._snapshots[index], self._clusters[index])
        return self._snapshots[index].case()

    def __iter__(self) -> Iterator[Case]:
        return (s.case() for s in self._snapshots)

    def __repr__(self) -> str:
        return f"CaseList({len(self._snapshots)} cases)"


class CaseHead(BaseModel):
    """A case's id, split, tags and expectation, parsed from its snapshot without its input and turns:
    what metrics read of 100,000 cases (`ScorerSpec.case_info`). Parsing the whole `Case` (nested
    turns and tools, its validators) was a sixth of a large report's CPU."""

    model_config = ConfigDict(extra="ignore")

    id: str
    split: Split = "golden"
    tags: list[str] = Field(default_factory=list)
    expected: dict[str, Any] = Field(default_factory=dict)


class SnapshotCases(Mapping[str, Case]):
    """Case id -> case, in snapshot order, parsed on access: what scoring a suite needs of 100,000
    cases (`sc.cases[case_id]`) without 100,000 case objects; forked re-scoring workers parse their
    own share."""

    __slots__ = ("_json",)

    def __init__(self, snapshots: Mapping[str, str]) -> None:
        self._json = snapshots
        """case id -> the case's canonical JSON"""

    def __getitem__(self, case_id: str) -> Case:
        return Case.model_validate_json(self._json[case_id])

    def head(self, case_id: str) -> CaseHead:
        """The case's id, split, tags and expectation only (see `CaseHead`)."""
        return CaseHead.model_validate_json(self._json[case_id])

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._json

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def __len__(self) -> int:
        return len(self._json)

    def __repr__(self) -> str:
        return f"SnapshotCases({len(self._json)} cases)"


class CaseSource(BaseModel):
    """Cases from a Parquet/CSV/JSON(L) file or a hub dataset, mapped onto case fields."""

    model_config = ConfigDict(extra="forbid")

    path: str
    """A file path (relative to the suite file) or, with format `hub`, a dataset id."""
    format: Literal["jsonl", "json", "csv", "parquet", "hub"] | None = None
    split: Split = "golden"
    hf_split: str = "train"
    mapping: dict[str, str] = Field(default_factory=dict)
    """Case field (dotted, e.g. `input.ticket`, `expected.label`) -> column name."""


def _set_path(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _validate_case(raw: Any, path: Path, line: int, split: Split) -> Case:
    if not isinstance(raw, dict):
        raise InputError("a case must be a JSON object", path, line)
    try:
        case = Case.model_validate({**raw, "split": split})
    except ValidationError as exc:
        raise validation_error(exc, path, line=line) from None
    return case


def read_jsonl(path: Path, split: Split) -> Iterator[tuple[int, Case]]:
    """Yield (line number, case); blank lines are allowed, anything else must be a case."""
    try:
        handle = path.open("rb")  # bytes: a bad byte is reported on its own line, not as a traceback
    except FileNotFoundError:
        raise InputError("case file not found", path) from None
    except OSError as exc:
        raise InputError(f"cannot read case file: {exc.strerror}", path) from None
    with handle:
        for lineno, data in enumerate(handle, start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {exc.start + 1}", path, lineno
                ) from None
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, lineno) from None
            yield lineno, _validate_case(raw, path, lineno, split)


def read_source(source: CaseSource, base: Path) -> Iterator[tuple[int, Case]]:
    """Yield (row number, case) from a `datasets`-readable source."""
    import datasets  # heavy; only for suites that use it

    fmt: str | None = source.format
    location = source.path
    file_path = Path(os.path.normpath(base / source.path))
    if fmt is None:
        suffix = file_path.suffix.lower().lstrip(".")
        fmt = {"jsonl": "jsonl", "json": "json", "csv": "csv", "parquet": "parquet"}.get(suffix, "hub")
    where: Path | str = location if fmt == "hub" else file_path
    try:
        if fmt == "hub":
            ds = datasets.load_dataset(location, split=source.hf_split)
        else:
            if not file_path.is_file():
                raise InputError("case source not found", file_path)
            builder = "json" if fmt in ("jsonl", "json") else fmt
            ds = datasets.load_dataset(builder, data_files=str(file_path), split=source.hf_split)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot load cases: {type(exc).__name__}: {exc}", where) from None
    for index, row in enumerate(ds):
        assert isinstance(row, dict)
        if source.mapping:
            raw: dict[str, Any] = {}
            for field, column in source.mapping.items():
                if column not in row:
                    raise InputError(f"column {column!r} not in source", where, field=field)
                value = row[column]
                if field in ("tags",) and isinstance(value, str):
                    value = [t for t in value.split(",") if t]
                if field in ("expected", "input") and isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except json.JSONDecodeError as exc:
                        raise InputError(
                            f"row {index + 1}: column {column!r} must hold a JSON object for {field}: {exc.msg}",
                            where,
                            field=field,
                        ) from None
                _set_path(raw, field, value)
            raw.setdefault("expected", {})
        else:
            raw = dict(row)
        if "id" in raw and not isinstance(raw["id"], str):
            raw["id"] = str(raw["id"])
        yield (
            index + 1,
            _validate_case(raw, Path(str(where)) if fmt != "hub" else Path(location), index + 1, source.split),
        )
