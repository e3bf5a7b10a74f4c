"""Bad input gets one clear error naming the file, line or field, exit 2, no traceback, nothing written.

The corpus is in `tests/broken_inputs.py`; this runs each entry through the real CLI, in process, on
the valid project the `project` fixture writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.cli import main
from tests.broken_inputs import CORPUS, Broken
from tests.conftest import Project


def _apply(project: Project, broken: Broken) -> None:
    for rel, edit in broken.edits.items():
        path = project.root / rel
        if isinstance(edit, bytes):
            path.write_bytes(edit)
        elif isinstance(edit, str):
            path.write_text(edit)
        else:
            path.write_text(edit(path.read_text()))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("broken", CORPUS, ids=[b.name for b in CORPUS])
def test_broken_input_is_one_clear_error_and_writes_nothing(
    project: Project, broken: Broken, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite()
    _apply(project, broken)
    before = _snapshot(project.root)
    try:
        code = main(["--store", str(project.store), *broken.argv])
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, text
    for fragment in broken.expect:
        assert fragment.lower() in " ".join(text.split()).lower(), f"{fragment!r} not in {text!r}"
    assert _snapshot(project.root) == before, "a broken input changed files"
    assert not project.store.exists()


def _patch_suite(project: Project, fixtures_dir: str) -> None:
    project.write_suite(n=0, category="coding", primary_metric="pass_at_1", scorer={"fixtures_dir": fixtures_dir})
    project.write_cases(
        project.root / "golden" / "tickets.jsonl",
        [
            {
                "id": "p1",
                "input": {"ticket": "fix it"},
                "expected": {
                    "kind": "patch",
                    "repo": "shop",
                    "tests": "def test_x():\n    assert True\n",
                    "allowed_files": ["shop.py"],
                },
            }
        ],
    )


def test_fixtures_dir_outside_the_project_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Everything under fixtures_dir is stored with the run and shown to the model."""
    _patch_suite(project, "../../../etc")
    assert main(["--store", str(project.store), *Broken("x", ()).argv]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "fixtures_dir must stay inside the suite's project folder" in err and "scorer.fixtures_dir" in err
    assert not project.store.exists()


def test_a_symlinked_fixture_file_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    secret = project.root.parent / f"{project.root.name}-secret.txt"
    secret.write_text("operator secret\n")
    repo = project.root / "golden" / "fixtures" / "shop"
    repo.mkdir(parents=True)
    (repo / "shop.py").write_text("X = 1\n")
    (repo / "notes.txt").symlink_to(secret)
    _patch_suite(project, "../golden/fixtures")
    assert main(["--store", str(project.store), *Broken("x", ()).argv]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "may not be symbolic links" in err and "notes.txt" in err
    assert not project.store.exists()
