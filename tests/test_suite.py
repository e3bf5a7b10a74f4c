"""Loading suites: everything is validated up front, and every error names file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.errors import InputError
from evalkit.inputs.suites import load_suite, load_suites, resolve_suite_paths
from tests.conftest import Project


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_suite(path)
    return info.value


def test_valid_suite_loads_cases_with_split_and_stable_hash(project: Project) -> None:
    path = project.write_suite(n=3, adversarial=2)
    loaded = load_suite(path)
    assert [c.id for c in loaded.cases][:1] == ["tickets-g-000"]
    assert [c.split for c in loaded.cases] == ["golden"] * 3 + ["adversarial"] * 2
    again = load_suite(path)
    assert (again.input_hash, again.expectation_hash) == (loaded.input_hash, loaded.expectation_hash)


def test_input_hash_changes_when_a_case_input_changes(project: Project) -> None:
    path = project.write_suite(n=3)
    before = load_suite(path)
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(golden.read_text().replace("golden ticket 2", "golden ticket two"))
    after = load_suite(path)
    assert after.input_hash != before.input_hash
    assert after.expectation_hash == before.expectation_hash


def test_expectations_change_only_the_expectation_hash(project: Project) -> None:
    path = project.write_suite(n=3)
    before = load_suite(path)
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(golden.read_text().replace('"label": "refund"', '"label": "other"', 1))
    after = load_suite(path)
    assert after.input_hash == before.input_hash
    assert after.expectation_hash != before.expectation_hash


def test_gate_policy_and_description_are_in_neither_hash(project: Project) -> None:
    before = load_suite(project.write_suite(n=3))
    after = load_suite(
        project.write_suite(n=3, description="edited", gate={"non_inferiority_margin": 0.1, "min_cases": 5})
    )
    assert (after.input_hash, after.expectation_hash) == (before.input_hash, before.expectation_hash)
    assert after.suite.gate.non_inferiority_margin == 0.1


def test_request_settings_change_the_input_hash(project: Project) -> None:
    before = load_suite(project.write_suite(n=3))
    after = load_suite(project.write_suite(n=3, request={"max_tokens": 64, "temperature": 0}))
    assert after.input_hash != before.input_hash


def test_a_misspelt_gate_key_names_its_line(project: Project) -> None:
    path = project.write_suite(n=1, gate={"non_inferiority_margn": 0.03})
    err = error_of(path)
    assert err.field == "gate.non_inferiority_margn" and err.message == "unknown field"
    assert err.line == path.read_text().splitlines().index("  non_inferiority_margn: 0.03") + 1


def test_a_gate_metric_must_belong_to_the_category(project: Project) -> None:
    err = error_of(project.write_suite(n=1, gate={"metric": "field_accuracy"}))
    assert err.field == "gate.metric" and "not a classification metric" in err.message


def test_broken_yaml_names_the_line(project: Project) -> None:
    path = project.root / "suites" / "bad.yaml"
    path.write_text("name: bad\nversion: 1\ncategory: classification\nprompt:\n  user: [unclosed\n")
    err = error_of(path)
    assert err.path == path and err.line is not None and err.line >= 5
    assert "invalid YAML" in err.message


def test_unknown_category_names_line_and_field(project: Project) -> None:
    path = project.write_suite(category="sentiment")
    err = error_of(path)
    assert err.field == "category" and err.line == 3
    assert "classification" in err.message


def test_unknown_key_is_rejected(project: Project) -> None:
    err = error_of(project.write_suite(promt={"user": "x"}))
    assert err.field == "promt" and err.message == "unknown field"


def test_duplicate_case_id_names_second_occurrence(project: Project) -> None:
    path = project.write_suite(n=2)
    golden = project.root / "golden" / "tickets.jsonl"
    with golden.open("a") as f:
        f.write(json.dumps({"id": "tickets-g-000", "input": {"ticket": "again"}, "expected": {"label": "x"}}) + "\n")
    err = error_of(path)
    assert (err.path, err.line, err.field) == (golden, 3, "id")
    assert "duplicate case id 'tickets-g-000'" in err.message


def test_case_missing_a_required_field(project: Project) -> None:
    path = project.write_suite(n=1)
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(golden.read_text() + json.dumps({"id": "x", "input": {"ticket": "t"}}) + "\n")
    err = error_of(path)
    assert (err.line, err.field) == (2, "expected")


def test_case_missing_a_template_field(project: Project) -> None:
    path = project.write_suite(n=1)
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(golden.read_text() + json.dumps({"id": "x", "input": {"body": "t"}, "expected": {}}) + "\n")
    err = error_of(path)
    assert (err.line, err.field) == (2, "input.ticket")


def test_invalid_json_line(project: Project) -> None:
    path = project.write_suite(n=1)
    golden = project.root / "golden" / "tickets.jsonl"
    golden.write_text(golden.read_text() + '{"id": "x", \n')
    err = error_of(path)
    assert err.line == 2 and "invalid JSON" in err.message


def test_tool_schema_must_be_valid_json_schema(project: Project) -> None:
    tools = [
        {"name": "ok", "parameters": {"type": "object"}},
        {"name": "broken", "parameters": {"type": "object", "properties": {"n": {"type": "integr"}}}},
    ]
    err = error_of(project.write_suite(tools=tools))
    assert err.field == "tools[1].parameters" and err.line is not None
    assert "not valid JSON Schema" in err.message


def test_tool_turn_must_answer_a_known_call(project: Project) -> None:
    path = project.write_suite(n=0)
    case = {
        "id": "t",
        "input": {"ticket": "x"},
        "expected": {},
        "followup_turns": [{"role": "tool", "tool_call_id": "nope", "content": "{}"}],
    }
    project.write_cases(project.root / "golden" / "tickets.jsonl", [case])
    err = error_of(path)
    assert err.line == 1 and "unknown tool call" in err.message


def test_suite_spec_names_paths_lists_and_all(project: Project) -> None:
    project.write_suite("alpha")
    project.write_suite("beta")
    suites = project.root / "suites"
    assert [p.stem for p in resolve_suite_paths("all", suites)] == ["alpha", "beta"]
    assert [p.stem for p in resolve_suite_paths("beta,alpha", suites)] == ["beta", "alpha"]
    assert [p.stem for p in resolve_suite_paths(str(suites / "alpha.yaml"), suites)] == ["alpha"]
    with pytest.raises(InputError, match=r"unknown suite .gamma.*alpha, beta"):
        resolve_suite_paths("gamma", suites)
    assert len(load_suites("all", suites)) == 2


def csv_suite(project: Project) -> Path:
    """A suite whose only cases come from golden/export.csv through a column mapping."""
    source = {
        "path": "../golden/export.csv",
        "mapping": {"id": "ticket_id", "input.ticket": "body", "expected.label": "intent"},
    }
    return project.write_suite(
        n=0,
        cases={"use_default_files": False, "sources": [source]},
        scorer={"labels": ["refund", "refund_request", "order_status", "cancel_order", "other"]},
    )


def test_cases_from_a_csv_source_with_column_mapping(project: Project) -> None:
    csv = project.root / "golden" / "export.csv"
    csv.write_text("ticket_id,body,intent\nT1,where is my parcel,order_status\nT2,refund me,refund_request\n")
    path = csv_suite(project)
    loaded = load_suite(path)
    assert [(c.id, c.input["ticket"], c.expected["label"]) for c in loaded.cases] == [
        ("T1", "where is my parcel", "order_status"),
        ("T2", "refund me", "refund_request"),
    ]


def test_patch_case_naming_a_missing_fixture_repository(project: Project) -> None:
    path = project.write_suite(n=0, category="coding", primary_metric="pass_at_1", scorer={})
    tests = "def test_x():\n    assert True\n"
    project.write_cases(
        project.root / "golden" / "tickets.jsonl",
        [
            {
                "id": "p1",
                "input": {"ticket": "fix it"},
                "expected": {"kind": "patch", "repo": "nowhere", "tests": tests, "allowed_files": ["a.py"]},
            }
        ],
    )
    err = error_of(path)
    assert (err.line, err.field) == (1, "expected.repo") and "'nowhere'" in err.message


def test_scorer_settings_and_primary_metric_are_checked(project: Project) -> None:
    err = error_of(project.write_suite(scorer={"labels": ["a", "b"], "abstain_label": "escalate"}))
    assert err.field == "scorer" and "abstain_label" in err.message
    err = error_of(project.write_suite(primary_metric="happiness"))
    assert err.field == "primary_metric" and err.line == 4 and "macro_f1" in err.message


def test_cases_from_parquet_with_json_columns(project: Project) -> None:
    import pandas as pd

    pd.DataFrame(
        {
            "case_id": ["P1", "P2"],
            "text": ["cancel my order", "where is it"],
            "gold": ["cancel_order", "order_status"],
            "thread": ["t1", "t1"],
        }
    ).to_parquet(project.root / "adversarial" / "prod.parquet")
    path = project.write_suite(
        n=1,
        scorer={"labels": ["refund", "refund_request", "order_status", "cancel_order", "other"]},
        cases={
            "sources": [
                {
                    "path": "../adversarial/prod.parquet",
                    "split": "adversarial",
                    "mapping": {"id": "case_id", "input.ticket": "text", "expected.label": "gold", "cluster": "thread"},
                }
            ]
        },
    )
    loaded = load_suite(path)
    prod = [c for c in loaded.cases if c.split == "adversarial"]
    assert [(c.id, c.expected["label"], c.cluster) for c in prod] == [
        ("P1", "cancel_order", "t1"),
        ("P2", "order_status", "t1"),
    ]
    assert loaded.cases[0].id == "tickets-g-000"  # default golden file still read


def test_source_mapping_to_a_missing_column_names_it(project: Project) -> None:
    csv = project.root / "golden" / "export.csv"
    csv.write_text("ticket_id,body\nT1,hello\n")
    path = csv_suite(project)
    err = error_of(path)
    assert err.field == "expected.label" and "'intent'" in err.message
