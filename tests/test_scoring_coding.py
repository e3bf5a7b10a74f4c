"""Coding scorer: extraction, sandboxed pytest runs, patch application and pass@k aggregation."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evalkit.errors import InputError
from evalkit.inputs.cases import Case
from evalkit.inputs.suites import Suite, load_suite
from evalkit.metrics.reducers import pass_at_k
from evalkit.records import Response, Score
from evalkit.scoring import coding, scorer_for
from evalkit.scoring.base import ScoreContext, Scored
from evalkit.scoring.coding import extract
from evalkit.scoring.coding.detail import FunctionExtractionInfo, PatchExtractionInfo, values_of
from tests.helpers import scored

ROOT = Path(__file__).parents[1]
SUITE_PATH = ROOT / "suites" / "coding.yaml"
SETTINGS = coding.Settings(timeout_s=10, memory_mb=512)


def make_suite(**scorer: Any) -> Suite:
    return Suite.model_validate(
        {
            "name": "coding",
            "version": "1",
            "category": "coding",
            "primary_metric": "pass_at_1",
            "prompt": {"user": "{{ task }}"},
            "scorer": scorer,
        }
    )


STOCK_TESTS = """\
import pytest

from inventory.stock import InsufficientStock, StockBook


def test_remove_everything():
    book = StockBook()
    book.add("MUG-01", 5)
    book.remove("MUG-01", 5)
    assert book.level("MUG-01") == 0


def test_remove_partial():
    book = StockBook()
    book.add("MUG-01", 5)
    book.remove("MUG-01", 2)
    assert book.level("MUG-01") == 3


def test_remove_too_many():
    book = StockBook()
    book.add("MUG-01", 5)
    with pytest.raises(InsufficientStock):
        book.remove("MUG-01", 6)
    assert book.level("MUG-01") == 5


def test_remove_unknown_sku():
    with pytest.raises(InsufficientStock):
        StockBook().remove("NOPE", 1)
"""
STOCK_CASE = Case(
    id="stock-remove",
    input={"task": "remove() refuses the last units of a SKU"},
    expected={"kind": "patch", "repo": "inventory", "tests": STOCK_TESTS, "allowed_files": ["inventory/stock.py"]},
)
"""A patch case pinned here rather than read from the generated suite, so these scorer tests keep their exact
hidden tests whatever the suite's generator writes; the bug it fixes is planted in the real fixture."""

AUDIT_CASE = Case(
    id="audit-net-change",
    input={"task": "net_change() adds up every SKU"},
    expected={
        "kind": "patch",
        "repo": "inventory",
        "tests": (
            "from inventory.audit import AuditLog\n\n\ndef test_per_sku():\n    log = AuditLog()\n"
            '    log.record("A-1", 5, "zoe")\n    log.record("B-2", -2, "adam")\n    log.record("A-1", -1, "mia")\n'
            '    assert log.net_change("A-1") == 4 and log.net_change("B-2") == -2 and log.net_change("C-3") == 0\n'
        ),
        "allowed_files": ["inventory/audit.py"],
    },
    split="adversarial",
)


def fixture_assets() -> dict[str, dict[str, str]]:
    return coding.load_fixture_assets(SUITE_PATH, SETTINGS)


def run(
    case: Case, text: str, settings: coding.Settings = SETTINGS, assets: dict[str, dict[str, str]] | None = None
) -> Score:
    ctx = ScoreContext(make_suite(), case, Response(text=text, finish_reason="stop"), assets or {})
    return coding.score(ctx, settings)


ADD_TESTS = """\
from solution import add


def test_small():
    assert add(1, 2) == 3


def test_negative():
    assert add(-1, -1) == -2


def test_zero():
    assert add(0, 5) == 5
"""

ADD_CASE = Case(
    id="fn-add", input={"task": "add"}, expected={"kind": "function", "entry_point": "add", "tests": ADD_TESTS}
)


