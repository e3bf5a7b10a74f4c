"""A run as a pandas DataFrame, and its export to JSONL or Parquet.

One row per (suite, case, repeat), joined with the case snapshot (split, tags, cluster), the suite's
category and hashes, and the case's score (`score_status`, `resolved`, per-case `values` and
`score_detail`), so analysis needs nothing but this frame. Built from the store's typed reader, like
every other stage; pandas is imported here only, never by `import evalkit`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import InputError
from evalkit.store import DEFAULT_STORE, Store, StoreLocation


def run_frame(store: Store, run_id: str) -> pd.DataFrame:
    store.run(run_id)  # raises RunNotFound
    rows: list[dict[str, Any]] = []
    scores = {(s.suite, s.case_id, s.repeat): s.score for s in store.scores(run_id)}
    for suite in store.suites(run_id):
        cases = {c.id: (i, c) for i, c in enumerate(store.cases(run_id, suite.name))}
        for call in store.calls(run_id, suite=suite.name):
            ordinal, case = cases[call.case_id]
            score = scores.get((call.suite, call.case_id, call.repeat))
            rows.append(
                {
                    "run_id": run_id,
                    "suite": call.suite,
                    "category": suite.category,
                    "case_id": call.case_id,
                    "repeat": call.repeat,
                    "split": case.split,
                    "tags": case.tags,
                    "cluster": case.cluster,
                    "status": call.status,
                    "error_kind": call.error_kind,
                    "error_message": call.error_message,
                    "finish_reason": call.finish_reason,
                    "truncated": call.truncated,
                    "attempts": call.attempts,
                    "cache_hit": call.cache_hit,
                    "cached_from": call.cached_from,
                    "latency_s": call.latency_s,
                    "ttft_s": call.ttft_s,
                    "original_latency_s": call.original_latency_s,
                    "input_tokens": call.usage.input_tokens,
                    "cached_input_tokens": call.usage.cached_input_tokens,
                    "output_tokens": call.usage.output_tokens,
                    "cost_usd": call.cost_usd,
                    "model": call.model,
                    "system_fingerprint": call.system_fingerprint,
                    "request_hash": call.request_hash,
                    "input_hash": suite.input_hash,
                    "expectation_hash": suite.expectation_hash,
                    "text": call.response.text if call.response else None,
                    "request_json": json.dumps(call.request.model_dump(mode="json"), sort_keys=True),
                    "response_json": (
                        json.dumps(call.response.model_dump(mode="json"), sort_keys=True) if call.response else None
                    ),
                    "score_status": score.status if score else None,
                    "resolved": score.resolved if score else None,
                    "values": json.dumps(score.values, sort_keys=True) if score else None,
                    "score_detail": json.dumps(score.detail, sort_keys=True) if score else None,
                    "score_error": score.error if score else None,
                    "_ordinal": ordinal,
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["suite", "_ordinal", "repeat"], kind="stable").reset_index(drop=True)
    return frame.drop(columns=["_ordinal"])


def load_run(run_id: str, store_path: StoreLocation | str = DEFAULT_STORE) -> pd.DataFrame:
    """Public entry point: `evalkit.load_run(run_id)`; `store_path` a SQLite file or a postgresql:// URL."""
    with Store.existing(store_path) as store:
        return run_frame(store, run_id)


def export_run(run_id: str, fmt: str, out: Path | None = None, store_path: StoreLocation = DEFAULT_STORE) -> Path:
    if fmt not in ("jsonl", "parquet"):
        raise InputError(f"unknown export format {fmt!r}; use jsonl or parquet", field="--format")
    frame = load_run(run_id, store_path)
    out = out or store_path.parent / f"{run_id}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    if fmt == "jsonl":
        frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(tmp, index=False)
    tmp.replace(out)  # never leave a half-written export behind
    return out
