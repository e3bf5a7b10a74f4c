"""`evalkit` command line.

Exit codes: 0 done, 1 endpoint or run failure (or infrastructure errors left: the run is incomplete),
2 bad input or a run another live process is writing (nothing written), 130 interrupted by Ctrl-C or
SIGTERM (resume with `--resume RUN_ID`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from evalkit.commands import Handler, register_all
from evalkit.errors import EndpointError, EvalkitError, InputError
from evalkit.inputs.endpoints import DEFAULT_ENDPOINTS_DIR
from evalkit.inputs.suites import DEFAULT_SUITES_DIR, LoadedSuite
from evalkit.metrics.suite import run_metrics
from evalkit.pipeline import create_run, prepare, replay
from evalkit.redaction import redacting, scrub_exception
from evalkit.report.summary import print_summary, write_report
from evalkit.requests.plan import RunPlan
from evalkit.scoring.judge import judge_run, judge_summary
from evalkit.scoring.runner import rescore_run
from evalkit.store import STORE_HELP, LockLost, RunLocked, Store, StoreLocation, default_store, store_argument


def _error(console: Console, message: object) -> None:
    # Text, not markup: error messages contain `[field]` which rich would read as a tag.
    console.print(Text("error: ", style="bold red") + Text(str(message)))


_UNSANDBOXED_HELP = (
    "run coding suites' model-written code even where no sandbox (bubblewrap, unshare) works on this machine; "
    "same as EVALKIT_ALLOW_UNSANDBOXED_CODE=1"
)


def _require_code_sandbox(categories: list[str]) -> None:
    """Coding suites run model-written code: refuse (exit 2, before anything is written) where no
    sandbox works, unless the operator opted in. Imported only for a coding suite: the sandbox stack
    costs every other run its import time."""
    if "coding" in categories:
        from evalkit.scoring.coding.isolation import require_isolation

        require_isolation(categories)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evalkit", description="Replay eval suites against LLM endpoints.")
    p.add_argument("--store", type=store_argument, default=default_store(), help=STORE_HELP)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run suites against an endpoint, or resume a run")
    run.add_argument("--suite", help="suite name, path, comma list, or 'all'")
    run.add_argument("--endpoint", help="endpoint profile name (runners/endpoints/) or path")
    run.add_argument("--repeats", type=int, default=1, help="run each case k times")
    run.add_argument("--limit", type=int, default=None, help="only the first N cases of each suite")
    run.add_argument("--shard", metavar="I/N", help="run only shard I of N (1-based; stable hash per case and repeat)")
    run.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run")
    run.add_argument(
        "--cache",
        action="store_true",
        help="reuse earlier answers of the same endpoint identity and server fingerprint (default: call it)",
    )
    run.add_argument("--suites-dir", type=Path, default=DEFAULT_SUITES_DIR)
    run.add_argument("--endpoints-dir", type=Path, default=DEFAULT_ENDPOINTS_DIR)
    run.add_argument("--allow-unsandboxed-code", action="store_true", help=_UNSANDBOXED_HELP)
    from evalkit.commands.batch_run import add_batch_options  # --batch*: provider batch APIs

    add_batch_options(run)

    show = sub.add_parser("show", help="print a stored run's summary and write its report")
    show.add_argument("run_id")

    score = sub.add_parser("score", help="re-score a stored run without calling any model")
    score.add_argument("run_id")
    score.add_argument("--allow-unsandboxed-code", action="store_true", help=_UNSANDBOXED_HELP)

    judge = sub.add_parser("judge", help="grade a run's summaries with an LLM judge (own table, own cost)")
    judge.add_argument("run_id")
    judge.add_argument("--endpoint", required=True, help="judge endpoint profile, normally a frontier model")
    judge.add_argument("--limit", type=int, default=None, help="judge at most N answers")
    judge.add_argument("--endpoints-dir", type=Path, default=DEFAULT_ENDPOINTS_DIR)

    for name, text in (
        ("gate", "decide per category whether the candidate may replace the baseline; writes the sign-off"),
        ("report", "write the sign-off report and router policy for two runs (what gate writes)"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--baseline", required=True, metavar="RUN_ID", help="the frontier run")
        cmd.add_argument("--candidate", required=True, metavar="RUN_ID", help="the cheaper run")
        cmd.add_argument("--policy", type=Path, default=None, help="gate policy YAML (default: each suite's gate:)")
        cmd.add_argument("--out", type=Path, default=None, help="folder for the report (default: reports/gate-...)")

    compare = sub.add_parser("compare", help="what changed between two runs of the same suites; exit 5 on regression")
    compare.add_argument("run_a", help="before (e.g. the blessed run)")
    compare.add_argument("run_b", help="after")
    compare.add_argument("--tolerance", type=int, default=0, help="newly failing cases allowed per suite")
    compare.add_argument("--out", type=Path, default=None, help="folder for the report (default: reports/compare-...)")

    fingerprint = sub.add_parser("fingerprint", help="print what an endpoint's serving stack says about itself")
    fingerprint.add_argument("endpoint", help="endpoint profile name or path")
    fingerprint.add_argument("--endpoints-dir", type=Path, default=DEFAULT_ENDPOINTS_DIR)

    bless = sub.add_parser("bless", help="accept a run as the baseline of its suites on its endpoint (nightly)")
    bless.add_argument("run_id")
    bless.add_argument("--note", default="", help="why this run is the accepted baseline")

    nightly = sub.add_parser("nightly", help="re-run, compare with blessed baselines, exit 5 on a regression")
    nightly.add_argument("config", type=Path, help="nightly YAML (see runners/nightly.yaml)")
    nightly.add_argument("--allow-unsandboxed-code", action="store_true", help=_UNSANDBOXED_HELP)

    sub.add_parser("runs", help="list stored runs: live (running) or dead writers, blessed baselines marked")

    power = sub.add_parser("power", help="cases a suite needs for a paired non-inferiority decision")
    power.add_argument("suite", help="suite name, path, comma list, or 'all'")
    power.add_argument("--margin", type=float, default=None, help="non-inferiority margin (default: the suite's)")
    power.add_argument(
        "--disagreement",
        type=float,
        default=None,
        help="planning share of cases the two models answer differently (default: 0.10)",
    )
    power.add_argument("--power", type=float, default=0.8, help="chance of deciding when the models are equal")
    power.add_argument("--suites-dir", type=Path, default=DEFAULT_SUITES_DIR)

    export = sub.add_parser("export", help="write a run out as JSONL or Parquet")
    export.add_argument("run_id")
    export.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    export.add_argument("--out", type=Path, default=None)
    register_all(sub)
    return p


def _cmd_run(args: argparse.Namespace, console: Console, argv: list[str]) -> int:
    if args.resume:
        if args.suite or args.endpoint or args.shard:
            raise InputError("--resume takes the stored run's plan; drop --suite/--endpoint/--shard", field="--resume")
        with Store.existing(args.store) as store:
            store.run(args.resume)
            _require_code_sandbox([rec.category for rec in store.suites(args.resume)])
            return _replay_and_report(store, args.resume, args.store, console)
    if not args.suite or not args.endpoint:
        raise InputError("give --suite and --endpoint (or --resume RUN_ID)", field="--suite")
    plan, suites = prepare(
        args.suite,
        args.endpoint,
        repeats=args.repeats,
        limit=args.limit,
        cache=args.cache,
        suites_dir=args.suites_dir,
        endpoints_dir=args.endpoints_dir,
        shard=args.shard,
    )
    _warn_underpowered(suites, args.limit, console)
    _require_code_sandbox([loaded.suite.category for loaded in suites])
    store = Store(args.store)  # only now: bad input above has written nothing
    try:
        run_id = create_run(store, plan, suites, argv)
        suites.clear()  # the run reads its snapshots from the store: never hold every case twice
        return _replay_and_report(store, run_id, args.store, console)
    finally:
        store.close()


def _warn_underpowered(suites: list[LoadedSuite], limit: int | None, console: Console) -> None:
    """A run too small for its suite's own margin cannot carry a gate verdict: say so before paying."""
    from evalkit.metrics.power import plan_power

    for suite in suites:
        plan = plan_power(suite, limit=limit)
        if not plan.enough:
            console.print(Text("warning: ", style="bold yellow") + Text(plan.message()), highlight=False)