def fenced(code: str, lang: str = "python") -> str:
    return f"Here you go:\n\n```{lang}\n{code}```\n"


# --- function cases (real subprocess runs) ---------------------------------------------------------


def test_correct_solution_passes() -> None:
    result = run(ADD_CASE, fenced("def add(a, b):\n    return a + b\n"))
    assert result.resolved
    d = result.detail
    assert d["kind"] == "function" and not d["extraction_failed"]
    assert d["extraction"]["method"] == "entry_point_block"
    assert d["tests"] == {"total": 3, "passed": 3, "failed": 0, "errors": 0, "skipped": 0}
    assert d["returncode"] == 0 and not d["timed_out"] and d["failures"] == []
    json.dumps(d)  # storable as is
    assert result.values == {"resolved": 1.0, "test_pass_rate": 1.0, "extraction_failed": 0.0, "timed_out": 0.0}


def test_wrong_solution_fails_with_counts() -> None:
    result = run(ADD_CASE, fenced("def add(a, b):\n    return a + b if a >= 0 else 0\n"))
    assert not result.resolved
    assert result.detail["tests"] == {"total": 3, "passed": 2, "failed": 1, "errors": 0, "skipped": 0}
    assert [f["test"] for f in result.detail["failures"]] == ["test_negative"]
    assert result.detail["returncode"] == 1
    assert result.values["test_pass_rate"] == pytest.approx(2 / 3) and result.values["resolved"] == 0.0


def test_syntax_error_is_a_failed_run_not_an_extraction_failure() -> None:
    result = run(ADD_CASE, fenced("def add(a, b)\n    return a + b\n"))
    assert not result.resolved
    d = result.detail
    assert not d["extraction_failed"]
    assert d["extraction"]["method"] == "first_block"
    assert d["extraction"]["syntax_error"].startswith("expected ':'")
    # the module does not import: none of the 3 tests ran, and the collection error is the failure shown
    assert d["tests"] == {"total": 3, "passed": 0, "failed": 0, "errors": 3, "skipped": 0}
    assert d["failures"][0]["outcome"] == "error" and "SyntaxError" in d["failures"][0]["message"]
    assert d["integrity"] == [] and d["report_error"] is None


def test_infinite_loop_times_out() -> None:
    settings = coding.Settings(timeout_s=1.5, memory_mb=512)
    result = run(ADD_CASE, fenced("def add(a, b):\n    while True:\n        pass\n"), settings)
    assert not result.resolved
    assert result.detail["timed_out"]
    assert result.detail["killed_signal"] is not None
    assert result.detail["tests"]["passed"] == 0 and result.detail["report_error"]
    assert result.values["timed_out"] == 1.0 and result.values["test_pass_rate"] == 0.0


def test_solution_cannot_read_parent_api_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-do-not-leak-0000")
    tests = (
        "from solution import leak\n\n\n"
        "def test_no_key():\n    assert leak() is None\n\n\n"
        "def test_no_secret_anywhere():\n    import os\n    assert 'sk-do-not-leak' not in repr(os.environ)\n"
    )
    case = Case(id="fn-leak", input={}, expected={"kind": "function", "entry_point": "leak", "tests": tests})
    result = run(case, fenced("import os\n\n\ndef leak():\n    return os.environ.get('OPENAI_API_KEY')\n"))
    assert result.resolved, result.detail
    assert result.detail["tests"]["passed"] == 2


def test_skipped_tests_are_not_passes() -> None:
    code = "import pytest\n\npytest.skip('nope', allow_module_level=True)\n\n\ndef add(a, b):\n    return 0\n"
    result = run(ADD_CASE, fenced(code))
    assert not result.resolved
    assert result.detail["tests"]["passed"] == 0


# --- extraction (no subprocess) --------------------------------------------------------------------


