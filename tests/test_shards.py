"""`evalkit run --shard I/N` and `evalkit merge`, over real HTTP against the loopback fake server.

Shards partition the (suite, case, repeat) work by a stable hash, so suite edits move no other case;
shard runs written to separate store files (one per CI job or pod) merge into one run that show,
score, compare, export and gate treat exactly like the unsharded run; everything a merge cannot
honestly combine is refused with exit 2 and nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.cli import main
from evalkit.compare.verdicts import GateReport
from evalkit.metrics.suite import run_metrics
from evalkit.requests.shard import Shard
from tests.conftest import Project
from tests.fakeserver import Reply

Item = tuple[str, str, int]


def write_suite(project: Project, name: str = "tickets", ids: Any = range(8), word: str = "ticket") -> None:
    """Gold alternates by case number; the latency condition is off (loopback timings are noise)."""
    suite = {
        "name": name,
        "version": "1",
        "category": "classification",
        "primary_metric": "macro_f1",
        "prompt": {"system": "Label the ticket.", "user": "Ticket: {{ ticket }}"},
        "request": {"max_tokens": 16, "temperature": 0},
        "scorer": {"labels": ["refund", "other"]},
        "gate": {"min_cases": 10, "max_latency_p95_ratio": None, "bootstrap_resamples": 200},
    }
    (project.root / "suites" / f"{name}.yaml").write_text(yaml.safe_dump(suite, sort_keys=False))
    project.write_cases(
        project.root / "golden" / f"{name}.jsonl",
        [
            {"id": f"{name}-{i:03d}", "input": {"ticket": f"{name} {word} {i}"},
             "expected": {"label": "refund" if i % 2 else "other"}}
            for i in ids
        ],
    )  # fmt: skip


def answer(path: str, body: dict[str, Any]) -> Reply:
    """The frontier model is always right; the cheap one misses every 5th 'other' case."""
    i = int(body["messages"][-1]["content"].rsplit(" ", 1)[1])
    right = "refund" if i % 2 else "other"
    if body["model"] != "frontier-model" and i % 10 == 0:
        return Reply(text="refund", input_tokens=100, output_tokens=2)
    return Reply(text=right, input_tokens=100, output_tokens=2)


@pytest.fixture
def proj(project: Project) -> Project:
    project.fake.script(answer)
    project.write_endpoint("frontier", model="frontier-model", price={"input_per_mtok": 3.0, "output_per_mtok": 15.0})
    return project


def run(project: Project, *args: str, store: Path | None = None, suite: str = "tickets", code: int = 0) -> str:
    path = store or project.store
    argv = ["--store", str(path), "run", "--suite", suite, "--endpoint", "fake-openai", *args]
    assert main(argv) == code
    with Store.existing(path) as s:
        return s.runs()[-1].run_id


def items(store: Path, run_id: str) -> dict[Item, str]:
    with Store.existing(store) as s:
        return {(c.suite, c.case_id, c.repeat): c.response.text if c.response else "" for c in s.calls(run_id)}


def run_ids(store: Path) -> list[str]:
    with Store.existing(store) as s:
        return [r.run_id for r in s.runs()]


def shard_stores(project: Project, n: int, *args: str, tag: str = "") -> list[Path]:
    """Each shard in its own store file, as CI jobs or Kubernetes pods write them."""
    paths = []
    for i in range(1, n + 1):
        path = project.root / f"shard{tag}-{i}.db"
        run(project, "--shard", f"{i}/{n}", *args, store=path)
        paths.append(path)
    return paths


def merge(*args: str | Path) -> int:
    return main(["merge", *map(str, args)])


def refused(project: Project, capsys: pytest.CaptureFixture[str], *args: str | Path, says: list[str]) -> None:
    """Exit 2, one `error:` line with every phrase in `says`, and the target store untouched."""
    before = run_ids(project.store) if project.store.is_file() else None
    capsys.readouterr()
    assert merge(*args) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
    for phrase in says:
        assert phrase in err, (phrase, err)
    assert (run_ids(project.store) if project.store.is_file() else None) == before


# --- sharding -----------------------------------------------------------------------------------------
def test_shards_partition_the_work_exactly(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, "tickets", range(7))
    write_suite(proj, "billing", range(5), word="invoice")
    everything = {
        (name, f"{name}-{i:03d}", r) for name, n in (("tickets", 7), ("billing", 5)) for i in range(n) for r in (0, 1)
    }
    for n in range(1, 5):
        parts = []
        for i in range(1, n + 1):
            rid = run(proj, "--repeats", "2", "--shard", f"{i}/{n}", suite="tickets,billing")
            assert f"shard {i}/{n}" in capsys.readouterr().err
            with Store.existing(proj.store) as s:
                rec = s.run(rid)
            assert rec.status == "finished" and rec.plan.shard == Shard(index=i, count=n)
            assert rec.manifest["shard"] == f"{i}/{n}"
            parts.append(items(proj.store, rid))
        assert sum(len(p) for p in parts) == len(everything)  # pairwise disjoint ...
        assert {k for p in parts for k in p} == everything  # ... and together all of it
        if n > 1:
            assert all(len(p) < len(everything) for p in parts)


def test_suite_edits_move_no_other_case_between_shards(proj: Project) -> None:
    def assignment(tag: str) -> dict[Item, int]:
        return {k: i for i, path in enumerate(shard_stores(proj, 3, tag=tag), 1) for k in items(path, run_ids(path)[0])}

    write_suite(proj, ids=range(12))
    before = assignment("a")
    write_suite(proj, ids=[*reversed(range(2, 12)), 30, 31, 32])  # two removed, three added, order reversed
    after = assignment("b")
    common = before.keys() & after.keys()
    assert len(common) == 10 and {k: before[k] for k in common} == {k: after[k] for k in common}
    assert {k[1] for k in after} == {f"tickets-{i:03d}" for i in [*range(2, 12), 30, 31, 32]}


def test_resume_keeps_the_shard(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(10))
    proj.fake.script(lambda path, body: Reply(status=503, error_body={"error": {"message": "overloaded"}}))
    rid = run(proj, "--shard", "2/3", code=1)
    with Store.existing(proj.store) as s:
        assert s.run(rid).status == "incomplete"
        share = len(s.calls(rid))
    assert main(["run", "--resume", rid, "--shard", "1/3"]) == 2
    assert "--shard" in capsys.readouterr().err
    proj.fake.script(answer)
    sent = len(proj.fake.calls("/chat/completions"))
    assert main(["run", "--resume", rid]) == 0
    assert "shard 2/3" in capsys.readouterr().err
    assert len(proj.fake.calls("/chat/completions")) - sent == share  # only this shard's items, again
    with Store.existing(proj.store) as s:
        rec = s.run(rid)
    assert rec.status == "finished" and rec.plan.shard == Shard(index=2, count=3)
    assert len(items(proj.store, rid)) == share < 10


def test_a_bad_shard_is_refused_before_anything_is_written(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj)
    for spec in ("0/4", "5/4", "4", "a/b", "1/0", "-1/2", "2/4/1", ""):
        assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", f"--shard={spec}"]) == 2, spec
        err = capsys.readouterr().err
        assert err.startswith("error:") and "--shard" in err and "Traceback" not in err, (spec, err)
        assert not proj.store.exists() and proj.fake.calls() == []
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--shard=0/4"]) == 2
    assert "numbered from 1" in capsys.readouterr().err


# --- merging ------------------------------------------------------------------------------------------
def unsharded_and_merged(proj: Project, capsys: pytest.CaptureFixture[str], cases: int, shards: int) -> tuple[str, str]:
    """The same suite run whole and as `shards` shard store files merged into the project's store."""
    write_suite(proj, ids=range(cases))
    unsharded = run(proj, "--repeats", "2")
    stores = shard_stores(proj, shards, "--repeats", "2")
    capsys.readouterr()
    assert merge(*stores) == 0
    out = capsys.readouterr()
    merged_id = out.out.strip()
    assert merged_id == run_ids(proj.store)[-1] and f"finished, {2 * cases} of {2 * cases}" in out.err
    return unsharded, merged_id