def _cmd_power(args: argparse.Namespace, out: Console) -> int:
    """Exit 0 when every suite is large enough for the margin, 1 when one is not."""
    from evalkit.inputs.suites import load_suites
    from evalkit.metrics.power import DEFAULT_DISAGREEMENT, plan_power

    if args.margin is not None and not 0 < args.margin <= 1:
        raise InputError(f"--margin must be in (0, 1], got {args.margin}", field="--margin")
    disagreement = DEFAULT_DISAGREEMENT if args.disagreement is None else args.disagreement
    if not 0 < disagreement <= 1:
        raise InputError(f"--disagreement must be in (0, 1], got {disagreement}", field="--disagreement")
    if not 0 < args.power < 1:
        raise InputError(f"--power must be in (0, 1), got {args.power}", field="--power")
    plans = [
        plan_power(s, margin=args.margin, disagreement=disagreement, power=args.power)
        for s in load_suites(args.suite, args.suites_dir)
    ]
    for plan in plans:
        out.print(plan.message(), highlight=False)
    return 0 if all(p.enough for p in plans) else 1


def _replay_and_report(store: Store, run_id: str, store_path: StoreLocation, console: Console) -> int:
    console.print(f"run [bold]{run_id}[/bold] -> {store_path}")
    try:
        outcome = replay(store, run_id, console)
    except (RunLocked, LockLost) as err:  # another process writes this run: a resume hint would mislead
        _error(console, err)
        return err.exit_code
    except KeyboardInterrupt:
        console.print(
            f"[yellow]interrupted[/yellow]; finished cases are stored. Resume with: evalkit run --resume {run_id}"
        )
        return 130
    except EvalkitError as err:
        _error(console, err)
        console.print(f"finished cases are stored; resume with: evalkit run --resume {run_id}")
        return err.exit_code
    for note in outcome.notes:
        console.print(note, highlight=False)
    _report(store, run_id, store_path, console)
    console.print(
        f"run {run_id}: {outcome.status}; {outcome.called} called, {outcome.cached} from cache, "
        f"{outcome.skipped} already done, {outcome.errors} infrastructure errors"
    )
    return 0 if outcome.status == "finished" else 1


