"""What `score` records about one answer (`Detail`) and the per-case numbers a paired test resamples.

`Detail` is stored as JSON with each score and read back typed by `aggregate`. Its key names are the
ones the scorer wrote before the scorer protocol existed, so older stores stay readable. One model
covers both case kinds: the fields only a patch case has are None on a function case, and the model
checks that the fields match the kind, so a detail read back is always one of the two shapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypedDict

from pydantic import BaseModel, ConfigDict, model_validator

from evalkit.records import FinishReason
from evalkit.scoring.coding.execute import tail
from evalkit.scoring.coding.extract import FunctionExtraction, FunctionMethod, PatchMethod
from evalkit.scoring.coding.isolation import Level
from evalkit.scoring.coding.patch import ApplyMethod
from evalkit.scoring.coding.sandbox import SandboxResult
from evalkit.scoring.coding.verdict import Failure, PytestCounts, RunCounts

VALUES: tuple[str, ...] = ("test_pass_rate", "extraction_failed", "timed_out")
"""Per-case values besides `resolved`, all floats: the share of the case's tests that passed (0.0 when
none ran), and whether extraction failed / a step timed out as 0.0 or 1.0."""


class FunctionExtractionInfo(BaseModel):
    """How a function answer's code was found (`extract.extract_function`), without the code itself."""

    model_config = ConfigDict(extra="forbid")

    method: FunctionMethod | None
    """None: nothing to run (the extraction failed)."""
    blocks: int
    """Fenced blocks in the answer."""
    language: str | None
    """The chosen block's info-string language; None for whole-text answers."""
    defines_entry_point: bool
    syntax_error: str | None

    @classmethod
    def of(cls, extraction: FunctionExtraction) -> FunctionExtractionInfo:
        return cls(
            method=extraction.method,
            blocks=extraction.blocks,
            language=extraction.language,
            defines_entry_point=extraction.defines_entry_point,
            syntax_error=extraction.syntax_error,
        )


class PatchExtractionInfo(BaseModel):
    """How a patch answer's diff was found (`extract.extract_patch`); None: there was none."""

    model_config = ConfigDict(extra="forbid")

    method: PatchMethod | None


class RunFacts(TypedDict):
    """The `Detail` fields a pytest run fills in (all of them "nothing ran" when none did)."""

    tests: PytestCounts
    failures: list[Failure]
    timed_out: bool
    returncode: int | None
    killed_signal: int | None
    stderr_tail: str
    report_error: str | None
    integrity: list[str]
    isolation: Level | None


def run_facts(
    result: SandboxResult | None, counts: RunCounts, work: Path | None, report_error: str | None = None
) -> RunFacts:
    return {
        "tests": counts.tests,
        "failures": counts.failures,
        "timed_out": bool(result and result.timed_out),
        "returncode": result.returncode if result else None,
        "killed_signal": result.killed_signal if result else None,
        "stderr_tail": tail(result.stderr, work) if result and work else "",
        "report_error": report_error,
        "integrity": counts.integrity,
        "isolation": result.isolation if result else None,
    }


def not_run() -> RunFacts:
    return run_facts(None, RunCounts(), None)


class Detail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["function", "patch"]
    finish_reason: FinishReason
    extraction_failed: bool
    """No code block / no diff: a formatting problem, kept apart from wrong code."""
    extraction: FunctionExtractionInfo | PatchExtractionInfo
    """`FunctionExtractionInfo` for function cases, `PatchExtractionInfo` for patch cases."""

    # patch cases only (None on function cases)
    applied: bool | None = None
    apply_method: ApplyMethod | None = None
    apply_error: str | None = None
    touched_files: list[str] | None = None
    """Every repository path the diff touches, from its headers (sorted)."""
    touched_forbidden: list[str] | None = None
    """The touched paths outside the case's `allowed_files`; non-empty means never resolved."""

    # the test run (see `RunFacts`)
    tests: PytestCounts
    failures: list[Failure]
    timed_out: bool
    """The test run, or for a patch that did not apply the last application step, hit the wall clock."""
    returncode: int | None
    killed_signal: int | None
    stderr_tail: str
    report_error: str | None
    integrity: list[str] = []
    """Why the verdict cannot count even where tests passed: forged or broken verdict records, tests
    missing from the run, tampering with the harness, operations it forbids (`verdict`)."""
    isolation: Level | None = None
    """The sandbox the code ran in (`isolation`); None when nothing ran, or in stores older than it."""

    @model_validator(mode="after")
    def _fields_match_kind(self) -> Detail:
        patch_fields = (self.applied, self.touched_files, self.touched_forbidden)
        if self.kind == "function":
            if not isinstance(self.extraction, FunctionExtractionInfo):
                raise ValueError("a function case's extraction records method, blocks, language, ...")
            if any(v is not None for v in (*patch_fields, self.apply_method, self.apply_error)):
                raise ValueError("applied, apply_*, touched_* belong to patch cases only")
        else:
            if not isinstance(self.extraction, PatchExtractionInfo):
                raise ValueError("a patch case's extraction records its method only")
            if any(v is None for v in patch_fields):
                raise ValueError("a patch case records applied, touched_files and touched_forbidden")
        return self


def values_of(detail: Detail) -> dict[str, float]:
    """Every name in VALUES, for one scored case."""
    tests = detail.tests
    values = {
        "test_pass_rate": tests.passed / tests.total if tests.total else 0.0,
        "extraction_failed": float(detail.extraction_failed),
        "timed_out": float(detail.timed_out),
    }
    assert tuple(values) == VALUES
    return values
