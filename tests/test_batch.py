"""`evalkit run --batch`: provider batch APIs end to end, against the loopback batch server over real HTTP.

What must hold: a batch run stores the same answers and scores as a live run of the same suite on the
same server, at the batch rate; a kill or SIGTERM after submitting leaves the batch at the provider and
`--resume` re-attaches to it (never a second submission); per-request failures are infrastructure
errors that `--resume` submits again, alone, as a new batch; bad configuration exits 2 writing nothing.
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.inputs.pricing import Price
from evalkit.records import Usage
from tests.batchserver import BatchLLMServer
from tests.conftest import TEST_KEY_ENV, Project
from tests.fakeserver import Reply
from tests.test_resume import evalkit_process, stderr_of, wait_until

N = 6
POLL = ["--batch-poll-s", "0.01"]


@pytest.fixture
def fake() -> Iterator[BatchLLMServer]:
    """Overrides conftest's server: the same live answering, plus the batch endpoints."""
    server = BatchLLMServer().start()
    try:
        yield server
    finally:
        server.stop()


def ticket(body: dict[str, Any]) -> int:
    found = re.search(r"golden ticket (\d+)", json.dumps(body))
    assert found is not None
    return int(found.group(1))


def answer(path: str, body: dict[str, Any]) -> Reply:
    """Deterministic per case: some right, some wrong, token counts differ from case to case."""
    i = ticket(body)
    return Reply(text="refund" if i % 3 else "other", input_tokens=100 + i, output_tokens=3 + i)


def endpoint(project: Project, provider: str, **fields: Any) -> str:
    server = project.fake
    url = server.base_url if provider == "openai" else server.root_url
    project.write_endpoint(provider, kind=provider, base_url=url, api_key_env=TEST_KEY_ENV, **fields)
    return provider


def server(project: Project) -> BatchLLMServer:
    assert isinstance(project.fake, BatchLLMServer)
    return project.fake


def runs(project: Project) -> list[str]:
    with Store.existing(project.store) as store:
        return [r.run_id for r in store.runs()]


def stored(project: Project, run_id: str) -> dict[tuple[str, int], dict[str, Any]]:
    """What later stages read of a run, per work item (latest row), minus timings and ids."""
    with Store.existing(project.store) as store:
        scores = {(s.case_id, s.repeat): s.score for s in store.scores(run_id)}
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for c in store.calls(run_id):
            score = scores.get((c.case_id, c.repeat))
            out[(c.case_id, c.repeat)] = {
                "status": c.status,
                "error_kind": c.error_kind,
                "text": c.response.text if c.response else None,
                "usage": c.usage,
                "finish": c.finish_reason,
                "request_hash": c.request_hash,
                "cost": c.cost_usd,
                "score": (score.status, score.resolved, score.values) if score else None,
            }
        return out


def manifest(project: Project, run_id: str) -> dict[str, Any]:
    with Store.existing(project.store) as store:
        return store.run(run_id).manifest


def status(project: Project, run_id: str) -> str:
    with Store.existing(project.store) as store:
        return store.run(run_id).status


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_batch_run_stores_the_live_answers_and_scores_at_half_price(project: Project, provider: str) -> None:
    project.write_suite(n=N)
    name = endpoint(project, provider)
    server(project).script(answer)
    assert main(["run", "--suite", "tickets", "--endpoint", name]) == 0
    live_calls = len(server(project).received)
    assert main(["run", "--suite", "tickets", "--endpoint", name, "--batch", *POLL]) == 0
    live_run, batch_run = runs(project)
    live, batched = stored(project, live_run), stored(project, batch_run)

    assert set(batched) == set(live) and len(live) == N
    for key, row in live.items():
        got = batched[key]
        for field in ("status", "text", "usage", "finish", "request_hash", "score"):
            assert got[field] == row[field], (key, field)
        assert got["cost"] == pytest.approx(row["cost"] / 2) and row["cost"] > 0
    assert len(server(project).received) == live_calls  # no live call: describe only used GET /models
    assert len(server(project).created) == 1 and len(server(project).batch_custom_ids(server(project).created[0])) == N
    batch = manifest(project, batch_run)["batch"]
    assert batch["kind"] == provider and batch["price"]["input_per_mtok"] == 0.5
    assert [s["state"] for s in batch["submissions"]] == ["collected"]
    assert "batch" not in manifest(project, live_run)
    reported = {
        run: json.loads((project.root / "reports" / run / "summary.json").read_text())["suites"][0]["operations"]
        for run in (live_run, batch_run)
    }
    assert reported[batch_run]["cost_usd"] == pytest.approx(reported[live_run]["cost_usd"] / 2)
    assert reported[batch_run]["latency_p50_s"] is None  # a batch answer's wait is the batch's, not measured