def _report(store: Store, run_id: str, store_path: StoreLocation, console: Console) -> Path:
    record = store.run(run_id)
    suites = run_metrics(store, run_id)
    judges = judge_summary(store, run_id)
    print_summary(suites, run_id, console, judges)
    meta = {"endpoint": record.endpoint, "status": record.status, "store": str(store_path), "judges": judges}
    path = write_report(suites, run_id, store_path.parent / run_id, meta)
    console.print(f"report: {path}")
    return path


def _cmd_compare(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.compare.drift import compare_runs
    from evalkit.nightly import REGRESSED
    from evalkit.report.compare import print_compare, write_compare

    if args.tolerance < 0:
        raise InputError("--tolerance must be at least 0", field="--tolerance")
    with Store.existing(args.store) as store:
        store.run(args.run_a)
        store.run(args.run_b)
        report = compare_runs(store, args.run_a, args.run_b, tolerance=args.tolerance)
    files = write_compare(report, args.out or args.store.parent / f"compare-{args.run_a}-vs-{args.run_b}")
    print_compare(report, out)
    for path in (files.markdown, files.html, files.json):
        console.print(f"wrote {path}", highlight=False)
    return REGRESSED if report.regressed else 0


def _cmd_fingerprint(args: argparse.Namespace, out: Console) -> int:
    import asyncio
    import json

    from evalkit.calls.fingerprint import fingerprint_endpoint
    from evalkit.inputs.endpoints import load_endpoint

    profile = load_endpoint(args.endpoint, args.endpoints_dir)
    profile.require_key()
    facts = asyncio.run(fingerprint_endpoint(profile))
    out.print_json(json.dumps(facts, sort_keys=True, default=str))
    return 0


def _cmd_nightly(args: argparse.Namespace, console: Console, out: Console, argv: list[str]) -> int:
    """Exit 0 clean, 5 regression, 1 a run failed, 2 bad input (config, suites, keys, no blessed run)."""
    from evalkit.nightly import REGRESSED, print_night, run_nightly

    def run_one(plan: RunPlan, suites: list[LoadedSuite]) -> str:
        _require_code_sandbox([loaded.suite.category for loaded in suites])
        with Store.existing(args.store) as store:
            run_id = create_run(store, plan, suites, argv)
            code = _replay_and_report(store, run_id, args.store, console)
        with Store.existing(args.store) as store:
            status = store.run(run_id).status
        if status not in ("finished", "incomplete"):  # incomplete: infrastructure errors, which compare reports
            raise EndpointError(f"nightly run {run_id} on {plan.endpoint.name} did not finish (exit {code})")
        return run_id

    night = run_nightly(args.config, args.store, run_one, out)
    print_night(night, out)
    return REGRESSED if night.regressed else 0


def _cmd_gate(args: argparse.Namespace, console: Console, out: Console) -> int:
    """Gate two stored runs; exit code per `EXIT_CODES` for `gate`, 0 for `report` once written."""
    from evalkit.compare.gate import gate_runs
    from evalkit.compare.router import write_router_policy
    from evalkit.inputs.policy import load_policy
    from evalkit.report.gate_table import print_gate
    from evalkit.report.signoff import write_signoff

    policy = load_policy(args.policy) if args.policy is not None else None
    with Store.existing(args.store) as store:
        store.run(args.baseline)
        store.run(args.candidate)
        report = gate_runs(
            store,
            args.baseline,
            args.candidate,
            policy_file=policy,
            policy_source=str(args.policy) if args.policy else "suite",
        )
    folder = args.out or args.store.parent / f"gate-{args.baseline}-vs-{args.candidate}"
    files = write_signoff(report, folder)
    router = write_router_policy(report, folder)
    print_gate(report, out)
    for path in (files.markdown, files.html, files.json, files.junit, router):
        console.print(f"wrote {path}", highlight=False)
    return report.exit_code if args.command == "gate" else 0


def _print_runs(store: Store, out: Console) -> None:
    """One line per run. `running` is a run a live process is writing (its pid, host and heartbeat
    shown); `dead` is one whose writer is gone without saying so (SIGKILL, a power cut): resumable."""
    blessed: dict[str, list[str]] = {}
    for b in store.blessings():
        blessed.setdefault(b.run_id, []).append(b.suite)
    for r in store.runs():
        state = r.state()
        mark = f"  blessed: {','.join(blessed[r.run_id])}" if r.run_id in blessed else ""
        if state == "running" and r.owner is not None:
            mark += f"  (writer: {r.owner.describe()})"
        elif state == "dead":
            gone = f"writer pid {r.owner.pid} on {r.owner.host} is gone; " if r.owner is not None else ""
            mark += f"  ({gone}resume: evalkit run --resume {r.run_id})"
        line = f"{r.run_id}  {state:<11} {r.endpoint:<28} {','.join(r.plan.suites)}{mark}"
        out.print(line, highlight=False)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    # Wide enough for the summary table when output goes to a file or CI log. Everything printed goes
    # through a RedactingStream: no configured key's value reaches a terminal or a CI log.
    console = Console(file=redacting(sys.stderr))
    if not console.is_terminal:
        console = Console(file=redacting(sys.stderr), width=200)
    out = Console(file=redacting(sys.stdout))
    if not out.is_terminal:
        out = Console(file=redacting(sys.stdout), width=200)
    try:
        if getattr(args, "allow_unsandboxed_code", False):
            from evalkit.scoring.coding.isolation import allow_unsandboxed

            allow_unsandboxed()
        handler: Handler | None = getattr(args, "handler", None)
        if handler is not None:
            return handler(args, console, out)
        if args.command == "run":
            return _cmd_run(args, console, ["evalkit", *argv])
        if args.command in ("show", "score"):
            with Store.existing(args.store) as store:
                store.run(args.run_id)
                if args.command == "score":
                    _require_code_sandbox([rec.category for rec in store.suites(args.run_id)])
                    n = rescore_run(store, args.run_id)
                    console.print(f"re-scored {n} answers of run {args.run_id} from the store (no model called)")
                _report(store, args.run_id, args.store, out)
            return 0
        if args.command == "compare":
            return _cmd_compare(args, console, out)
        if args.command == "power":
            return _cmd_power(args, out)
        if args.command == "fingerprint":
            return _cmd_fingerprint(args, out)
        if args.command == "nightly":
            return _cmd_nightly(args, console, out, ["evalkit", *argv])
        if args.command == "bless":
            with Store.existing(args.store) as store:
                done = store.bless(args.run_id, args.note)
            for b in done:
                out.print(f"blessed {b.run_id} as the baseline of {b.suite} on {b.endpoint}", highlight=False)
            return 0
        if args.command in ("gate", "report"):
            return _cmd_gate(args, console, out)
        if args.command == "runs":
            with Store.existing(args.store) as store:
                _print_runs(store, out)
            return 0
        if args.command == "judge":
            with Store.existing(args.store) as store:
                result = judge_run(
                    store,
                    args.run_id,
                    args.endpoint,
                    endpoints_dir=args.endpoints_dir,
                    limit=args.limit,
                )
                console.print(
                    f"judged {result.judged} answers ({result.errors} without a verdict), "
                    f"judge cost ${result.cost_usd:.4f}"
                )
                _report(store, args.run_id, args.store, out)
            return 0
        if args.command == "export":
            from evalkit.report.frame import export_run  # pandas: only for the command that needs it

            path = export_run(args.run_id, args.format, args.out, args.store)
            out.print(str(path))
            return 0
    except EvalkitError as err:
        _error(console, err)
        return err.exit_code
    except BaseException as exc:  # a crash's traceback, printed by Python itself, shows no key either
        scrub_exception(exc)
        raise
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