def test_picks_the_python_block_that_defines_the_entry_point() -> None:
    text = (
        "Install nothing:\n```bash\npip list\n```\n"
        "A helper:\n```python\ndef helper():\n    return 1\n```\n"
        "The answer:\n```py\ndef add(a, b):\n    return a + b\n```\n"
    )
    ext = extract.extract_function(text, "add")
    assert ext.method == "entry_point_block" and ext.language == "py" and ext.blocks == 3
    assert ext.code == "def add(a, b):\n    return a + b\n"


def test_bare_fence_and_indented_fence_and_class_entry_points() -> None:
    bare = extract.extract_function("```\nclass LRU:\n    pass\n```", "LRU")
    assert bare.method == "entry_point_block" and bare.defines_entry_point
    indented = extract.extract_function("1. Code:\n   ```python\n   def f():\n       return 1\n   ```\n", "f")
    assert indented.code == "def f():\n    return 1\n"
    via_import = extract.extract_function("```python\nfrom math import gcd as add\n```", "add")
    assert via_import.method == "entry_point_block"


def test_extraction_fallbacks() -> None:
    first = extract.extract_function("```js\nfunction add(a, b) { return a + b }\n```", "add")
    assert first.method == "first_block" and not first.defines_entry_point and first.language == "js"
    whole = extract.extract_function("def add(a, b):\n    return a + b\n", "add")
    assert whole.method == "whole_text" and whole.defines_entry_point
    assert extract.extract_function("I'm sorry, I can't write that.", "add").code is None
    assert extract.extract_function("   \n", "add").code is None
    truncated = extract.extract_function("```python\ndef add(a, b):\n    return a + b\n", "add")  # max_tokens cut
    assert truncated.method == "entry_point_block"


def test_extraction_failure_is_recorded_without_running() -> None:
    result = run(ADD_CASE, "I'm sorry, I can't write that.")
    assert not result.resolved
    assert result.detail["extraction_failed"]
    assert result.detail["tests"]["total"] == 0 and result.detail["returncode"] is None
    assert result.values["extraction_failed"] == 1.0 and result.values["test_pass_rate"] == 0.0


def test_patch_extraction() -> None:
    diff = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"
    assert extract.extract_patch(f"Fix:\n```diff\n{diff}```\nDone.") == (diff, "fenced")
    assert extract.extract_patch(f"```patch\n{diff}```") == (diff, "fenced")
    raw, method = extract.extract_patch(f"Here is the change.\n{diff}\nHope it helps")
    assert method == "raw" and raw is not None and raw.startswith("--- a/x.py")
    git_style = "diff --git a/x.py b/x.py\n" + diff
    assert extract.extract_patch(f"```\n{git_style}```\nthanks") == (git_style, "raw")
    assert extract.extract_patch("No changes needed.") == (None, None)


def test_touched_files_from_headers() -> None:
    diff = (
        "diff --git a/pkg/mod.py b/pkg/mod.py\n"
        "--- a/pkg/mod.py\t2024-01-01 00:00:00\n"
        "+++ b/pkg/mod.py\t2024-01-01 00:00:00\n"
        "@@ -1,2 +1,2 @@\n"
        "--- a SQL comment that is removed\n"
        "+x = 1\n"
        "--- /dev/null\n"  # not followed by +++: hunk content, not a header
        "--- a/tests/test_old.py\n"
        "+++ /dev/null\n"
        "@@ -1 +0,0 @@\n"
        "-def test(): pass\n"
        "--- /dev/null\n"
        "+++ b/pkg/new.py\n"
        "@@ -0,0 +1 @@\n"
        "+y = 2\n"
        "diff --git a/old_name.py b/new_name.py\n"
        "similarity index 100%\n"
        "rename from old_name.py\n"
        "rename to new_name.py\n"
    )
    expected = ["new_name.py", "old_name.py", "pkg/mod.py", "pkg/new.py", "tests/test_old.py"]
    assert extract.touched_files(diff) == expected


