"""The sandbox that runs model-written code: limits, scrubbed environment, process-group kill, cleanup."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import pytest

from evalkit.scoring.coding.sandbox import ENV_ALLOWLIST, run_sandboxed, sandbox_dir

PY = sys.executable


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed orphan may wait a while to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _wait_dead(pid: int, within_s: float = 3.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


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
    assert set(env) <= {*ENV_ALLOWLIST, "HOME", "TMPDIR", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED"}
    assert env["HOME"] == env["TMPDIR"] == cwd
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONDONTWRITEBYTECODE"] == "1"


def test_timeout_kills_child_and_grandchild() -> None:
    code = "import subprocess, time\np = subprocess.Popen(['sleep', '60'])\nprint(p.pid, flush=True)\ntime.sleep(60)\n"
    started = time.monotonic()
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=1)
    assert time.monotonic() - started < 5
    assert result.timed_out
    assert result.killed_signal == signal.SIGKILL
    assert result.returncode == -signal.SIGKILL
    assert 1 <= result.duration_s < 5
    grandchild = int(result.stdout.split()[0])
    assert _wait_dead(grandchild), "the grandchild in the same process group must be killed too"


def test_background_grandchild_does_not_outlive_a_normal_exit() -> None:
    code = (
        "import subprocess\n"
        "p = subprocess.Popen(['sleep', '60'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(p.pid)\n"
    )
    result = run_sandboxed([PY, "-c", code], {}, timeout_s=10)
    assert result.returncode == 0 and not result.timed_out and result.killed_signal is None
    assert result.duration_s < 5  # did not wait for the sleeper
    assert _wait_dead(int(result.stdout.split()[0]))


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
    result = run_sandboxed([PY, "-c", "while True: pass"], {}, timeout_s=10, cpu_s=1)
    assert not result.timed_out
    assert result.killed_signal in (signal.SIGXCPU, signal.SIGKILL)
    assert result.duration_s < 5


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
