"""Escape attempts against the sandbox, on every namespaced level this machine has (bwrap, unshare).

Each test is an attack issue 9 saw succeed against the old sandbox (scrubbed environment, rlimits,
process-group kill only): reading the key from /proc/<pid>/environ, reading /etc/passwd and
/etc/shadow, writing outside the temporary folder, connecting to a loopback server, spawning 200
processes, a setsid() grandchild outliving the run, and sandboxed processes outliving a killed evalkit.
Every one is bounded: at most 200 short sleepers, never an unbounded fork bomb.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evalkit.scoring.coding import isolation, reaper
from evalkit.scoring.coding.sandbox import Limits, run_in, run_sandboxed, sandbox_dir
from tests.sandbox_support import NAMESPACED, host_pids, marker, require_level, wait_until

PY = sys.executable
CANARY = "sk-evalkit-canary-5f1d2c9e"


@pytest.fixture(params=NAMESPACED)
def level(request: pytest.FixtureRequest) -> Iterator[isolation.Level]:
    isolation._reset_for_tests()
    require_level(request.param)
    yield request.param
    isolation._reset_for_tests()


def run(level: isolation.Level, code: str, **kwargs: object) -> tuple[str, str]:
    result = run_sandboxed([PY, "-c", textwrap.dedent(code)], {}, level=level, **kwargs)  # type: ignore[arg-type]
    return result.stdout, result.stderr


ATTEMPTS = """
    import json, os, socket, sys
    seen = {'environ': [], 'files': {}, 'wrote': [], 'connect': None}
    for pid in ['self', str(os.getppid()), '1', *os.listdir('/proc')]:
        for name in ('environ', 'cmdline'):
            try:
                seen['environ'].append(open(f'/proc/{pid}/{name}', 'rb').read().decode('latin-1'))
            except OSError:
                pass
    for path in ('/etc/passwd', '/etc/shadow', '/etc/gshadow'):
        try:
            seen['files'][path] = open(path).read()
        except OSError as exc:
            seen['files'][path] = 'denied: ' + type(exc).__name__
    seen['base'] = open('base.txt').read()
    for path in (sys.argv[1], '/usr/evalkit-escaped', '/etc/evalkit-escaped', 'inside.txt'):
        try:
            open(path, 'w').write('x')
            seen['wrote'].append(path)
        except OSError:
            pass
    try:
        socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=3).close()
        seen['connect'] = 'connected'
    except OSError as exc:
        seen['connect'] = type(exc).__name__
    print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def server() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as listening:
        yield listening