# --- patch cases (real subprocess runs against the real fixture repository) -------------------------

STOCK_FIX = """\
```diff
--- a/inventory/stock.py
+++ b/inventory/stock.py
@@ -26,7 +26,7 @@ class StockBook:
         if qty <= 0:
             raise ValueError("qty must be positive")
         current = self._levels.get(sku, 0)
-        if qty >= current:
+        if qty > current:
             raise InsufficientStock(sku)
         self._levels[sku] = current - qty

```
"""
"""The correct fix for STOCK_CASE; the blank context line lost its leading space, as model output often does."""

LEDGER_FIX = """\
```diff
--- a/ledger/accounts.py
+++ b/ledger/accounts.py
@@ -26,7 +26,7 @@
 
     def balance(self, as_of: date | None = None) -> Decimal:
         \"\"\"Balance at the end of day as_of (after all transactions if as_of is None).\"\"\"
-        total = Decimal("0.00")
+        total = self.opening_balance
         for tx in self.transactions:
             if as_of is None or tx.when < as_of:
                 total += tx.amount
```
"""

AUDIT_FIX = """\
--- a/inventory/audit.py
+++ b/inventory/audit.py
@@ -29,1 +29,1 @@
     def net_change(self, sku: str) -> int:
         \"\"\"Sum of all deltas recorded for sku (0 if there are none).\"\"\"
-        return sum(entry.delta for entry in self.entries)
+        return sum(entry.delta for entry in self.entries if entry.sku == sku)
 
     def users(self) -> list[str]:
"""
"""AUDIT_CASE's fix, as raw text with deliberately wrong hunk counts (git apply --recount fixes them)."""

SMOKE_TEST_EDIT = """\
--- a/tests/test_inventory_smoke.py
+++ b/tests/test_inventory_smoke.py
@@ -1,3 +1,4 @@
+# tests are regenerated by CI
 from decimal import Decimal
 
 from inventory.orders import Order
"""


def test_patch_from_golden_case_applies_and_passes() -> None:
    result = run(STOCK_CASE, STOCK_FIX, assets=fixture_assets())
    assert result.resolved, result.detail
    d = result.detail
    assert d["kind"] == "patch" and d["applied"] and d["apply_method"] == "git" and d["apply_error"] is None
    assert d["touched_files"] == ["inventory/stock.py"] and d["touched_forbidden"] == []
    assert d["tests"] == {"total": 4, "passed": 4, "failed": 0, "errors": 0, "skipped": 0}


def test_unfixed_behaviour_fails_the_hidden_tests() -> None:
    no_op = STOCK_FIX.replace("if qty > current:", "if qty >= current:  # unchanged")
    result = run(STOCK_CASE, no_op, assets=fixture_assets())
    assert result.detail["applied"]
    assert not result.resolved
    # only test_remove_everything exercises the bug
    assert result.detail["tests"]["passed"] == 3 and result.detail["tests"]["failed"] == 1
    assert [f["test"] for f in result.detail["failures"]] == ["test_remove_everything"]


def test_patch_touching_tests_is_flagged_even_when_tests_pass() -> None:
    # one fenced block holding the correct fix and an edit to a smoke test
    text = STOCK_FIX.rstrip().removesuffix("```") + SMOKE_TEST_EDIT + "```\n"
    result = run(STOCK_CASE, text, assets=fixture_assets())
    d = result.detail
    assert d["applied"]
    assert d["tests"]["passed"] == d["tests"]["total"] == 4
    assert d["touched_forbidden"] == ["tests/test_inventory_smoke.py"]
    assert not result.resolved


