"""`evalkit compare RUN_A RUN_B`: what changed between two runs of the same suites, and is it a regression?

The gate decides whether a candidate may replace a baseline; compare watches one endpoint over time (a
nightly run against last night's, a vLLM upgrade against the run before it). It rests on the same
ground: `pair_runs` + `require_comparable` (same suites, same grading, same request per case, or bad
input naming every difference), each case's repeats reduced by the suite's rule, and the gate's paired
BCa bootstrap (`metric_difference`) for the primary metric, so the two commands can never disagree on
statistics. Per suite it reports:

- newly failing / passing cases (reduced `resolved` 1 -> 0 / 0 -> 1, scored on both sides), with both
  answers;
- flaky cases (repeats disagree on one side, in answer or in `resolved`): excluded from the above and
  from the interval, because run-to-run noise must never page anyone as a regression;
- behaviour drift that scores can hide: answer similarity, tool-call format changes, refusals and
  abstentions, finish reasons, truncation, output length;
- serving drift: input tokens of identical requests (a tokenizer or chat-template change shows here
  first), output tokens, latency, time to first token, throughput;
- what each server said about itself, differences first, a changed fingerprint on the same endpoint
  before anything else.

A suite is `regressed` when more cases newly fail than `tolerance` allows, when the primary metric's
interval lies entirely below 0, or when the tool-call format changed: the three things a nightly job
should act on. Everything else is reported as drift, for a person to read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from evalkit.compare.drift_models import (
    Behaviour,
    CaseChange,
    CompareReport,
    FlakyCase,
    MetricDelta,
    Pair,
    Serving,
    SuiteCounts,
    SuiteDrift,
)
from evalkit.compare.drift_provenance import compare_sides, headline, run_side
from evalkit.compare.drift_signals import answered, behaviour_drift, describe_token_drift, render_answer, serving_drift
from evalkit.compare.pairing import PairedCase, SuitePairing, pair_runs, pair_suite, require_comparable
from evalkit.compare.sides import SuiteSide, build_side, excerpt, metric_difference
from evalkit.compare.verdicts import IntervalFigure
from evalkit.errors import InputError
from evalkit.metrics.reducers import CaseOutcome
from evalkit.records import CallRecord
from evalkit.store import Store, now_iso

MAIN_METRICS: dict[str, tuple[str, ...]] = {
    "classification": ("macro_f1", "accuracy", "invalid_rate", "abstain_recall", "adversarial_pass_rate"),
    "extraction": ("field_accuracy", "schema_validity", "parse_rate", "hallucination_rate", "adversarial_pass_rate"),
    "summarization": (
        "key_fact_coverage",
        "unsupported_rate",
        "forbidden_violation_rate",
        "format_compliance",
        "adversarial_pass_rate",
    ),
    "coding": ("pass_at_1", "test_pass_rate", "extraction_failure_rate", "timeout_rate", "adversarial_pass_rate"),
    "toolcall": (
        "tool_call_accuracy",
        "relevance",
        "irrelevance",
        "argument_accuracy",
        "format_failure_rate",
        "adversarial_pass_rate",
    ),
}
"""Besides the suite's primary metric: the figures per category a reviewer of a drift reads first."""

LENGTH_CHANGE = 0.2
"""Mean output characters or tokens per call moving by more than 20% is reported as drift."""
SPEED_RATIO = 1.5
"""Latency, time to first token or throughput moving by more than 1.5x either way is reported as
drift; smaller moves are what two runs of a shared endpoint show on any night."""


def _resolved(outcome: CaseOutcome | None) -> float | None:
    return None if outcome is None else outcome.resolved


def _flaky(calls: Sequence[CallRecord], side: SuiteSide, i: int) -> str | None:
    """Why one side's repeats of a case disagree (different answers or different `resolved`), or None."""
    answers = {render_answer(r) for r in answered(calls)}
    resolved = [item.resolved for item in side.items[i]]
    if len(set(resolved)) > 1:
        return f"resolved on {sum(resolved)} of {len(resolved)} scored repeats"
    if len(answers) > 1:
        return f"{len(answers)} different answers across {len(calls)} repeats"
    return None


def _flaky_cases(
    ids: list[str], before: dict[str, list[CallRecord]], after: dict[str, list[CallRecord]], a: SuiteSide, b: SuiteSide
) -> dict[str, FlakyCase]:
    out: dict[str, FlakyCase] = {}
    for i, cid in enumerate(ids):
        why_a, why_b = _flaky(before.get(cid, []), a, i), _flaky(after.get(cid, []), b, i)
        if why_a and why_b:
            out[cid] = FlakyCase(case_id=cid, side="both", why=f"before: {why_a}; after: {why_b}")
        elif why_a or why_b:
            out[cid] = FlakyCase(case_id=cid, side="before" if why_a else "after", why=why_a or why_b or "")
    return out


