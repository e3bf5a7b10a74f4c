"""Bless a run, change the serving side, run `evalkit nightly`: which cases broke and why, with the
exit code CI acts on, the index page and the JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from tests.conftest import Project

N = 24


def write_answers(
    project: Project, name: str, wrong: set[int] = frozenset(), fingerprint: str = "fp_a", price: float = 1.0  # type: ignore[assignment]
) -> None:
    lines = [
        {"case_id": f"tickets-g-{i:03d}", "text": "other" if i in wrong else "refund", "latency_s": 0.5,
         "system_fingerprint": fingerprint, "usage": {"input_tokens": 100, "output_tokens": 2}}
        for i in range(N)
    ]  # fmt: skip
    (project.root / "runners" / "endpoints" / f"{name}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    project.write_endpoint(
        name,
        kind="scripted",
        base_url=None,
        script=f"{name}.jsonl",
        price={"input_per_mtok": price, "output_per_mtok": 2 * price, "source": "test"},
    )


def nightly_config(project: Project, **extra: Any) -> Path:
    path = project.root / "nightly.yaml"
    path.write_text(yaml.safe_dump({"suites": "tickets", "endpoints": ["canned"], "out": "reports/nightly", **extra}))
    return path


def last_run(project: Project) -> str:
    with Store.existing(project.store) as store:
        return store.runs()[-1].run_id


@pytest.fixture
def blessed(project: Project, capsys: pytest.CaptureFixture[str]) -> str:
    project.write_suite(n=N)
    write_answers(project, "canned")
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 0
    run_id = last_run(project)
    assert main(["bless", run_id, "--note", "accepted 2026-11-30"]) == 0
    assert main(["runs"]) == 0
    assert f"{run_id}" in capsys.readouterr().out
    return run_id


def night_folder(project: Project) -> Path:
    (folder,) = (project.root / "reports" / "nightly").iterdir()
    return folder


def test_bless_marks_the_baseline_and_runs_shows_it(project: Project, blessed: str) -> None:
    with Store.existing(project.store) as store:
        (b,) = store.blessings()
    assert (b.suite, b.endpoint, b.run_id, b.note) == ("tickets", "canned", blessed, "accepted 2026-11-30")


def test_an_unchanged_night_is_clean(project: Project, blessed: str) -> None:
    assert main(["nightly", str(nightly_config(project))]) == 0
    folder = night_folder(project)
    junit = ET.parse(folder / "nightly.junit.xml").getroot()
    assert junit.get("failures") == "0" and [c.get("name") for c in junit.iter("testcase")] == ["tickets"]
    assert "no regression" in (folder / "index.html").read_text()
    assert last_run(project) != blessed  # it ran live, not from the cache


def test_a_serving_change_that_breaks_cases_is_named_and_exits_5(
    project: Project, blessed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_answers(project, "canned", wrong={3, 7}, fingerprint="fp_b")
    assert main(["nightly", str(nightly_config(project))]) == 5
    out = capsys.readouterr().out
    assert "REGRESSED" in out and "tickets-g-003" in out and "tickets-g-007" in out
    folder = night_folder(project)
    (case,) = ET.parse(folder / "nightly.junit.xml").getroot().iter("testcase")
    failure = case.find("failure")
    assert failure is not None and "tickets-g-003" in (failure.text or "")
    index = (folder / "index.html").read_text()
    assert "REGRESSED" in index and "fp_a" in index and "fp_b" in index  # the change seen, named
    link = folder / index.split('href="')[1].split('"')[0]
    assert link.is_file()


def test_the_tolerance_absorbs_a_single_broken_case(project: Project, blessed: str) -> None:
    write_answers(project, "canned", wrong={3})
    assert main(["nightly", str(nightly_config(project, tolerance=1))]) == 0


def test_a_missing_blessed_baseline_is_bad_input_and_nothing_runs(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=N)
    write_answers(project, "canned")
    assert main(["run", "--suite", "tickets", "--endpoint", "canned"]) == 0
    before = last_run(project)
    assert main(["nightly", str(nightly_config(project))]) == 2
    assert "no blessed baseline for tickets on canned" in capsys.readouterr().err
    assert last_run(project) == before


def test_a_broken_nightly_config_names_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / "nightly.yaml"
    path.write_text("suites: tickets\nendpoints: [canned]\ntolerence: 1\n")
    assert main(["nightly", str(path)]) == 2
    assert "nightly.yaml:3 [tolerence]: unknown field" in capsys.readouterr().err


def test_a_gate_verdict_that_flips_is_a_regression(project: Project, blessed: str) -> None:
    """The candidate's blessed run qualified against the frontier; tonight's answers lose the verdict."""
    write_answers(project, "frontier", price=20.0)  # the canned candidate is 20x cheaper
    assert main(["run", "--suite", "tickets", "--endpoint", "frontier"]) == 0
    assert main(["bless", last_run(project)]) == 0
    write_answers(project, "canned", wrong=set(range(0, N, 3)))
    config = nightly_config(project, tolerance=N, gate_baseline="frontier")
    assert main(["nightly", str(config)]) == 5
    (case,) = ET.parse(night_folder(project) / "nightly.junit.xml").getroot().iter("testcase")
    failure = case.find("failure")
    assert failure is not None and "gate verdict against the frontier flipped from QUALIFIED" in (failure.text or "")


def test_fingerprint_prints_what_the_server_says(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fingerprint", "fake-openai"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["server"]["models"] == ["fake-model"] and facts["endpoint"] == "fake-openai"
