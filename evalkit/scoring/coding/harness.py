"""The test harness: runs one case's hidden tests with pytest INSIDE the sandbox, reports a verdict
that graded code cannot forge. Standard library + pytest only; evalkit is not importable in there.

`python -I -B harness.py` reads its config (the verdict key among it) from stdin, a pipe evalkit
filled and closed: once read it is gone, and stdin becomes /dev/null before any graded code runs. The
key then lives only in C state (`_hashlib.HMAC`).

What counts, and why:
- Every record goes to an inherited file descriptor as `seq TAB json TAB hmac`. evalkit accepts only
  an unbroken, correctly signed sequence from `start` to `end`; report files, exit codes and console
  output (all writable by the graded code) are never evidence.
- A test passes only when the harness itself called the test function and it returned. The function
  is not pytest's: the harness compiles the pristine test file it read (and hash-checked) before any
  graded code ran, with pytest's assertion rewriting, and executes it in a private namespace with
  private builtins and an import that hands back the modules loaded before the graded code. Graded
  code cannot reach that namespace (`harness_guard` denies frames and gc), so it cannot rewrite
  expected values or swap tests; parametrized values come from that namespace too.
- Failures pytest reports (setup, teardown, collection) are recorded as well: negative evidence is
  safe to trust. Tampering `harness_guard` finds is recorded, and a record of it means not resolved.

Code that runs after graded code has run binds everything it uses — helpers, builtins, the signer —
as default arguments when it is defined (graded code may rebind any module global or builtin, and may
read or even rewrite closure cells, but reading a guarded function's defaults is denied). Nothing here
uses a closure; a test checks that.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
import os
import sys
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING or __package__:
    from evalkit.scoring.coding import harness_guard as guard
    from evalkit.scoring.coding.harness_tests import (
        expected_count,
        imported_modules,
        lookup,
        marks_of,
        parametrizations,
        pristine_args,
        qualname_of,
        test_functions,
    )
else:  # in the sandbox, run as a script: its modules are sibling files, and evalkit is not installed
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import harness_guard as guard
    from harness_tests import (
        expected_count,
        imported_modules,
        lookup,
        marks_of,
        parametrizations,
        pristine_args,
        qualname_of,
        test_functions,
    )

PROTOCOL = "evalkit-harness/1"
PYTEST_OPTIONS = (
    "--noconftest",
    *("-p", "no:cacheprovider", "-p", "no:faulthandler", "-p", "no:assertion", "-p", "no:debugging"),
    # plugins that do nothing unless their options are given (evalkit never gives them): not loading
    # them saves their registration and fixture scan in every case
    *("-p", "no:junitxml", "-p", "no:doctest", "-p", "no:pastebin", "-p", "no:stepwise"),
    *("-p", "no:setuponly", "-p", "no:setupplan"),
    "-q",
    "--import-mode=prepend",
)
"""pytest's options apart from the per-case paths (`main` adds those)."""
MESSAGE_CHARS = 300
_SELF: list[Callable[[Any], str]] = []


def to_json(
    value: Any,
    _me: list[Callable[[Any], str]] = _SELF,
    _type: Any = type,
    _int: Any = int,
    _enc: Callable[[str], str] = encode_basestring_ascii,
) -> str:
    """JSON of str / int / bool / None / list / dict from C-level pieces only."""
    kind = _type(value)
    if kind is str:
        return _enc(value)
    if value is None or value is True or value is False:
        return "null" if value is None else ("true" if value else "false")
    if kind is _int:
        return _int.__repr__(value)  # type: ignore[no-any-return]
    if kind is list:
        return "[" + ",".join([_me[0](v) for v in value]) + "]"
    if kind is dict:
        return "{" + ",".join([_enc(k) + ":" + _me[0](v) for k, v in value.items()]) + "}"
    raise ValueError("not a record value")


_SELF.append(to_json)