@pytest.fixture(scope="module", params=NAMESPACED)
def attempts(
    request: pytest.FixtureRequest, server: socket.socket, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One sandboxed run per level trying every read, write and connection above; what it managed."""
    level: isolation.Level = request.param
    isolation._reset_for_tests()
    require_level(level)
    outside = tmp_path_factory.mktemp("outside") / "escaped.txt"
    argv = [PY, "-c", textwrap.dedent(ATTEMPTS), str(outside), str(server.getsockname()[1])]
    with pytest.MonkeyPatch.context() as patch, sandbox_dir({"base.txt": "from the host"}) as work:
        patch.setenv("OPENAI_API_KEY", CANARY)  # evalkit's environment, which the child is started from
        result = run_in(work, argv, Limits(timeout_s=30), level=level)
        assert result.returncode == 0, result.stderr
        seen: dict[str, Any] = json.loads(result.stdout)
        inside = work / "inside.txt"
        seen["inside_on_host"] = inside.read_text() if inside.exists() else None
    seen["outside"] = outside
    yield seen
    isolation._reset_for_tests()


def test_the_key_is_not_readable_from_any_process_environment(attempts: dict[str, Any]) -> None:
    assert len(attempts["environ"]) >= 2  # it did read its own and its parent's
    assert not any(CANARY in text for text in attempts["environ"])


def test_host_passwd_and_shadow_are_not_readable(attempts: dict[str, Any]) -> None:
    files = attempts["files"]
    assert "root:x:0:0" not in files["/etc/passwd"] and "nobody" in files["/etc/passwd"]  # its own one-liner
    shadow = Path("/etc/shadow")
    if shadow.exists():
        assert shadow.read_text().split(":", 1)[0] + ":" not in files["/etc/shadow"]


def test_cannot_write_outside_its_folder(attempts: dict[str, Any]) -> None:
    assert attempts["base"] == "from the host"  # its own folder is the host's, readable ...
    assert attempts["wrote"] == ["inside.txt"] and attempts["inside_on_host"] == "x"  # ... and writable
    assert not attempts["outside"].exists() and not Path("/usr/evalkit-escaped").exists()


def test_no_connection_to_a_loopback_server(attempts: dict[str, Any], server: socket.socket) -> None:
    assert attempts["connect"] != "connected"
    server.setblocking(False)
    with pytest.raises(BlockingIOError):
        server.accept()  # nothing reached the server


def test_kernel_settings_cannot_be_written(level: isolation.Level) -> None:
    """The sandbox uid maps to evalkit's own; run as root, a writable /proc/sys would let code set the
    host's core_pattern (a command run as root on the next crash). Opening for writing is the probe:
    it performs the kernel's whole permission check and changes nothing."""
    code = """
        import os
        for path in ('/proc/sys/kernel/core_pattern', '/proc/sys/vm/drop_caches'):
            try:
                os.close(os.open(path, os.O_WRONLY))
                print(path, 'writable')
            except OSError as exc:
                print(path, type(exc).__name__)
    """
    out, err = run(level, code)
    assert out.count("\n") == 2 and "writable" not in out, (out, err)


def test_process_count_is_capped(level: isolation.Level) -> None:
    mark = marker()
    code = f"""
        import subprocess, sys
        started = 0
        for _ in range(200):
            try:
                subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {mark!r}])
                started += 1
            except OSError:
                pass
        print('started', started)
    """
    out, err = run(level, code, timeout_s=60, max_procs=16)
    started = int(out.split()[1])
    assert 1 <= started < 16, (out, err)  # the program itself is one of the 16
    assert wait_until(lambda: not host_pids(mark))


def test_a_setsid_grandchild_does_not_survive(level: isolation.Level) -> None:
    mark = marker()
    code = f"""
        import subprocess, sys
        leader = 'import os, time; os.setsid(); print(os.getsid(0) == os.getpid(), flush=True); time.sleep(600)'
        child = subprocess.Popen([sys.executable, '-c', leader, {mark!r}], stdout=subprocess.PIPE)
        print(child.stdout.readline().decode().strip())  # it has left our session
        print('spawned')
    """
    out, err = run(level, code, timeout_s=30)
    assert out.split() == ["True", "spawned"], err  # it did get a session of its own
    assert wait_until(lambda: not host_pids(mark)), "a setsid() grandchild outlived the run"


SCORER = """
import os, sys
from pathlib import Path
from evalkit.scoring.coding.sandbox import Limits, run_in, run_sandboxed, sandbox_dir
mark = os.environ["MARK"]
leader = "'import os, time; os.setsid(); time.sleep(600)'"
code = "import subprocess, sys, time\\n" \\
       f"subprocess.Popen([sys.executable, '-c', {leader}, sys.argv[1] + '-gc'])\\n" \\
       "time.sleep(600)\\n"
run_sandboxed([sys.executable, '-c', code, mark], {}, timeout_s=600, parent_dir=Path(sys.argv[1]),
              level=sys.argv[2])
"""


def test_nothing_outlives_a_killed_evalkit_and_its_folders_are_reaped(level: isolation.Level, tmp_path: Path) -> None:
    mark, base = marker(), tmp_path / "base"
    base.mkdir()
    env = {**os.environ, "MARK": mark}  # not in the scorer's own command line: only sandboxed ones carry it
    scorer = subprocess.Popen([PY, "-c", SCORER, str(base), level], cwd=Path(__file__).parents[1], env=env)
    try:
        assert wait_until(lambda: bool(host_pids(mark + "-gc")), within_s=60), "the sandboxed code never started"
        left = [p for p in base.iterdir() if p.name.startswith(reaper.PREFIX)]
        assert len(left) == 1
        os.kill(scorer.pid, signal.SIGKILL)
        scorer.wait()
        assert wait_until(lambda: not host_pids(mark)), "sandboxed processes outlived the killed scorer"
        assert left[0].exists()  # a SIGKILLed process cannot clean up after itself ...
        assert left[0].name in reaper.sweep(base)  # ... the next evalkit that makes a sandbox there does
        assert not left[0].exists()
    finally:
        if scorer.poll() is None:
            scorer.kill()
            scorer.wait()
