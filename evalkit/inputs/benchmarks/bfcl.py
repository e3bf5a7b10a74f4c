"""BFCL (Berkeley Function Calling Leaderboard) single-turn categories as `toolcall` suites.

The data and answer keys come from the `bfcl-eval` package (Apache-2.0). What is translated, and why:

- **Functions -> tools.** BFCL writes parameters in its own dialect (`dict`, `float`, `tuple`, `any`);
  providers want JSON Schema, so `dict` -> `object`, `float` -> `number`, `tuple` -> `array`, `any` ->
  no type constraint. Every case brings its own functions, so they become the case's `tools`.
- **Names.** `math.factorial` is not a valid provider tool name; BFCL's own FC handlers send
  `math_factorial`. Names are mapped the same way, suite-wide and collision-safe (a name that is
  already valid keeps itself; a mapped name that clashes gets `_2`, `_3`...), and the mapping is
  written into the suite's `provenance.tool_names` so every call maps back (`original_name`).
- **Answer keys.** BFCL lists acceptable values per parameter, `""` meaning "may be omitted": a
  parameter whose list holds `""` becomes an optional argument, the others required ones. Dict
  arguments (one level of per-key acceptable values) are expanded into the concrete dicts they allow.
- **Strings** are compared with BFCL's own normaliser (`string_normalize: [bfcl]`).
- **irrelevance / live_irrelevance**: calling no tool is right; any text answer passes, as on BFCL.

Left out: `live_relevance` (right when *any* call is made; our scorer names the call it expects),
the Java and JavaScript categories (answers are source strings in those languages), and the
multi-turn, memory and web-search categories (they execute stateful tools).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from typing import Any

from evalkit.errors import InputError
from evalkit.inputs.benchmarks import ImportedSuite, package_data, package_version

__all__ = [
    "CATEGORIES",
    "DIST",
    "LICENCE",
    "build_suites",
    "convert_parameters",
    "original_name",
    "reference_calls",
    "wire_names",
]

DIST = "bfcl-eval"
LICENCE = "Apache-2.0"
URL = "https://github.com/ShishirPatil/gorilla/tree/main/berkeley-function-call-leaderboard"
INSTALL = "install it with `pip install --no-deps bfcl-eval==2026.3.23` (its data is all evalkit reads)"

CATEGORIES: dict[str, str] = {
    "simple": "simple_python",
    "multiple": "multiple",
    "parallel": "parallel",
    "parallel_multiple": "parallel_multiple",
    "irrelevance": "irrelevance",
    "live_simple": "live_simple",
    "live_multiple": "live_multiple",
    "live_parallel": "live_parallel",
    "live_parallel_multiple": "live_parallel_multiple",
    "live_irrelevance": "live_irrelevance",
}
"""Our category name -> BFCL's file stem (`BFCL_v4_<stem>.json`)."""

_TYPES = {
    "dict": "object",
    "object": "object",
    "float": "number",
    "number": "number",
    "double": "number",
    "integer": "integer",
    "int": "integer",
    "long": "integer",
    "string": "string",
    "String": "string",
    "char": "string",
    "boolean": "boolean",
    "bool": "boolean",
    "array": "array",
    "list": "array",
    "tuple": "array",
}
_KEEP = ("description", "enum", "default", "format", "minimum", "maximum", "minItems", "maxItems")
_VALID_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def convert_parameters(schema: dict[str, Any]) -> dict[str, Any]:
    """BFCL's parameter dialect -> JSON Schema; unknown keys (BFCL's `optional`) are dropped."""
    out: dict[str, Any] = {}
    kind = schema.get("type")
    if kind is not None and kind != "any":
        if kind not in _TYPES:
            raise ValueError(f"unknown BFCL type {kind!r}")
        out["type"] = _TYPES[kind]
    for key in _KEEP:
        if key in schema:
            out[key] = schema[key]
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: convert_parameters(v) for k, v in schema["properties"].items()}
    if isinstance(schema.get("required"), list) and schema["required"]:
        out["required"] = list(schema["required"])
    if isinstance(schema.get("items"), dict):
        out["items"] = convert_parameters(schema["items"])
    return out


def wire_names(originals: Iterable[str]) -> dict[str, str]:
    """Original name -> a valid provider tool name, one-to-one. Valid names keep themselves first, so
    a mapped name never takes one a function already has."""
    names = sorted(set(originals))
    mapping = {n: n for n in names if _VALID_NAME.match(n)}
    taken = set(mapping.values())
    for name in names:
        if name in mapping:
            continue
        base = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:60]
        wire, n = base, 1
        while wire in taken:
            n += 1
            wire = f"{base}_{n}"
        mapping[name] = wire
        taken.add(wire)
    return mapping


def original_name(wire: str, tool_names: dict[str, str]) -> str:
    """The benchmark's name of a tool as sent (the suite's `provenance.tool_names`, wire -> original)."""
    return tool_names.get(wire, wire)


