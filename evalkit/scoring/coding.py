"""Coding: run the model's code against hidden pytest tests in a sandbox; pass@k is the headline.

Two kinds of case:
- `function`: the answer is a module defining `entry_point`; it is saved as `solution.py` next to the
  case's tests (`test_solution.py`) and pytest runs them;
- `patch`: the answer is a unified diff against a fixture repository; it is applied with `git apply`
  in a fresh copy, the case's tests are dropped in as `test_evalkit_case.py`, and pytest runs them.
  A patch that touches a file outside `allowed_files` (tests, config, unrelated modules) never counts
  as resolved, even when the tests pass: "stays inside the files it may touch" is part of the task,
  and editing tests or conftest is the classic way to make tests pass without fixing anything.

Extraction problems (no code block, no diff) are recorded as `extraction_failed`, apart from wrong
code, because they are a formatting problem a prompt change may fix rather than a capability gap.
Everything run goes through `evalkit.sandbox` (scrubbed environment, rlimits, process-group kill).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import posixpath
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from evalkit.errors import EvalkitError, InputError
from evalkit.sandbox import Limits, SandboxResult, run_in, sandbox_dir
from evalkit.scoring.base import CaseScore, Metrics, ScoreContext, Scored, rate

METRICS = (
    "pass_at_1",
    "test_pass_rate",
    "extraction_failure_rate",
    "timeout_rate",
    "patch_apply_rate",
    "forbidden_touch_rate",
    "function_pass_rate",
    "patch_pass_rate",
    "resolved_rate",
    "adversarial_pass_rate",
)

SOLUTION_FILE = "solution.py"
FUNCTION_TEST_FILE = "test_solution.py"
PATCH_TEST_FILE = "test_evalkit_case.py"
REPORT_FILE = "report.xml"
STDERR_TAIL_CHARS = 2000
_MAX_FAILURES = 20
_MESSAGE_CHARS = 300

PYTHON_LANGS = frozenset({"python", "py", "python3", "py3", ""})
DIFF_LANGS = frozenset({"diff", "patch", "udiff"})
_PYTEST_CONFIGS = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
_SKIP_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"})


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
            ast.parse(v)
        except SyntaxError as exc:
            raise ValueError(f"tests are not valid Python: {exc.msg} (line {exc.lineno})") from None
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


# --- fixture repositories -------------------------------------------------------------------------


def load_fixture_assets(suite_path: Path, settings: Settings | Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Every repository folder under `fixtures_dir` as name -> relative path -> text.

    The loader stores this with the run (and hashes it), so re-scoring uses exactly the files the run
    was scored against even if the fixtures change later. A missing folder yields {} (suites with
    only function cases need none); caches and VCS folders are skipped.
    """
    s = settings if isinstance(settings, Settings) else Settings.model_validate(dict(settings))
    base = Path(os.path.normpath(suite_path.parent / s.fixtures_dir))
    if not base.is_dir():
        return {}
    assets: dict[str, dict[str, str]] = {}
    for repo_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name not in _SKIP_DIRS):
        files: dict[str, str] = {}
        for path in sorted(repo_dir.rglob("*")):
            rel = path.relative_to(repo_dir)
            if not path.is_file() or _SKIP_DIRS.intersection(rel.parts) or path.suffix in (".pyc", ".pyo"):
                continue
            try:
                with path.open(encoding="utf-8", newline="") as handle:
                    files[rel.as_posix()] = handle.read()
            except UnicodeDecodeError:
                raise InputError("fixture files must be UTF-8 text", path, field="scorer.fixtures_dir") from None
        assets[repo_dir.name] = files
    return assets


def missing_asset(expected: Mapping[str, Any], assets: Mapping[str, Mapping[str, str]]) -> str | None:
    """Why a case cannot be scored with these assets (a patch case naming an unknown repository)."""
    repo = expected.get("repo")
    if expected.get("kind") == "patch" and repo not in assets:
        known = ", ".join(sorted(assets)) or "none"
        return f"fixture repository {repo!r} not found under the suite's fixtures_dir (found: {known})"
    return None


