"""A canary key, echoed back by every server that can echo it, appears in no artifact evalkit leaves.

The endpoints' key variable holds a canary value. The fault server repeats the request's credential
in its error bodies (retried and final, an auth refusal included) and in one 200 answer's text; a
launched stand-in for `vllm serve` writes every request's credential into its log. Then every file
under the project (the store and any WAL beside it, reports, sign-off and compare files, JSONL and
Parquet exports, the kept server log) and everything printed to stdout and stderr is searched for the
canary. Masked, it shows as `<$EVALKIT_CANARY_KEY>` — which the test requires to be present too, so it
cannot pass merely because nothing was ever echoed.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from evalkit import Store
from evalkit.calls.servers import free_port
from evalkit.cli import main
from evalkit.redaction import RedactingStream, redact, redact_data, scrub_exception
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.faultserver import ECHO, Fault, FaultServer

CANARY_ENV = "EVALKIT_CANARY_KEY"  # not a *_API_KEY name: only the profile's api_key_env makes it secret
CANARY = "sk-canary-5f0c3e9a7b214d68"
MASK = f"<${CANARY_ENV}>"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer().start()
    try:
        yield server
    finally:
        server.stop()


def echoing(prompt: str, n: int) -> Reply:
    """Case 0: a final 400 echoing the key; 1: a 500 echoing it, then an answer; 2: an answer whose
    text holds the key; 3: 429s echoing it until the retries run out."""
    case = prompt.rsplit(" ", 1)[-1]
    if case == "0":
        return Fault(fault="http-400", echo_key=True)
    if case == "1" and n == 0:
        return Fault(fault="http-500", echo_key=True)
    if case == "2":
        return Reply(text=f"refund, your key {ECHO} is fine")
    if case == "3":
        return Fault(fault="http-429", echo_key=True)
    return Reply(text="refund")


def stand_in_vllm(bin_dir: Path) -> Path:
    """A `vllm` executable running tests/faultserver.py's server, which logs each request's credential."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    exe = bin_dir / "vllm"
    exe.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from tests.faultserver import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    exe.chmod(0o755)
    return exe


def runs_list(project: Project) -> list[str]:
    with Store.existing(project.store) as store:
        return [r.run_id for r in store.runs()]


def runs(project: Project) -> dict[str, str]:
    with Store.existing(project.store) as store:
        return {r.endpoint: r.run_id for r in store.runs()}


def test_a_canary_key_echoed_everywhere_is_in_no_artifact_and_no_output(
    project: Project, faults: FaultServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CANARY_ENV, CANARY)
    exe = stand_in_vllm(project.root / "bin")
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    common = {"api_key_env": CANARY_ENV, "max_attempts": 2, "backoff_base_s": 0.01, "backoff_max_s": 0.02}
    project.write_endpoint("canary-openai", base_url=faults.base_url, stream=True, **common)
    project.write_endpoint("canary-anthropic", kind="anthropic", base_url=faults.root_url, stream=False, **common)
    project.write_endpoint(
        "canary-vllm",
        kind="vllm",
        tier="self-hosted",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        stream=False,
        launch={"model_path": "org/checkpoint", "startup_timeout_s": 30},
        **common,
    )
    project.write_suite(n=4, gate={"bootstrap_resamples": 200})
    faults.plan(echoing)
    printed: list[str] = []

    def cli(*args: str) -> int:
        code = main(list(args))
        out = capsys.readouterr()
        printed.append(out.out + out.err)
        return code

    assert cli("run", "--suite", "tickets", "--endpoint", "canary-openai") == 1  # cases 0 and 3 failed
    assert cli("run", "--suite", "tickets", "--endpoint", "canary-anthropic") == 1
    assert cli("run", "--suite", "tickets", "--endpoint", "canary-vllm") == 0
    ids = runs(project)
    faults.plan(lambda prompt, n: Fault(fault="http-401", echo_key=True))
    assert cli("run", "--suite", "tickets", "--endpoint", "canary-openai") == 1  # refused: a fatal auth error
    assert "refused the call" in printed[-1] and MASK in printed[-1]
    refused = next(r for r in runs_list(project) if r not in ids.values())
    faults.plan(lambda prompt, n: Reply(text="refund"))
    assert cli("run", "--resume", ids["canary-openai"]) == 0  # the endpoint recovered: the run finishes
    assert cli("show", ids["canary-openai"]) == 0
    assert cli("score", ids["canary-anthropic"]) == 0
    reports = project.root / "reports"
    assert cli("export", ids["canary-openai"], "--format", "jsonl", "--out", str(reports / "o.jsonl")) == 0
    assert cli("export", ids["canary-anthropic"], "--format", "parquet", "--out", str(reports / "a.parquet")) == 0
    assert cli("gate", "--baseline", ids["canary-openai"], "--candidate", ids["canary-anthropic"]) in (0, 3, 4)
    # Against the refused run (no answers): every answer of the first shows as newly failing, and no
    # bootstrap over paired cases makes this the slow part of the test.
    assert cli("compare", ids["canary-anthropic"], refused) in (0, 5)

    with Store.existing(project.store) as store:
        launched_log = Path(store.run(ids["canary-vllm"]).manifest["server"]["launched"]["log"])
    files = [p for p in project.root.rglob("*") if p.is_file()] + [launched_log]
    leaked = [str(p) for p in files if CANARY.encode() in p.read_bytes()]
    assert leaked == []
    for table in (pq.read_table(p) for p in files if p.suffix == ".parquet"):  # compressed: read it back too
        assert CANARY not in json.dumps(table.to_pylist(), default=str)
    assert all(CANARY not in text for text in printed)

    # ... and the key really was echoed, then masked, everywhere the test looked.
    server_log = reports / ids["canary-vllm"] / "server.log"
    assert f"credential='Bearer {MASK}'" in server_log.read_text()
    with Store.existing(project.store) as store:
        openai_calls = {c.case_id: c for c in store.calls(ids["canary-openai"])}
        anthropic_calls = {c.case_id: c for c in store.calls(ids["canary-anthropic"])}
    assert MASK in (anthropic_calls["tickets-g-000"].error_message or "")
    assert MASK in (anthropic_calls["tickets-g-003"].error_message or "")
    assert anthropic_calls["tickets-g-002"].response is not None
    assert MASK in anthropic_calls["tickets-g-002"].response.text
    assert openai_calls["tickets-g-002"].response is not None
    assert MASK in openai_calls["tickets-g-002"].response.text
    assert any(MASK in text for text in printed)
    assert MASK.encode() in (reports / "o.jsonl").read_bytes()


