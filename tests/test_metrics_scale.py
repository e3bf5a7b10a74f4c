"""The report path of large runs: streamed score rows, compact summaries, forked per-suite workers.

Each must give exactly the figures of the plain path: the metrics of a run built in forked workers
equal those built in-process, and `aggregate` over the compact `Summary` of each stored detail equals
`aggregate` over the full typed `Detail` the scorer wrote. Checked on the starter suites answered by
the offline `scripted-candidate` endpoint (varied answers: right, wrong, invalid, escalations).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evalkit import Store, run_metrics
from evalkit.cli import main
from evalkit.compare.pairing import pair_runs
from evalkit.compare.sides import build_side
from evalkit.scoring import scorer_for
from evalkit.scoring.runner import suite_scorings

ROOT = Path(__file__).resolve().parents[1]
SUITES = "classification,extraction,toolcall,summarization"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    store = tmp_path_factory.mktemp("scale") / "e.db"
    ids = []
    for endpoint in ("scripted-frontier", "scripted-candidate"):
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(ROOT)
            argv = ["--store", str(store), "run", "--suite", SUITES, "--endpoint", endpoint, "--limit", "30"]
            assert main(argv) == 0
        with Store.existing(store) as s:
            ids.append(s.runs()[-1].run_id)
    return store, ids[0], ids[1]


def _figures(store: Store, run_id: str, processes: bool) -> list[dict[str, Any]]:
    return [m.to_dict() for m in run_metrics(store, run_id, processes=processes)]


def test_forked_workers_give_the_in_process_metrics(runs: tuple[Path, str, str]) -> None:
    path, _, candidate = runs
    with Store.existing(path) as store:
        in_process = _figures(store, candidate, False)
        forked = _figures(store, candidate, True)
    assert [m["suite"] for m in forked] == SUITES.split(",")
    assert forked == in_process
    assert all(m["scored"] > 0 for m in forked)


def test_summaries_aggregate_like_full_details(runs: tuple[Path, str, str]) -> None:
    """`aggregate` over the full `Detail`s (the scores read as dicts and validated whole) equals the
    metrics stage, which parses each stored detail into the scorer's small `Summary` only."""
    path, _, candidate = runs
    with Store.existing(path) as store:
        metrics = {m.suite: m for m in run_metrics(store, candidate, processes=False)}
        for name, sc in suite_scorings(store, candidate).items():
            spec = scorer_for(sc.spec.category)
            full = [
                spec.scored(sc.cases[r.case_id], r.repeat, r.score)
                for r in store.scores(candidate, suite=name)
                if r.score.is_scored
            ]
            expected = spec.aggregate(full, sc.settings)
            assert metrics[name].values == expected.values, name
            assert metrics[name].tables == expected.tables, name


def test_score_rows_page_through_every_score_in_order(runs: tuple[Path, str, str]) -> None:
    path, _, candidate = runs
    with Store.existing(path) as store:
        for name in SUITES.split(","):
            records = store.scores(candidate, suite=name)
            rows = list(store.score_rows(candidate, name, chunk=7))  # pages ending mid-case and exactly
            assert [(r.case_id, r.repeat) for r in rows] == [(r.case_id, r.repeat) for r in records]
            assert [r.score() for r in rows] == [r.score.model_copy(update={"detail": {}}) for r in records]


def test_gate_sides_read_the_same_summaries(runs: tuple[Path, str, str]) -> None:
    """The gate's escalation check reads the summary: same verdict per answer as on the full detail."""
    path, frontier, candidate = runs
    reasons: set[str | None] = set()
    with Store.existing(path) as store:
        for pairing in pair_runs(store, frontier, candidate):
            ids = [c.case_id for c in pairing.cases]
            side = build_side(store, candidate, pairing, ids)
            spec, settings = side.scoring.spec, side.scoring.settings
            full = {
                (r.case_id, r.repeat): spec.escalation_reason(spec.detail.model_validate(r.score.detail), settings)
                for r in store.scores(candidate, suite=pairing.suite)
                if r.score.is_scored
            }
            got = {(i.case.id, i.repeat): spec.escalation_reason(i.detail, settings) for its in side.items for i in its}
            assert got == full
            reasons |= set(got.values())
    assert len(reasons) > 2  # escalations of several kinds, and answers that need none
