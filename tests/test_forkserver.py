"""The fork server keeps every per-case guarantee: each case forked from it gets a boundary of its own.

The probes run in the hidden tests themselves (trusted code, which the in-process guard does not
restrict), so what they find is the operating-system boundary alone: a case is resolved only if every
escape fails. `tests/test_sandbox_escape.py` covers the same attacks for commands started one sandbox
at a time; this file covers cases scored through the fork server, and cases running side by side.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from evalkit.inputs.cases import Case
from evalkit.records import Response, Score
from evalkit.scoring import coding
from evalkit.scoring.base import ScoreContext
from evalkit.scoring.coding import forkserver, isolation, reaper
from tests.sandbox_support import host_pids, marker, require_level, wait_until
from tests.test_grader_forgery import score
from tests.test_scoring_coding import fenced, make_suite

CANARY = "sk-forkserver-canary-0000"
RIGHT = fenced("def add(a, b):\n    return a + b\n")


@pytest.fixture(autouse=True)
def fork_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fork server started for this test, with a canary key in evalkit's own environment."""
    isolation._reset_for_tests()
    require_level("bwrap")
    monkeypatch.delenv(isolation.FORCE_ENV, raising=False)
    monkeypatch.setenv(forkserver.ENABLE_ENV, "1")
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    forkserver.shutdown()
    root = forkserver.cases_root()
    if root is None:
        pytest.skip("the fork server cannot start on this machine")
    yield root
    forkserver.shutdown()
    isolation._reset_for_tests()


def case(tests: str) -> Case:
    return Case(id="fs", input={}, expected={"kind": "function", "entry_point": "add", "tests": textwrap.dedent(tests)})


def resolved(result: Score) -> None:
    assert result.resolved, result.detail["failures"] or result.detail
    assert result.detail["isolation"] == "bwrap"


PROBES = f"""
import ctypes, os, socket
from solution import add


def test_own_pid_namespace_and_no_proc():
    assert os.getpid() == 1 and os.listdir('/proc') == []  # fork-server cases only: nothing to see


def test_own_folders_only():
    work = os.getcwd()
    case_dir = os.path.dirname(work)
    assert sorted(os.listdir(case_dir)) == ['ro', 'work']  # not out/ (the verdict), not etc/
    assert os.listdir(os.path.dirname(case_dir)) == [os.path.basename(case_dir)]  # no other case
    path, parts = '/', [p for p in case_dir.split('/') if p]
    for part in parts:  # /tmp is a fresh tmpfs: only the way down to this case
        assert os.listdir(path) == [part] or path != '/tmp' and part in os.listdir(path)
        path = os.path.join(path, part)


def test_no_writes_outside_work():
    for path in ('/usr/escaped', '/etc/escaped', '../ro/escaped', '/escaped'):
        try:
            open(path, 'w').close()
        except OSError:
            continue
        raise AssertionError('wrote ' + path)
    open('inside.txt', 'w').close()


def test_no_privileges():
    assert os.getuid() == 65534 and os.geteuid() == 65534
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.mount(b'tmpfs', b'/tmp', b'tmpfs', 0, None) != 0  # no CAP_SYS_ADMIN
    assert libc.unshare(0x00020000) != 0  # a new mount namespace needs it too
    for call in (lambda: os.chroot('/'), lambda: os.setuid(0)):
        try:
            call()
        except OSError:  # EPERM; EINVAL for uid 0, which is not even mapped here
            continue
        raise AssertionError('privileged call succeeded')


def test_no_network_no_secrets():
    try:
        socket.create_connection(('127.0.0.1', PORT), timeout=3).close()
    except OSError:
        pass
    else:
        raise AssertionError('reached the host')
    assert {CANARY!r} not in repr(dict(os.environ))
    assert 'root:' not in open('/etc/passwd').read()
    assert not os.path.exists('/etc/shadow') or not os.access('/etc/shadow', os.R_OK)


def test_solution():
    assert add(1, 2) == 3
"""


def test_each_forked_case_has_the_sandbox_boundary() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        result = score(RIGHT, case(PROBES.replace("PORT", str(server.getsockname()[1]))))
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nothing reached the host's loopback
    resolved(result)
    assert result.detail["tests"]["passed"] == 6


HOLDER = """
import os, socket, time
from solution import add


def test_hold_state_until_released():
    for path in ('/tmp/left-by-a', '/dev/shm/left-by-a'):
        open(path, 'w').close()
    listener = socket.create_server(('127.0.0.1', 45678))
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind('\\0evalkit-case-a')
    abstract.listen()
    open('ready', 'w').close()
    for _ in range(1200):  # evalkit writes `release` here once the other case has finished
        if os.path.exists('release'):
            break
        time.sleep(0.05)
    assert os.path.exists('release') and add(1, 2) == 3
"""

