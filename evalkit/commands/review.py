"""`evalkit review SUITE`: accept, correct or drop drafted (`reference: unreviewed`) expectations.

Interactive by default (rich prompts: the request, the logged frontier answer, the drafted
expectation; then accept / correct / drop / skip / quit). Scriptable two ways: `--decisions FILE`
(JSONL `{"id", "action": "accept|correct|drop|skip", "expected": {...}}`, validated before anything is
written), or the same prompts answered on standard input. The reviewer is `--reviewer`, else $USER.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from evalkit.inputs.cases import Case
    from evalkit.inputs.traffic.review import Decision

__all__ = ["handler", "register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("review", help="accept, correct or drop drafted expectations (from `evalkit import traffic`)")
    p.add_argument("suite", help="suite name or path")
    p.add_argument("--suites-dir", type=Path, default=Path("suites"))
    p.add_argument("--decisions", type=Path, default=None, help="JSONL decisions instead of prompts")
    p.add_argument("--reviewer", default=None, help="who reviews (default: $USER)")
    p.add_argument(
        "--answers", type=Path, default=None, help="logged answers (default: ../traffic/answers/SUITE.jsonl)"
    )
    p.set_defaults(handler=handler)


def _ask(console: Console) -> Any:
    from rich.prompt import Prompt

    from evalkit.inputs.traffic.review import Decision

    def decide(case: Case, answer: dict[str, Any] | None) -> Decision | None:
        turns = [*case.prior_turns, *case.followup_turns]
        request = next((v for k, v in case.input.items() if k != "system"), "")
        console.rule(f"{case.id}")
        console.print("[bold]request[/bold]", str(request)[:1500], markup=True, highlight=False)
        if turns:
            console.print(f"(+{len(turns)} more turns in the case)")
        if answer is not None:
            calls = ", ".join(f"{c['name']}({c.get('raw_arguments', '')})" for c in answer.get("tool_calls") or [])
            console.print("[bold]logged answer[/bold]", (answer.get("text") or "") + (f" {calls}" if calls else ""))
        console.print("[bold]drafted expectation[/bold]", json.dumps(case.expected, ensure_ascii=False))
        try:
            action = Prompt.ask(
                "accept / correct / drop / skip / quit", console=console, choices=["a", "c", "d", "s", "q"], default="s"
            )
        except EOFError:
            return None
        if action == "q":
            return None
        full = {"a": "accept", "c": "correct", "d": "drop", "s": "skip"}[action]
        expected = None
        while full == "correct" and expected is None:
            try:
                text = Prompt.ask("corrected expectation (JSON)", console=console)
            except EOFError:
                return None
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                console.print(f"not JSON: {exc.msg}")
                continue
            expected = value if isinstance(value, dict) else None
        return Decision(id=case.id, action=full, expected=expected)  # type: ignore[arg-type]

    return decide


def handler(args: argparse.Namespace, console: Console, out: Console) -> int:
    from evalkit.errors import InputError
    from evalkit.inputs.suites import resolve_suite_paths
    from evalkit.inputs.traffic.importer import answers_path
    from evalkit.inputs.traffic.review import read_decisions, review_suite

    (suite_path,) = resolve_suite_paths(args.suite, args.suites_dir)[:1]
    reviewer = args.reviewer or os.environ.get("USER") or ""
    if not reviewer.strip():
        raise InputError("who reviews? give --reviewer (or set $USER)", field="--reviewer")
    name = suite_path.stem
    answers_file = args.answers or answers_path(suite_path, name)
    answers: dict[str, dict[str, Any]] = {}
    if answers_file.is_file():
        for line in answers_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                answers[row["id"]] = row
    if args.decisions is not None:
        from evalkit.inputs.suites import load_suite
        from evalkit.inputs.traffic.review import Decision

        decisions = read_decisions(args.decisions)
        pending = {c.id for c in load_suite(suite_path).cases if c.reference == "unreviewed"}
        unknown = sorted((line, cid) for cid, (line, _) in decisions.items() if cid not in pending)
        if unknown:  # checked before anything is written
            line, cid = unknown[0]
            raise InputError(f"no unreviewed case {cid!r} in suite {name}", args.decisions, line, "id")

        def decide(case: Case, _answer: dict[str, Any] | None) -> Decision | None:
            found = decisions.get(case.id)
            return found[1] if found else Decision(id=case.id, action="skip")

        result = review_suite(
            suite_path, answers, decide, reviewer, where=lambda cid: (args.decisions, decisions[cid][0])
        )
    else:
        result = review_suite(suite_path, answers, _ask(console), reviewer)
    agreement = "n/a" if result.agreement is None else f"{result.agreement:.1%}"
    out.print(
        f"{result.suite}: accepted {result.accepted}, corrected {result.corrected}, dropped {result.dropped}, "
        f"still unreviewed {result.still_unreviewed}; reviewer {result.reviewer} at {result.reviewed_at}; "
        f"human-vs-scorer agreement {agreement}"
        + (f" (disagree on {', '.join(result.disagreements[:10])})" if result.disagreements else ""),
        markup=False,
        highlight=False,
    )
    report = answers_file.parent.parent / f"review-{name}.json"
    if report.parent.is_dir():
        report.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return 0
