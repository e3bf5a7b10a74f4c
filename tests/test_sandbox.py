"""The sandbox that runs model-written code: limits, scrubbed environment, whole-tree kill, cleanup,
and choosing (or refusing) an isolation level. Escape attempts are in test_sandbox_escape.py."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evalkit.errors import InputError
from evalkit.scoring.coding import isolation
from evalkit.scoring.coding.sandbox import ENV_ALLOWLIST, run_sandboxed, sandbox_dir
from tests.sandbox_support import host_pids, marker, wait_until

PY = sys.executable


@pytest.fixture(autouse=True)
def _fresh_probe() -> Iterator[None]:
    isolation._reset_for_tests()
    yield
    isolation._reset_for_tests()


def test_files_written_base_tree_overlaid_and_directory_removed(tmp_path: Path) -> None:
    code = "import os\nprint(os.getcwd())\nprint(*(open(n).read() for n in ('a.txt', 'sub/b.txt', 'base.txt')))"
    result = run_sandboxed(
        [PY, "-c", code],
        {"a.txt": "mine", "sub/b.txt": "nested"},
        cwd_files_from={"a.txt": "from-base", "base.txt": "base"},
        timeout_s=10,
        parent_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    cwd, contents = result.stdout.splitlines()
    assert contents == "mine nested base"  # `files` wins over the base tree
    assert Path(cwd).is_relative_to(tmp_path)
    assert not Path(cwd).exists()
    assert list(tmp_path.iterdir()) == []  # nothing left behind, not even captured output


def test_directory_removed_even_when_code_makes_it_read_only(tmp_path: Path) -> None:
    code = "import os; os.makedirs('locked/deep'); open('locked/deep/f','w').write('x'); os.chmod('locked', 0o500)"
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=10, parent_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_environment_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-parent-secret-123")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-parent-secret")
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    code = "import json, os; print(json.dumps({'env': dict(os.environ), 'cwd': os.getcwd()}))"
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=10)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    env, cwd = seen["env"], seen["cwd"]
    assert "OPENAI_API_KEY" not in env and "ANTHROPIC_API_KEY" not in env
    assert "secret" not in result.stdout
    assert set(env) <= {*ENV_ALLOWLIST, "HOME", "TMPDIR", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "PWD"}
    assert env["HOME"] == env["TMPDIR"] == env.get("PWD", cwd) == cwd  # bwrap sets PWD after its chdir
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONDONTWRITEBYTECODE"] == "1"


def test_timeout_kills_child_and_grandchild() -> None:
    mark = marker()
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {mark!r}])\n"
        "time.sleep(600)\n"
    )
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=2)
    assert result.timed_out
    assert result.killed_signal == signal.SIGKILL
    assert result.returncode == -signal.SIGKILL
    assert wait_until(lambda: not host_pids(mark)), "the grandchild must be killed with the run"


def test_background_grandchild_does_not_outlive_a_normal_exit() -> None:
    mark = marker()
    code = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {mark!r}],\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    )
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=30)
    assert result.returncode == 0 and not result.timed_out and result.killed_signal is None, result.stderr
    assert wait_until(lambda: not host_pids(mark))


def test_memory_limit_stops_a_big_allocation() -> None:
    small = run_sandboxed([PY, "-c", "x = bytearray(20 * 1024 * 1024)"], {}, timeout_s=10, memory_mb=256)
    assert small.returncode == 0, small.stderr
    big = run_sandboxed([PY, "-c", "x = bytearray(1024 * 1024 * 1024)"], {}, timeout_s=10, memory_mb=256)
    assert big.returncode != 0
    assert "MemoryError" in big.stderr
    assert not big.timed_out


def test_file_size_limit() -> None:
    write = "open('out.bin', 'wb').write(b'x' * {n})"
    ok = run_sandboxed([PY, "-c", write.format(n=512 * 1024)], {}, timeout_s=10, max_file_mb=1)
    assert ok.returncode == 0, ok.stderr
    big = run_sandboxed([PY, "-c", write.format(n=5 * 1024 * 1024)], {}, timeout_s=10, max_file_mb=1)
    assert big.returncode != 0
    assert "File too large" in big.stderr  # Python ignores SIGXFSZ, so the write fails with EFBIG


def test_cpu_limit_stops_a_busy_loop_before_the_wall_clock() -> None:
    result = run_sandboxed([PY, "-c", "while True: pass"], {}, timeout_s=120, cpu_s=1)
    assert not result.timed_out
    assert result.killed_signal in (signal.SIGXCPU, signal.SIGKILL)


def test_stdin_and_truncated_output() -> None:
    code = "import sys; data = sys.stdin.read(); print('x' * 30000 + data)"
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=10, stdin="END")
    assert result.returncode == 0
    assert result.stdout.startswith("[...truncated...]\n")
    assert result.stdout.endswith("xEND\n")
    assert len(result.stdout) < 21_000


def test_missing_program_is_a_result_not_an_exception() -> None:
    result = run_sandboxed(["evalkit-no-such-program"], {}, timeout_s=5)
    assert result.returncode == 127
    assert "evalkit-no-such-program" in result.stderr


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/evil", "a/../../b"])
def test_files_cannot_escape_the_sandbox(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError), sandbox_dir({name: "x"}, parent=tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []


# --- choosing the isolation level ------------------------------------------------------------------


def test_every_run_records_the_level_it_had() -> None:
    level, _ = isolation.strongest()
    if level == "none":
        pytest.skip("no sandbox works on this machine (bwrap / unshare): nothing stronger to record")
    result = run_sandboxed([PY, "-c", "pass"], {}, timeout_s=10)
    assert result.isolation == level


def test_no_sandbox_available_refuses_unless_the_operator_opts_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # neither bwrap nor unshare can be found
    monkeypatch.delenv(isolation.ALLOW_ENV, raising=False)
    monkeypatch.delenv(isolation.FORCE_ENV, raising=False)
    with pytest.raises(InputError) as err:
        isolation.select_level()
    message = str(err.value)
    assert isolation.ALLOW_ENV in message and "--allow-unsandboxed-code" in message
    assert "bwrap is not installed" in message
    assert isolation.require_isolation(["classification"]) is None  # no coding suite: no check
    with pytest.raises(InputError):
        run_sandboxed([PY, "-c", "pass"], {}, timeout_s=10)  # nothing runs unconfined by accident

    monkeypatch.setenv(isolation.ALLOW_ENV, "1")
    assert isolation.select_level() == "none"
    monkeypatch.delenv(isolation.ALLOW_ENV)
    isolation.allow_unsandboxed()  # what --allow-unsandboxed-code does
    assert isolation.require_isolation(["coding"]) == "none"
    monkeypatch.setenv("PATH", "/usr/local/bin:/usr/bin:/bin")
    result = run_sandboxed([PY, "-c", "print('ran')"], {}, timeout_s=10, level="none")
    assert result.stdout == "ran\n" and result.isolation == "none"


def test_a_forced_level_is_used_or_refused_never_downgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(isolation.FORCE_ENV, "sideways")
    with pytest.raises(InputError, match="must be auto, bwrap, unshare, none"):
        isolation.select_level()
    monkeypatch.setenv(isolation.FORCE_ENV, "bwrap")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(InputError, match="bwrap is not installed"):
        isolation.select_level()
    monkeypatch.setenv(isolation.FORCE_ENV, "none")
    with pytest.raises(InputError, match=isolation.ALLOW_ENV):
        isolation.select_level()