def _primary(
    a: SuiteSide,
    b: SuiteSide,
    name: str,
    idx: list[int],
    clusters: list[str | None],
    *,
    confidence: float,
    resamples: int,
    seed: int,
) -> MetricDelta:
    """The primary metric with the gate's paired interval of after - before (whole clusters resampled)."""
    before, after = (a.metric(name, idx), b.metric(name, idx)) if idx else (None, None)
    interval, note = None, None
    if not idx:
        note = "no case is scored on both sides and stable across repeats"
    elif before is None or after is None:
        note = f"{name} is undefined on the compared cases"
    else:
        try:
            iv = metric_difference(b, a, name, idx, clusters, confidence=confidence, resamples=resamples, seed=seed)
        except ValueError:
            note = f"{name} is undefined on some bootstrap resamples"
        else:
            interval = IntervalFigure(**dataclasses.asdict(iv))
    delta = Pair.of(before, after).delta
    return MetricDelta(metric=name, primary=True, before=before, after=after, delta=delta, interval=interval, note=note)


def _main_metrics(a: SuiteSide, b: SuiteSide, primary: str, idx: list[int]) -> list[MetricDelta]:
    """The category's main metrics besides the primary one, aggregated over the same cases."""
    spec, settings = a.scoring.spec, a.scoring.settings

    def values(side: SuiteSide) -> dict[str, float | int | None]:
        items = [item for i in idx for item in side.items[i]]
        return spec.aggregate(items, settings).values if items else {}

    va, vb = values(a), values(b)
    out: list[MetricDelta] = []
    for name in MAIN_METRICS.get(spec.category, ()):
        x, y = va.get(name), vb.get(name)
        if name == primary or name not in spec.metrics or (x is None and y is None):
            continue
        p = Pair.of(None if x is None else float(x), None if y is None else float(y))
        out.append(MetricDelta(metric=name, primary=False, before=p.before, after=p.after, delta=p.delta))
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _drift_notes(
    behaviour: Behaviour, serving: Serving, counts: SuiteCounts, passing: int, failing: int, tolerance: int
) -> list[str]:
    notes: list[str] = []
    sim = behaviour.similarity
    if sim.cases and sim.identical < sim.cases:
        worst = ", ".join(f"{c.case_id} ({c.similarity:.0f})" for c in sim.least_similar[:3])
        notes.append(
            f"answers changed on {sim.cases - sim.identical} of {sim.cases} cases (median similarity "
            f"{sim.median:.1f}; least similar {worst})"
        )
    for line in (
        describe_token_drift(serving.input_tokens, "input tokens of identical requests"),
        describe_token_drift(serving.output_tokens_same_answer, "output tokens of identical answers"),
    ):
        if line:
            notes.append(line)
    if 0 < failing <= tolerance:
        notes.append(f"{failing} newly failing case(s), within the tolerance of {tolerance}")
    if passing:
        notes.append(f"{passing} newly passing case(s)")
    ref = behaviour.refusals
    if ref.rate.before != ref.rate.after or ref.newly_refusing:
        new = f"; newly refusing: {', '.join(ref.newly_refusing[:5])}" if ref.newly_refusing else ""
        notes.append(f"refusal/abstain rate {_pct(ref.rate.before)} -> {_pct(ref.rate.after)}{new}")
    moved = [
        f"{k} {v.before:g} -> {v.after:g}"
        for k, v in behaviour.finish_reasons.items()
        if v.before != v.after and v.before is not None and v.after is not None
    ]
    if moved:
        notes.append("finish reasons changed: " + ", ".join(moved))
    if behaviour.format_fixed:
        notes.append(f"tool-call format failures gone on {len(behaviour.format_fixed)} case(s)")
    if counts.newly_unscored:
        spread = ", ".join(f"{k} {n}" for k, n in sorted(counts.newly_unscored.items()))
        notes.append(f"cases scored before but not after: {spread}")
    for name, p in (
        ("output characters per call", behaviour.output_chars),
        ("output tokens per call", behaviour.output_tokens),
    ):
        r = p.ratio
        if r is not None and abs(r - 1) > LENGTH_CHANGE:
            notes.append(f"{name} {p.before:.1f} -> {p.after:.1f} ({r - 1:+.0%})")
    for name, p, unit in (
        ("latency p50", serving.latency_p50_s, "s"),
        ("latency p95", serving.latency_p95_s, "s"),
        ("time to first token p50", serving.ttft_p50_s, "s"),
        ("throughput", serving.throughput_tok_s, " tok/s"),
    ):
        r = p.ratio
        if r is not None and (r > SPEED_RATIO or r < 1 / SPEED_RATIO):
            notes.append(f"{name} {p.before:.2f}{unit} -> {p.after:.2f}{unit} ({r:.2f}x)")
    return notes


