"""The migration gate: per category, may the candidate replace the baseline? With the evidence.

Decision rule (per suite, on cases scored on both sides, repeats reduced by the suite's rule):
1. The runs must be comparable (same suite input and expectation hashes, same request per case);
   otherwise nothing is decided (bad input, exit 2).
2. Too few paired cases, or too many cases not scored on both sides: INCONCLUSIVE, never a silent drop.
3. Non-inferiority on the decision metric: a seeded BCa bootstrap resamples cases (whole clusters when
   cases carry one) and recomputes the metric on both sides of each resample. QUALIFIED needs the
   one-sided lower bound of (candidate - baseline) above -margin; an upper bound below -margin is NOT
   QUALIFIED; an interval across -margin is INCONCLUSIVE, with the paired cases that would decide it.
4. Hard conditions (adversarial pass rate, answer format, escalation behaviour, reliability, latency,
   cost per resolved task) each carry their figure; any failure is NOT QUALIFIED, named.
5. Escalation: "candidate first, baseline when the candidate's answer fails validation" is evaluated
   the same way; a category can qualify with escalation when the candidate alone does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from evalkit.compare import conditions
from evalkit.compare.pairing import SuitePairing, pair_runs, require_comparable
from evalkit.compare.sides import SuiteSide, build_side, metric_difference
from evalkit.compare.verdicts import (
    EXIT_CODES,
    CaseExcerpt,
    CategoryGate,
    Condition,
    Counts,
    GateReport,
    IntervalFigure,
    McNemarFigure,
    OptionFigures,
    Side,
    Verdict,
)
from evalkit.inputs.policy import GatePolicy, PolicyFile
from evalkit.metrics.stats import Interval, cases_to_decide, mcnemar, paired_statistic_difference, per_case_sd
from evalkit.store import RunRecord, Store, now_iso

NOT_QUALIFIED: Verdict = "NOT_QUALIFIED"


def _interval_figure(i: Interval) -> IntervalFigure:
    return IntervalFigure(
        estimate=i.estimate,
        lower=i.lower,
        upper=i.upper,
        confidence=i.confidence,
        method=i.method,
        resamples=i.resamples,
        cases=i.cases,
        clusters=i.clusters,
        se=i.se,
    )


def _difference(
    n: int, stat: Callable[[np.ndarray], float], clusters: list[str | None], policy: GatePolicy
) -> Interval:
    return paired_statistic_difference(
        n, stat, clusters=clusters, confidence=policy.confidence, resamples=policy.bootstrap_resamples, seed=policy.seed
    )


def _metric_difference(
    better: SuiteSide, base: SuiteSide, metric: str, idx: list[int], clusters: list[str | None], policy: GatePolicy
) -> Interval:
    return metric_difference(
        better,
        base,
        metric,
        idx,
        clusters,
        confidence=policy.confidence,
        resamples=policy.bootstrap_resamples,
        seed=policy.seed,
    )


def _non_inferiority(interval: Interval, margin: float, what: str) -> tuple[Verdict, str | None, int | None]:
    """(verdict on the metric alone, reason when not qualified, cases that would decide)."""
    if interval.lower > -margin:
        return "QUALIFIED", None, None
    span = (
        f"{what} - baseline = {interval.estimate:+.3f}, one-sided {interval.confidence:.0%} bounds "
        f"[{interval.lower:+.3f}, {interval.upper:+.3f}], margin -{margin:.3f}"
    )
    if interval.upper < -margin:
        return NOT_QUALIFIED, f"worse than the margin: {span}", None
    clusters = cases_to_decide(interval.estimate, per_case_sd(interval), margin, confidence=interval.confidence)
    # The SD is per resampling unit, so the formula counts clusters; scale to cases at the observed size.
    needed = None if clusters is None else int(np.ceil(clusters * interval.cases / max(interval.clusters, 1)))
    if needed is None:
        more = "more cases would not show non-inferiority at the observed difference"
    elif needed <= interval.cases:
        more = (
            f"at the observed variance about {needed} paired cases give 80% power and this suite has "
            f"{interval.cases}: the bound missed the margin by chance; more cases (or repeats) would settle it"
        )
    else:
        more = f"about {needed} paired cases would decide it at the observed variance (80% power)"
    return "INCONCLUSIVE", f"the interval straddles the margin ({span}); {more}", needed


def _cost_condition(
    base: SuiteSide, cand: SuiteSide, idx: list[int], clusters: list[str | None], policy: GatePolicy, label: str
) -> Condition:
    b_cost, c_cost = float(base.cost[idx].sum()), float(cand.cost[idx].sum())
    b_res, c_res = float(base.resolved[idx].sum()), float(cand.resolved[idx].sum())
    b_cpr = b_cost / b_res if b_res else None
    c_cpr = c_cost / c_res if c_res else None
    ratio = policy.max_cost_per_resolved_ratio
    if c_cpr is None:
        return Condition(name="cost_per_resolved", passed=False, figure=f"{label} resolves no case", baseline=b_cpr)
    if not b_cpr:
        return Condition(
            name="cost_per_resolved",
            passed=None,
            figure=f"cost per resolved task ${c_cpr:.6f} vs baseline ${fmt_money(b_cpr)} (baseline spent nothing)",
            candidate=c_cpr,
            baseline=b_cpr,
        )
    interval = ""
    if min(b_res, c_res) >= 5:

        def stat(sample: np.ndarray) -> float:
            chosen = [idx[int(i)] for i in sample]
            return float(cand.cost[chosen].sum() / max(cand.resolved[chosen].sum(), 1e-9)) - float(
                base.cost[chosen].sum() / max(base.resolved[chosen].sum(), 1e-9)
            )

        iv = _difference(len(idx), stat, clusters, policy)
        interval = f"; paired difference ${iv.estimate:+.6f} [{iv.lower:+.6f}, {iv.upper:+.6f}]"
    passed = None if ratio is None else c_cpr < ratio * b_cpr
    return Condition(
        name="cost_per_resolved",
        passed=passed,
        figure=f"{label} cost per resolved task ${c_cpr:.6f} vs baseline ${b_cpr:.6f} "
        f"({c_cpr / b_cpr:.2f}x{'' if ratio is None else f', must be below {ratio:.2f}x'}){interval}",
        candidate=c_cpr,
        baseline=b_cpr,
        threshold=None if ratio is None else ratio * b_cpr,
    )


def fmt_money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.6f}"


def _option(name: Any, side: SuiteSide, metric: str, idx: list[int], rate: float | None = None) -> OptionFigures:
    cost, resolved = float(side.cost[idx].sum()), float(side.resolved[idx].sum())
    return OptionFigures(
        option=name,
        quality=side.metric(metric, idx) if idx else None,
        cost_usd=cost,
        resolved=resolved,
        cost_per_resolved_usd=cost / resolved if resolved else None,
        escalation_rate=rate,
    )


def _escalation_side(base: SuiteSide, cand: SuiteSide) -> tuple[SuiteSide, np.ndarray]:
    """Candidate first; the baseline's answer wherever the candidate's fails validation (or is missing,
    cut off or unscorable). Both calls are paid for on escalated cases."""
    spec, settings = cand.scoring.spec, cand.scoring.settings
    escalate = np.array(
        [not items or any(spec.escalation_reason(i.detail, settings) for i in items) for items in cand.items]
    )
    mixed = SuiteSide(
        scoring=base.scoring,
        items=[b if e else c for b, c, e in zip(base.items, cand.items, escalate, strict=True)],
        resolved=np.where(escalate, base.resolved, cand.resolved),
        cost=cand.cost + np.where(escalate, base.cost, 0.0),
        latencies=[],
        answers={},
        calls=[],
    )
    return mixed, escalate


def gate_suite(store: Store, pairing: SuitePairing, policy: GatePolicy) -> CategoryGate:
    ids = [c.case_id for c in pairing.cases if c.baseline is not None and c.baseline.scored]
    cases = {c.case_id: c for c in pairing.cases}
    base = build_side(store, pairing.baseline_run, pairing, ids)
    cand = build_side(store, pairing.candidate_run, pairing, ids)
    record = next(s for s in store.suites(pairing.baseline_run) if s.name == pairing.suite)
    suite = base.scoring.suite
    metric = policy.metric or suite.primary_metric
    margin = policy.non_inferiority_margin
    paired = [i for i in range(len(ids)) if cand.items[i]]
    clusters = [cases[ids[i]].cluster for i in paired]

    def status_cases(status: str) -> int:
        return sum(
            1
            for c in pairing.cases
            if (c.baseline and c.baseline.statuses.get(status)) or (c.candidate and c.candidate.statuses.get(status))
        )

    one_sided = sum(
        1 for c in pairing.cases if bool(c.baseline and c.baseline.scored) != bool(c.candidate and c.candidate.scored)
    )
    counts = Counts(
        cases=len(pairing.cases),
        paired=len(paired),
        one_sided=one_sided,
        infra_errors=status_cases("infra_error"),
        truncated=status_cases("truncated"),
        scorer_errors=status_cases("scorer_error"),
        unanswered_rate=(len(pairing.cases) - len(paired)) / len(pairing.cases) if pairing.cases else 1.0,
        unreviewed=sum(1 for c in store.cases(pairing.baseline_run, pairing.suite) if c.reference == "unreviewed"),
    )
    inconclusive: list[str] = []
    if counts.unreviewed:
        # Drafted from the frontier's own logged answers: deciding on them grades the baseline against itself.
        inconclusive.append(
            f"{counts.unreviewed} of {counts.cases} expectations are unreviewed drafts (reference: unreviewed); "
            f"confirm them with `evalkit review {pairing.suite}` before deciding"
        )
    if counts.paired < policy.min_cases:
        inconclusive.append(f"only {counts.paired} paired cases; the policy needs at least {policy.min_cases}")
    if counts.unanswered_rate > policy.max_unanswered_rate:
        inconclusive.append(
            f"{counts.unanswered_rate:.1%} of cases are not scored on both sides (infrastructure errors "
            f"{counts.infra_errors}, truncated {counts.truncated}, scorer errors {counts.scorer_errors}, one-sided "
            f"{counts.one_sided}); at most {policy.max_unanswered_rate:.1%} allowed"
        )
    base_metric = base.metric(metric, paired) if paired else None
    cand_metric = cand.metric(metric, paired) if paired else None
    interval: Interval | None = None
    needed: int | None = None
    failed: list[str] = []
    if base_metric is None or cand_metric is None:
        inconclusive.append(f"{metric} is undefined on the paired cases")
    else:
        try:
            interval = _metric_difference(cand, base, metric, paired, clusters, policy)
        except ValueError:
            inconclusive.append(f"{metric} is undefined on some bootstrap resamples; choose another gate metric")
        else:
            verdict, reason, needed = _non_inferiority(interval, margin, "candidate")
            if reason is not None:
                (failed if verdict == NOT_QUALIFIED else inconclusive).append(reason)
    binary = all(v in (0.0, 1.0) for v in (*base.resolved[paired], *cand.resolved[paired]))
    mc = mcnemar(base.resolved[paired] == 1.0, cand.resolved[paired] == 1.0) if paired and binary else None

    base_all = [item for i in paired for item in base.items[i]]
    cand_all = [item for i in paired for item in cand.items[i]]
    base_values = base.scoring.spec.aggregate(base_all, base.scoring.settings)
    cand_values = cand.scoring.spec.aggregate(cand_all, cand.scoring.settings)
    adversarial_idx = [i for i in paired if cases[ids[i]].split == "adversarial"]
    conds = [
        *conditions.adversarial(base, cand, adversarial_idx, policy),
        *conditions.answer_quality(suite.category, base_values.values, cand_values.values, policy),
        *conditions.reliability(cand.calls, policy),
        conditions.latency(base, cand, policy),
        _cost_condition(base, cand, paired, clusters, policy, "candidate"),
    ]
    failed += [c.figure for c in conds if c.passed is False]
    verdict_alone: Verdict = NOT_QUALIFIED if failed else ("INCONCLUSIVE" if inconclusive else "QUALIFIED")

    options = [_option("baseline", base, metric, paired), _option("candidate", cand, metric, paired)]
    escalation_verdict: Verdict | None = None
    escalation_reasons: list[str] = []
    all_idx = list(range(len(ids)))
    if policy.escalation and ids:
        mixed, escalate = _escalation_side(base, cand)
        options.append(_option("escalation", mixed, metric, all_idx, float(escalate.mean())))
        escalation_verdict, escalation_reasons = _escalation_verdict(
            base, mixed, metric, all_idx, [cases[i].cluster for i in ids], policy, len(ids)
        )
    unreliable = [c.figure for c in conds if c.name == "infra_error_rate" and c.passed is False]
    if unreliable and escalation_verdict is not None:
        # Escalation rescues answers, not an endpoint that fails: its kill switch would trip anyway.
        escalation_verdict, escalation_reasons = NOT_QUALIFIED, [*escalation_reasons, *unreliable]
    if counts.unreviewed and escalation_verdict == "QUALIFIED":
        escalation_verdict, escalation_reasons = "INCONCLUSIVE", [*escalation_reasons, inconclusive[0]]
    verdict = verdict_alone
    if verdict_alone != "QUALIFIED" and escalation_verdict == "QUALIFIED":
        verdict = "QUALIFIED_WITH_ESCALATION"
    newly_failing = [
        CaseExcerpt(
            case_id=ids[i],
            split="adversarial",
            tags=list(cases[ids[i]].tags),
            baseline_answer=base.answers.get(ids[i], ""),
            candidate_answer=cand.answers.get(ids[i], ""),
        )
        for i in adversarial_idx
        if base.resolved[i] > cand.resolved[i]
    ]
    return CategoryGate(
        suite=pairing.suite,
        category=suite.category,
        metric=metric,
        margin=margin,
        verdict=verdict,
        reasons=failed + inconclusive,
        baseline_metric=base_metric,
        candidate_metric=cand_metric,
        interval=_interval_figure(interval) if interval else None,
        mcnemar=McNemarFigure(b=mc.b, c=mc.c, p_value=mc.p_value) if mc else None,
        cases_to_decide=needed,
        conditions=conds,
        counts=counts,
        options=options,
        escalation_verdict=escalation_verdict,
        escalation_reasons=escalation_reasons,
        newly_failing_adversarial=newly_failing,
        latencies_s={"baseline": base.latencies, "candidate": cand.latencies},
        tables={"baseline": dict(base_values.tables), "candidate": dict(cand_values.tables)},
        input_hash=record.input_hash,
        expectation_hash=record.expectation_hash,
        policy=policy,
    )


def _escalation_verdict(
    base: SuiteSide,
    mixed: SuiteSide,
    metric: str,
    idx: list[int],
    clusters: list[str | None],
    policy: GatePolicy,
    n: int,
) -> tuple[Verdict, list[str]]:
    if n < policy.min_cases:
        return "INCONCLUSIVE", [f"only {n} cases with a baseline answer; the policy needs at least {policy.min_cases}"]
    if base.metric(metric, idx) is None or mixed.metric(metric, idx) is None:
        return "INCONCLUSIVE", [f"{metric} is undefined"]
    try:
        interval = _metric_difference(mixed, base, metric, idx, clusters, policy)
    except ValueError:
        return "INCONCLUSIVE", [f"{metric} is undefined on some bootstrap resamples"]
    verdict, reason, _ = _non_inferiority(interval, policy.non_inferiority_margin, "escalation policy")
    reasons = [reason] if reason else []
    cost = _cost_condition(base, mixed, idx, clusters, policy, "escalation policy")
    if cost.passed is False:
        return NOT_QUALIFIED, [*reasons, cost.figure]
    return verdict, reasons


def _side(run: RunRecord) -> Side:
    profile = run.plan.endpoint
    return Side(
        run_id=run.run_id,
        endpoint=profile.name,
        tier=profile.tier,
        model=profile.model,
        endpoint_identity=run.endpoint_identity,
        server=run.manifest.get("server"),
        created_at=run.created_at,
        finished_at=run.finished_at,
    )


def gate_runs(
    store: Store, baseline: str, candidate: str, *, policy_file: PolicyFile | None = None, policy_source: str = "suite"
) -> GateReport:
    """Gate every suite present in both runs; incomparable runs are refused (InputError)."""
    from evalkit import __version__

    pairings = pair_runs(store, baseline, candidate)
    require_comparable(pairings)
    gates = []
    for pairing in pairings:
        suite = next(s.suite for s in store.suites(baseline) if s.name == pairing.suite)
        policy = policy_file.for_suite(pairing.suite) if policy_file is not None else suite.gate
        gates.append(gate_suite(store, pairing, policy))
    verdicts = {g.verdict for g in gates}
    overall: Verdict = (
        NOT_QUALIFIED
        if NOT_QUALIFIED in verdicts
        else "INCONCLUSIVE"
        if "INCONCLUSIVE" in verdicts
        else "QUALIFIED_WITH_ESCALATION"
        if "QUALIFIED_WITH_ESCALATION" in verdicts
        else "QUALIFIED"
    )
    return GateReport(
        baseline=_side(store.run(baseline)),
        candidate=_side(store.run(candidate)),
        created_at=now_iso(),
        evalkit_version=__version__,
        policy_source=policy_source,
        categories=gates,
        overall=overall,
        exit_code=EXIT_CODES[overall],
    )
