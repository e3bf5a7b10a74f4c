"""`evalkit review`: accept, correct or drop drafted expectations; who and when recorded in the case
file; human-vs-scorer agreement reported; bad decisions refused with nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from tests.traffic_log import write_log

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = str(ROOT / "runners" / "endpoints")


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    logs, _, _ = write_log(tmp_path, seed=5)
    out = tmp_path / "out"
    args = ["import", "traffic", str(logs[0]), "--out", str(out), "--per-surface", "8"]
    assert main([*args, "--endpoints-dir", ENDPOINTS]) == 0
    return out


def _rows(out: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in (out / "golden" / "support-router.jsonl").read_text().splitlines()]


def _review(out: Path, *extra: str) -> int:
    return main(["review", "support-router", "--suites-dir", str(out / "suites"), *extra])


def test_decisions_accept_correct_drop_and_record_who_and_when(
    drafted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows(drafted)
    labels = yaml.safe_load((drafted / "suites" / "support-router.yaml").read_text())["scorer"]["labels"]
    wrong = next(label for label in labels if label != rows[1]["expected"]["label"])  # type: ignore[index]
    decisions = drafted / "decisions.jsonl"
    decisions.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {"id": rows[0]["id"], "action": "accept"},
                {"id": rows[1]["id"], "action": "correct", "expected": {"label": wrong}},
                {"id": rows[2]["id"], "action": "drop"},
            ]
        )
    )
    assert _review(drafted, "--decisions", str(decisions), "--reviewer", "alice") == 0
    after = {r["id"]: r for r in _rows(drafted)}
    assert rows[2]["id"] not in after and len(after) == len(rows) - 1
    accepted, corrected = after[rows[0]["id"]], after[rows[1]["id"]]  # type: ignore[index]
    assert accepted["reference"] == corrected["reference"] == "reviewed"
    assert accepted["reviewer"] == "alice" and str(accepted["reviewed_at"]).startswith("20")
    assert accepted["expected"] == rows[0]["expected"] and corrected["expected"] == {"label": wrong}
    assert sum(r["reference"] == "unreviewed" for r in after.values()) == len(rows) - 3
    printed = capsys.readouterr().out
    assert "accepted 1, corrected 1, dropped 1" in printed and "agreement 100.0%" in printed
    report = json.loads((drafted / "traffic" / "review-support-router.json").read_text())
    assert report["agreement"] == 1.0 and report["reviewer"] == "alice"


def test_disagreement_is_reported(drafted: Path) -> None:
    rows = _rows(drafted)
    decisions = drafted / "d.jsonl"  # "correcting" to the very label the frontier gave: the scorer still passes it
    decisions.write_text(json.dumps({"id": rows[0]["id"], "action": "correct", "expected": rows[0]["expected"]}))
    assert _review(drafted, "--decisions", str(decisions), "--reviewer", "bob") == 0
    report = json.loads((drafted / "traffic" / "review-support-router.json").read_text())
    assert report["agreement"] == 0.0 and report["disagreements"] == [rows[0]["id"]]


@pytest.mark.parametrize(
    ("decision", "field"),
    [({"id": "nope", "action": "accept"}, "[id]"), ({"action": "correct", "expected": {"label": "poetry"}}, "label")],
)
def test_bad_decisions_exit_2_and_write_nothing(
    drafted: Path, capsys: pytest.CaptureFixture[str], decision: dict[str, object], field: str
) -> None:
    before = (drafted / "golden" / "support-router.jsonl").read_text()
    decisions = drafted / "bad.jsonl"
    first = {"id": _rows(drafted)[1]["id"], "action": "accept"}
    decisions.write_text(json.dumps(first) + "\n" + json.dumps({"id": _rows(drafted)[0]["id"], **decision}) + "\n")
    assert _review(drafted, "--decisions", str(decisions), "--reviewer", "carol") == 2
    err = capsys.readouterr().err
    assert f"{decisions}:2" in err and field in err
    assert (drafted / "golden" / "support-router.jsonl").read_text() == before


def test_prompts_answered_on_stdin_use_user(drafted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "dora")
    label = yaml.safe_load((drafted / "suites" / "support-router.yaml").read_text())["scorer"]["labels"][0]
    monkeypatch.setattr("sys.stdin", io.StringIO(f'a\nc\n{{"label": "{label}"}}\nd\nq\n'))
    rows = _rows(drafted)
    assert _review(drafted) == 0
    after = {r["id"]: r for r in _rows(drafted)}
    assert after[rows[0]["id"]]["reviewer"] == "dora"  # type: ignore[index]
    assert after[rows[1]["id"]]["expected"] == {"label": label}  # type: ignore[index]
    assert rows[2]["id"] not in after and after[rows[3]["id"]]["reference"] == "unreviewed"  # type: ignore[index]
