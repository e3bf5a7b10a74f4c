"""A run as a pandas DataFrame, and its export to JSONL or Parquet.

One row per (suite, case, repeat), joined with the case snapshot (split, tags, cluster), the suite's
category and the case's score (`resolved`, empty for infrastructure errors, and `score_detail`), so
analysis needs nothing but this frame.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from evalkit.errors import InputError
from evalkit.store import DEFAULT_STORE, Store


def run_frame(store: Store, run_id: str) -> pd.DataFrame:
    store.run(run_id)  # raises RunNotFound
    results = pd.DataFrame(store.results(run_id))
    suites = store.suites(run_id)
    category = {name: cat for name, cat, _, _ in suites}
    suite_hash = {name: h for name, _, h, _ in suites}
    case_rows = []
    for name, *_ in suites:
        for ordinal, case in enumerate(store.cases(run_id, name)):
            case_rows.append(
                {
                    "suite": name,
                    "case_id": case["id"],
                    "ordinal": ordinal,
                    "split": case["split"],
                    "tags": case["tags"],
                    "cluster": case["cluster"],
                }
            )
    cases = pd.DataFrame(case_rows, columns=["suite", "case_id", "ordinal", "split", "tags", "cluster"])
    if results.empty:
        return results
    frame = results.merge(cases, on=["suite", "case_id"], how="left")
    scores = pd.DataFrame(store.scores(run_id), columns=["suite", "case_id", "repeat", "resolved", "detail"])
    scores["score_detail"] = [json.dumps(d, sort_keys=True) for d in scores.pop("detail")]
    frame = frame.merge(scores, on=["suite", "case_id", "repeat"], how="left")
    frame.insert(2, "category", frame["suite"].map(category))
    frame["suite_hash"] = frame["suite"].map(suite_hash)
    frame["text"] = [json.loads(r)["text"] if isinstance(r, str) else None for r in frame["response_json"]]
    frame = frame.sort_values(["suite", "ordinal", "repeat"], kind="stable").reset_index(drop=True)
    return frame.drop(columns=["ordinal"])


def load_run(run_id: str, store_path: Path | str = DEFAULT_STORE) -> pd.DataFrame:
    """Public entry point: `evalkit.load_run(run_id)`."""
    path = Path(store_path)
    if not path.is_file():
        raise InputError("store not found", path)
    store = Store(path)
    try:
        return run_frame(store, run_id)
    finally:
        store.close()


def export_run(run_id: str, fmt: str, out: Path | None = None, store_path: Path = DEFAULT_STORE) -> Path:
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