def test_explicit_batch_rates_and_openai_compatible_host_with_stated_rates(project: Project) -> None:
    project.write_suite(n=2)
    server(project).script(lambda path, body: Reply(text="refund", input_tokens=1_000_000, output_tokens=1_000_000))
    project.write_endpoint("compat", price={"input_per_mtok": 1.0, "output_per_mtok": 2.0, "batch_discount": 0.6})
    assert main(["run", "--suite", "tickets", "--endpoint", "compat", "--batch", *POLL]) == 0
    (run_id,) = runs(project)
    assert [row["cost"] for row in stored(project, run_id).values()] == pytest.approx([(1.0 + 2.0) * 0.4] * 2)
    price = Price(input_per_mtok=3.0, output_per_mtok=15.0, batch_output_per_mtok=5.0).batch()
    assert price.cost(Usage(input_tokens=1_000_000, output_tokens=1_000_000)) == pytest.approx(1.5 + 5.0)


@pytest.mark.parametrize(("provider", "sig"), [("openai", signal.SIGKILL), ("anthropic", signal.SIGTERM)])
def test_killed_after_submitting_then_resume_reattaches_without_resubmitting(
    project: Project, provider: str, sig: signal.Signals
) -> None:
    project.write_suite(n=N)
    name = endpoint(project, provider)
    srv = server(project)
    srv.script(answer)
    srv.hold = True  # the batch runs "for hours"
    proc = evalkit_process(project, "run", "--suite", "tickets", "--endpoint", name, "--batch", *POLL)

    def submitted() -> bool:
        if not srv.created or not project.store.is_file():
            return False
        try:
            (run_id,) = runs(project)
            subs = manifest(project, run_id).get("batch", {}).get("submissions", [])
        except Exception:  # polled while the run is still being created
            return False
        return bool(subs) and subs[0]["state"] == "submitted" and srv.batches[srv.created[0]].polls >= 2

    wait_until(submitted, "a submitted batch being polled")
    proc.send_signal(sig)
    code = proc.wait(timeout=30)
    assert code == (130 if sig == signal.SIGTERM else -signal.SIGKILL), stderr_of(proc)
    (run_id,) = runs(project)
    assert stored(project, run_id) == {}

    srv.hold = False  # the provider finishes the batch while nobody watches
    assert main(["run", "--resume", run_id]) == 0
    assert srv.created == [srv.created[0]]  # re-attached: never a second submission
    rows = stored(project, run_id)
    assert len(rows) == N and {r["status"] for r in rows.values()} == {"ok"}
    assert status(project, run_id) == "finished"


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_detach_submits_and_exits_then_resume_collects(project: Project, provider: str) -> None:
    project.write_suite(n=N)
    name = endpoint(project, provider)
    server(project).script(answer)
    assert main(["run", "--suite", "tickets", "--endpoint", name, "--batch", "--batch-detach", *POLL]) == 0
    (run_id,) = runs(project)
    assert stored(project, run_id) == {} and status(project, run_id) == "incomplete"
    assert main(["run", "--resume", run_id]) == 0
    assert len(server(project).created) == 1 and len(stored(project, run_id)) == N


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_batch_accepted_but_never_recorded_is_found_not_resubmitted(project: Project, provider: str) -> None:
    """Killed between the provider accepting the batch and the manifest recording its id."""
    project.write_suite(n=N)
    name = endpoint(project, provider)
    server(project).script(answer)
    assert main(["run", "--suite", "tickets", "--endpoint", name, "--batch", "--batch-detach", *POLL]) == 0
    (run_id,) = runs(project)
    batch = manifest(project, run_id)["batch"]
    batch["submissions"][0].update(state="submitting", id=None)
    with Store.existing(project.store) as store:
        store.update_manifest(run_id, batch=batch)
    assert main(["run", "--resume", run_id]) == 0
    assert len(server(project).created) == 1 and len(stored(project, run_id)) == N


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_per_request_failures_are_infra_errors_and_resume_resubmits_only_them(project: Project, provider: str) -> None:
    project.write_suite(n=N)
    name = endpoint(project, provider)
    srv = server(project)
    fates = {1: "expired", 2: "canceled", 3: "missing"}

    def scripted(path: str, body: dict[str, Any]) -> Reply:
        return Reply(status=500) if ticket(body) == 4 else answer(path, body)

    srv.script(scripted)
    srv.fate = lambda cid, body: fates.get(ticket(body))
    assert main(["run", "--suite", "tickets", "--endpoint", name, "--batch", *POLL]) == 1
    (run_id,) = runs(project)
    rows = stored(project, run_id)
    failed = {k for k, r in rows.items() if r["status"] != "ok"}
    assert {int(k[0].rsplit("-", 1)[1]) for k in failed} == {1, 2, 3, 4}
    for key in failed:  # never an answer, never a wrong one: the score says the endpoint did not answer
        assert rows[key]["status"] == "infra_error" and rows[key]["text"] is None and rows[key]["cost"] == 0
        assert rows[key]["score"] is not None and rows[key]["score"][0] == "infra_error"
    assert rows[("tickets-g-001", 0)]["error_kind"] == "timeout"  # expired
    assert status(project, run_id) == "incomplete"

    srv.fate = None
    srv.script(answer)
    first = srv.created[0]
    assert main(["run", "--resume", run_id]) == 0
    assert len(srv.created) == 2
    retried = {ticket(body) for _, body in srv.batches[srv.created[1]].requests}
    assert retried == {1, 2, 3, 4} and len(srv.batch_custom_ids(first)) == N
    rows = stored(project, run_id)
    assert {r["status"] for r in rows.values()} == {"ok"} and status(project, run_id) == "finished"