def _expand_dict(answer: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """{key: [acceptable..., "" = may be omitted]} -> every concrete dict it allows."""
    keys = sorted(answer)
    options = [[(k, v) for v in answer[k]] for k in keys]
    return [{k: v for k, v in combo if v != ""} for combo in itertools.product(*options)]


def _acceptable(values: list[Any], schema: dict[str, Any]) -> list[Any]:
    """A parameter's acceptable values, dict answers expanded (BFCL checks dicts one level deep)."""
    out: list[Any] = []
    for v in values:
        if schema.get("type") == "dict" and isinstance(v, dict):
            out.extend(_expand_dict(v))
        elif schema.get("type") == "array" and schema.get("items", {}).get("type") == "dict" and isinstance(v, list):
            out.extend(list(c) for c in itertools.product(*(_expand_dict(d) for d in v)))
        else:
            out.append(v)
    return out


def _expected_call(call: dict[str, Any], functions: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    ((name, params),) = call.items()
    schema = functions.get(name, {}).get("parameters", {})
    props, required = schema.get("properties", {}), set(schema.get("required", []))
    args: dict[str, list[Any]] = {}
    optional: dict[str, list[Any]] = {}
    for param, values in params.items():
        allowed = _acceptable([v for v in values if v != ""], props.get(param, {}))
        # BFCL fails a call that omits a parameter its function requires, whatever the key says
        (optional if "" in values and param not in required else args)[param] = allowed
    return {"name": names[name], "args": args, "optional_args": optional}


def reference_calls(expected: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer key's first acceptable call(s), optional arguments left out: what a model scoring
    100% on BFCL could send. Tests and the scripted demo answer with it."""
    calls = []
    for c in expected.get("calls", []):
        allowed = {**{k: v for k, v in c["optional_args"].items() if v}, **c["args"]}
        calls.append({"name": c["name"], "arguments": {k: v[0] for k, v in allowed.items() if v}})
    return calls


def _read_jsonl(*parts: str) -> list[dict[str, Any]]:
    text = package_data("bfcl_eval", "data", *parts).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _case(row: dict[str, Any], answer: dict[str, Any] | None, cat: str, names: dict[str, str]) -> dict[str, Any]:
    (turn,) = row["question"]  # the categories imported are single-turn
    system = "\n\n".join(m["content"] for m in turn if m["role"] == "system")
    last_user = max(i for i, m in enumerate(turn) if m["role"] == "user")
    prior = [{"role": m["role"], "content": m["content"]} for m in turn[:last_user] if m["role"] != "system"]
    functions = {f["name"]: f for f in row["function"]}
    tools = [
        {
            "name": names[f["name"]],
            "description": f.get("description", ""),
            "parameters": {"type": "object", **convert_parameters({**f["parameters"], "type": None})},
        }
        for f in row["function"]
    ]
    if answer is None:
        expected: dict[str, Any] = {"mode": "no_call"}
    else:
        calls = [_expected_call(c, functions, names) for c in answer["ground_truth"]]
        expected = {"mode": "call", "calls": calls}
    case: dict[str, Any] = {
        "id": row["id"],
        "input": {"system": system, "message": turn[last_user]["content"]},
        "expected": expected,
        "tags": [cat],
        "tools": tools,
    }
    if prior:
        case["prior_turns"] = prior
    group = re.match(r"^live_[a-z_]+_\d+-(\d+)-\d+$", row["id"])
    if group:  # live cases from one user-contributed function set share a cluster
        case["cluster"] = f"{cat}-{group.group(1)}"
    return case


def _suite(cat: str, version: str, cases: list[dict[str, Any]], tool_names: dict[str, str]) -> dict[str, Any]:
    return {
        "name": f"bfcl-{cat.replace('_', '-')}",
        "version": f"bfcl-eval {version}",
        "category": "toolcall",
        "description": (
            f"BFCL v4 `{cat}` ({CATEGORIES[cat]}), {len(cases)} cases, imported by `evalkit import bfcl` from the "
            f"bfcl-eval {version} package. tool_call_accuracy here is BFCL's AST accuracy for this category."
        ),
        "primary_metric": "tool_call_accuracy",
        "prompt": {"system": "{{ system }}", "user": "{{ message }}"},
        "request": {"max_tokens": 1024, "temperature": 0},
        "scorer": {"string_normalize": ["bfcl"], "schema_check": False},
        "provenance": {
            "source": DIST,
            "version": version,
            "licence": LICENCE,
            "url": URL,
            "tool_names": tool_names,
            "notes": f"data/BFCL_v4_{CATEGORIES[cat]}.json and its possible_answer file",
        },
    }


def build_suites(categories: list[str], limit: int | None = None) -> list[ImportedSuite]:
    """One suite per category, cases in BFCL's order (the first `limit` of each when given)."""
    version = package_version(DIST, INSTALL)
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise InputError(
            f"unknown BFCL category {unknown[0]!r} (`evalkit import bfcl --help` lists them)", field="--categories"
        )
    suites: list[ImportedSuite] = []
    for cat in categories:
        stem = CATEGORIES[cat]
        rows = _read_jsonl(f"BFCL_v4_{stem}.json")[:limit]
        answers: dict[str, dict[str, Any]] = {}
        if "irrelevance" not in cat:
            answers = {a["id"]: a for a in _read_jsonl("possible_answer", f"BFCL_v4_{stem}.json")}
        names = wire_names(f["name"] for row in rows for f in row["function"])
        try:
            cases = [_case(row, answers.get(row["id"]) if answers else None, cat, names) for row in rows]
        except (KeyError, ValueError) as exc:
            raise InputError(f"cannot translate BFCL {stem}: {exc}", field="--categories") from None
        missing = [row["id"] for row in rows if answers and row["id"] not in answers]
        if missing:
            raise InputError(f"BFCL {stem}: no answer key for {missing[:3]}", field="--categories")
        tool_names = {wire: orig for orig, wire in sorted(names.items()) if wire != orig}
        suite = _suite(cat, version, cases, tool_names)
        suites.append(ImportedSuite(suite["name"], suite, cases))
    return suites
