"""The run store on PostgreSQL: a run stored there gates and reports like one stored in SQLite.

A real PostgreSQL server (Debian's package) is started for the session in a temp dir on a loopback
port (`tests/pgserver.py`); every test gets its own database. Without the binaries, or where the server
cannot start, the tests skip with the reason.
"""

from __future__ import annotations

import json
import re
import signal
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.store import SCHEMA_VERSION, LockLost, PostgresURL, RunLock, RunLocked, StoreWriter
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.pgserver import PASSWORD, PostgresServer
from tests.test_resume import evalkit_process, stderr_of, wait_until

pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")


def case_number(body: dict[str, Any]) -> int:
    return int(body["messages"][-1]["content"].rsplit(" ", 1)[1])


def two_models(path: str, body: dict[str, Any]) -> Reply:
    """The frontier model answers every golden case right; the cheap one misses every third, and both
    differ in tokens (so in cost) from case to case."""
    i = case_number(body)
    wrong = body["model"] == "small" and i % 3 == 0
    return Reply(text="other" if wrong else "refund", input_tokens=30 + i, output_tokens=2 + i % 5)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, untimed(captured.out), untimed(captured.err)


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
_VOLATILE = {"latency_s", "ttft_s", "started_at", "finished_at", "scored_at", "original_latency_s", "request_id"}


_TIMING_NOTE = re.compile(r": (latency|time to first token|throughput) ")
_SECONDS = re.compile(r"\d+\.\d+ / \d+\.\d+(?= │)|(?<=p99 |p50 )\d+\.\d+(?= s)")


def normal(text: str, ids: dict[str, str]) -> str:
    for run_id, name in ids.items():
        text = text.replace(run_id, name)
    return _STAMP.sub("<time>", text)


def untimed(text: str) -> str:
    """Drift notes on measured timings dropped: two real runs never take the same milliseconds,
    whichever store they are written to."""
    text = "".join(line for line in text.splitlines(keepends=True) if not _TIMING_NOTE.search(line))
    return _SECONDS.sub("<s>", text.replace(f"{Path.cwd()}/", ""))


def strip_timings(obj: Any) -> Any:
    """A JSON report without measured timings (latency, time to first token, throughput)."""
    timed = ("latenc", "ttft", "throughput", "time to first token")
    if isinstance(obj, dict):
        return {k: strip_timings(v) for k, v in obj.items() if not k.startswith(timed)}
    if isinstance(obj, list):
        return [
            strip_timings(v) for v in obj if not str(v.get("name", "") if isinstance(v, dict) else v).startswith(timed)
        ]
    return obj


def pipeline(project: Project, store: str, capsys: pytest.CaptureFixture[str], tag: str) -> dict[str, Any]:
    """Every command after the calls, on two runs in `store`, as the user sees it (ids and times masked)."""
    s = ["--store", store]
    assert cli(capsys, *s, "run", "--suite", "tickets", "--endpoint", "frontier")[0] == 0
    assert cli(capsys, *s, "run", "--suite", "tickets", "--endpoint", "cheap")[0] == 0
    with Store.existing(store) as st:
        base, cand = (r.run_id for r in st.runs())
    ids = {base: "BASE", cand: "CAND"}
    out: dict[str, Any] = {}
    out["show"] = cli(capsys, *s, "show", base)[:2]
    out["score"] = cli(capsys, *s, "score", cand)[:2]
    gate_dir, compare_dir = project.root / f"gate-{tag}", project.root / f"compare-{tag}"
    out["gate"] = cli(capsys, *s, "gate", "--baseline", base, "--candidate", cand, "--out", str(gate_dir))[:2]
    out["gate.json"] = strip_timings(json.loads(next(gate_dir.glob("*.json")).read_text()))
    out["compare"] = cli(capsys, *s, "compare", base, cand, "--out", str(compare_dir))[:2]
    out["compare.json"] = strip_timings(json.loads(next(compare_dir.glob("*.json")).read_text()))
    out["bless"] = cli(capsys, *s, "bless", base, "--note", "accepted")[:2]
    out["runs"] = cli(capsys, *s, "runs")[:2]
    export = project.root / f"export-{tag}.jsonl"
    assert cli(capsys, *s, "export", cand, "--out", str(export))[0] == 0
    rows = [json.loads(line) for line in export.read_text().splitlines()]
    out["export"] = [
        {
            k: strip_timings(json.loads(v)) if k.endswith("_json") and v else v
            for k, v in row.items()
            if k not in _VOLATILE
        }
        for row in rows
    ]
    normalised: dict[str, Any] = json.loads(normal(json.dumps(out, sort_keys=True), ids))
    return normalised