# --- extraction ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    lang: str
    code: str
    closed: bool


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def fenced_blocks(text: str) -> list[Block]:
    """Markdown fenced code blocks in order; an unclosed last fence (a truncated answer) runs to the end.

    The fence's own indentation is removed from its lines (blocks inside list items), nothing more,
    so a diff's leading-space context lines survive intact.
    """
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"].expandtabs())
        info = match["info"].strip()
        lang = info.split()[0].lower().lstrip("{.").rstrip("}") if info else ""
        body: list[str] = []
        closed = False
        j = i + 1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                closed = True
                break
            line = lines[j]
            lead = len(line) - len(line.lstrip(" "))
            body.append(line[min(lead, indent) :])
            j += 1
        blocks.append(Block(lang, "\n".join(body) + "\n" if body else "", closed))
        i = j + 1
    return blocks


def _parse(code: str) -> tuple[ast.Module | None, str | None]:
    try:
        return ast.parse(code), None
    except SyntaxError as exc:
        return None, f"{exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        return None, f"{type(exc).__name__}: {exc}"


def _defined_names(statements: Sequence[ast.stmt]) -> set[str]:
    """Module-level names a statement list binds (defs, classes, assignments, imports), looking into
    if/try/with blocks but not into function or class bodies."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.If | ast.While | ast.For | ast.With | ast.Try):
            for part in ("body", "orelse", "finalbody"):
                names |= _defined_names(getattr(node, part, []))
            for handler in getattr(node, "handlers", []):
                names |= _defined_names(handler.body)
    return names


@dataclass(frozen=True)
class FunctionExtraction:
    code: str | None
    method: Literal["entry_point_block", "first_block", "whole_text"] | None
    blocks: int
    language: str | None = None
    defines_entry_point: bool = False
    syntax_error: str | None = None

    def as_detail(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "blocks": self.blocks,
            "language": self.language,
            "defines_entry_point": self.defines_entry_point,
            "syntax_error": self.syntax_error,
        }


def extract_function(text: str, entry_point: str) -> FunctionExtraction:
    """The Python block that defines `entry_point`, else the first fenced block, else the whole
    text if it parses as Python; `code` is None when there is nothing to run."""
    blocks = fenced_blocks(text)
    for block in blocks:
        if block.lang in PYTHON_LANGS:
            tree, _ = _parse(block.code)
            if tree is not None and entry_point in _defined_names(tree.body):
                return FunctionExtraction(block.code, "entry_point_block", len(blocks), block.lang, True)
    if blocks:
        first = blocks[0]
        tree, error = _parse(first.code)
        defines = tree is not None and entry_point in _defined_names(tree.body)
        return FunctionExtraction(first.code, "first_block", len(blocks), first.lang, defines, error)
    if text.strip():
        tree, _ = _parse(text)
        if tree is not None:
            defines = entry_point in _defined_names(tree.body)
            return FunctionExtraction(text, "whole_text", 0, None, defines)
    return FunctionExtraction(None, None, 0)


_RAW_DIFF_START = ("--- a/", "diff --git")


def extract_patch(text: str) -> tuple[str | None, Literal["fenced", "raw"] | None]:
    """The ```diff/```patch block(s) (joined, in order), else the raw text from the first `--- a/` or
    `diff --git` line up to the next fence line. Always newline-terminated (git rejects a last hunk
    line without one)."""
    diffs = [b.code for b in fenced_blocks(text) if b.lang in DIFF_LANGS and b.code.strip()]
    if diffs:
        return "".join(diffs), "fenced"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(_RAW_DIFF_START):
            body: list[str] = []
            for rest in lines[i:]:
                if rest.strip().startswith(("```", "~~~")):
                    break
                body.append(rest)
            return "\n".join(body) + "\n", "raw"
    return None, None


def _header_path(raw: str) -> str | None:
    """A `---`/`+++` header path as `-p1` sees it: timestamp cut, quotes and first component removed."""
    path = raw.split("\t", 1)[0].strip()
    if len(path) >= 2 and path[0] == path[-1] == '"':
        path = path[1:-1]
    if not path or path == "/dev/null":
        return None
    path = path.split("/", 1)[1] if "/" in path else path
    return posixpath.normpath(path)


_DIFF_GIT = re.compile(r"^diff --git (?P<a>\S+) (?P<b>\S+)\s*$")
_RENAME = re.compile(r"^(?:rename|copy) (?:from|to) (?P<path>.+)$")


def touched_files(diff: str) -> list[str]:
    """Every repository path the diff creates, modifies, deletes or renames (from and to), read from
    its headers. A `--- ` line counts as a header only when a `+++ ` line follows it, so a removed
    line whose text starts with `-- ` is not mistaken for one."""
    lines = diff.splitlines()
    touched: set[str] = set()
    for i, line in enumerate(lines):
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            for header in (line[4:], lines[i + 1][4:]):
                path = _header_path(header)
                if path:
                    touched.add(path)
        elif match := _DIFF_GIT.match(line):
            for side in ("a", "b"):
                path = _header_path(match[side])
                if path:
                    touched.add(path)
        elif match := _RENAME.match(line):
            touched.add(posixpath.normpath(match["path"].strip().strip('"')))
    return sorted(touched)


# --- running -------------------------------------------------------------------------------------


@dataclass
class RunCounts:
    total: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    report_found: bool = False

    @property
    def all_passed(self) -> bool:
        return self.total >= 1 and self.passed == self.total

    def as_detail(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "skipped": self.skipped,
        }


def parse_junit(xml_text: str) -> RunCounts:
    """Per-testcase outcome from pytest's junit XML: failure > error > skipped > passed.

    Counted from the testcase elements rather than the summary attributes so a collection error
    (one error testcase) and skips (never a pass) are counted the same way everywhere.
    """
    counts = RunCounts(report_found=True)
    root = ET.fromstring(xml_text)
    for case in root.iter("testcase"):
        counts.total += 1
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                outcome = tag
                break
        if outcome == "passed":
            counts.passed += 1
            continue
        if outcome == "failure":
            counts.failed += 1
        elif outcome == "error":
            counts.errors += 1
        else:
            counts.skipped += 1
        if outcome != "skipped" and len(counts.failures) < _MAX_FAILURES:
            element = case.find(outcome)
            message = (element.get("message") or "") if element is not None else ""
            name = case.get("name") or ""
            counts.failures.append({"test": name, "outcome": outcome, "message": message[:_MESSAGE_CHARS]})
    return counts


def _require_pytest() -> None:
    if importlib.util.find_spec("pytest") is None:
        raise EvalkitError(f"coding suites run pytest in a sandbox; install it for {sys.executable}")


def _pytest(work: Path, test_file: str, limits: Limits) -> tuple[SandboxResult, RunCounts, str | None]:
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={REPORT_FILE}", test_file]
    # Third-party plugins are for the host's own test suite; they only slow down and perturb a case run.
    result = run_in(work, argv, limits, extra_env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    report = work / REPORT_FILE
    if not report.is_file():
        return result, RunCounts(), "pytest wrote no report (crashed, killed or timed out)"
    try:
        return result, parse_junit(report.read_text(encoding="utf-8", errors="replace")), None
    except ET.ParseError as exc:
        return result, RunCounts(), f"unreadable junit report: {exc}"


def _tail(text: str, work: Path) -> str:
    """The end of a stream with the sandbox's random path replaced, so details repeat run to run."""
    text = text.replace(str(work), "<sandbox>").replace(str(work.parent), "<sandbox-root>")
    return text[-STDERR_TAIL_CHARS:]


