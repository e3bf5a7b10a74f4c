"""Reading YAML/JSON files so that every validation error points at a file, line and field.

PyYAML's node tree keeps marks, so a pydantic error location (a tuple of keys and indexes) can be
walked back to the line the user has to edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from evalkit.errors import InputError

M = TypeVar("M", bound=BaseModel)


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """1-based line of the deepest node that `loc` reaches."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                    child = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def field_name(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


MAX_YAML_NODES = 200_000
"""Nodes a YAML file may expand to once aliases are followed. Aliases are shared in the composed tree
but copied in the loaded data (and in every snapshot stored with a run), so a kilobyte of nested
anchors (a "billion laughs") would otherwise become gigabytes; real suites stay far below this."""


def _expanded_size(root: yaml.Node, path: Path) -> int:
    """Node count with every alias expanded, computed on the shared tree (memoised, never expanded)."""
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack: list[yaml.Node] = [root]
    while stack:  # iterative post-order: a deeply nested file must not hit Python's recursion limit
        node = stack.pop()
        if id(node) in sizes:
            continue
        sizes[id(node)] = -1
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):
        total = 1 + sum(sizes[id(child)] for child in _children(node))
        if total > MAX_YAML_NODES:
            line = node.start_mark.line + 1
            raise InputError(
                f"YAML expands to more than {MAX_YAML_NODES} nodes once its aliases are followed "
                "(nested anchors); write the content out or split the file",
                path,
                line,
            )
        sizes[id(node)] = total
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file, returning the data and its node tree for line lookups."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", path) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            _expanded_size(node, path)  # before safe_load, which would build the expansion
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {exc.problem or exc}", path, line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", path) from None
    return data, node


def validation_error(
    exc: ValidationError,
    path: Path,
    *,
    node: yaml.Node | None = None,
    line: int | None = None,
    prefix: Sequence[int | str] = (),
) -> InputError:
    """The first pydantic error as an InputError with file, line and field."""
    err = exc.errors()[0]
    loc = [*prefix, *err["loc"]]
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    found_line = line_of(node, loc) if node is not None else line
    return InputError(msg, path, found_line, field_name(loc) or None)


def parse_model(model: type[M], data: Any, path: Path, node: yaml.Node | None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, path, node=node) from None


def load_yaml_model(model: type[M], path: Path) -> M:
    data, node = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", path, 1)
    return parse_model(model, data, path, node)
