"""In-process guard of the test harness: keeps model-written code away from the grader's state.

Runs INSIDE the sandbox, next to `harness.py` (standard library only). The graded code shares a
Python process with pytest and the harness, so the harness's secrets (the verdict key, the pristine
test namespace) must sit where ordinary Python cannot reach them, and tampering with the shared
modules must be noticed. Three parts:

- an audit hook (PEP 578; it cannot be removed once added). While any frame of untrusted code is on
  the stack — code from the working directory, or compiled from a string — it denies the routes to
  other frames (`sys._getframe`, traceback/generator frames), to arbitrary objects (`gc`), to raw
  memory (`ctypes`, /proc), to new code with a trusted-looking file name, tracing and profiling,
  process creation and signals. Denials raise `Denied` (a ValueError, which `namedtuple` and `typing`
  already tolerate when they look up their caller); the deliberate ones are also recorded as
  violations, and a run with a violation is never resolved.
- wrappers around the thread and signal starters: a background thread could patch pytest between
  checks, and a signal handler receives the interrupted frame.
- a snapshot of every module loaded before the graded code, and of every class defined in them,
  compared by identity after each test and at the end: patching pytest, pluggy, the harness or the
  standard library shows up as tampering.

Every piece of state lives in default arguments of functions built here (reading `__defaults__` of
a guarded function is denied) or in the harness's frames, never in module globals or closures,
which are readable without an audited call. This raises the bar a long way; it is not a proof: the
README lists what it does not cover.
"""

from __future__ import annotations

import importlib.util
import marshal
import operator
import os
import sys
from collections.abc import Callable
from types import CodeType, FrameType, ModuleType
from typing import Any

_HEAPTYPE = 1 << 9
_IMMUTABLETYPE = 1 << 8
QUIET = frozenset({"sys._getframe", "sys._current_frames", "sys._current_exceptions"})
"""Denied without counting as a violation: libraries (namedtuple, typing, enum) do this routinely."""
FRAME_ATTRS = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code"})
DENIED = frozenset(
    {
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "code.__new__",
        "function.__new__",
        "sys.settrace",
        "sys.setprofile",
        "sys.addaudithook",
        "sys.monitoring.register_callback",
        "os.fork",
        "os.forkpty",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.system",
        "subprocess.Popen",
        "pty.spawn",
        "os.kill",
        "os.killpg",
        "signal.pthread_kill",
    }
)
DENIED_IMPORTS = frozenset(
    {"ctypes", "_ctypes", "_thread", "_signal", "_testcapi", "_testinternalcapi", "_xxsubinterpreters"}
)
VOLATILE = frozenset(
    {
        ("sys", "stdout"),
        ("sys", "stderr"),
        ("sys", "stdin"),
        ("sys", "last_type"),
        ("sys", "last_value"),
        ("sys", "last_traceback"),
        ("sys", "last_exc"),
        ("sys", "unraisablehook"),
        ("sys", "excepthook"),
        ("threading", "excepthook"),
        ("_pytest.assertion.util", "_reprcompare"),
        ("_pytest.assertion.util", "_assertion_pass"),
        ("_pytest.assertion.util", "_config"),
        ("warnings", "filters"),
        ("warnings", "showwarning"),
        ("warnings", "_showwarnmsg_impl"),
        ("warnings", "_filters_version"),
    }
)
"""(module, name) pairs that pytest itself rebinds while running tests."""
CLASS_NOISE = frozenset(
    {"__slotnames__", "__abstractmethods__", "_abc_impl", "_pytest_diamond_inheritance_warning_shown"}
)
"""Class attributes the standard library and pytest add as caches (pickling, abc, a warning flag)."""


class Denied(ValueError):
    """Raised into graded code that tried something the harness does not allow."""


def untrusted_file(filename: str, work: str) -> bool:
    """Code from the working directory, or compiled from a string at run time (`<string>` etc.);
    frozen standard-library modules are trusted."""
    return filename.startswith(work) or (filename.startswith("<") and not filename.startswith("<frozen "))


