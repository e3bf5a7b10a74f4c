# ruff: noqa: E501  (a table of one-line corpus entries reads better unwrapped)
"""A corpus of broken inputs: every suite, case, endpoint and CLI field a user can get wrong.

Each entry starts from the valid project the `project` fixture writes (suite `tickets`, four golden
cases, endpoint `fake-openai`), breaks one thing, runs one command, and names the words the single
error line must contain (file, line and/or field). `tests/test_broken_inputs.py` holds every entry to
the same promise: exit 2, one `error:` line, no traceback, nothing written to the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SUITE = "suites/tickets.yaml"
CASES = "golden/tickets.jsonl"
ENDPOINT = "runners/endpoints/fake-openai.yaml"
RUN = ("run", "--suite", "tickets", "--endpoint", "fake-openai")

Edit = Callable[[str], str] | str | bytes
"""A function of the valid file's text, or the whole new content."""


@dataclass(frozen=True)
class Broken:
    name: str
    expect: tuple[str, ...]
    """Fragments the error line must contain (case-insensitive)."""
    edits: dict[str, Edit] = field(default_factory=dict)
    """Project-relative path -> edit."""
    argv: tuple[str, ...] = RUN


def sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"corpus edit: {old!r} not in the valid file"
        return text.replace(old, new, 1)

    return edit


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def case_line(n: int, line: str) -> Callable[[str], str]:
    """Replace case line n (1-based) of the valid case file."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[n - 1] = line + "\n"
        return "".join(lines)

    return edit


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)
"""The classic "billion laughs": nine nested anchors, about 1 KB, expanding to 9**9 scalars."""

CORPUS: tuple[Broken, ...] = (
    # --- suite file --------------------------------------------------------------------------------
    Broken("suite-yaml-syntax", ("tickets.yaml:16", "invalid yaml"), {SUITE: append("prompt: [unclosed\n")}),
    Broken("suite-not-a-mapping", ("tickets.yaml", "mapping"), {SUITE: "- just\n- a list\n"}),
    Broken("suite-empty-file", ("tickets.yaml",), {SUITE: ""}),
    Broken("suite-unknown-key", ("tickets.yaml", "promt", "unknown field"), {SUITE: append("promt: oops\n")}),
    Broken("suite-missing-prompt", ("tickets.yaml", "prompt"), {SUITE: sub("prompt:", "promptx:")}),
    Broken("suite-unknown-category", ("tickets.yaml", "category"), {SUITE: sub("category: classification", "category: poetry")}),
    Broken("suite-unknown-metric", ("tickets.yaml", "primary_metric"), {SUITE: sub("primary_metric: macro_f1", "primary_metric: vibes")}),
    Broken("suite-template-syntax", ("tickets.yaml", "prompt"), {SUITE: sub("{{ ticket }}", "{{ ticket ")}),
    Broken("suite-template-unknown-field", ("tiket",), {SUITE: sub("{{ ticket }}", "{{ tiket }}")}),
    Broken(
        "suite-template-sandbox-escape",
        ("tickets.yaml", "unsafe"),
        {SUITE: sub("{{ ticket }}", "{{ ticket.__class__.__mro__[1].__subclasses__() }}")},
    ),
    Broken("suite-gate-margin-range", ("tickets.yaml", "gate.non_inferiority_margin"), {SUITE: append("gate:\n  non_inferiority_margin: 2\n")}),
    Broken("suite-gate-misspelt", ("tickets.yaml", "gate.margin", "unknown field"), {SUITE: append("gate:\n  margin: 0.05\n")}),
    Broken("suite-max-tokens-negative", ("tickets.yaml", "request.max_tokens"), {SUITE: sub("max_tokens: 16", "max_tokens: -5")}),
    Broken("suite-temperature-text", ("tickets.yaml", "request.temperature"), {SUITE: sub("temperature: 0", "temperature: hot")}),
    Broken("suite-one-label", ("tickets.yaml", "scorer.labels"), {SUITE: sub("  - other\n", "")}),
    Broken("suite-abstain-not-a-label", ("tickets.yaml", "abstain_label"), {SUITE: sub("  - other\n", "  - other\n  abstain_label: escalate\n")}),
    Broken("suite-yaml-alias-bomb", ("tickets.yaml", "aliases"), {SUITE: append(BOMB)}),
    Broken("suite-not-utf8", ("tickets.yaml",), {SUITE: b"name: tickets\ndescription: caf\xe9\n"}),
    Broken("suite-case-file-missing", ("nowhere.jsonl", "not found"), {SUITE: append("cases:\n  golden: ../golden/nowhere.jsonl\n")}),
    Broken(
        "suite-tool-schema-invalid",
        ("tickets.yaml", "json schema"),
        {SUITE: append("tools:\n  - name: lookup\n    description: d\n    parameters: {type: objekt}\n")},
    ),
    Broken("suite-output-schema-invalid", ("tickets.yaml", "json schema"), {SUITE: append("output_schema: {type: 12}\n")}),
    Broken("suite-scorer-unknown-setting", ("tickets.yaml", "scorer", "unknown field"), {SUITE: sub("scorer:\n", "scorer:\n  lables: [a]\n")}),
    # --- case files ---------------------------------------------------------------------------------
    Broken("case-invalid-json", ("tickets.jsonl:2", "invalid json"), {CASES: case_line(2, '{"id": "x", "input": ')}),
    Broken("case-not-an-object", ("tickets.jsonl:3", "json object"), {CASES: case_line(3, "[1, 2]")}),
    Broken("case-missing-id", ("tickets.jsonl:1", "id"), {CASES: case_line(1, '{"input": {"ticket": "t"}, "expected": {"label": "refund"}}')}),
    Broken("case-empty-id", ("tickets.jsonl:1", "id"), {CASES: case_line(1, '{"id": "", "input": {"ticket": "t"}, "expected": {"label": "refund"}}')}),
    Broken(
        "case-duplicate-id",
        ("tickets.jsonl:2", "tickets-g-000"),
        {CASES: case_line(2, '{"id": "tickets-g-000", "input": {"ticket": "t"}, "expected": {"label": "refund"}}')},
    ),
    Broken(
        "case-unknown-field",
        ("tickets.jsonl:4", "expeted"),
        {CASES: case_line(4, '{"id": "z", "input": {"ticket": "t"}, "expected": {"label": "refund"}, "expeted": 1}')},
    ),
    Broken(
        "case-label-outside-labels",
        ("tickets.jsonl:2", "expected.label", "refnud"),
        {CASES: case_line(2, '{"id": "z", "input": {"ticket": "t"}, "expected": {"label": "refnud"}}')},
    ),
    Broken(
        "case-expected-missing-label",
        ("tickets.jsonl:3", "expected.label"),
        {CASES: case_line(3, '{"id": "z", "input": {"ticket": "t"}, "expected": {}}')},
    ),
    Broken("case-not-utf8", ("tickets.jsonl:3", "utf-8"), {CASES: b'{"id": "a", "input": {"ticket": "t"}, "expected": {"label": "refund"}}\n{"id": "b", "input": {"ticket": "t"}, "expected": {"label": "refund"}}\n' + b'{"id": "c", "input": {"ticket": "caf\xe9"}, "expected": {"label": "refund"}}\n'}),
    Broken(
        "case-missing-template-field",
        ("tickets.jsonl:2", "ticket"),
        {CASES: case_line(2, '{"id": "z", "input": {"tikcet": "t"}, "expected": {"label": "refund"}}')},
    ),
    Broken(
        "case-input-not-object",
        ("tickets.jsonl:1", "input"),
        {CASES: case_line(1, '{"id": "z", "input": "a ticket", "expected": {"label": "refund"}}')},
    ),
    Broken(
        "case-system-turn",
        ("tickets.jsonl:1", "system"),
        {CASES: case_line(1, '{"id": "z", "input": {"ticket": "t"}, "expected": {"label": "refund"}, "prior_turns": [{"role": "system", "content": "x"}]}')},
    ),
    Broken(
        "case-tool-turn-unknown-call",
        ("tickets.jsonl:1", "unknown tool call"),
        {CASES: case_line(1, '{"id": "z", "input": {"ticket": "t"}, "expected": {"label": "refund"}, "prior_turns": [{"role": "tool", "tool_call_id": "c9", "content": "x"}]}')},
    ),
    Broken("case-split-tag-type", ("tickets.jsonl:1", "tags"), {CASES: case_line(1, '{"id": "z", "input": {"ticket": "t"}, "expected": {"label": "refund"}, "tags": "a,b"}')}),
    Broken(
        "csv-expected-not-json",
        ("tickets.csv", "expected", "json"),
        {
            "golden/tickets.csv": 'id,ticket,expected\nc1,hello,"{""label"": ""refund""}"\nc2,hi,refund\n',
            SUITE: sub(
                "scorer:",
                "cases:\n  use_default_files: false\n  sources:\n    - path: ../golden/tickets.csv\n"
                "      mapping: {id: id, input.ticket: ticket, expected: expected}\nscorer:",
            ),
        },
    ),
    # --- endpoint profiles --------------------------------------------------------------------------
    Broken("endpoint-unknown-kind", ("fake-openai.yaml", "kind"), {ENDPOINT: sub("kind: openai-compatible", "kind: openai-compat")}),
    Broken("endpoint-base-url-scheme", ("fake-openai.yaml", "base_url"), {ENDPOINT: lambda t: t.replace("base_url: http://", "base_url: htp:/")}),
    Broken("endpoint-base-url-port", ("fake-openai.yaml", "base_url", "port"), {ENDPOINT: append("base_url: http://127.0.0.1:99999/v1\n")}),
    Broken("endpoint-base-url-no-host", ("fake-openai.yaml", "base_url"), {ENDPOINT: append("base_url: http:///v1\n")}),
    Broken("endpoint-concurrency-zero", ("fake-openai.yaml", "concurrency"), {ENDPOINT: sub("concurrency: 2", "concurrency: 0")}),
    Broken("endpoint-timeout-negative", ("fake-openai.yaml", "timeout_s"), {ENDPOINT: sub("timeout_s: 5", "timeout_s: -1")}),
    Broken("endpoint-missing-model", ("fake-openai.yaml", "model"), {ENDPOINT: sub("model: fake-model\n", "")}),
    Broken("endpoint-negative-price", ("fake-openai.yaml", "input_per_mtok"), {ENDPOINT: sub("input_per_mtok: 1.0", "input_per_mtok: -1.0")}),
    Broken("endpoint-openai-without-key-var", ("fake-openai.yaml", "api_key_env"), {ENDPOINT: sub("kind: openai-compatible", "kind: openai")}),
    Broken("endpoint-scripted-without-script", ("fake-openai.yaml", "script"), {ENDPOINT: sub("kind: openai-compatible", "kind: scripted")}),
    Broken("endpoint-unknown-field", ("fake-openai.yaml", "temprature", "unknown field"), {ENDPOINT: append("temprature: 0\n")}),
    Broken("endpoint-key-variable-unset", ("EVALKIT_CORPUS_UNSET_KEY",), {ENDPOINT: append("api_key_env: EVALKIT_CORPUS_UNSET_KEY\n")}),
    Broken("endpoint-not-found", ("no-such-endpoint",), argv=("run", "--suite", "tickets", "--endpoint", "no-such-endpoint")),
    # --- command line -------------------------------------------------------------------------------
    Broken("cli-suite-not-found", ("no-such-suite",), argv=("run", "--suite", "no-such-suite", "--endpoint", "fake-openai")),
    Broken("cli-repeats-zero", ("--repeats",), argv=(*RUN, "--repeats", "0")),
    Broken("cli-limit-zero", ("--limit",), argv=(*RUN, "--limit", "0")),
    Broken("cli-run-without-endpoint", ("--endpoint",), argv=("run", "--suite", "tickets")),
    Broken("cli-resume-with-suite", ("--resume",), argv=("run", "--resume", "r1", "--suite", "tickets")),
    Broken("cli-show-without-store", ("store not found",), argv=("show", "r-missing")),
    Broken("cli-runs-on-a-text-file", ("not an evalkit store", "notes.txt"), {"notes.txt": "hello\n" * 200}, ("--store", "notes.txt", "runs")),
    Broken("cli-compare-negative-tolerance", ("--tolerance",), argv=("compare", "a", "b", "--tolerance", "-1")),
    Broken("cli-power-margin-zero", ("--margin",), argv=("power", "tickets", "--margin", "0")),
    Broken("cli-power-disagreement", ("--disagreement",), argv=("power", "tickets", "--disagreement", "1.5")),
    Broken("cli-nightly-config-missing", ("nightly.yaml", "not found"), argv=("nightly", "nightly.yaml")),
)  # fmt: skip