def describe(exc: BaseException, _type: Any = type, _str: Any = str, _limit: int = MESSAGE_CHARS) -> str:
    """`Type: message`, cut short; graded code's `__str__` may raise or return something odd."""
    try:
        name, text = _type(exc).__name__, _str(exc)
    except BaseException:
        return "exception with an unprintable message"
    if _type(name) is not str or _type(text) is not str:
        return "exception with an unprintable message"
    summary: str = (name + ": " + text)[:_limit]
    return summary


def make_emit(fd: int, mac: Any) -> Callable[[dict[str, Any]], None]:
    def emit(
        record: dict[str, Any],
        _fd: int = fd,
        _mac: Any = mac,
        _seq: list[int] = [0],  # noqa: B006
        _write: Any = os.write,
        _json: Any = to_json,
        _repr: Any = int.__repr__,
    ) -> None:
        body = _repr(_seq[0]) + "\t" + _json(record)
        _seq[0] += 1
        signer = _mac.copy()
        signer.update(body.encode("utf-8"))
        data = (body + "\t" + signer.hexdigest() + "\n").encode("utf-8")
        while data:
            data = data[_write(_fd, data) :]

    return emit


def make_plugin(c: dict[str, Any]) -> Any:
    """The pytest plugin. `c` (the harness's context) reaches every method as a default argument."""
    import pytest

    class Harness:
        @pytest.hookimpl(tryfirst=True)
        def pytest_sessionstart(self, session: Any, _c: dict[str, Any] = c) -> None:
            _, guarded = guard.install(_c["work"], _c["violations"])
            guarded.update(id(f) for f in _c["guarded"])
            _c["guarded_ids"] = guarded
            _c["emit"]({"kind": "start", "protocol": PROTOCOL, "tests_sha256": _c["tests_sha256"]})
            from _pytest.mark.structures import MARK_GEN

            MARK_GEN._config = None  # the only module-level path to pytest's config (it checks mark names)
            _c["preload"](_c["watch"], _c["work"])
            _c["snapshot"] = guard.snapshot(_c["watch"])
            _c["hot"] = guard.hot(_c["snapshot"], _c["watch"])

        @pytest.hookimpl(tryfirst=True)
        def pytest_collection_finish(self, session: Any, _c: dict[str, Any] = c) -> None:
            _c["check"](_c, "collection", "hot")  # before the pristine namespace binds anything
            space = _c["build_space"](_c)
            counts = {}
            for qualname in _c["names"]:
                fn, cls = _c["lookup"](space, qualname)
                counts[qualname] = _c["expected_count"](_c["marks_of"](fn, cls, space)) if fn is not None else None
            items = [{"id": _c["str"](i.nodeid), "fn": _c["qualname_of"](i)} for i in session.items]
            _c["emit"]({"kind": "collected", "expected": counts, "items": items})

        @pytest.hookimpl(tryfirst=True)
        def pytest_pyfunc_call(self, pyfuncitem: Any, _c: dict[str, Any] = c) -> object:
            emit, nodeid, qualname = _c["emit"], _c["str"](pyfuncitem.nodeid), _c["qualname_of"](pyfuncitem)
            space = _c["space"]
            fn, cls = _c["lookup"](space, qualname)
            if fn is None or qualname not in _c["names"]:
                message = "not a test of the pristine test file"
                emit({"kind": "call", "id": nodeid, "fn": qualname, "outcome": "error", "message": message})
                raise RuntimeError("evalkit harness: " + message)
            kwargs = {arg: pyfuncitem.funcargs[arg] for arg in pyfuncitem._fixtureinfo.argnames}
            callspec = _c["getattr"](pyfuncitem, "callspec", None)
            if callspec is not None:
                marks = _c["marks_of"](fn, cls, space)
                pristine = _c["pristine_args"](marks, _c["dict"](callspec.indices), _c["ParameterSet"])
                kwargs.update({k: v for k, v in pristine.items() if k in kwargs})
            if cls is not None:
                fn = fn.__get__(pyfuncitem.instance, _c["type"](pyfuncitem.instance))
            try:
                result = fn(**kwargs)
            except BaseException as exc:
                outcome = "skipped" if _c["isinstance"](exc, _c["Skipped"]) else "failed"
                emit({"kind": "call", "id": nodeid, "fn": qualname, "outcome": outcome, "message": _c["describe"](exc)})
                raise
            if result is not None and (_c["hasattr"](result, "__await__") or _c["hasattr"](result, "__aiter__")):
                emit({"kind": "call", "id": nodeid, "fn": qualname, "outcome": "error", "message": "async test"})
                raise RuntimeError("evalkit harness: async tests are not supported")
            emit({"kind": "call", "id": nodeid, "fn": qualname, "outcome": "passed", "message": ""})
            return True

        def pytest_runtest_logreport(self, report: Any, _c: dict[str, Any] = c) -> None:
            if report.failed and report.when != "call":
                text = _c["str"](report.longreprtext)[-MESSAGE_CHARS:]
                _c["emit"](
                    {"kind": "report", "id": _c["str"](report.nodeid), "when": _c["str"](report.when), "message": text}
                )
            if report.when == "teardown":
                _c["check"](_c, _c["str"](report.nodeid), "hot")

        @pytest.hookimpl(trylast=True)
        def pytest_sessionfinish(self, session: Any, _c: dict[str, Any] = c) -> None:
            if _c["snapshot"] is not None:  # before unconfigure, which undoes pytest's own class patches
                _c["check"](_c, "end")

        def pytest_collectreport(self, report: Any, _c: dict[str, Any] = c) -> None:
            if report.failed:
                text = _c["str"](report.longreprtext)[-MESSAGE_CHARS:]
                _c["emit"]({"kind": "report", "id": _c["str"](report.nodeid), "when": "collect", "message": text})

    c["guarded"] += [f for f in vars(Harness).values() if callable(f)]
    return Harness()