def install(work: str, violations: list[str]) -> tuple[Callable[[], bool], set[int]]:
    """Add the audit hook and the thread/signal wrappers. Returns `untrusted_on_stack` and the set of
    ids of guarded functions (whose default arguments graded code may not read): add yours to it.

    Every function here binds what it uses (builtins included) as default arguments at definition
    time, so graded code that rebinds a builtin or a module global cannot change what they do.
    """
    import _signal
    import _thread
    import signal
    import threading

    busy: set[int] = set()
    guarded: set[int] = set()
    verified: dict[int, CodeType] = {}

    def untrusted_on_stack(
        _busy: set[int] = busy,
        _ident: Callable[[], int] = _thread.get_ident,
        _getframe: Callable[[int], FrameType] = sys._getframe,
        _work: str = work,
        _untrusted: Callable[[str, str], bool] = untrusted_file,
    ) -> bool:
        me = _ident()
        if me in _busy:
            return False  # the guard's own frame walk or file read
        _busy.add(me)
        try:
            frame: FrameType | None = _getframe(1)
            while frame is not None:
                if _untrusted(frame.f_code.co_filename, _work):
                    return True
                frame = frame.f_back
            return False
        finally:
            _busy.discard(me)

    def genuine(
        code: CodeType,
        _verified: dict[int, CodeType] = verified,
        _busy: set[int] = busy,
        _ident: Callable[[], int] = _thread.get_ident,
        _work: str = work,
        _untrusted: Callable[[str, str], bool] = untrusted_file,
        _open: Callable[..., Any] = open,
        _compile: Callable[..., Any] = compile,
        _id: Callable[[object], int] = id,
        _cached: Callable[[str], str] = importlib.util.cache_from_source,
        _loads: Callable[[bytes], Any] = marshal.loads,
    ) -> bool:
        """Code exec'd from untrusted context under a trusted-looking file name must be exactly what
        that file compiles to (the import system loading a module the graded code imported)."""
        name = code.co_filename
        if _untrusted(name, _work):
            return True
        if name.startswith("<"):
            return False  # a made-up <frozen ...> name
        if _verified.get(_id(code)) is code:
            return True
        me = _ident()
        _busy.add(me)
        ok = False
        try:  # the cached bytecode the import system read, else the source compiled again (slower)
            with _open(_cached(name), "rb") as handle:
                ok = _loads(handle.read()[16:]) == code
        except Exception:
            ok = False
        try:
            if not ok:
                with _open(name, "rb") as handle:
                    ok = _compile(handle.read(), name, "exec", dont_inherit=True) == code
        except Exception:
            ok = False
        finally:
            _busy.discard(me)
        if ok:
            _verified[_id(code)] = code
        return bool(ok)

    def hook(
        event: str,
        args: tuple[Any, ...],
        _check: Callable[[], bool] = untrusted_on_stack,
        _genuine: Callable[[CodeType], bool] = genuine,
        _violations: list[str] = violations,
        _guarded: set[int] = guarded,
        _rules: tuple[frozenset[str], ...] = (QUIET, DENIED, FRAME_ATTRS, DENIED_IMPORTS),
        _isinstance: Callable[[object, Any], bool] = isinstance,
        _id: Callable[[object], int] = id,
        _code: type = CodeType,
        _denied: type[Exception] = Denied,
        _resolve: Callable[[str], str] = os.path.realpath,
    ) -> None:
        quiet_events, denied_events, frame_attrs, denied_imports = _rules
        deny = quiet = False
        if event in quiet_events:
            deny = quiet = True
        elif event in denied_events or event.startswith("ctypes."):
            deny = True
        elif event == "object.__getattr__":
            if args[1] in frame_attrs:
                deny = quiet = True
            elif args[1] in ("__defaults__", "__kwdefaults__") and _id(args[0]) in _guarded:
                deny = True
        elif event == "object.__setattr__":
            deny = args[1] == "__code__"
        elif event == "import":
            deny = args[0] in denied_imports
        elif event in ("open", "os.listdir", "os.scandir"):
            path = args[0]
            if _isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
            if _isinstance(path, str) and _check():  # through /dev/fd, `..` or a symlink too
                deny = path.startswith("/proc") or _resolve(path).startswith("/proc")
        elif event == "exec":
            if _isinstance(args[0], _code) and _check() and not _genuine(args[0]):
                _violations.append("exec of code under a forged file name")
                raise _denied("evalkit sandbox: exec of code under a forged file name")
            return
        if not deny or not _check():
            return
        if not quiet:
            _violations.append(event if event != "object.__getattr__" else f"reading {args[1]} of the harness")
        raise _denied(f"evalkit sandbox: {event} is not allowed in graded code")

    def starter(original: Callable[..., Any], what: str) -> Callable[..., Any]:
        def start(
            *args: Any,
            _original: Callable[..., Any] = original,
            _check: Callable[[], bool] = untrusted_on_stack,
            _what: str = what,
            _violations: list[str] = violations,
            _denied: type[Exception] = Denied,
        ) -> Any:
            if _check():
                _violations.append(_what)
                raise _denied(f"evalkit sandbox: {_what} is not allowed in graded code")
            return _original(*args)

        guarded.add(id(start))
        return start

    new_thread = starter(_thread.start_new_thread, "starting a thread")
    _thread.start_new_thread = new_thread
    _thread.start_new = new_thread  # type: ignore[attr-defined]
    threading._start_new_thread = new_thread  # type: ignore[attr-defined]
    new_handler = starter(_signal.signal, "installing a signal handler")
    _signal.signal = new_handler
    signal.signal = new_handler
    guarded.update({id(hook), id(untrusted_on_stack), id(genuine)})
    sys.addaudithook(hook)
    return untrusted_on_stack, guarded