def _scores(store: Store, rid: str) -> list[tuple[Any, ...]]:
    return [(r.suite, r.case_id, r.repeat, r.score.status, r.score.resolved, r.score.values) for r in store.scores(rid)]


def _metrics(store: Store, rid: str) -> list[tuple[Any, ...]]:
    return [(m.suite, m.primary, m.values, m.counts, m.planned, m.scored, m.warnings) for m in run_metrics(store, rid)]


def _gate(project: Project, base: str, cand: str) -> tuple[int, list[tuple[str, str]]]:
    out = project.root / f"gate-{cand}"
    code = main(["gate", "--baseline", base, "--candidate", cand, "--out", str(out)])
    report = GateReport.model_validate_json((out / "signoff.json").read_text())
    return code, [(g.category, g.verdict) for g in report.categories]


def test_merged_shards_equal_the_unsharded_run(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    unsharded, merged_id = unsharded_and_merged(proj, capsys, cases=24, shards=3)
    baseline = run(proj, "--repeats", "2", "--endpoint", "frontier")
    assert items(proj.store, merged_id) == items(proj.store, unsharded)
    assert len(items(proj.store, merged_id)) == 48
    with Store.existing(proj.store) as s:
        assert _scores(s, merged_id) == _scores(s, unsharded)
        assert _metrics(s, merged_id) == _metrics(s, unsharded)
        rec = s.run(merged_id)
        assert rec.status == "finished" and rec.plan.shard is None
        assert rec.endpoint_identity == s.run(unsharded).endpoint_identity
        cost = sum(c.cost_usd for c in s.calls(merged_id))
        assert cost == pytest.approx(sum(c.cost_usd for c in s.calls(unsharded)))
    sources = rec.manifest["merged_from"]
    assert [m["shard"] for m in sources] == ["1/3", "2/3", "3/3"]
    assert [Path(m["store"]).name for m in sources] == ["shard-1.db", "shard-2.db", "shard-3.db"]
    code, verdicts = _gate(proj, baseline, merged_id)
    assert (code, verdicts) == _gate(proj, baseline, unsharded)
    assert verdicts[0][1] == "NOT_QUALIFIED"  # the cheap model misses 'other' every 10th case, beyond the margin


def test_merged_run_works_with_show_score_compare_export(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    unsharded, merged_id = unsharded_and_merged(proj, capsys, cases=6, shards=2)
    assert main(["show", merged_id]) == 0
    assert merged_id in capsys.readouterr().out
    assert (proj.root / "reports" / merged_id).is_dir()
    with Store.existing(proj.store) as s:
        before = _scores(s, merged_id)
    assert main(["score", merged_id]) == 0
    with Store.existing(proj.store) as s:
        assert _scores(s, merged_id) == before
    assert main(["compare", unsharded, merged_id, "--out", str(proj.root / "cmp")]) == 0
    assert main(["compare", merged_id, unsharded, "--out", str(proj.root / "cmp2")]) == 0
    out = proj.root / "merged.jsonl"
    assert main(["export", merged_id, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12 and {r["run_id"] for r in rows} == {merged_id}


def test_merge_by_run_id_and_store_colon_run(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(9))
    a = run(proj, "--shard", "1/2")
    (b_store,) = shard_stores(proj, 2)[1:]
    b = run_ids(b_store)[0]
    capsys.readouterr()
    assert merge(a, f"{b_store}:{b}", "--run-id", "nightly-merged") == 0
    assert capsys.readouterr().out.strip() == "nightly-merged"
    assert len(items(proj.store, "nightly-merged")) == 9
    refused(proj, capsys, a, f"{b_store}:{b}", "--run-id", "nightly-merged", says=["already exists", "--run-id"])
    refused(proj, capsys, a, f"{b_store}:{b}", "--run-id", "bad id!", says=["--run-id"])


# --- refusals -----------------------------------------------------------------------------------------
def test_missing_shard_is_refused_or_merged_incomplete_and_resumable(
    proj: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_suite(proj, ids=range(12))
    stores = shard_stores(proj, 3)
    refused(proj, capsys, stores[0], stores[2], says=["shard 2/3 missing"])
    assert not proj.store.exists()
    assert merge(stores[0], stores[2], "--allow-incomplete") == 1
    rid = capsys.readouterr().out.strip()
    with Store.existing(proj.store) as s:
        rec = s.run(rid)
    assert rec.status == "incomplete" and rec.manifest["missing_shards"] == ["2/3"]
    gap = len(items(stores[1], run_ids(stores[1])[0]))
    sent = len(proj.fake.calls("/chat/completions"))
    assert main(["run", "--resume", rid]) == 0  # the merged plan has no shard: the resume fills the gap
    assert len(proj.fake.calls("/chat/completions")) - sent == gap
    assert len(items(proj.store, rid)) == 12


def test_same_shard_twice_or_same_run_twice_is_refused(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(8))
    one = shard_stores(proj, 2, tag="x")
    again = shard_stores(proj, 2, tag="y")
    refused(proj, capsys, one[0], again[0], one[1], says=["shard 1/2 is given twice", "overlap"])
    refused(proj, capsys, one[0], one[0], one[1], says=["given twice"])
    unsharded = run(proj, store=proj.root / "whole.db")
    refused(proj, capsys, one[0], one[1], f"{proj.root / 'whole.db'}:{unsharded}", says=["shard count"])
    assert not proj.store.exists()


def test_suite_edited_between_shards_is_refused(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(8))
    (first,) = shard_stores(proj, 2, tag="a")[:1]
    write_suite(proj, ids=range(8), word="complaint")  # same ids, other inputs
    second = shard_stores(proj, 2, tag="b")[1]
    refused(proj, capsys, first, second, says=["suite 'tickets' differs", "edited between shards"])


@pytest.mark.parametrize(
    ("first", "second", "phrase"),
    [
        (["--repeats", "2"], ["--repeats", "1"], "repeats"),
        (["--limit", "6"], [], "limit"),
        (["--shard", "1/2"], ["--shard", "2/3"], "shard count"),
    ],
)
def test_different_plans_are_refused(
    proj: Project, capsys: pytest.CaptureFixture[str], first: list[str], second: list[str], phrase: str
) -> None:
    write_suite(proj, ids=range(8))
    a = proj.root / "a.db"
    b = proj.root / "b.db"
    run(proj, *(first if "--shard" in first else ["--shard", "1/2", *first]), store=a)
    run(proj, *(second if "--shard" in second else ["--shard", "2/2", *second]), store=b)
    refused(proj, capsys, a, b, says=[phrase])


def test_different_endpoints_or_servers_are_refused(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(8))
    proj.write_endpoint("other", model="other-model")
    a = proj.root / "a.db"
    run(proj, "--shard", "1/2", store=a)
    b = proj.root / "b.db"
    assert main(["--store", str(b), "run", "--suite", "tickets", "--endpoint", "other", "--shard", "2/2"]) == 0
    refused(proj, capsys, a, b, says=["different endpoint profiles", "model"])
    proj.fake.models = [{"id": "fake-model", "root": "/checkpoints/swapped"}]  # same name, other weights
    c = proj.root / "c.db"
    run(proj, "--shard", "2/2", store=c)
    refused(proj, capsys, a, c, says=["different servers", "server fingerprint"])


def test_same_profile_answering_differently_is_refused(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A scripted endpoint's identity is its script's sha256: same profile, other answers, other endpoint."""
    write_suite(proj, ids=range(6))
    script = proj.root / "runners" / "endpoints" / "canned.jsonl"
    proj.write_endpoint("canned", kind="scripted", base_url=None, script="canned.jsonl")
    stores = []
    for i, label in ((1, "refund"), (2, "other")):
        script.write_text("".join(json.dumps({"case_id": f"tickets-{n:03d}", "text": label}) + "\n" for n in range(6)))
        stores.append(proj.root / f"canned-{i}.db")
        assert (
            main(["--store", str(stores[-1]), "run", "--suite", "tickets", "--endpoint", "canned", "--shard", f"{i}/2"])
            == 0
        )
    refused(proj, capsys, *stores, says=["different endpoints", "endpoint identity"])


def test_unfinished_shard_is_refused_unless_allowed(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(8))
    a = proj.root / "a.db"
    run(proj, "--shard", "1/2", store=a)
    proj.fake.script(lambda path, body: Reply(status=503, error_body={"error": {"message": "overloaded"}}))
    b = proj.root / "b.db"
    run(proj, "--shard", "2/2", store=b, code=1)
    refused(proj, capsys, a, b, says=["is incomplete", "--allow-incomplete", "--resume"])
    assert merge(a, b, "--allow-incomplete") == 1
    with Store.existing(proj.store) as s:
        rec = s.runs()[-1]
        assert rec.status == "incomplete" and "missing_shards" not in rec.manifest
        assert [c.status for c in s.calls(rec.run_id)].count("infra_error") == len(items(b, run_ids(b)[0]))


def test_bad_sources_are_refused(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(proj, ids=range(6))
    two = proj.root / "two.db"
    run(proj, "--shard", "1/2", store=two)
    run(proj, "--shard", "2/2", store=two)
    refused(proj, capsys, two, says=["holds 2 runs", "RUN_ID"])
    refused(proj, capsys, f"{proj.root / 'absent.db'}:some-run", says=["store not found"])
    refused(proj, capsys, f"{two}:no-such-run", says=["no run 'no-such-run'"])
    refused(proj, capsys, "no-such-run", says=["store not found"])
    assert not proj.store.exists()