def _run_detail(
    result: SandboxResult | None, counts: RunCounts, work: Path | None, report_error: str | None = None
) -> dict[str, Any]:
    return {
        "tests": counts.as_detail(),
        "failures": counts.failures,
        "timed_out": bool(result and result.timed_out),
        "returncode": result.returncode if result else None,
        "killed_signal": result.killed_signal if result else None,
        "stderr_tail": _tail(result.stderr, work) if result and work else "",
        "report_error": report_error,
    }


_GIT_APPLY = ["git", "apply", "--recount", "--whitespace=nowarn", "-p1", "-"]
_PATCH_ARGS = ["-p1", "--batch", "--forward", "--no-backup-if-mismatch", "--reject-file=-"]


def apply_patch(work: Path, diff: str, limits: Limits) -> tuple[bool, str | None, str | None, SandboxResult]:
    """Apply `diff` in `work`: `git apply` (all-or-nothing), else GNU `patch` if installed, dry-run
    first so a half-applied patch never reaches the tests. Returns (applied, method, error, last run)."""
    # Git must not discover a repository above the sandbox nor read the operator's config.
    git_env = {
        "GIT_CEILING_DIRECTORIES": str(work.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    errors: list[str] = []
    last: SandboxResult | None = None
    if shutil.which("git"):
        last = run_in(work, _GIT_APPLY, limits, stdin=diff, extra_env=git_env)
        if last.returncode == 0:
            return True, "git", None, last
        errors.append("git apply: " + _tail((last.stderr or last.stdout).strip(), work))
    if shutil.which("patch"):
        dry = run_in(work, ["patch", *_PATCH_ARGS, "--dry-run"], limits, stdin=diff)
        last = dry
        if dry.returncode == 0:
            last = run_in(work, ["patch", *_PATCH_ARGS], limits, stdin=diff)
            if last.returncode == 0:
                return True, "patch", None, last
        errors.append("patch: " + _tail((last.stdout + last.stderr).strip(), work))
    if last is None:
        return False, None, "neither git nor patch is installed", SandboxResult(127, "", "", False, None, 0.0)
    return False, None, "\n".join(errors)[-STDERR_TAIL_CHARS:], last


# --- scoring -------------------------------------------------------------------------------------


def _score_function(exp: Expectation, ctx: ScoreContext, settings: Settings) -> CaseScore:
    assert exp.entry_point is not None
    extraction = extract_function(ctx.response.text, exp.entry_point)
    detail: dict[str, Any] = {
        "kind": "function",
        "finish_reason": ctx.response.finish_reason,
        "extraction_failed": extraction.code is None,
        "extraction": extraction.as_detail(),
    }
    if extraction.code is None:
        detail.update(_run_detail(None, RunCounts(), None))
        return CaseScore(resolved=False, detail=detail)
    files = {SOLUTION_FILE: extraction.code, FUNCTION_TEST_FILE: exp.tests, "pytest.ini": "[pytest]\n"}
    with sandbox_dir(files) as work:
        result, counts, report_error = _pytest(work, FUNCTION_TEST_FILE, settings.limits())
        detail.update(_run_detail(result, counts, work, report_error))
    resolved = counts.all_passed and not result.timed_out
    return CaseScore(resolved=resolved, detail=detail)


def _score_patch(exp: Expectation, ctx: ScoreContext, settings: Settings) -> CaseScore:
    assert exp.repo is not None and exp.allowed_files is not None
    repo = ctx.assets.get(exp.repo)
    if repo is None:  # a suite/fixture problem, not a model failure: never count it against the model
        raise InputError(
            f"fixture repository {exp.repo!r} is not among the suite's assets ({sorted(ctx.assets) or 'none'})",
            field="scorer.fixtures_dir",
        )
    diff, method = extract_patch(ctx.response.text)
    touched = touched_files(diff) if diff else []
    forbidden = sorted(set(touched) - set(exp.allowed_files))
    detail: dict[str, Any] = {
        "kind": "patch",
        "finish_reason": ctx.response.finish_reason,
        "extraction_failed": diff is None,
        "extraction": {"method": method},
        "applied": False,
        "apply_method": None,
        "apply_error": None,
        "touched_files": touched,
        "touched_forbidden": forbidden,
    }
    if diff is None:
        detail.update(_run_detail(None, RunCounts(), None))
        return CaseScore(resolved=False, detail=detail)
    limits = settings.limits()
    with sandbox_dir(repo) as work:
        applied, apply_method, apply_error, apply_run = apply_patch(work, diff, limits)
        detail.update(applied=applied, apply_method=apply_method, apply_error=apply_error)
        if not applied:
            detail.update(_run_detail(None, RunCounts(), None))
            detail["timed_out"] = apply_run.timed_out
            return CaseScore(resolved=False, detail=detail)
        (work / PATCH_TEST_FILE).write_text(exp.tests, encoding="utf-8")
        if not any((work / name).exists() for name in _PYTEST_CONFIGS):
            (work / "pytest.ini").write_text("[pytest]\npythonpath = .\n", encoding="utf-8")
        result, counts, report_error = _pytest(work, PATCH_TEST_FILE, limits)
        detail.update(_run_detail(result, counts, work, report_error))
    resolved = counts.all_passed and not result.timed_out and not forbidden
    return CaseScore(resolved=resolved, detail=detail)


def score(ctx: ScoreContext, settings: Settings) -> CaseScore:
    exp = Expectation.model_validate(ctx.case.expected)
    _require_pytest()
    if exp.kind == "function":
        return _score_function(exp, ctx, settings)
    return _score_patch(exp, ctx, settings)


# --- aggregation ---------------------------------------------------------------------------------


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k), as a product so large n cannot
    overflow: 1 - prod_{i=n-c+1..n} (1 - k / i)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def _kind(item: Scored) -> str:
    return str(item.score.detail.get("kind") or item.case.expected.get("kind") or "")


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if values else None


def aggregate(items: Sequence[Scored], settings: Settings) -> Metrics:
    """pass@1 (and pass@k for every k up to the repeats) averaged over cases; the other rates are
    over answers (case x repeat)."""
    values: dict[str, float | int | None] = {name: None for name in METRICS}
    per_case: dict[str, list[Scored]] = defaultdict(list)
    for item in items:
        per_case[item.case.id].append(item)
    outcomes = {cid: (len(group), sum(i.score.resolved for i in group)) for cid, group in per_case.items()}
    values["pass_at_1"] = _mean([c / n for n, c in outcomes.values()])
    max_n = max((n for n, _ in outcomes.values()), default=0)
    for k in range(2, max_n + 1):
        values[f"pass_at_{k}"] = _mean([pass_at_k(n, c, k) for n, c in outcomes.values() if n >= k])

    details = [i.score.detail for i in items]
    tests = [d.get("tests") or {} for d in details]
    values["test_pass_rate"] = rate(sum(t.get("passed", 0) for t in tests), sum(t.get("total", 0) for t in tests))
    values["extraction_failure_rate"] = rate(sum(bool(d.get("extraction_failed")) for d in details), len(items))
    values["timeout_rate"] = rate(sum(bool(d.get("timed_out")) for d in details), len(items))
    functions = [i for i in items if _kind(i) == "function"]
    patches = [i for i in items if _kind(i) == "patch"]
    values["patch_apply_rate"] = rate(sum(bool(i.score.detail.get("applied")) for i in patches), len(patches))
    values["forbidden_touch_rate"] = rate(
        sum(bool(i.score.detail.get("touched_forbidden")) for i in patches), len(patches)
    )
    values["function_pass_rate"] = rate(sum(i.score.resolved for i in functions), len(functions))
    values["patch_pass_rate"] = rate(sum(i.score.resolved for i in patches), len(patches))
    values["resolved_rate"] = rate(sum(i.score.resolved for i in items), len(items))
    adversarial = [i for i in items if i.case.split == "adversarial"]
    values["adversarial_pass_rate"] = rate(sum(i.score.resolved for i in adversarial), len(adversarial))

    by_tag: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        for tag in item.case.tags:
            by_tag[tag].append(item.score.resolved)
    tables: dict[str, Any] = {
        "per_case": [
            {
                "case": cid,
                "kind": _kind(group[0]),
                "split": group[0].case.split,
                "repeats": outcomes[cid][0],
                "resolved": outcomes[cid][1],
                "pass_at_1": outcomes[cid][1] / outcomes[cid][0],
            }
            for cid, group in sorted(per_case.items())
        ],
        "by_tag": {tag: {"answers": len(r), "resolved_rate": sum(r) / len(r)} for tag, r in sorted(by_tag.items())},
    }
    return Metrics(values, tables)
