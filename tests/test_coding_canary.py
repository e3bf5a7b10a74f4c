"""A canary key in evalkit's own environment never reaches a score, a detail, the store or an export,
however the graded code looks for it; and coding suites are refused where no sandbox works.

End to end through the CLI (`run`, `export`) with a scripted endpoint whose answer hunts for
keys the ways issue 9 listed: its own environment, /proc/<parent>/environ, /proc/1/environ and every
other process's environment and command line it can see. Whatever it finds it puts into the places a
score keeps: the failure message, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.scoring.coding import isolation
from tests.conftest import Project
from tests.test_scripted import write_script

CANARY = "sk-canary-9f8e7d6c5b4a39281706"

HUNTER = """```python
import os, re, sys


def found():
    seen = [repr(dict(os.environ))]
    try:
        pids = sorted(os.listdir('/proc'))
    except Exception as exc:  # the harness refuses /proc to graded code; the sandbox hides it anyway
        pids, _ = [], seen.append(repr(exc))
    for pid in ['self', str(os.getppid()), '1', *pids]:
        for name in ('environ', 'cmdline'):
            try:
                seen.append(open(f'/proc/{pid}/{name}', 'rb').read().decode('latin-1'))
            except Exception as exc:
                seen.append(repr(exc))
    return ' | '.join(seen).replace('\\x00', ' ')


LOOT = found()
KEYS = sorted(set(re.findall(r'sk-[A-Za-z0-9-]+', LOOT)))
print(LOOT)
print(LOOT, file=sys.stderr)


def leak():
    raise AssertionError(f'loot: {len(LOOT)} characters read; keys: {KEYS}; {LOOT[:120]}')
```"""

TESTS = "from solution import leak\n\n\ndef test_leak():\n    assert leak() == 'nothing'\n"


@pytest.fixture(autouse=True)
def _fresh_isolation() -> Iterator[None]:
    isolation._reset_for_tests()
    yield
    isolation._reset_for_tests()


def coding_project(project: Project) -> None:
    project.write_suite(
        "codex",
        n=0,
        category="coding",
        primary_metric="pass_at_1",
        prompt={"user": "{{ task }}"},
        request={"max_tokens": 512, "temperature": 0},
        scorer={"timeout_s": 30},
    )
    project.write_cases(
        project.root / "golden" / "codex.jsonl",
        [
            {
                "id": "codex-g-000",
                "input": {"task": "leak"},
                "expected": {"kind": "function", "entry_point": "leak", "tests": TESTS},
            }
        ],
    )
    write_script(project, [{"case_id": "codex-g-000", "text": HUNTER}])


def evalkit(project: Project, *args: str, env: dict[str, str]) -> int:
    """The CLI as its own process: /proc/<pid>/environ shows a process's environment as it started,
    so the canary must be there from the start, as a real key is."""
    cmd = [sys.executable, "-m", "evalkit.cli", *args]
    return subprocess.run(cmd, cwd=project.root, env=env, capture_output=True, check=False).returncode


def test_the_canary_key_never_reaches_scores_details_store_or_exports(project: Project, tmp_path: Path) -> None:
    level, _ = isolation.strongest()
    if level == "none":
        pytest.skip("no sandbox works here (bwrap / unshare): the canary would be readable, by design of level none")
    env = {**os.environ, **{name: CANARY for name in ("OPENAI_API_KEY", "DEEPSEEK_API_KEY", "EVALKIT_CANARY")}}
    env["PYTHONPATH"] = str(Path(__file__).parents[1])
    coding_project(project)
    assert evalkit(project, "run", "--suite", "codex", "--endpoint", "canned", env=env) == 0
    with Store.existing(project.store) as store:
        (run,) = store.runs()
    export = tmp_path / "export.jsonl"
    assert main(["export", run.run_id, "--format", "jsonl", "--out", str(export)]) == 0  # reads the store only

    with Store.existing(project.store) as store:
        (score,) = store.scores(run.run_id)
    detail = score.score.detail
    assert score.score.resolved is False and detail["isolation"] == level
    assert "loot:" in json.dumps(detail) and "keys: []" in json.dumps(detail)  # it ran, and found no key
    assert CANARY not in json.dumps(detail)
    assert CANARY not in export.read_text()
    for path in project.root.rglob("*"):  # the store, its journal, reports: every file written
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_coding_runs_are_refused_without_a_sandbox_unless_opted_in(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    coding_project(project)
    monkeypatch.setenv(isolation.FORCE_ENV, "none")  # as on a machine with neither bwrap nor unshare
    monkeypatch.delenv(isolation.ALLOW_ENV, raising=False)
    assert main(["run", "--suite", "codex", "--endpoint", "canned"]) == 2
    err = capsys.readouterr().err
    assert isolation.ALLOW_ENV in err and "--allow-unsandboxed-code" in err
    assert not project.store.exists()  # refused before anything was written
    assert not isolation.unsandboxed_allowed()
    assert main(["score", "no-such-run", "--allow-unsandboxed-code"]) == 2  # the flag, on its own
    assert isolation.unsandboxed_allowed()
