"""Patch cases: bug reports against the fixture repositories under golden/fixtures/coding/.

Each repository carries several planted bugs at once, the way a real code base does; a `Bug` names
where one of them is (file, the buggy text, the fixed text), the hidden tests that fail with it and pass
without it, and the reports filed about it. The reference answer is the unified diff from the fixture
file to the fixed file, computed here, so it always applies to the repository as committed. Reports
describe symptoms (what the user did, expected vs actual) and never name the function or the fix; the
hidden tests check more than the report's repro (neighbouring cases, nothing else broken).

The context a case shows is the buggy file plus neighbours (callers, a sibling module, the repository's
own tests), so finding the right place is part of the task.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from coding_kit import PatchTask

FIXTURES = Path(__file__).resolve().parents[2] / "golden" / "fixtures" / "coding"


@dataclass(frozen=True)
class Bug:
    """One planted bug and everything said about it."""

    id: str
    repo: str
    domain: str
    edits: tuple[tuple[str, str, str], ...]
    """(path, buggy text, fixed text): each buggy text occurs exactly once in its fixture file."""
    show: tuple[str, ...]
    """Files shown in the request, in order (the edited files among them)."""
    tests: str
    ticket: str
    """The golden bug report; empty for bugs only reported in adversarial form (an injected file, a format edge)."""
    variants: dict[str, str] = field(default_factory=dict)
    """Adversarial kind -> the report for that kind (same bug, same tests, same fix)."""
    revised: tuple[str, tuple[tuple[str, str, str], ...], str] | None = None
    """(report, edits, tests) for a long_context_contradiction case whose final request differs from the
    golden fix; the superseded fix is checked to fail these tests."""
    tags: tuple[str, ...] = ()


def read_fixture(repo: str, path: str) -> str:
    return (FIXTURES / repo / path).read_text(encoding="utf-8")


def apply_edits(repo: str, edits: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
    """Path -> content after the edits (only the edited files)."""
    out: dict[str, str] = {}
    for path, old, new in edits:
        text = out.get(path) or read_fixture(repo, path)
        assert text.count(old) == 1, f"{repo}/{path}: the buggy text must occur exactly once: {old!r}"
        out[path] = text.replace(old, new)
    return out


def reference_diff(task: PatchTask) -> str:
    """The unified diff (git style, a/ and b/ prefixes) from the fixture to the fixed files."""
    chunks = []
    for path in sorted(task.fixed):
        before = read_fixture(task.repo, path).splitlines(keepends=True)
        after = task.fixed[path].splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", n=3)))
    return "".join(chunks)


def context(task: PatchTask) -> str:
    """The repository files shown with the request, as Markdown sections."""
    parts = []
    for path in task.context_files:
        lang = "python" if path.endswith(".py") else ""
        parts.append(f"### {path}\n```{lang}\n{read_fixture(task.repo, path).rstrip()}\n```")
    return "\n\n".join(parts)


def _task(
    bug: Bug,
    kind: str | None,
    report: str,
    edits: tuple[tuple[str, str, str], ...],
    tests: str,
    wrong: dict[str, str] | None = None,
) -> PatchTask:
    allowed = sorted({path for path, _, _ in edits})
    shown = list(bug.show)
    for path in allowed:
        assert path in shown, f"{bug.id}: the edited file {path} must be shown"
    return PatchTask(
        family=bug.id,
        domain=bug.domain,
        repo=bug.repo,
        task=report,
        context_files=shown,
        allowed_files=allowed,
        tests=tests,
        fixed=apply_edits(bug.repo, edits),
        kind=kind,
        cluster=f"patch-{bug.id}",
        extra_tags=bug.tags,
        wrong_fixed=wrong,
    )


def bug_tasks(bug: Bug) -> list[PatchTask]:
    tasks = [_task(bug, None, bug.ticket, bug.edits, bug.tests)] if bug.ticket else []
    for kind, report in bug.variants.items():
        tasks.append(_task(bug, kind, report, bug.edits, bug.tests))
    if bug.revised is not None:
        report, edits, tests = bug.revised
        tasks.append(
            _task(bug, "long_context_contradiction", report, edits, tests, wrong=apply_edits(bug.repo, bug.edits))
        )
    return tasks


def tasks() -> list[PatchTask]:
    import coding_bugs_a
    import coding_bugs_b

    out: list[PatchTask] = []
    for bug in [*coding_bugs_a.BUGS, *coding_bugs_b.BUGS]:
        out.extend(bug_tasks(bug))
    return out