def test_patch_that_does_not_apply() -> None:
    stale = STOCK_FIX.replace("current = self._levels.get(sku, 0)", "current = self.levels.get(sku, 0)")
    result = run(STOCK_CASE, stale, assets=fixture_assets())
    d = result.detail
    assert not result.resolved and not d["applied"] and d["apply_method"] is None
    assert "patch does not apply" in d["apply_error"]
    assert d["tests"]["total"] == 0 and not d["extraction_failed"]


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch not installed")
def test_patch_falls_back_to_gnu_patch_with_fuzz() -> None:
    # the first context line is misquoted: git apply refuses, `patch` applies it with fuzz
    fuzzy = STOCK_FIX.replace("         if qty <= 0:\n", "         if qty < 1:\n")
    result = run(STOCK_CASE, fuzzy, assets=fixture_assets())
    assert result.detail["applied"] and result.detail["apply_method"] == "patch"
    assert result.resolved, result.detail


def test_raw_patch_with_wrong_hunk_counts_applies() -> None:
    result = run(AUDIT_CASE, "Fixed it:\n\n" + AUDIT_FIX, assets=fixture_assets())
    assert result.resolved, result.detail
    assert result.detail["extraction"]["method"] == "raw"


def test_patch_answer_without_a_diff_is_an_extraction_failure() -> None:
    result = run(STOCK_CASE, "Change >= to > in remove().", assets=fixture_assets())
    assert not result.resolved
    assert result.detail["extraction_failed"] and not result.detail["applied"]


def test_missing_fixture_repo_is_an_input_error_not_a_model_failure() -> None:
    with pytest.raises(InputError, match="inventory"):
        run(STOCK_CASE, STOCK_FIX, assets={})


# --- the stored score: VALUES on every case, Detail round trip -------------------------------------


@pytest.mark.parametrize(
    ("case_id", "text"),
    [
        ("fn-add", fenced("def add(a, b):\n    return a + b\n")),  # resolved
        ("fn-add", fenced("def add(a, b)\n    return a + b\n")),  # syntax error: ran, collection error
        ("fn-add", "I'm sorry, I can't write that."),  # extraction failed, nothing ran
        ("stock-remove", STOCK_FIX),  # applied and resolved
        ("stock-remove", STOCK_FIX.replace("self._levels.get(sku, 0)", "self.levels.get(sku, 0)")),  # not applied
        ("stock-remove", "Change >= to > in remove()."),  # no diff
    ],
    ids=["fn-resolved", "fn-syntax-error", "fn-no-code", "patch-resolved", "patch-not-applied", "patch-no-diff"],
)
def test_score_carries_every_value_and_its_detail_round_trips(case_id: str, text: str) -> None:
    case = ADD_CASE if case_id == "fn-add" else STOCK_CASE
    result = run(case, text, assets=fixture_assets())
    assert result.is_scored and result.error is None and result.resolved is not None
    assert set(result.values) == {"resolved", *coding.VALUES}
    assert all(type(v) is float for v in result.values.values())
    assert result.values["resolved"] == float(result.resolved)
    typed = coding.Detail.model_validate(json.loads(json.dumps(result.detail)))
    assert typed.model_dump(mode="json") == result.detail
    assert typed.kind == case.expected["kind"]
    assert values_of(typed) == {k: v for k, v in result.values.items() if k != "resolved"}
    assert scored(case, result, category="coding").detail == typed  # what aggregate will see


def test_scorer_spec_exposes_the_package() -> None:
    spec = scorer_for("coding")
    assert spec.detail is coding.Detail and spec.values == coding.VALUES and spec.metrics == coding.METRICS
    assert spec.score is coding.score and spec.aggregate is coding.aggregate
    assert spec.load_assets is coding.load_fixture_assets and spec.missing_asset is coding.missing_asset