def preload(names: set[str], work: str) -> None:
    """Import the modules the tests import, before the snapshot, so that they are in it; never one
    from the working folder (that is graded code, and it may not run before the guard is up)."""
    import importlib
    import importlib.util

    for name in sorted(names):
        top = name.partition(".")[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        origin = (spec.origin or "") if spec is not None else work
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if spec is None or any(str(where).startswith(work) for where in [origin, *locations]):
            continue
        try:
            importlib.import_module(name)
        except Exception:  # pytest will report it when the test file imports it
            continue


def check(c: dict[str, Any], where: str, part: str = "snapshot", _changes: Any = guard.changes) -> None:
    """Record what changed in the shared modules since the snapshot (each change once); `part` is
    `snapshot` (everything) or `hot` (what is checked after every test, see `harness_guard.hot`)."""
    found = [x for x in _changes(c[part]) if x not in c["tampered"]]
    if found:
        c["tampered"].update(found)
        c["emit"]({"kind": "tampered", "where": where, "what": found})


def build_space(c: dict[str, Any], _exec: Any = exec, _compile: Any = compile) -> dict[str, Any] | None:
    """Execute the pristine tests (assertions rewritten the way pytest does) in a private namespace
    whose imports of already-loaded modules return the objects of the snapshot."""
    from _pytest.assertion.rewrite import rewrite_asserts

    def pristine_import(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
        _mods: dict[str, Any] = c["snapshot"][0],
        _real: Any = c["real_import"],
    ) -> Any:
        if level == 0 and name in _mods:
            return _mods[name] if fromlist else _mods.get(name.partition(".")[0], _mods[name])
        return _real(name, globals, locals, fromlist, level)

    c["builtins"]["__import__"] = pristine_import
    c["guarded_ids"].add(id(pristine_import))
    tree = ast.parse(c["source"], filename=c["tests"])
    rewrite_asserts(tree, c["source"], c["tests"], None)
    space: dict[str, Any] = {"__name__": c["module"], "__file__": c["tests"], "__builtins__": c["builtins"]}
    try:
        _exec(_compile(tree, c["tests"], "exec", dont_inherit=True), space)
    except BaseException as exc:  # in practice the graded code failing to import, as pytest saw too
        c["emit"]({"kind": "report", "id": c["module"], "when": "collect", "message": c["describe"](exc)})
        return None
    c["space"] = space
    return space


def main(prepared: Any = None) -> int:
    """Run the case; `prepared`: a pytest config the fork server made with `prepare_config` before it
    forked (see `run_prepared`), None to let pytest make one."""
    raw = b""
    while chunk := os.read(0, 65536):
        raw += chunk
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    config = json.loads(raw)
    import _hashlib

    mac = _hashlib.hmac_new(bytes.fromhex(config.pop("key")), digestmod="sha256")
    del raw
    with open(config["tests"], "rb") as handle:
        source = handle.read()
    if hashlib.sha256(source).hexdigest() != config["tests_sha256"]:
        raise SystemExit("evalkit harness: the hidden tests differ from what evalkit wrote")
    work = config["work"].rstrip("/")
    sys.path.insert(0, work)
    import logging

    import pytest
    from _pytest.mark.structures import ParameterSet
    from _pytest.outcomes import Skipped

    logging._srcfile = None  # type: ignore[attr-defined]  # its caller lookup walks frames
    emit = make_emit(config["verdict_fd"], mac)
    c: dict[str, Any] = {
        "work": work + "/",
        "tests": config["tests"],
        "tests_sha256": config["tests_sha256"],
        "module": config["module"],
        "source": source,
        "names": test_functions(source),
        "watch": imported_modules(source),
        "violations": [],
        "emit": emit,
        "snapshot": None,
        "hot": None,
        "space": None,
        "tampered": set(),
        "builtins": dict(vars(builtins)),
        "real_import": builtins.__import__,
        "check": check,
        "preload": preload,
        "build_space": build_space,
        "lookup": lookup,
        "marks_of": marks_of,
        "expected_count": expected_count,
        "pristine_args": pristine_args,
        "qualname_of": qualname_of,
        "describe": describe,
        "ParameterSet": ParameterSet,
        "Skipped": Skipped,
        "str": str,
        "dict": dict,
        "type": type,
        "getattr": getattr,
        "hasattr": hasattr,
        "isinstance": isinstance,
    }
    c["guarded"] = [
        emit,
        check,
        build_space,
        lookup,
        marks_of,
        expected_count,
        pristine_args,
        qualname_of,
        describe,
        to_json,
        parametrizations,
    ]
    args = [config["tests"], "-c", config["ini"], "--rootdir", os.path.dirname(config["tests"]), *PYTEST_OPTIONS]
    as_int, as_list = int, list  # bound now: graded code may rebind the builtins
    plugin = make_plugin(c)
    exit_code = pytest.main(args, plugins=[plugin]) if prepared is None else run_prepared(prepared, args, plugin)
    emit({"kind": "end", "exit": as_int(exit_code), "violations": as_list(c["violations"])})
    return as_int(exit_code)  # for the record only: evalkit never reads a verdict from it


def prepare_config() -> Any:
    """What `pytest.main` does before it parses the arguments (the pytest config and its built-in
    plugins, a large part of a small case's CPU), done once by the fork server before it forks: the
    same `get_config` call with the same options, so each case starts from an identical, untouched copy."""
    from _pytest.config import get_config

    return get_config(list(PYTEST_OPTIONS))


def run_prepared(initial: Any, args: list[str], plugin: Any, _int: Any = int) -> int:
    """The rest of `pytest.main(args, plugins=[plugin])` on a config from `prepare_config` (pytest 8-9's
    own sequence: register the plugins, parse the arguments, run, unconfigure)."""
    import pytest
    from _pytest.config import Config, UsageError

    os.environ["PYTEST_VERSION"] = pytest.__version__
    initial.invocation_params = Config.InvocationParams(args=args, plugins=[plugin], dir=Path.cwd())
    manager = initial.pluginmanager
    try:
        manager.register(plugin)
        config = manager.hook.pytest_cmdline_parse(pluginmanager=manager, args=args)
    except UsageError as exc:
        sys.stderr.write(f"ERROR: {exc}\n")
        initial._ensure_unconfigure()
        return int(pytest.ExitCode.USAGE_ERROR)
    try:
        return _int(config.hook.pytest_cmdline_main(config=config))  # type: ignore[no-any-return]
    finally:
        config._ensure_unconfigure()


if __name__ == "__main__":
    sys.exit(main())
