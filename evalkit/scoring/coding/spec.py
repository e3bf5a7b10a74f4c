"""What a coding suite declares: each case's `expected` block and the suite's `scorer:` block.

Both are validated when the suite loads, apart from the scoring code, so a malformed case (tests that
do not parse, a patch case without `allowed_files`) fails fast instead of being scored as a model
failure; everything downstream can then trust the fields the kind requires.
"""

from __future__ import annotations

import ast
import posixpath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from evalkit.scoring.coding.harness_tests import test_functions
from evalkit.scoring.coding.sandbox import Limits


def _check_relative(path: str) -> str:
    norm = posixpath.normpath(path)
    if not path or norm.startswith(("/", "../")) or norm in (".", ".."):
        raise ValueError(f"{path!r} is not a path inside the repository")
    return norm


class Expectation(BaseModel):
    """`function`: entry_point + tests; `patch`: repo + tests + allowed_files (repository-relative)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["function", "patch"]
    tests: str = Field(min_length=1)
    """pytest source; function tests import from `solution`, patch tests from the repository."""
    entry_point: str | None = None
    repo: str | None = None
    """A folder name under the suite's `fixtures_dir`."""
    allowed_files: list[str] | None = None

    @field_validator("tests")
    @classmethod
    def _tests_parse(cls, v: str) -> str:
        try:
            tree = ast.parse(v)
        except SyntaxError as exc:
            raise ValueError(f"tests are not valid Python: {exc.msg} (line {exc.lineno})") from None
        # The harness calls each pytest-style test function itself and requires every one to pass, so
        # a file without any, or with unittest classes (which pytest runs another way), could never
        # resolve: say so when the suite loads rather than score every answer as a failure.
        for node in tree.body:
            bases = [ast.unparse(b) for b in node.bases] if isinstance(node, ast.ClassDef) else []
            if any(b == "TestCase" or b.endswith(".TestCase") for b in bases):
                raise ValueError("unittest.TestCase classes are not supported: write pytest-style test functions")
        if not test_functions(v.encode("utf-8")):
            raise ValueError(
                "tests define no test pytest collects (test_* functions, or test_* methods of Test* classes)"
            )
        return v

    @model_validator(mode="after")
    def _by_kind(self) -> Expectation:
        if self.kind == "function":
            if not self.entry_point or not self.entry_point.isidentifier():
                raise ValueError("a function case needs entry_point, a Python identifier")
            if self.repo is not None or self.allowed_files is not None:
                raise ValueError("repo and allowed_files belong to patch cases only")
        else:
            if not self.repo or "/" in self.repo or self.repo.startswith("."):
                raise ValueError("a patch case needs repo, a folder name under the fixtures directory")
            if not self.allowed_files:
                raise ValueError("a patch case needs allowed_files (the files the patch may touch)")
            if self.entry_point is not None:
                raise ValueError("entry_point belongs to function cases only")
            self.allowed_files = [_check_relative(p) for p in self.allowed_files]
        return self


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout_s: float = Field(default=10.0, gt=0)
    """Wall-clock limit per sandboxed step (patch application, test run)."""
    memory_mb: int = Field(default=512, ge=64)
    """Address-space limit; pytest itself needs roughly 60 MB of it."""
    cpu_s: int | None = Field(default=None, gt=0)
    """CPU-seconds limit; None: the timeout rounded up."""
    max_file_mb: int = Field(default=16, gt=0)
    max_procs: int = Field(default=256, gt=0)
    fixtures_dir: str = "../golden/fixtures/coding"
    """Fixture repositories for patch cases, relative to the suite file; one folder per repo."""

    def limits(self) -> Limits:
        return Limits(
            timeout_s=self.timeout_s,
            cpu_s=self.cpu_s,
            memory_mb=self.memory_mb,
            max_file_mb=self.max_file_mb,
            max_procs=self.max_procs,
        )