def test_detail_fields_must_match_the_kind() -> None:
    fn = _detail("function").model_dump(mode="json")
    patch = _detail("patch").model_dump(mode="json")
    assert isinstance(coding.Detail.model_validate(fn).extraction, FunctionExtractionInfo)
    assert isinstance(coding.Detail.model_validate(patch).extraction, PatchExtractionInfo)
    # what the scorer stored before the protocol: function details had no patch-only keys at all
    patch_only = {"applied", "apply_method", "apply_error", "touched_files", "touched_forbidden"}
    legacy = {k: v for k, v in fn.items() if k not in patch_only}
    assert coding.Detail.model_validate(legacy).model_dump(mode="json") == fn
    bad: list[dict[str, Any]] = [
        {**fn, "applied": True},
        {**fn, "extraction": patch["extraction"]},
        {**patch, "extraction": fn["extraction"]},
        {**patch, "touched_forbidden": None},
        {**fn, "tests": {"total": 1, "pased": 1}},
        {**fn, "unknown": 1},
        {k: v for k, v in fn.items() if k != "stderr_tail"},
    ]
    for raw in bad:
        with pytest.raises(ValidationError):
            coding.Detail.model_validate(raw)


# --- fixtures, expectations, settings --------------------------------------------------------------


def test_load_fixture_assets_reads_repos_and_skips_caches(tmp_path: Path) -> None:
    assets = fixture_assets()
    assert {"inventory", "ledger"} <= set(assets)
    assert "inventory/stock.py" in assets["inventory"] and "pytest.ini" in assets["ledger"]
    assert assets["inventory"]["inventory/stock.py"] == (
        ROOT / "golden/fixtures/coding/inventory/inventory/stock.py"
    ).read_text(encoding="utf-8")

    repo = tmp_path / "fixtures" / "demo"
    (repo / "pkg" / "__pycache__").mkdir(parents=True)
    (repo / "pkg" / "m.py").write_text("x = 1\n")
    (repo / "pkg" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\x00\xff")
    (repo / "pkg" / "stale.pyc").write_bytes(b"\x00\xff")
    suite_file = tmp_path / "suites" / "s.yaml"
    assert coding.load_fixture_assets(suite_file, {"fixtures_dir": "../fixtures"}) == {"demo": {"pkg/m.py": "x = 1\n"}}
    assert coding.load_fixture_assets(suite_file, {"fixtures_dir": "../nowhere"}) == {}


def test_expectation_rules() -> None:
    T = "def test_x():\n    pass\n"
    ok = coding.Expectation.model_validate(
        {"kind": "patch", "repo": "inventory", "tests": T, "allowed_files": ["./inventory/a.py"]}
    )
    assert ok.allowed_files == ["inventory/a.py"]
    bad: list[dict[str, Any]] = [
        {"kind": "function", "tests": T},  # no entry_point
        {"kind": "function", "entry_point": "not an id", "tests": T},
        {"kind": "function", "entry_point": "f", "tests": "def ("},  # tests must parse
        {"kind": "function", "entry_point": "f", "tests": T, "repo": "inventory"},
        {"kind": "patch", "repo": "inventory", "tests": T},  # no allowed_files
        {"kind": "patch", "repo": "inventory", "tests": T, "allowed_files": ["../etc/passwd"]},
        {"kind": "patch", "tests": T, "allowed_files": ["a.py"]},
        {"kind": "function", "entry_point": "f", "tests": T, "extra": True},
        {"kind": "script", "tests": T},
        {"kind": "function", "entry_point": "f", "tests": "x = 1"},  # no test pytest would collect
        {
            "kind": "function",
            "entry_point": "f",
            "tests": "import unittest\nclass TestF(unittest.TestCase):\n    def test_a(self):\n        pass\n",
        },
    ]
    for raw in bad:
        with pytest.raises(ValidationError):
            coding.Expectation.model_validate(raw)


def test_settings_defaults_and_strictness() -> None:
    s = coding.Settings.model_validate({"timeout_s": 10, "memory_mb": 512})
    assert (s.cpu_s, s.max_file_mb, s.max_procs, s.fixtures_dir) == (None, 16, 256, "../golden/fixtures/coding")
    assert s.limits().timeout_s == 10 and s.limits().memory_mb == 512
    with pytest.raises(ValidationError):
        coding.Settings.model_validate({"timeout_s": 10, "memroy_mb": 512})
    with pytest.raises(ValidationError):
        coding.Settings.model_validate({"timeout_s": 0})


# --- pass@k and aggregation ------------------------------------------------------------------------


def test_pass_at_k_hand_computed() -> None:
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - math.comb(3, 2) / math.comb(5, 2))  # 0.7
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)
    assert pass_at_k(10, 3, 5) == pytest.approx(1 - 21 / 252)
    assert pass_at_k(5, 0, 3) == 0.0
    assert pass_at_k(5, 4, 2) == 1.0  # fewer than k failures: some k-subset always passes
    assert pass_at_k(4, 1, 1) == pytest.approx(0.25)
    exact = 1 - math.comb(190, 100) / math.comb(200, 100)  # large n: the product form stays accurate
    assert pass_at_k(200, 10, 100) == pytest.approx(exact, rel=1e-9)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)


