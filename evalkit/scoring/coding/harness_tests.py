"""What the pristine test file defines, as pytest sees it: test functions, marks, parametrizations.

Runs INSIDE the sandbox as part of the harness (standard library only; evalkit imports it too, to list
the tests it expects on its side). Every function binds the builtins and helpers it uses as default
arguments: the harness calls them after graded code has run, and graded code may rebind any module
global or builtin.
"""

from __future__ import annotations

import ast
from typing import Any


def test_functions(source: bytes) -> list[str]:
    """Qualified names pytest collects by default: module-level `test*` functions and `test*`
    methods of `Test*` classes without `__init__` (evalkit computes the same list on its side)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            methods = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            if not any(m.name == "__init__" for m in methods):
                names += [f"{node.name}.{m.name}" for m in methods if m.name.startswith("test")]
    return names


def marks_of(
    fn: Any, cls: Any, space: dict[str, Any], _getattr: Any = getattr, _list: Any = list, _isinstance: Any = isinstance
) -> list[Any]:
    """The marks pytest applies to `fn`: its own, its class's, the module's `pytestmark`."""
    found: list[Any] = []
    for owner in (fn, cls):
        if owner is not None:
            found += _list(_getattr(owner, "pytestmark", None) or [])
    module_marks = space.get("pytestmark", [])
    found += module_marks if _isinstance(module_marks, _list) else [module_marks]
    return [_getattr(m, "mark", m) for m in found]


def parametrizations(
    marks: list[Any],
    _getattr: Any = getattr,
    _isinstance: Any = isinstance,
    _list: Any = list,
    _set: Any = set,
    _len: Any = len,
) -> list[tuple[list[str], Any, set[str]]]:
    """(argnames, argvalues, indirect names) of each `parametrize` mark."""
    out: list[tuple[list[str], Any, set[str]]] = []
    for mark in marks:
        if _getattr(mark, "name", None) != "parametrize":
            continue
        args, kwargs = mark.args, mark.kwargs
        names = args[0] if args else kwargs.get("argnames", "")
        names = [n.strip() for n in names.split(",") if n.strip()] if _isinstance(names, str) else _list(names)
        values = args[1] if _len(args) > 1 else kwargs.get("argvalues", [])
        indirect = kwargs.get("indirect", False)
        out.append((names, values, _set(names) if indirect is True else _set(indirect or ())))
    return out


def expected_count(marks: list[Any], _params: Any = parametrizations, _len: Any = len) -> int | None:
    """Items pytest should make of one test function: the product of its parametrize lists."""
    count = 1
    for _, values, _ in _params(marks):
        try:
            count *= _len(values)
        except TypeError:
            return None
    return max(count, 1)


def pristine_args(
    marks: list[Any],
    indices: dict[str, int],
    param_set: type,
    _params: Any = parametrizations,
    _isinstance: Any = isinstance,
    _len: Any = len,
    _tuple: Any = tuple,
    _zip: Any = zip,
) -> dict[str, Any]:
    """The parametrized arguments of one item, taken by index from the pristine namespace's marks."""
    chosen: dict[str, Any] = {}
    for names, values, indirect in _params(marks):
        if not names or names[0] not in indices:
            continue
        value = values[indices[names[0]]]
        row = value.values if _isinstance(value, param_set) else ((value,) if _len(names) == 1 else _tuple(value))
        chosen.update({n: v for n, v in _zip(names, row) if n not in indirect})
    return chosen


def qualname_of(item: Any, _getattr: Any = getattr, _str: Any = str) -> str:
    cls = _getattr(item, "cls", None)
    name = _str(_getattr(item, "originalname", None) or item.name)
    return f"{cls.__name__}.{name}" if cls is not None else name


def lookup(space: dict[str, Any] | None, qualname: str, _vars: Any = vars) -> tuple[Any, Any]:
    """(function, class or None) named `qualname` in the pristine namespace."""
    if space is None:
        return None, None
    cls_name, _, fn_name = qualname.rpartition(".")
    cls = space.get(cls_name) if cls_name else None
    fn = _vars(cls).get(fn_name) if cls is not None else space.get(fn_name)
    return fn, cls


def imported_modules(source: bytes) -> set[str]:
    """Modules the test file imports (absolute imports, as written): what `harness_guard` watches."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found
