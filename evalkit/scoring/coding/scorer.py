"""`score`: one answered coding case -> extract, run the hidden tests in a sandbox, record a `Detail`.

This is the only module that puts the pieces together (extraction, patch application, the pytest run)
and decides `resolved`; each piece lives in its own module and knows nothing of the others. A case is
resolved only on the harness's signed verdict (`verdict`): every pristine test item passed, nothing
timed out, no integrity problem, and for patches no file outside `allowed_files` touched.
"""

from __future__ import annotations

from evalkit.errors import InputError
from evalkit.records import Score
from evalkit.scoring.base import ScoreContext
from evalkit.scoring.coding import forkserver
from evalkit.scoring.coding.detail import (
    Detail,
    FunctionExtractionInfo,
    PatchExtractionInfo,
    RunFacts,
    not_run,
    run_facts,
    values_of,
)
from evalkit.scoring.coding.execute import require_pytest, run_pytest
from evalkit.scoring.coding.extract import extract_function, extract_patch, touched_files
from evalkit.scoring.coding.fixtures import vcs_paths
from evalkit.scoring.coding.patch import Application, apply_patch
from evalkit.scoring.coding.sandbox import sandbox_dir
from evalkit.scoring.coding.spec import Expectation, Settings

SOLUTION_FILE = "solution.py"
FUNCTION_TEST_FILE = "test_solution.py"
PATCH_TEST_FILE = "test_evalkit_case.py"


def _score_function(exp: Expectation, ctx: ScoreContext, settings: Settings) -> tuple[bool, Detail]:
    assert exp.entry_point is not None
    extraction = extract_function(ctx.response.text, exp.entry_point)

    def detail(facts: RunFacts) -> Detail:
        return Detail(
            kind="function",
            finish_reason=ctx.response.finish_reason,
            extraction_failed=extraction.code is None,
            extraction=FunctionExtractionInfo.of(extraction),
            **facts,
        )

    if extraction.code is None:
        return False, detail(not_run())
    with sandbox_dir({SOLUTION_FILE: extraction.code}, parent=forkserver.cases_root()) as work:
        run = run_pytest(work, exp.tests, FUNCTION_TEST_FILE, settings.limits())
        facts = run_facts(run.result, run.counts, work, run.report_error)
    return run.counts.all_passed and not run.result.timed_out, detail(facts)


def _score_patch(exp: Expectation, ctx: ScoreContext, settings: Settings) -> tuple[bool, Detail]:
    assert exp.repo is not None and exp.allowed_files is not None
    repo = ctx.assets.get(exp.repo)
    if repo is None:  # a suite/fixture problem, not a model failure: never count it against the model
        raise InputError(
            f"fixture repository {exp.repo!r} is not among the suite's assets ({sorted(ctx.assets) or 'none'})",
            field="scorer.fixtures_dir",
        )
    if history := vcs_paths(repo):  # a stored run from before fixtures were checked when loaded
        raise InputError(
            f"fixture repository {exp.repo!r} carries version-control data ({history[0]}): the fix could be "
            "read from its history",
            field="scorer.fixtures_dir",
        )
    diff, method = extract_patch(ctx.response.text)
    touched = touched_files(diff) if diff else []
    forbidden = sorted(set(touched) - set(exp.allowed_files))

    def detail(facts: RunFacts, application: Application | None = None) -> Detail:
        """`application` None: nothing was applied because there was no diff."""
        return Detail(
            kind="patch",
            finish_reason=ctx.response.finish_reason,
            extraction_failed=diff is None,
            extraction=PatchExtractionInfo(method=method),
            applied=application.applied if application else False,
            apply_method=application.method if application else None,
            apply_error=application.error if application else None,
            touched_files=touched,
            touched_forbidden=forbidden,
            **facts,
        )

    if diff is None:
        return False, detail(not_run())
    limits = settings.limits()
    with sandbox_dir(repo, parent=forkserver.cases_root()) as work:
        application = apply_patch(work, diff, limits)
        if not application.applied:
            facts = not_run()
            facts["timed_out"] = application.last_run.timed_out
            facts["isolation"] = application.last_run.isolation
            return False, detail(facts, application)
        run = run_pytest(work, exp.tests, PATCH_TEST_FILE, limits)
        facts = run_facts(run.result, run.counts, work, run.report_error)
    resolved = run.counts.all_passed and not run.result.timed_out and not forbidden
    return resolved, detail(facts, application)


def score(ctx: ScoreContext, settings: Settings) -> Score:
    exp = Expectation.model_validate(ctx.case.expected)
    require_pytest()
    scorer = _score_function if exp.kind == "function" else _score_patch
    resolved, detail = scorer(exp, ctx, settings)
    return Score.of(resolved, detail, **values_of(detail))