def test_runs_in_postgres_gate_compare_bless_and_export_like_runs_in_sqlite(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # latency is shown, not required: a verdict must not hang on two runs' milliseconds
    project.write_suite(n=9, adversarial=3, gate={"max_latency_p95_ratio": None})
    project.write_endpoint("frontier", model="big")
    project.write_endpoint("cheap", model="small", price={"input_per_mtok": 0.1, "output_per_mtok": 0.2})
    project.fake.script(two_models)
    in_sqlite = pipeline(project, str(project.store), capsys, "sqlite")
    in_postgres = pipeline(project, pg_url, capsys, "postgres")
    assert in_postgres.keys() == in_sqlite.keys()
    for key in in_sqlite:
        assert in_postgres[key] == in_sqlite[key], key
    assert in_postgres["gate"][0] in (0, 3, 4)  # a verdict, not an error
    assert len(in_postgres["export"]) == 12


def test_password_is_never_printed_stored_or_reported(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write_suite(n=2)
    code, out, err = cli(capsys, "--store", pg_url, "run", "--suite", "tickets", "--endpoint", "fake-openai")
    assert code == 0 and "postgresql://evalkit:***@127.0.0.1" in err
    monkeypatch.setenv("EVALKIT_STORE", pg_url)  # the team's database, set once; no --store needed
    code, listed, _ = cli(capsys, "runs")
    with Store.existing(pg_url) as store:
        (run,) = store.runs()
        manifest = json.dumps(run.manifest)
    assert code == 0 and listed.startswith(run.run_id)
    assert "postgresql://evalkit:***@" in manifest  # the argv it records
    written = "".join(p.read_text() for p in (project.root / "reports" / run.run_id).glob("*"))
    for text in (out, err, manifest, written):
        assert PASSWORD not in text
    assert "evalkit:***@" in written  # the report names its store, masked


@pytest.mark.parametrize(
    ("store", "code", "message"),
    [
        ("mysql://u@127.0.0.1/db", 2, "unsupported store URL 'mysql://u@127.0.0.1/db'"),
        (
            f"postgresql://u:{PASSWORD}@127.0.0.1:port/db",
            2,
            "malformed store URL 'postgresql://u:***@127.0.0.1:port/db'",
        ),
        (f"postgresql://u:{PASSWORD}@127.0.0.1:5432", 2, "names no database"),
        (
            f"postgresql://u:{PASSWORD}@127.0.0.1:1/db",
            1,
            "PostgreSQL store postgresql://u:***@127.0.0.1:1/db is not usable",
        ),
    ],
    ids=["foreign-scheme", "bad-port", "no-database", "unreachable"],
)
def test_bad_or_unreachable_store_url_is_one_clear_error(
    project: Project, store: str, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = cli_exit(capsys, "--store", store, "runs")
    assert got == code and message in err and PASSWORD not in out + err
    assert "Traceback" not in err


def test_a_wrong_password_is_an_infrastructure_error_that_shows_no_password(
    project: Project, postgres: PostgresServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = pg_url.replace(PASSWORD, "not-the-Password-123")
    code, out, err = cli_exit(capsys, "--store", wrong, "runs")
    said = " ".join(err.split())  # the console wraps long lines
    assert code == 1 and "password authentication failed" in said and "not-the-Password-123" not in out + err


def cli_exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`cli`, where argparse itself may reject the arguments (it exits 2 through SystemExit)."""
    try:
        return cli(capsys, *argv)
    except SystemExit as exc:
        captured = capsys.readouterr()
        return int(exc.code or 0), captured.out, captured.err


def test_an_empty_database_is_migrated_once_and_refused_when_newer(
    postgres: PostgresServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_exit(capsys, "--store", pg_url, "runs")[:1] == (2,)  # reading never creates the tables
    with Store(pg_url) as store:
        assert store.runs() == []
    with Store.existing(pg_url) as store:  # opened again: already current, nothing to do
        assert store.runs() == []
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        version = conn.execute("SELECT value FROM schema_meta WHERE name = 'version'").fetchone()
        assert version == (str(SCHEMA_VERSION),)
        types: dict[str, str] = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'results'"
        ).fetchall())  # fmt: skip
        assert types["cost_usd"] == "double precision" and types["input_tokens"] == "bigint"
        conn.execute("UPDATE schema_meta SET value = %s WHERE name = 'version'", (str(SCHEMA_VERSION + 1),))
    code, _, err = cli_exit(capsys, "--store", pg_url, "runs")
    assert code == 2 and f"store schema version {SCHEMA_VERSION + 1} is newer" in " ".join(err.split())


def test_someone_elses_database_is_not_taken_for_a_store(
    postgres: PostgresServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE runs (id integer)")
    code, _, err = cli_exit(capsys, "--store", pg_url, "runs")
    assert code == 2 and "not an evalkit store" in err


def answered(url: str) -> list[tuple[str, str]]:
    """(run, case) of every stored answer, read while another process writes (or before it made the tables)."""
    try:
        with Store.existing(url) as store:
            return [(r.run_id, c.case_id) for r in store.runs() for c in store.calls(r.run_id, answered=True)]
    except Exception:
        return []


def test_an_interrupted_run_resumes_with_nothing_asked_twice(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 12
    project.write_suite(n=n)
    project.write_endpoint("slow", concurrency=1)
    project.fake.script(lambda path, body: Reply(text="refund", delay_s=0.1))
    proc = evalkit_process(project, "--store", pg_url, "run", "--suite", "tickets", "--endpoint", "slow")
    wait_until(lambda: len(answered(pg_url)) >= 3, "three stored answers")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130, stderr_of(proc)
    kept = answered(pg_url)
    (run_id,) = {r for r, _ in kept}
    with Store.existing(pg_url) as store:
        run = store.run(run_id)
    assert (run.status, run.owner) == ("interrupted", None) and 3 <= len(kept) < n
    project.fake.received.clear()
    assert cli(capsys, "--store", pg_url, "run", "--resume", run_id)[0] == 0
    asked = {f"tickets-g-{case_number(r.body):03d}" for r in project.fake.calls("/chat/completions")}
    assert not asked & {case for _, case in kept}
    assert sorted(case for _, case in answered(pg_url)) == [f"tickets-g-{i:03d}" for i in range(n)]
    with Store.existing(pg_url) as store:
        assert store.run(run_id).status == "finished"


def test_a_second_live_writer_is_refused_with_nothing_written_or_sent(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=6)
    project.write_endpoint("one-at-a-time", concurrency=1, timeout_s=300)  # no retry of the held call, however slow
    release = threading.Event()

    def script(path: str, body: dict[str, Any]) -> Reply:
        if case_number(body) == 2:
            release.wait(300)  # the first writer is alive, mid-call, while a second one is tried
        return Reply(text="refund")

    project.fake.script(script)
    proc = evalkit_process(project, "--store", pg_url, "run", "--suite", "tickets", "--endpoint", "one-at-a-time")
    try:
        wait_until(lambda: len(project.fake.calls("/chat/completions")) >= 3, "a third call in flight")
        wait_until(lambda: len(answered(pg_url)) == 2, "two stored answers")
        (run_id,) = {r for r, _ in answered(pg_url)}
        sent = len(project.fake.received)
        code, _, err = cli(capsys, "--store", pg_url, "run", "--resume", run_id)
        assert code == 2 and f"run {run_id} is being written by another live evalkit process (pid {proc.pid} on " in err
        assert len(project.fake.received) == sent and len(answered(pg_url)) == 2
    finally:
        release.set()
    assert proc.wait(timeout=60) == 0, stderr_of(proc)
    assert len(answered(pg_url)) == 6


def test_writers_racing_for_one_run_get_exactly_one_lock_and_a_lost_lock_is_fenced(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_suite(n=2)
    assert cli(capsys, "--store", pg_url, "run", "--suite", "tickets", "--endpoint", "fake-openai")[0] == 0
    with Store.existing(pg_url) as store:
        (run,) = store.runs()
        calls = store.calls(run.run_id)
    where = PostgresURL(pg_url)
    start = threading.Barrier(4)
    won: list[RunLock] = []
    refused: list[RunLocked] = []

    def contend() -> None:
        start.wait()
        try:
            won.append(RunLock.acquire(where, run.run_id))
        except RunLocked as exc:
            refused.append(exc)

    threads = [threading.Thread(target=contend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(won), len(refused)) == (1, 3)

    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:  # the holder froze for an hour
        old = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")
        conn.execute("UPDATE run_locks SET heartbeat_at = %s", (old,))
    second = RunLock.acquire(where, run.run_id)
    assert second.taken_over is not None
    late = calls[0].model_copy(update={"response": None, "status": "infra_error", "error_kind": "connection"})
    writer = StoreWriter(where, fence=won[0].verify)
    writer.put_call(late)
    with pytest.raises(LockLost, match=f"run {run.run_id} was taken over"):
        writer.close()
    assert second.finish("finished", finished=True) and not won[0].finish("finished", finished=True)
    with Store.existing(pg_url) as store:
        assert store.calls(run.run_id) == calls and store.run(run.run_id).owner is None