LOOKER = """
import os, socket
from solution import add


def test_sees_nothing_of_the_other_case():
    assert not os.path.exists('/tmp/left-by-a') and os.listdir('/dev/shm') == []
    for family, address in ((socket.AF_INET, ('127.0.0.1', 45678)), (socket.AF_UNIX, '\\0evalkit-case-a')):
        with socket.socket(family) as probe:
            try:
                probe.connect(address)
            except OSError:
                continue
        raise AssertionError('reached the other case at ' + repr(address))
    assert add(1, 2) == 3
"""


def test_cases_running_side_by_side_share_nothing(fork_server: Path) -> None:
    results: dict[str, Score] = {}
    holder = threading.Thread(target=lambda: results.update(a=score(RIGHT, case(HOLDER))))
    holder.start()
    try:
        assert wait_until(lambda: bool(list(fork_server.glob("*/work/ready"))), within_s=60), "case A never started"
        results["b"] = score(RIGHT, case(LOOKER))  # while A holds its files, sockets and listeners
    finally:
        for ready in fork_server.glob("*/work/ready"):
            (ready.parent / "release").write_text("")
        holder.join()
    resolved(results["b"])
    resolved(results["a"])


def test_process_cap_and_kill_reach_every_descendant() -> None:
    mark = marker()
    tests = f"""
        import subprocess, sys
        from solution import add


        def test_spawn():
            leader = 'import os, time; os.setsid(); time.sleep(600)'
            started = 0
            for _ in range(200):
                try:
                    subprocess.Popen([sys.executable, '-c', leader, {mark!r}])
                    started += 1
                except OSError:
                    pass
            assert 1 <= started < 16, started  # the case's own process is one of the 16
            assert add(1, 2) == 3
    """
    settings = coding.Settings(timeout_s=60, memory_mb=512, max_procs=16)
    ctx = ScoreContext(make_suite(), case(tests), Response(text=RIGHT, finish_reason="stop"), {})
    result = coding.score(ctx, settings)
    resolved(result)
    assert wait_until(lambda: not host_pids(mark)), "setsid() descendants outlived the case"


def test_a_server_that_died_never_turns_into_a_wrong_answer(fork_server: Path) -> None:
    simple = case("from solution import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n")
    for pid in host_pids(str(fork_server.parent)):  # bubblewrap and the server, killed under evalkit's feet
        os.kill(pid, signal.SIGKILL)
    resolved(score(RIGHT, simple))  # run the ordinary way, or on a server started afresh
    assert not score(fenced("def add(a, b):\n    return a - b\n"), simple).resolved


def test_an_evalkit_that_exits_leaves_no_server_behind(tmp_path: Path) -> None:
    code = "from tests.test_forkserver import SCORER_ONE; exec(SCORER_ONE)"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1], env=env, timeout=120)
    assert done.returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(reaper.PREFIX)]


SCORER_ONE = """
from evalkit.scoring.coding import forkserver
from tests.test_grader_forgery import score
from tests.test_scoring_coding import ADD_CASE, fenced
assert forkserver.cases_root() is not None
assert score(fenced("def add(a, b):\\n    return a + b\\n"), ADD_CASE).resolved
"""


SCORER = """
import sys
from evalkit.scoring.coding import forkserver
from tests.test_grader_forgery import score
from tests.test_scoring_coding import fenced
from tests.test_forkserver import case
print(forkserver.cases_root(), flush=True)
score(fenced("def add(a, b):\\n    return a + b\\n"), case(sys.argv[1]))
"""


def test_nothing_outlives_a_killed_evalkit_and_the_server_folder_is_reaped(tmp_path: Path) -> None:
    mark = marker()
    tests = f"""
        import subprocess, sys, time


        def test_sleep():
            subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {mark!r}])
            time.sleep(600)
    """
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    scorer = subprocess.Popen(
        [sys.executable, "-c", SCORER, textwrap.dedent(tests)],
        cwd=Path(__file__).parents[1],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert scorer.stdout is not None
        cases = Path(scorer.stdout.readline().strip())
        server_root = cases.parent
        assert server_root.parent == tmp_path
        assert wait_until(lambda: bool(host_pids(mark)), within_s=60), "the case never started"
        assert host_pids(str(server_root))  # the server itself (bwrap and the zygote)
        os.kill(scorer.pid, signal.SIGKILL)
        scorer.wait()
        assert wait_until(lambda: not host_pids(mark)), "the case's processes outlived the killed scorer"
        assert wait_until(lambda: not host_pids(str(server_root))), "the fork server outlived the killed scorer"
        assert server_root.exists()
        assert server_root.name in reaper.sweep(tmp_path)
        assert not server_root.exists()
    finally:
        if scorer.poll() is None:
            scorer.kill()
            scorer.wait()
