"""Writing a generated file whole or not at all.

Reports, exports, router policies and nightly pages are read by people and CI while evalkit may be
killed: each is written to a `.part` sibling and renamed into place, so a reader sees the old file or
the new one, never half of one.
"""

from __future__ import annotations

from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data, encoding="utf-8")
    tmp.replace(path)
    return path
