"""Finding the code in an answer: fenced blocks, the function to run, the diff to apply, what it touches.

Pure text handling, no subprocess: extraction is where formatting problems (no code block, no diff)
are told apart from wrong code, so it is kept small, deterministic and testable on its own.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

PYTHON_LANGS = frozenset({"python", "py", "python3", "py3", ""})
DIFF_LANGS = frozenset({"diff", "patch", "udiff"})

FunctionMethod = Literal["entry_point_block", "first_block", "whole_text"]
"""How a function answer's code was found."""
PatchMethod = Literal["fenced", "raw"]
"""How a patch answer's diff was found."""


@dataclass(frozen=True)
class Block:
    lang: str
    code: str
    closed: bool


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def fenced_blocks(text: str) -> list[Block]:
    """Markdown fenced code blocks in order; an unclosed last fence (a truncated answer) runs to the end.

    The fence's own indentation is removed from its lines (blocks inside list items), nothing more,
    so a diff's leading-space context lines survive intact.
    """
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"].expandtabs())
        info = match["info"].strip()
        lang = info.split()[0].lower().lstrip("{.").rstrip("}") if info else ""
        body: list[str] = []
        closed = False
        j = i + 1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                closed = True
                break
            line = lines[j]
            lead = len(line) - len(line.lstrip(" "))
            body.append(line[min(lead, indent) :])
            j += 1
        blocks.append(Block(lang, "\n".join(body) + "\n" if body else "", closed))
        i = j + 1
    return blocks


def _parse(code: str) -> tuple[ast.Module | None, str | None]:
    try:
        return ast.parse(code), None
    except SyntaxError as exc:
        return None, f"{exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        return None, f"{type(exc).__name__}: {exc}"


def _defined_names(statements: Sequence[ast.stmt]) -> set[str]:
    """Module-level names a statement list binds (defs, classes, assignments, imports), looking into
    if/try/with blocks but not into function or class bodies."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.If | ast.While | ast.For | ast.With | ast.Try):
            for part in ("body", "orelse", "finalbody"):
                names |= _defined_names(getattr(node, part, []))
            for handler in getattr(node, "handlers", []):
                names |= _defined_names(handler.body)
    return names


@dataclass(frozen=True)
class FunctionExtraction:
    code: str | None
    method: FunctionMethod | None
    blocks: int
    language: str | None = None
    defines_entry_point: bool = False
    syntax_error: str | None = None


def extract_function(text: str, entry_point: str) -> FunctionExtraction:
    """The Python block that defines `entry_point`, else the first fenced block, else the whole
    text if it parses as Python; `code` is None when there is nothing to run."""
    blocks = fenced_blocks(text)
    for block in blocks:
        if block.lang in PYTHON_LANGS:
            tree, _ = _parse(block.code)
            if tree is not None and entry_point in _defined_names(tree.body):
                return FunctionExtraction(block.code, "entry_point_block", len(blocks), block.lang, True)
    if blocks:
        first = blocks[0]
        tree, error = _parse(first.code)
        defines = tree is not None and entry_point in _defined_names(tree.body)
        return FunctionExtraction(first.code, "first_block", len(blocks), first.lang, defines, error)
    if text.strip():
        tree, _ = _parse(text)
        if tree is not None:
            defines = entry_point in _defined_names(tree.body)
            return FunctionExtraction(text, "whole_text", 0, None, defines)
    return FunctionExtraction(None, None, 0)


_RAW_DIFF_START = ("--- a/", "diff --git")


def extract_patch(text: str) -> tuple[str | None, PatchMethod | None]:
    """The ```diff/```patch block(s) (joined, in order), else the raw text from the first `--- a/` or
    `diff --git` line up to the next fence line. Always newline-terminated (git rejects a last hunk
    line without one)."""
    diffs = [b.code for b in fenced_blocks(text) if b.lang in DIFF_LANGS and b.code.strip()]
    if diffs:
        return "".join(diffs), "fenced"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(_RAW_DIFF_START):
            body: list[str] = []
            for rest in lines[i:]:
                if rest.strip().startswith(("```", "~~~")):
                    break
                body.append(rest)
            return "\n".join(body) + "\n", "raw"
    return None, None


def _header_path(raw: str) -> str | None:
    """A `---`/`+++` header path as `-p1` sees it: timestamp cut, quotes and first component removed."""
    path = raw.split("\t", 1)[0].strip()
    if len(path) >= 2 and path[0] == path[-1] == '"':
        path = path[1:-1]
    if not path or path == "/dev/null":
        return None
    path = path.split("/", 1)[1] if "/" in path else path
    return posixpath.normpath(path)


_DIFF_GIT = re.compile(r"^diff --git (?P<a>\S+) (?P<b>\S+)\s*$")
_RENAME = re.compile(r"^(?:rename|copy) (?:from|to) (?P<path>.+)$")


def touched_files(diff: str) -> list[str]:
    """Every repository path the diff creates, modifies, deletes or renames (from and to), read from
    its headers. A `--- ` line counts as a header only when a `+++ ` line follows it, so a removed
    line whose text starts with `-- ` is not mistaken for one."""
    lines = diff.splitlines()
    touched: set[str] = set()
    for i, line in enumerate(lines):
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            for header in (line[4:], lines[i + 1][4:]):
                path = _header_path(header)
                if path:
                    touched.add(path)
        elif match := _DIFF_GIT.match(line):
            for side in ("a", "b"):
                path = _header_path(match[side])
                if path:
                    touched.add(path)
        elif match := _RENAME.match(line):
            touched.add(posixpath.normpath(match["path"].strip().strip('"')))
    return sorted(touched)
