"""`evalkit power`: how many paired cases a suite needs for a decision at its own margin, and the
warning `evalkit run` prints before spending money on a suite too small to carry one."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from evalkit.cli import main
from evalkit.metrics.power import required_cases
from tests.conftest import Project


def expected_n(margin: float, disagreement: float) -> int:
    z = stats.norm.ppf(0.95) + stats.norm.ppf(0.8)
    return math.ceil((z * math.sqrt(disagreement) / margin) ** 2)


def test_required_cases_follow_the_paired_formula() -> None:
    assert required_cases(0.03, 0.10) == expected_n(0.03, 0.10) == 687
    assert required_cases(0.05, 0.10) == expected_n(0.05, 0.10) == 248
    # Models that disagree less need fewer cases; a tighter margin needs more.
    assert required_cases(0.05, 0.05) < required_cases(0.05, 0.10) < required_cases(0.03, 0.10)


def test_power_says_a_small_suite_is_too_small_for_its_margin(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=40, gate={"non_inferiority_margin": 0.05})
    assert main(["power", "tickets"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "margin 0.05 needs about 248 cases at 10% disagreement" in out
    assert "the suite has 40" in out
    assert "too small for its own margin" in out
    assert "add 208 cases" in out
    smallest = (stats.norm.ppf(0.95) + stats.norm.ppf(0.8)) * math.sqrt(0.10 / 40)
    assert f"margin of about {smallest:.3f}" in out


def test_power_accepts_a_suite_large_enough_for_the_asked_margin(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=40)
    assert main(["power", "tickets", "--margin", "0.2", "--disagreement", "0.05"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"needs about {expected_n(0.2, 0.05)} cases at 5% disagreement" in out
    assert "too small" not in out


def test_run_warns_before_calling_when_the_suite_cannot_carry_a_decision(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=4)
    code = main(["--store", str(project.store), "run", "--suite", "tickets", "--endpoint", "fake-openai"])
    assert code == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "warning: tickets: a paired non-inferiority decision" in err
    assert "the suite has 4" in err
