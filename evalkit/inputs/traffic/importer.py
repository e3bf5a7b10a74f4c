"""`evalkit import traffic`: logs -> workload map + suite drafts, written only when everything is good.

Order matters for the guarantees: every log line is parsed first (a bad line stops the import before
any file exists), then the map and samples are computed, then each sampled call is PII-scrubbed as
its case is drafted, then every file is rendered in memory and checked (no target file may already
exist unless `force`), and only then written. Finally each written suite is loaded with the normal
suite loader, so a draft that `evalkit run` would refuse is caught here.

Layout under `out`: `suites/<name>.yaml`, `golden/<name>.jsonl` (the repo's format), and
`traffic/answers/<name>.jsonl` (the logged, scrubbed answers `evalkit review` scores for agreement),
`traffic/workload-map.{md,json}` and `traffic/import.json` (sample sizes, duplicates, what was left
out and why, PII counts per kind).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from evalkit.errors import InputError
from evalkit.inputs.traffic.drafts import SuiteDraft, draft_suites
from evalkit.inputs.traffic.formats import FormatChoice, read_logs
from evalkit.inputs.traffic.pii import DEFAULT_REGIONS, KINDS, CallScrubber
from evalkit.inputs.traffic.sampling import draw_samples, surface_of
from evalkit.inputs.traffic.workload import WorkloadMap, build_map, load_prices, to_markdown

__all__ = ["ImportOptions", "ImportResult", "SuiteSummary", "answers_path", "import_traffic"]


@dataclass(frozen=True)
class ImportOptions:
    out: Path
    per_surface: int = 1000
    seed: int = 0
    near_threshold: float = 95.0
    fmt: FormatChoice = "auto"
    endpoints_dir: Path = Path("runners/endpoints")
    regions: tuple[str, ...] = DEFAULT_REGIONS
    force: bool = False


class SuiteSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    surface: str
    category: str
    reason: str
    cases: int
    path: str
    left_out: dict[str, int]


class ImportResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workload: WorkloadMap
    suites: list[SuiteSummary]
    seed: int
    per_surface: int
    sampled: dict[str, int]
    exact_duplicates: dict[str, int]
    near_duplicates: dict[str, int]
    undraftable: dict[str, dict[str, int]]
    pii_replaced: dict[str, int]
    files: list[str]


def answers_path(suite_path: Path, name: str) -> Path:
    """Where a drafted suite's logged answers live, relative to its suite file."""
    return suite_path.parent.parent / "traffic" / "answers" / f"{name}.jsonl"


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _suite_text(draft: SuiteDraft) -> str:
    return yaml.safe_dump(draft.suite, sort_keys=False, allow_unicode=True, width=110)


def import_traffic(logs: list[Path], opts: ImportOptions) -> ImportResult:
    if not logs:
        raise InputError("give at least one log file", field="LOG")
    if opts.per_surface < 1:
        raise InputError("--per-surface must be at least 1", field="--per-surface")
    calls = list(read_logs(logs, opts.fmt))
    if not calls:
        raise InputError("no model calls found in the logs", logs[0])
    counts: Counter[str] = Counter()
    slug_cache: dict[str, str] = {}

    def slug(system: str) -> str:
        if system not in slug_cache:  # the surface name is written: it is made from the scrubbed prompt
            slug_cache[system] = CallScrubber(counts, opts.regions).text(system)
        return slug_cache[system]

    surfaces = [
        surface_of(
            c, None if c.meta.surface else slug("\n".join(m.content or "" for m in c.messages if m.role == "system"))
        )
        for c in calls
    ]
    profiles, _broken = load_prices(opts.endpoints_dir)
    workload = build_map(logs, calls, surfaces, profiles)
    samples = draw_samples(
        calls, surfaces, per_surface=opts.per_surface, seed=opts.seed, near_threshold=opts.near_threshold
    )
    drafts = draft_suites({s: sample.calls for s, sample in samples.items() if sample.calls}, counts, opts.regions)

    files: dict[Path, str] = {}
    summaries: list[SuiteSummary] = []
    for d in drafts:
        suite_path = opts.out / "suites" / f"{d.name}.yaml"
        files[suite_path] = _suite_text(d)
        files[opts.out / "golden" / f"{d.name}.jsonl"] = _jsonl(d.cases)
        files[answers_path(suite_path, d.name)] = _jsonl(d.answers)
        summaries.append(
            SuiteSummary(
                suite=d.name,
                surface=d.surface,
                category=d.category,
                reason=d.reason,
                cases=len(d.cases),
                path=str(suite_path),
                left_out=dict(d.left_out),
            )
        )
    by_surface = {s.surface: s for s in workload.surfaces}
    for d in drafts:
        load = by_surface[d.surface]
        load.category = load.category or d.category
        load.suites.append(d.name)
    workload.pii_replaced = {k: counts[k] for k in KINDS if counts[k]}
    result = ImportResult(
        workload=workload,
        suites=summaries,
        seed=opts.seed,
        per_surface=opts.per_surface,
        sampled={s: len(x.calls) for s, x in samples.items()},
        exact_duplicates={s: x.exact_duplicates for s, x in samples.items()},
        near_duplicates={s: x.near_duplicates for s, x in samples.items()},
        undraftable={s: dict(x.undraftable) for s, x in samples.items() if x.undraftable},
        pii_replaced=workload.pii_replaced,
        files=[],
    )
    traffic = opts.out / "traffic"
    files[traffic / "workload-map.md"] = to_markdown(workload)
    files[traffic / "workload-map.json"] = workload.model_dump_json(indent=2) + "\n"
    existing = [p for p in files if p.exists() and p.parent.name != "traffic"]
    if existing and not opts.force:
        raise InputError(
            f"would overwrite {len(existing)} file(s), e.g. {existing[0]} (reviewed expectations may live there); "
            "pass --force or another --out",
            field="--out",
        )
    result.files = sorted(str(p) for p in [*files, traffic / "import.json"])
    files[traffic / "import.json"] = result.model_dump_json(indent=2) + "\n"
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    from evalkit.inputs.suites import load_suite  # the check `evalkit run` will make

    for d in drafts:
        load_suite(opts.out / "suites" / f"{d.name}.yaml")
    return result