def test_redaction_reaches_nested_data_exceptions_and_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOMEHOST_API_KEY", "sk-suffix-convention-0123")  # covered by its name alone
    monkeypatch.setenv("SHORT_API_KEY", "abc")  # too short to be a key: left alone, text is not mangled
    assert redact("key sk-suffix-convention-0123, abc") == "key <$SOMEHOST_API_KEY>, abc"
    data = {"sk-suffix-convention-0123": ["x sk-suffix-convention-0123", 3, None]}
    assert redact_data(data) == {"<$SOMEHOST_API_KEY>": ["x <$SOMEHOST_API_KEY>", 3, None]}

    try:
        try:
            raise ValueError("inner sk-suffix-convention-0123")
        except ValueError as inner:
            raise RuntimeError("outer sk-suffix-convention-0123") from inner
    except RuntimeError as exc:
        scrub_exception(exc)
        assert str(exc) == "outer <$SOMEHOST_API_KEY>" and str(exc.__cause__) == "inner <$SOMEHOST_API_KEY>"

    class Sink:
        def __init__(self) -> None:
            self.text = ""

        def write(self, s: str) -> int:
            self.text += s
            return len(s)

        def flush(self) -> None: ...

        def isatty(self) -> bool:
            return False

    sink = Sink()
    RedactingStream(sink).write("progress sk-suffix-convention-0123\n")  # type: ignore[arg-type]
    assert sink.text == "progress <$SOMEHOST_API_KEY>\n"


def test_an_exception_surfacing_through_the_cli_carries_no_key(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error (here an OSError naming a path that holds the key) leaves `main` masked, so
    the traceback Python prints shows no key; an expected one is printed masked."""
    monkeypatch.setenv(CANARY_ENV, CANARY)
    project.write_endpoint("canary", api_key_env=CANARY_ENV)
    project.write_suite(n=1)
    assert main(["run", "--suite", "tickets", "--endpoint", "canary"]) == 0
    (run,) = runs(project).values()
    blocker = project.root / f"not-a-dir-{CANARY}"
    blocker.write_text("")
    with pytest.raises(OSError) as info:
        main(["export", run, "--out", str(blocker / "out.jsonl")])
    shown = "".join(traceback.format_exception(info.value))
    assert CANARY not in shown and MASK in shown
    assert main(["--store", str(blocker / "evalkit.db"), "show", run]) == 2  # bad input, printed
    printed = capsys.readouterr()
    assert CANARY not in printed.out + printed.err and MASK in printed.err
