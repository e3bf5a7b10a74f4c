"""`evalkit import traffic LOG... --out DIR`: logged calls -> workload map + drafted suites.

See evalkit/inputs/traffic/ for what is read, how surfaces, samples, PII scrubbing and categories are
decided; this module only parses arguments and prints the result.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

__all__ = ["handler", "register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("traffic", help="logged calls (OpenAI, Anthropic, OpenTelemetry GenAI) -> workload map + suites")
    p.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="JSONL log files")
    p.add_argument("--out", type=Path, default=Path("."), help="folder for suites/, golden/, traffic/ (default: .)")
    p.add_argument("--format", choices=["auto", "openai", "anthropic", "otel"], default="auto")
    p.add_argument("--per-surface", type=int, default=1000, help="calls sampled per surface (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (default: %(default)s)")
    p.add_argument(
        "--near-duplicate",
        type=float,
        default=95.0,
        metavar="RATIO",
        help="rapidfuzz ratio at which two requests are near duplicates (default: %(default)s)",
    )
    p.add_argument(
        "--phone-regions",
        default="US,GB,DE,FR,ES,IT,NL",
        help="regions whose national phone formats are scrubbed (default: %(default)s)",
    )
    p.add_argument(
        "--endpoints-dir", type=Path, default=Path("runners/endpoints"), help="profiles whose prices cost the map"
    )
    p.add_argument("--force", action="store_true", help="overwrite existing suites/golden files of the same names")
    p.set_defaults(handler=handler)


def handler(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.inputs.traffic import ImportOptions, import_traffic
    from evalkit.inputs.traffic.workload import to_markdown

    opts = ImportOptions(
        out=args.out,
        per_surface=args.per_surface,
        seed=args.seed,
        near_threshold=args.near_duplicate,
        fmt=args.format,
        endpoints_dir=args.endpoints_dir,
        regions=tuple(r.strip().upper() for r in args.phone_regions.split(",") if r.strip()),
        force=args.force,
    )
    result = import_traffic(args.logs, opts)
    out.print(to_markdown(result.workload), markup=False, highlight=False)
    for s in result.suites:
        left = sum(s.left_out.values())
        out.print(
            f"suite {s.suite}: {s.category} ({s.reason}), {s.cases} cases"
            + (f", {left} left out" if left else "")
            + f" -> {s.path}",
            markup=False,
            highlight=False,
        )
    dups = sum(result.exact_duplicates.values()) + sum(result.near_duplicates.values())
    pii = ", ".join(f"{k} {n}" for k, n in result.pii_replaced.items()) or "none found"
    out.print(f"duplicates skipped: {dups}; PII replaced: {pii}", markup=False, highlight=False)
    out.print(f"next: evalkit review SUITE --suites-dir {args.out / 'suites'}", markup=False, highlight=False)
    return 0