def test_a_batch_the_provider_failed_leaves_infra_errors_and_resume_submits_anew(project: Project) -> None:
    project.write_suite(n=N)
    name = endpoint(project, "openai")
    srv = server(project)
    srv.script(answer)
    srv.fail_validation = "model m does not support the batch API"
    assert main(["run", "--suite", "tickets", "--endpoint", name, "--batch", *POLL]) == 1
    (run_id,) = runs(project)
    with Store.existing(project.store) as store:
        calls = store.calls(run_id)
    assert len(calls) == N and {c.status for c in calls} == {"infra_error"}
    assert all("failed" in (c.error_message or "") and "does not support" in (c.error_message or "") for c in calls)
    srv.fail_validation = None
    assert main(["run", "--resume", run_id]) == 0
    assert len(srv.created) == 2 and status(project, run_id) == "finished"


@pytest.mark.parametrize(
    ("profile", "extra", "field"),
    [
        ({"kind": "vllm"}, [], "kind 'vllm'"),
        ({"kind": "openai-compatible"}, [], "price.batch_discount"),
        ({"kind": "openai"}, ["--cache"], "--cache"),
        ({"kind": "openai"}, ["--batch-poll-s", "0"], "--batch-poll-s"),
        ({"kind": "openai", "price": {"input_per_mtok": 1.0, "batch_discount": 1.5}}, [], "batch_discount"),
    ],
)
def test_bad_batch_configuration_exits_2_and_writes_nothing(
    project: Project, capsys: pytest.CaptureFixture[str], profile: dict[str, Any], extra: list[str], field: str
) -> None:
    project.write_suite(n=2)
    project.write_endpoint("bad", api_key_env=TEST_KEY_ENV, **profile)
    assert main(["run", "--suite", "tickets", "--endpoint", "bad", "--batch", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and field in err and "Traceback" not in err
    assert not project.store.exists()


def test_batch_options_on_a_live_run_or_without_batch_exit_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=2)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--batch-detach"]) == 2
    assert not project.store.exists()
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    (run_id,) = runs(project)
    assert main(["run", "--resume", run_id, "--batch"]) == 2
    assert "live run" in capsys.readouterr().err


def test_custom_ids_are_anthropic_safe_for_any_case_id() -> None:
    from evalkit.calls.batch import custom_id

    ids = {custom_id(("suite/ä", f"case {i}: ✓", 0)) for i in range(50)}
    assert len(ids) == 50 and all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", i) for i in ids)


def test_fake_server_checks() -> None:
    """The batch server's file upload parses what the real SDK sends (guards the fake, not evalkit)."""
    import openai

    srv = BatchLLMServer().start()
    try:
        client = openai.OpenAI(api_key="sk-test", base_url=srv.base_url)
        uploaded = client.files.create(file=("x.jsonl", b'{"a": 1}\n'), purpose="batch")
        assert srv.files[uploaded.id] == b'{"a": 1}\n'
        assert client.files.content(uploaded.id).content == b'{"a": 1}\n'
    finally:
        srv.stop()