def _reasons(failing: list[CaseChange], metrics: list[MetricDelta], behaviour: Behaviour, tolerance: int) -> list[str]:
    reasons: list[str] = []
    if len(failing) > tolerance:
        ids = ", ".join(c.case_id for c in failing[:8]) + (", ..." if len(failing) > 8 else "")
        reasons.append(f"{len(failing)} newly failing case(s) (tolerance {tolerance}): {ids}")
    primary = next(m for m in metrics if m.primary)
    iv = primary.interval
    if iv is not None and iv.upper < 0:
        reasons.append(
            f"{primary.metric} dropped {iv.estimate:+.3f} (one-sided {iv.confidence:.0%} bounds [{iv.lower:+.3f}, "
            f"{iv.upper:+.3f}], entirely below 0; {iv.cases} cases)"
        )
    if behaviour.format_changes:
        shown = "; ".join(f"{c.case_id}: {c.detail}" for c in behaviour.format_changes[:5])
        more = "; ..." if len(behaviour.format_changes) > 5 else ""
        reasons.append(f"{len(behaviour.format_changes)} tool-call format change(s): {shown}{more}")
    return reasons


def _broken_endpoint(store: Store, run_id: str, failed: list[CallRecord], cases: int) -> str:
    """Cases answered before that now fail after retries: the endpoint, or how it is served, broke.
    Name the errors and, when evalkit launched the server, the end of its log (e.g. llama.cpp's
    "failed to parse grammar" when a chat format cannot compile a tool schema)."""
    kinds = Counter(c.error_kind or "error" for c in failed)
    counted = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    text = (
        f"{cases} cases answered before now fail with infrastructure errors ({counted}: "
        f"{failed[0].error_message}); the endpoint or its serving configuration broke"
    )
    sessions = store.run(run_id).manifest.get("sessions") or []
    log = next((s.get("server_log") for s in reversed(sessions) if s.get("server_log")), None)
    if log and Path(log).is_file():
        lines = [line.strip() for line in Path(log).read_text(errors="replace").splitlines() if line.strip()]
        hints = [line for line in lines if any(w in line.lower() for w in ("error", "fail", "exception"))]
        text += f"; server log {log}" + (f": {hints[-1][:200]}" if hints else "")
    return text


def _change(case: PairedCase, a: SuiteSide, b: SuiteSide) -> CaseChange:
    return CaseChange(
        case_id=case.case_id,
        split=case.split,
        tags=list(case.tags),
        before_answer=a.answers.get(case.case_id, excerpt(None)),
        after_answer=b.answers.get(case.case_id, excerpt(None)),
    )