def _detail(kind: str, **fields: Any) -> coding.Detail:
    """A full, valid Detail of `kind`; `fields` override it (`tests` may give just total and passed)."""
    base: dict[str, Any] = {
        "kind": kind,
        "finish_reason": "stop",
        "extraction_failed": False,
        "tests": {"total": 0, "passed": 0},
        "failures": [],
        "timed_out": False,
        "returncode": 0,
        "killed_signal": None,
        "stderr_tail": "",
        "report_error": None,
    }
    if kind == "function":
        base["extraction"] = {
            "method": "entry_point_block",
            "blocks": 1,
            "language": "python",
            "defines_entry_point": True,
            "syntax_error": None,
        }
    else:
        base |= {
            "extraction": {"method": "fenced"},
            "applied": False,
            "apply_method": None,
            "apply_error": None,
            "touched_files": ["a.py"],
            "touched_forbidden": [],
        }
    base |= fields
    base["tests"] = {"failed": base["tests"]["total"] - base["tests"]["passed"], **base["tests"]}
    return coding.Detail.model_validate(base)


def _item(case_id: str, kind: str, split: str, repeat: int, resolved: bool, **detail: Any) -> Scored[coding.Detail]:
    expected: dict[str, Any] = (
        {"kind": "function", "entry_point": "f", "tests": "def test_f():\n    pass\n"}
        if kind == "function"
        else {"kind": "patch", "repo": "r", "tests": "def test_f():\n    pass\n", "allowed_files": ["a.py"]}
    )
    case = Case(id=case_id, input={}, expected=expected, split=split, tags=[kind, split])  # type: ignore[arg-type]
    typed = _detail(kind, **detail)
    return scored(case, Score.of(resolved, typed, **values_of(typed)), repeat, category="coding")


