"""The fast re-score path gives exactly the scores the model-built path gave.

`evalkit score RUN` builds extraction details as plain dicts, remembers schema errors of answers seen
verbatim, reuses compiled validators, and lets forked workers read their own answers and return ready
rows. None of that may change a stored byte: these tests compare against the typed models (the
definition of a stored detail) and the in-process path against the worker pool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evalkit import Store
from evalkit.cli import main
from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite
from evalkit.records import Response, Score
from evalkit.scoring import extraction, runner
from evalkit.scoring.base import ScoreContext
from evalkit.scoring.extraction import Detail, Settings, parse_answer, schema_errors
from evalkit.scoring.extraction.fields import score_field, unanswered_field
from evalkit.scoring.schemas import validator_for
from evalkit.store.rows import dumps, score_row_of
from tests.conftest import Project
from tests.fakeserver import Reply

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["issuer", "total", "due", "kind", "items"],
    "properties": {
        "issuer": {"type": "string"},
        "total": {"type": ["number", "null"]},
        "due": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "kind": {"type": "string", "enum": ["invoice", "receipt"]},
        "items": {"type": "array", "items": {"type": "string"}},
        "note": {},
    },
}
SCORER: dict[str, Any] = {
    "fields": {
        "issuer": {"type": "string", "threshold": 85, "match_digits": True},
        "total": {"type": "number", "tolerance": 0.01},
        "due": {"type": "date"},
        "kind": {"type": "enum"},
        "items": {"type": "list", "threshold": 80},
    }
}
GOLD: dict[str, Any] = {
    "issuer": "Acme 12 Ltd",
    "total": 1234.5,
    "due": "2026-03-14",
    "kind": "invoice",
    "items": ["Bolts M8", "Nuts"],
    "tax": None,
    "note": {"b": 1, "a": [1, 2.5]},
}
ANSWERS = [
    json.dumps(GOLD),
    "{}",
    "{}",
    "no record here",
    "```json\n" + json.dumps({**GOLD, "total": "1.234,50", "due": "14.03.2026", "extra": "x"}) + "\n```",
    'Here: {"issuer": "ACME 13 ltd", "total": 1e400, "items": [1e999, "nuts", {"z": 1, "y": [true]}], "tax": 0}',
    json.dumps({"issuer": 12, "total": [1], "due": "someday", "kind": "INVOICE", "items": "Bolts", "note": None}),
    json.dumps({"issuer": "Acme 12 Ltd", "tax": "  ", "items": [], "due": None, "kind": "receipt", "zzz": {"q": 1}}),
    json.dumps({"issuer": "Ünïcødé \u2028 Ltd", "total": -0.0, "due": "2026-02-30", "items": ["nuts", "bolts m8"]}),
]


def _context(text: str, schema: dict[str, Any] | None) -> tuple[ScoreContext, Settings]:
    suite = Suite.model_validate(
        {
            "name": "x",
            "version": "1",
            "category": "extraction",
            "primary_metric": "field_accuracy",
            "prompt": {"user": "{{ document }}"},
            "output_schema": schema,
            "scorer": SCORER,
        }
    )
    case = Case.model_validate({"id": "c1", "input": {"document": "d"}, "expected": {"fields": GOLD}})
    return ScoreContext(suite=suite, case=case, response=Response(text=text)), Settings.model_validate(SCORER)


def _score_through_models(ctx: ScoreContext, settings: Settings) -> Score:
    """The extraction score as the typed models build it (the code before the dict path)."""
    gold = extraction.Expectation.model_validate(ctx.case.expected).fields
    record, how = parse_answer(ctx.response.text)
    schema = ctx.suite.output_schema
    errors = (
        []
        if schema is None
        else (schema_errors(record, schema) if record is not None else ["answer is not a JSON object"])
    )
    fields = {
        n: unanswered_field(g, settings.fields.get(n))
        if record is None
        else score_field(g, record.get(n), settings.fields.get(n))
        for n, g in gold.items()
    }
    props = schema.get("properties") if schema else None
    extra = sorted(set(record) - (set(props) if isinstance(props, dict) else set(gold))) if record is not None else []
    v = list(fields.values())
    kinds = [f.kind for f in v]
    counts = extraction.Counts(
        fields=len(v),
        correct=kinds.count("correct"),
        wrong=kinds.count("wrong"),
        missing=kinds.count("missing"),
        hallucinated=kinds.count("hallucinated"),
        extra_keys=len(extra),
        tp=sum(f.correct and not extraction.is_empty(f.predicted) for f in v),
        fp=sum(not f.correct and not extraction.is_empty(f.predicted) for f in v)
        + (sum(not extraction.is_empty(record[k]) for k in extra) if record is not None else 0),
        fn=sum(not f.correct and not extraction.is_empty(f.gold) for f in v),
    )
    detail = Detail(
        parse=how,
        parsed=record is not None,
        format_deviation=how == "deviation",
        schema_valid=None if schema is None else not errors,
        schema_errors=errors[:3],
        schema_error_count=len(errors),
        extra_keys=extra,
        fields=fields,
        counts=counts,
        field_accuracy=counts.correct / counts.fields,
    )
    return Score.of(
        record is not None and counts.correct == counts.fields and not extra,
        detail,
        field_accuracy=detail.field_accuracy or 0.0,
        parsed=float(detail.parsed),
        format_deviation=float(detail.format_deviation),
        schema_valid=float(detail.schema_valid is not False),
        hallucinated_fields=float(counts.hallucinated + counts.extra_keys),
        missing_fields=float(counts.missing),
    )


@pytest.mark.parametrize("schema", [SCHEMA, None], ids=["schema", "no-schema"])
@pytest.mark.parametrize("text", ANSWERS)
def test_extraction_scores_store_the_same_bytes_as_the_typed_models(text: str, schema: dict[str, Any] | None) -> None:
    ctx, settings = _context(text, schema)
    fast, typed = extraction.score(ctx, settings), _score_through_models(ctx, settings)
    row, want = score_row_of("r", "s", "c", 0, fast, "t"), score_row_of("r", "s", "c", 0, typed, "t")
    assert row == want
    assert row[5] == dumps(typed.detail)  # the row's detail_json is the canonical dump
    # and the model reads the stored detail back to the same JSON (no key it does not know, none missing)
    assert dumps(Detail.model_validate(json.loads(row[5])).model_dump(mode="json")) == row[5]


def test_repeated_answers_keep_their_schema_errors_per_schema() -> None:
    ctx, settings = _context("{}", SCHEMA)
    first = extraction.score(ctx, settings).detail
    again = extraction.score(ctx, settings).detail
    assert first == again and first["schema_error_count"] == 5
    other = dict(SCHEMA, required=["issuer"])  # another schema object: not the first one's errors
    ctx2, _ = _context("{}", other)
    assert extraction.score(ctx2, settings).detail["schema_error_count"] == 1
    assert validator_for(SCHEMA) is validator_for(SCHEMA)
    assert validator_for(other) is not validator_for(SCHEMA)


def _answer(path: str, body: dict[str, Any]) -> Reply:
    ticket = body["messages"][-1]["content"]
    return Reply(text="refund" if ticket.endswith(("0", "3")) else "no idea", input_tokens=10, output_tokens=2)


def _rows(store: Store, run_id: str) -> list[tuple[Any, ...]]:
    return [(r.suite, r.case_id, r.repeat, r.score.model_dump_json()) for r in store.scores(run_id)]


def test_worker_pool_and_in_process_rescore_store_identical_rows(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write_suite(n=23, adversarial=4)
    project.fake.script(_answer)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai", "--repeats", "2"]) == 0
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
        live = _rows(store, run_id)
        assert runner.rescore_run(store, run_id, workers=1) == 54
        in_process = _rows(store, run_id)
        monkeypatch.setattr(runner, "PROCESS_MIN_CALLS", 1)  # the pool path on a small run
        assert runner.rescore_run(store, run_id, workers=2) == 54
        pooled = _rows(store, run_id)
    assert live == in_process == pooled
    assert len(live) == 54


def test_answer_ranges_cover_every_answer_once_in_order(project: Project) -> None:
    project.write_suite(n=9, adversarial=2)
    project.fake.script(_answer)
    assert main(["run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with Store.existing(project.store) as store:
        (run_id,) = [r.run_id for r in store.runs()]
        whole = [a for a, _ in store.answers_in(run_id, ("", "", -1), None)]
        for size in (1, 4, 11, 12, 500):
            ranges = list(store.answer_ranges(run_id, chunk=size))
            ranged = [a for bounds in ranges for a, case_json in store.answers_in(run_id, *bounds)]
            assert ranged == whole
            assert ranges[-1][1] is None
        with_cases = store.answers_in(run_id, ("", "", -1), None)
        assert all(Case.model_validate_json(c).id == a.case_id for a, c in with_cases if c is not None)
        assert all(c is not None for _, c in with_cases)


def test_a_reader_connection_opens_a_store_without_touching_its_schema(tmp_path: Path) -> None:
    """`Store.reader` opens a second connection without touching the schema (a worker's)."""
    path = tmp_path / "evalkit.db"
    Store(path).close()
    reader = Store.reader(Store(path).path)
    assert reader.runs() == []
    reader.close()


def test_worker_pool_rescores_a_postgresql_store_like_in_process(
    project: Project, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each forked worker opens its own PostgreSQL connection; the parent's never crosses the fork."""
    project.write_suite(n=11, adversarial=2)
    project.fake.script(_answer)
    assert main(["--store", pg_url, "run", "--suite", "tickets", "--endpoint", "fake-openai"]) == 0
    with Store.existing(pg_url) as store:
        (run_id,) = [r.run_id for r in store.runs()]
        live = _rows(store, run_id)
        monkeypatch.setattr(runner, "PROCESS_MIN_CALLS", 1)
        assert runner.rescore_run(store, run_id, workers=2) == 13
        assert _rows(store, run_id) == live
        assert store.count_calls(run_id) == 13  # the parent's connection still works after the pool


def _toolcall_through_models(ctx: ScoreContext, settings: Any) -> Score:
    """The tool-call score with its detail built and dumped through the `Detail` model (the old path)."""
    from evalkit.scoring import toolcall as tc

    fast = tc.score(ctx, settings)
    d = fast.detail
    detail = tc.Detail(
        mode=d["mode"],
        called=[
            tc.CalledTool(name=c.name, arguments=c.arguments, parse_error=c.parse_error)
            for c in ctx.response.tool_calls
        ],
        format_failure=d["format_failure"],
        parse_failures=d["parse_failures"],
        call_as_text=d["call_as_text"],
        unknown_tools=d["unknown_tools"],
        escalated=d["escalated"],
        pairs=[tc.CallPair.model_validate(p) for p in d["pairs"]],
        count_ok=d["count_ok"],
        reply=None if d["reply"] is None else tc.ReplyVerdict.model_validate(d["reply"]),
    )
    return Score.of(
        bool(fast.resolved),
        detail,
        format_failure=fast.values["format_failure"],
        call_as_text=fast.values["call_as_text"],
    )


def test_toolcall_scores_store_the_same_bytes_as_the_typed_models() -> None:
    from evalkit.inputs.suites import load_suite
    from evalkit.records import ToolCall
    from evalkit.scoring import toolcall as tc

    loaded = load_suite(Path(__file__).resolve().parents[1] / "suites" / "toolcall.yaml")
    settings = tc.Settings.model_validate(loaded.suite.scorer)

    def call(name: str, args: dict[str, Any] | None, error: str | None = None) -> ToolCall:
        return ToolCall(id="c", name=name, arguments=args, raw_arguments=json.dumps(args), parse_error=error)

    answers: list[tuple[str, list[ToolCall]]] = [
        ("Could you send me your order number, please?", []),
        ("I'm sorry, I can't help with that. Your order OR-99999 shipped.", []),
        ('{"name": "lookup_order", "arguments": {}}', []),
        ("", [call("lookup_order", {})]),
        ("", [call("lookup_order", None, "Expecting value")]),
        ("", [call("escalate_to_human", {"reason": "x"})]),
        ("", [call("no_such_tool", {"a": 1e400, "b": [float("inf"), {"c": "é"}]}), call("lookup_order", {"x": 1})]),
    ]
    seen = 0
    for case in loaded.cases[::25]:
        gold = [call(c["name"], {k: v[0] for k, v in c["args"].items()}) for c in case.expected["calls"]]
        for text, calls in [*answers, ("", gold), ("", gold[::-1] + gold[:1])]:
            ctx = ScoreContext(suite=loaded.suite, case=case, response=Response(text=text, tool_calls=calls))
            fast, typed = tc.score(ctx, settings), _toolcall_through_models(ctx, settings)
            assert score_row_of("r", "s", case.id, 0, fast, "t") == score_row_of("r", "s", case.id, 0, typed, "t")
            seen += 1
    assert seen > 100