def compare_suite(
    store: Store, pairing: SuitePairing, *, confidence: float, resamples: int, seed: int, tolerance: int
) -> SuiteDrift:
    """One suite of two comparable runs (A = `pairing.baseline_run`, B = `pairing.candidate_run`)."""
    cases = pairing.cases
    ids = [c.case_id for c in cases]
    a = build_side(store, pairing.baseline_run, pairing, ids)
    b = build_side(store, pairing.candidate_run, pairing, ids)
    before: dict[str, list[CallRecord]] = {}
    after: dict[str, list[CallRecord]] = {}
    for calls, into in ((a.calls, before), (b.calls, after)):
        for call in calls:
            into.setdefault(call.case_id, []).append(call)
    flaky = _flaky_cases(ids, before, after, a, b)
    stable = [cid for cid in ids if cid not in flaky]
    paired = [i for i, c in enumerate(cases) if c.both_scored]
    compared = [i for i in paired if ids[i] not in flaky]
    failing = [
        _change(cases[i], a, b)
        for i in compared
        if _resolved(cases[i].baseline) == 1.0 and _resolved(cases[i].candidate) == 0.0
    ]
    passing = [
        _change(cases[i], a, b)
        for i in compared
        if _resolved(cases[i].baseline) == 0.0 and _resolved(cases[i].candidate) == 1.0
    ]
    suite = a.scoring.suite
    clusters = [cases[i].cluster for i in compared]
    metrics = [
        _primary(a, b, suite.primary_metric, compared, clusters, confidence=confidence, resamples=resamples, seed=seed),
        *_main_metrics(a, b, suite.primary_metric, compared),
    ]
    unscored: Counter[str] = Counter()
    for c in cases:
        if c.baseline and c.baseline.scored and not (c.candidate and c.candidate.scored):
            statuses = c.candidate.statuses if c.candidate else {"missing": 1}
            unscored[max(statuses, key=lambda s: statuses[s])] += 1
    counts = SuiteCounts(
        cases=len(cases),
        paired=len(paired),
        compared=len(compared),
        flaky=len(flaky),
        one_sided=sum(1 for c in cases if (c.baseline is None) != (c.candidate is None)),
        newly_unscored=dict(unscored),
    )
    behaviour = behaviour_drift(ids, stable, before, after, a, b)
    serving = serving_drift(ids, stable, before, after, a, b)
    reasons = _reasons(failing, metrics, behaviour, tolerance)
    failed = [c for cid in ids for c in after.get(cid, []) if c.status != "ok"]
    if failed and unscored.get("infra_error"):
        reasons.append(_broken_endpoint(store, pairing.candidate_run, failed, unscored["infra_error"]))
    broken = {k: v for k, v in unscored.items() if k in ("truncated", "scorer_error")}
    if broken:
        # An answer that used to be scored and is now cut off (or unscorable) is a break a customer sees;
        # infrastructure errors and cases the run did not reach are retried or resumed, not regressions.
        reasons.append(
            "cases scored before but not after: " + ", ".join(f"{k} {v}" for k, v in sorted(broken.items()))
        )
    record = next(s for s in store.suites(pairing.baseline_run) if s.name == pairing.suite)
    return SuiteDrift(
        suite=pairing.suite,
        category=pairing.category,
        primary_metric=suite.primary_metric,
        counts=counts,
        newly_failing=failing,
        newly_passing=passing,
        flaky=list(flaky.values()),
        metrics=metrics,
        behaviour=behaviour,
        serving=serving,
        drift=_drift_notes(behaviour, serving, counts, len(passing), len(failing), tolerance),
        regressed=bool(reasons),
        reasons=reasons,
        input_hash=record.input_hash,
        expectation_hash=record.expectation_hash,
    )


def _pairings(store: Store, run_a: str, run_b: str, suites: Sequence[str] | None) -> list[SuitePairing]:
    if suites is None:
        return pair_runs(store, run_a, run_b)
    held = {run: {s.name for s in store.suites(run)} for run in (run_a, run_b)}
    missing = [f"{name} (not in {run})" for name in suites for run in (run_a, run_b) if name not in held[run]]
    if missing:
        raise InputError(f"cannot compare suites missing from a run: {', '.join(missing)}", field="suites")
    return [pair_suite(store, run_a, run_b, name) for name in dict.fromkeys(suites)]


def compare_runs(
    store: Store,
    run_a: str,
    run_b: str,
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
    tolerance: int = 0,
    suites: Sequence[str] | None = None,
) -> CompareReport:
    """Compare run B (after) with run A (before), suite by suite.

    Raises `RunNotFound` for an unknown run and `InputError` (exit 2) when the runs hold different
    suites or are not comparable (suite input or expectation hash, or a case's request hash, differs),
    naming every difference. `tolerance` is the number of newly failing cases a suite may have before
    it counts as regressed (format changes and a primary-metric drop regress regardless). `suites`
    restricts the comparison to these suites, each of which must be in both runs (a nightly run holds
    more suites than one blessed baseline).
    """
    from evalkit import __version__

    if tolerance < 0:
        raise InputError(f"tolerance must be 0 or more, got {tolerance}", field="tolerance")
    side_a, side_b = run_side(store, store.run(run_a)), run_side(store, store.run(run_b))
    pairings = _pairings(store, run_a, run_b, suites)
    require_comparable(pairings)
    drifts = [
        compare_suite(store, p, confidence=confidence, resamples=resamples, seed=seed, tolerance=tolerance)
        for p in pairings
    ]
    differences, same, changes = compare_sides(side_a, side_b)
    reasons = [f"{s.suite}: {r}" for s in drifts for r in s.reasons]
    return CompareReport(
        headline=headline(side_a, side_b, differences, changes, reasons, drifts),
        before=side_a,
        after=side_b,
        same_endpoint=same,
        fingerprint_changes=changes,
        differences=differences,
        created_at=now_iso(),
        evalkit_version=__version__,
        confidence=confidence,
        resamples=resamples,
        seed=seed,
        tolerance=tolerance,
        suites=drifts,
        regressed=bool(reasons),
        reasons=reasons,
    )
