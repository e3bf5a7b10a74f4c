"""Shards: which (suite, case, repeat) work items one of N machines runs.

Why a hash and not a position: a work item's shard is decided by a stable hash of its own
(suite name, case id, repeat) alone, so adding, removing or reordering *other* cases never moves it to
another shard. Positional slicing ("every 4th case") would reshuffle almost every case after one
insertion, and a shard re-run after a suite edit would then silently cover different cases than its
siblings. The price is that shard sizes are only about 1/N each (a hash, not a deal), and a tiny
suite can leave a shard empty; an empty shard is a valid, finished run with nothing to call.

Shards are numbered from 1, as `--shard 2/4` (as Playwright and Jest do): 1/4 … 4/4.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evalkit.errors import InputError

__all__ = ["MAX_SHARDS", "Shard", "parse_shard", "shard_of"]

MAX_SHARDS = 10_000
"""More shards than this is a typo, not a plan."""

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def shard_of(suite: str, case_id: str, repeat: int, count: int) -> int:
    """The 1-based shard (of `count`) that runs this work item; depends on nothing else."""
    key = json.dumps([suite, case_id, repeat], ensure_ascii=False, separators=(",", ":")).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % count + 1


class Shard(BaseModel):
    """Shard `index` of `count` (1-based), stored in the run's plan so `--resume` keeps it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=1)
    count: int = Field(ge=1, le=MAX_SHARDS)

    @model_validator(mode="after")
    def _in_range(self) -> Shard:
        if self.index > self.count:
            raise ValueError(f"shard index {self.index} is larger than the shard count {self.count}")
        return self

    def holds(self, suite: str, case_id: str, repeat: int) -> bool:
        return shard_of(suite, case_id, repeat, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(spec: str) -> Shard:
    """`"2/4"` -> Shard(2, 4); anything else is bad input naming `--shard`."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise InputError(f"--shard must look like I/N (e.g. 2/4), got {spec!r}", field="--shard")
    index, count = int(match[1]), int(match[2])
    if count < 1 or count > MAX_SHARDS:
        raise InputError(f"--shard: the shard count N must be 1 to {MAX_SHARDS}, got {count}", field="--shard")
    if index == 0:
        raise InputError(
            f"--shard: shards are numbered from 1 (1/{count} … {count}/{count}), got {spec!r}; Kubernetes' "
            "JOB_COMPLETION_INDEX starts at 0, so pass $((JOB_COMPLETION_INDEX + 1))/N",
            field="--shard",
        )
    if index > count:
        raise InputError(
            f"--shard: shard {index} of {count} does not exist (1/{count} … {count}/{count})", field="--shard"
        )
    return Shard(index=index, count=count)