def test_aggregate_hand_computed() -> None:
    items = [
        # A: function, golden, 3 repeats, 2 resolved
        _item("A", "function", "golden", 0, True, tests={"total": 4, "passed": 4}),
        _item("A", "function", "golden", 1, False, timed_out=True),
        _item("A", "function", "golden", 2, True, tests={"total": 4, "passed": 4}),
        # B: patch, adversarial, 3 repeats, none resolved
        _item(
            "B", "patch", "adversarial", 0, False, applied=True, touched_forbidden=[], tests={"total": 2, "passed": 1}
        ),
        _item("B", "patch", "adversarial", 1, False, extraction_failed=True, applied=False, touched_forbidden=[]),
        _item(
            "B",
            "patch",
            "adversarial",
            2,
            False,
            applied=True,
            touched_forbidden=["t.py"],
            tests={"total": 2, "passed": 2},
        ),
        # C: function, adversarial, a single repeat, resolved
        _item("C", "function", "adversarial", 0, True, tests={"total": 1, "passed": 1}),
    ]
    m = coding.aggregate(items, SETTINGS)
    v = m.values
    assert set(coding.METRICS) <= set(v)
    assert v["pass_at_1"] == pytest.approx((2 / 3 + 0 + 1) / 3)
    # pass@2 and pass@3 over the cases with at least k repeats (A and B): A is 1.0 (one failure < k), B is 0
    assert v["pass_at_2"] == pytest.approx(0.5)
    assert v["pass_at_3"] == pytest.approx(0.5)
    assert "pass_at_4" not in v
    assert v["test_pass_rate"] == pytest.approx((4 + 4 + 1 + 2 + 1) / (4 + 4 + 2 + 2 + 1))
    assert v["extraction_failure_rate"] == pytest.approx(1 / 7)
    assert v["timeout_rate"] == pytest.approx(1 / 7)
    assert v["patch_apply_rate"] == pytest.approx(2 / 3)
    assert v["forbidden_touch_rate"] == pytest.approx(1 / 3)
    assert v["function_pass_rate"] == pytest.approx(3 / 4)
    assert v["patch_pass_rate"] == 0.0
    assert v["resolved_rate"] == pytest.approx(3 / 7)
    assert v["adversarial_pass_rate"] == pytest.approx(1 / 4)
    per_case = {row["case"]: row for row in m.tables["per_case"]}
    assert (per_case["A"]["repeats"], per_case["A"]["resolved"]) == (3, 2)
    assert m.tables["by_tag"]["patch"] == {"answers": 3, "resolved_rate": 0.0}


def test_aggregate_pass_at_k_with_five_repeats() -> None:
    items = [_item("A", "function", "golden", r, r < 2) for r in range(5)]
    v = coding.aggregate(items, SETTINGS).values
    assert v["pass_at_1"] == pytest.approx(0.4)
    assert v["pass_at_2"] == pytest.approx(0.7)
    assert v["pass_at_5"] == 1.0


def test_aggregate_empty_and_single_repeat() -> None:
    empty = coding.aggregate([], SETTINGS).values
    assert all(empty[name] is None for name in coding.METRICS)
    single = coding.aggregate([_item("A", "function", "golden", 0, True)], SETTINGS).values
    assert single["pass_at_1"] == 1.0 and "pass_at_2" not in single
    assert single["patch_apply_rate"] is None and single["adversarial_pass_rate"] is None
    assert single["test_pass_rate"] is None  # no tests ran


# --- the real suite --------------------------------------------------------------------------------

PERFECT_PATCHES = {
    "patch-inv-remove-last-units": STOCK_FIX,
    "patch-led-opening-balance": LEDGER_FIX,
    "patch-inv-audit-net-change": AUDIT_FIX,
}
"""Hand-written fixes for three planted bugs, keyed by the generated suite's cluster of that bug: every case
reporting the bug (golden or adversarial, with its own hidden tests) must accept them."""


def test_real_suite_validates_and_gold_answers_resolve() -> None:
    loaded = load_suite(SUITE_PATH)
    settings = coding.Settings.model_validate(loaded.suite.scorer)
    assert loaded.suite.primary_metric in coding.METRICS
    assets = coding.load_fixture_assets(SUITE_PATH, settings)
    kinds = set()
    for case in loaded.cases:
        exp = coding.Expectation.model_validate(case.expected)
        kinds.add(exp.kind)
        if exp.kind == "patch":
            assert exp.repo in assets
            assert exp.allowed_files and all(p in assets[exp.repo] for p in exp.allowed_files)
    assert kinds == {"function", "patch"}
    chosen = [c for c in loaded.cases if c.cluster in PERFECT_PATCHES]
    assert {c.cluster for c in chosen} == set(PERFECT_PATCHES)
    for case in chosen:
        text = PERFECT_PATCHES[case.cluster or ""]
        ctx = ScoreContext(loaded.suite, case, Response(text=text, finish_reason="stop"), assets)
        result = coding.score(ctx, settings)
        assert result.resolved, (case.id, result.detail)