Snapshot = tuple[
    dict[str, ModuleType], dict[str, tuple[tuple[str, ...], tuple[Any, ...]]], list[tuple[type, dict[str, Any]]]
]
HOT_PREFIXES = ("pytest", "_pytest", "pluggy", "builtins", "harness")


def _watched(name: str, watch: set[str]) -> bool:
    return name.startswith(HOT_PREFIXES) or any(name == w or name.startswith(w + ".") for w in watch)


def snapshot(watch: set[str]) -> Snapshot:
    """Every loaded module's namespace as it is now, and the classes defined in pytest, pluggy, the
    harness, builtins and the modules in `watch` (those the tests import): the classes the tests and
    the verdict actually go through, a fraction of the cost of all of them."""
    modules = {name: mod for name, mod in list(sys.modules.items()) if isinstance(mod, ModuleType)}
    names: dict[str, tuple[tuple[str, ...], tuple[Any, ...]]] = {}
    classes: list[tuple[type, dict[str, Any]]] = []
    for name, mod in modules.items():
        space = vars(mod)
        names[name] = (tuple(space), tuple(space.values()))
        if not _watched(name, watch):
            continue
        for value in names[name][1]:
            if (
                isinstance(value, type)
                and value.__flags__ & _HEAPTYPE
                and not value.__flags__ & _IMMUTABLETYPE
                and value.__dict__.get("__module__") == name
            ):
                classes.append((value, dict(vars(value))))
    return modules, names, classes


def hot(snap: Snapshot, watch: set[str]) -> Snapshot:
    """The part of `snap` checked after collection and after every test: pytest, pluggy, the
    harness, builtins and the modules the tests import (`watch`); all of it is checked at the end."""
    keep = {n for n in snap[0] if _watched(n, watch)}
    return {n: snap[0][n] for n in keep}, {n: snap[1][n] for n in keep}, snap[2]


_MISSING = object()
_PLAIN = (str, int, float, bool, bytes)


def _benign(
    before: Any,
    now: Any,
    _type: Any = type,
    _plain: tuple[type, ...] = _PLAIN,
    _all: Any = all,
    _len: Any = len,
    _zip: Any = zip,
) -> bool:
    """A module global the standard library rebinds by itself: a cache initialised on first use
    (None before), or an equal plain value rebuilt (`time.tzset` recreating `time.tzname`)."""
    if before is None:
        return now is not _MISSING
    kind = _type(before)
    if _type(now) is not kind:
        return False
    if kind in _plain:
        return bool(before == now)
    if kind is tuple and _len(before) == _len(now):
        return bool(_all(_type(a) in _plain and _type(a) is _type(b) and a == b for a, b in _zip(before, now)))
    return False


def changes(
    snap: Snapshot,
    limit: int = 10,
    _modules: dict[str, Any] = sys.modules,
    _is_not: Callable[[object, object], bool] = operator.is_not,
    _any: Callable[[Any], bool] = any,
    _map: Any = map,
    _vars: Callable[[Any], dict[str, Any]] = vars,
    _len: Callable[[Any], int] = len,
    _set: type[set[Any]] = set,
    _sorted: Callable[..., list[Any]] = sorted,
    _noise: frozenset[str] = CLASS_NOISE,
    _zip: Any = zip,
    _ok: Callable[[Any, Any], bool] = _benign,
    _missing: object = _MISSING,
    _volatile: frozenset[tuple[str, str]] = VOLATILE,
) -> list[str]:
    """What differs from `snap`, by identity (an `__eq__` of a replacement cannot hide it). Binds
    everything it uses at definition time: graded code rebinding a module global changes nothing."""
    modules, names, classes = snap
    found: list[str] = []
    for name, mod in modules.items():
        if _modules.get(name) is not mod:
            found.append(f"sys.modules[{name!r}] replaced")
            continue
        keys, values = names[name]
        space = _vars(mod)
        if _any(_map(_is_not, _map(space.get, keys), values)):
            found += [
                f"{name}.{k} changed"
                for k, v in _zip(keys, values)
                if space.get(k) is not v and (name, k) not in _volatile and not _ok(v, space.get(k, _missing))
            ]
    for cls, before in classes:
        now = _vars(cls)
        if _len(now) != _len(before) or _any(_map(_is_not, _map(now.get, before), before.values())):
            differ = (_set(now) ^ _set(before)) | {k for k in before if now.get(k) is not before[k]}
            label = f"{before.get('__module__')}.{cls.__qualname__}"
            found += [f"{label}.{k} changed" for k in _sorted(differ - _noise)]
    return found[:limit]
