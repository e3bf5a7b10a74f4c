"""Two runs paired case by case: the ground the gate, compare and nightly stand on.

Pairing is only meaningful when both runs asked the same questions. That is checked, not assumed:
equal suite input hashes (same prompts, tools, settings and case inputs), equal expectation hashes
(answers graded alike), and, per case, equal request hashes (the exact canonical request, which names
no model). Every difference is named. Each case's repeats are reduced by the suite's declared rule
before pairing, so a paired statistic resamples one outcome per case per side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evalkit.errors import InputError
from evalkit.metrics.reducers import CaseOutcome, reduce_case
from evalkit.records import Score
from evalkit.store import Store


@dataclass(frozen=True)
class PairedCase:
    case_id: str
    split: str
    cluster: str | None
    tags: tuple[str, ...]
    baseline: CaseOutcome | None
    """None when the baseline run has no score for the case (one-sided: not in that run, or not yet
    answered)."""
    candidate: CaseOutcome | None
    same_request: bool | None
    """Equal request hashes on both sides; None when a side has no call for the case."""

    @property
    def both_scored(self) -> bool:
        return bool(self.baseline and self.baseline.scored and self.candidate and self.candidate.scored)


@dataclass
class SuitePairing:
    suite: str
    category: str
    baseline_run: str
    candidate_run: str
    cases: list[PairedCase]
    differences: list[str] = field(default_factory=list)
    """Why the two sides are not comparable; empty when they are."""

    @property
    def comparable(self) -> bool:
        return not self.differences

    def paired(self) -> list[PairedCase]:
        """Cases scored on both sides: the only ones a paired statistic may use."""
        return [c for c in self.cases if c.both_scored]


def _side(store: Store, run_id: str, suite: str) -> tuple[dict[str, list[Score]], dict[str, str]]:
    scores: dict[str, list[Score]] = {}
    for rec in store.scores(run_id, suite=suite):
        scores.setdefault(rec.case_id, []).append(rec.score)
    hashes = {c.case_id: c.request_hash for c in store.calls(run_id, suite=suite) if c.repeat == 0}
    return scores, hashes


def pair_suite(store: Store, baseline: str, candidate: str, suite: str) -> SuitePairing:
    base = {s.name: s for s in store.suites(baseline)}[suite]
    cand = {s.name: s for s in store.suites(candidate)}[suite]
    differences: list[str] = []
    if base.input_hash != cand.input_hash:
        differences.append(
            f"suite {suite!r}: the runs sent different suites (input hash {base.input_hash[:12]} vs "
            f"{cand.input_hash[:12]}: prompt, tools, request settings or case inputs changed)"
        )
    if base.expectation_hash != cand.expectation_hash:
        differences.append(
            f"suite {suite!r}: answers were graded differently (expectation hash {base.expectation_hash[:12]} vs "
            f"{cand.expectation_hash[:12]}: expectations or scorer settings changed); re-score both from one suite"
        )
    cases = store.cases(baseline, suite)
    known = {c.id for c in cases}
    # A run made with --limit holds a prefix of the same suite (same input hash): its missing cases are
    # one-sided, counted by every consumer, not a reason to refuse the comparison.
    cases += [c for c in store.cases(candidate, suite) if c.id not in known]
    base_scores, base_hashes = _side(store, baseline, suite)
    cand_scores, cand_hashes = _side(store, candidate, suite)
    rule = base.suite.reduce
    paired: list[PairedCase] = []
    mismatched: list[str] = []
    for case in cases:
        b, c = base_hashes.get(case.id), cand_hashes.get(case.id)
        same = None if b is None or c is None else b == c
        if same is False:
            mismatched.append(case.id)
        paired.append(
            PairedCase(
                case_id=case.id,
                split=case.split,
                cluster=case.cluster,
                tags=tuple(case.tags),
                baseline=reduce_case(case.id, base_scores[case.id], rule) if case.id in base_scores else None,
                candidate=reduce_case(case.id, cand_scores[case.id], rule) if case.id in cand_scores else None,
                same_request=same,
            )
        )
    if mismatched:
        differences.append(
            f"suite {suite!r}: {len(mismatched)} cases were sent different requests (request hash differs; "
            f"e.g. the endpoints' sampling defaults differ): {', '.join(mismatched[:5])}"
        )
    return SuitePairing(suite, base.category, baseline, candidate, paired, differences)


def pair_runs(
    store: Store, baseline: str, candidate: str, *, suites: Sequence[str] | None = None
) -> list[SuitePairing]:
    """Every suite present in both runs (or just `suites`), paired; a suite in only one run is an input
    error."""
    base_names = [s.name for s in store.suites(baseline)]
    cand_names = {s.name for s in store.suites(candidate)}
    if suites is not None:
        wanted = list(suites)
        missing = [n for n in wanted if n not in base_names or n not in cand_names]
        if missing:
            raise InputError(
                f"runs {baseline} and {candidate} do not both hold suites: {', '.join(missing)}", field="run_id"
            )
        return [pair_suite(store, baseline, candidate, name) for name in wanted]
    missing = [n for n in base_names if n not in cand_names] + sorted(cand_names - set(base_names))
    if missing:
        raise InputError(
            f"runs {baseline} and {candidate} do not hold the same suites; only in one: {', '.join(missing)}",
            field="run_id",
        )
    return [pair_suite(store, baseline, candidate, name) for name in base_names]


def require_comparable(pairings: list[SuitePairing]) -> None:
    """Refuse, naming every difference, when any suite of the two runs is not comparable."""
    differences = [d for p in pairings for d in p.differences]
    if differences:
        raise InputError("the runs are not comparable:\n  " + "\n  ".join(differences), field="run_id")
