"""`evalkit nightly`: re-run the configured suites against each endpoint, compare every run with its
blessed baseline, and say what broke — the seed's "a vLLM or SGLang upgrade alters latency or tool-call
formatting and a tier of customer flows breaks silently", caught the next morning.

Runs are always live (a nightly answered from the cache would hide exactly the drift it exists to
find). Everything that can be checked before a call is: the config, every suite and endpoint, every key
and a blessed baseline for every (suite, endpoint). The night writes one folder: a compare report per
endpoint, an index page, and JUnit XML with one test case per (endpoint, suite).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import jinja2.sandbox
from rich.console import Console
from rich.text import Text

from evalkit.compare.gate import gate_runs
from evalkit.errors import InputError
from evalkit.inputs.nightly import load_nightly
from evalkit.inputs.suites import LoadedSuite
from evalkit.pipeline import prepare
from evalkit.report.files import write_atomic
from evalkit.requests.plan import RunPlan
from evalkit.store import Store, StoreLocation

REGRESSED = 5
"""Exit code of a night with a regression (a case broke beyond the tolerance, or a verdict flipped)."""

QUALIFYING = ("QUALIFIED", "QUALIFIED_WITH_ESCALATION")


@dataclass
class SuiteNight:
    endpoint: str
    suite: str
    baseline_run: str
    run_id: str
    regressed: bool
    reasons: list[str] = field(default_factory=list)
    report: str | None = None
    """The compare report (HTML) relative to the night's folder."""


@dataclass
class Night:
    folder: Path
    results: list[SuiteNight]
    changes: list[str]
    """Provider or version changes seen (fingerprint differences), one line each."""

    @property
    def regressed(self) -> bool:
        return any(r.regressed for r in self.results)


RunOne = Callable[[RunPlan, list[LoadedSuite]], str]
"""Creates and replays one run, returning its id (the CLI's run path, with its progress and summary)."""


Plans = list[tuple[RunPlan, list[LoadedSuite]]]


def _blessed(store: Store, plans: Plans) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    missing = []
    for plan, suites in plans:
        for s in suites:
            b = store.blessed(s.name, plan.endpoint.name)
            if b is None:
                missing.append(f"{s.name} on {plan.endpoint.name}")
            else:
                found[(plan.endpoint.name, s.name)] = b.run_id
    if missing:
        raise InputError(
            "no blessed baseline for " + ", ".join(missing) + "; run it once and `evalkit bless RUN_ID`",
            field="endpoints",
        )
    return found


def _gate_flips(store: Store, frontier: dict[str, str], before: str, after: str, suites: list[str]) -> list[str]:
    """Categories whose gate verdict against the frontier baseline went from qualified to not."""
    flips = []
    for suite in suites:
        base = frontier.get(suite)
        if base is None:
            continue
        old = {g.suite: g.verdict for g in gate_runs(store, base, before).categories}
        new = {g.suite: g.verdict for g in gate_runs(store, base, after).categories}
        if old.get(suite) in QUALIFYING and new.get(suite) not in QUALIFYING:
            flips.append(f"{suite}: gate verdict against the frontier flipped from {old[suite]} to {new[suite]}")
    return flips


def run_nightly(config_path: Path, store_path: StoreLocation, run_one: RunOne, console: Console) -> Night:
    from evalkit.compare.drift import compare_runs
    from evalkit.report.compare import print_compare, write_compare

    config = load_nightly(config_path)
    plans = [
        prepare(config.suites, ep, repeats=config.repeats, limit=config.limit, cache=False) for ep in config.endpoints
    ]
    with Store.existing(store_path) as store:
        blessed = _blessed(store, plans)
        frontier: dict[str, str] = {}
        if config.gate_baseline is not None:
            frontier = {b.suite: b.run_id for b in store.blessings() if b.endpoint == config.gate_baseline}
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(config.out) / stamp
    results: list[SuiteNight] = []
    changes: list[str] = []
    for plan, suites in plans:
        endpoint = plan.endpoint.name
        run_id = run_one(plan, suites)
        by_baseline: dict[str, list[str]] = {}
        for loaded in suites:
            by_baseline.setdefault(blessed[(endpoint, loaded.name)], []).append(loaded.name)
        with Store.existing(store_path) as store:
            for baseline, names in by_baseline.items():
                report = compare_runs(store, baseline, run_id, suites=names, tolerance=config.tolerance)
                out = folder / endpoint / baseline
                files = write_compare(report, out)
                print_compare(report, console)
                changes += [f"{endpoint}: {c}" for c in report.fingerprint_changes]
                flips = _gate_flips(store, frontier, baseline, run_id, names) if frontier else []
                for s in report.suites:
                    flipped = [f for f in flips if f.startswith(f"{s.suite}:")]
                    reasons = [*s.reasons, *flipped]
                    results.append(
                        SuiteNight(
                            endpoint=endpoint,
                            suite=s.suite,
                            baseline_run=baseline,
                            run_id=run_id,
                            regressed=s.regressed or bool(flipped),
                            reasons=reasons,
                            report=str(files.html.relative_to(folder)),
                        )
                    )
    night = Night(folder, results, changes)
    write_index(night, config_path)
    return night


_ENV = jinja2.sandbox.SandboxedEnvironment(autoescape=True)
_INDEX = _ENV.from_string(
    """<!doctype html><html><head><meta charset="utf-8"><title>evalkit nightly {{ stamp }}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.bad{color:#b91c1c;font-weight:600}
.ok{color:#15803d;font-weight:600}</style></head><body>
<h1>evalkit nightly {{ stamp }}</h1><p>config <code>{{ config }}</code> ·
<span class="{{ 'bad' if regressed else 'ok' }}">{{ 'REGRESSED' if regressed else 'no regression' }}</span></p>
{% if changes %}<h2>Provider or version changes</h2><ul>
{% for c in changes %}<li>{{ c }}</li>{% endfor %}</ul>{% endif %}
<table id="nightly"><tr><th>endpoint</th><th>suite</th><th>result</th><th>baseline → tonight</th><th>why</th>
<th>report</th></tr>{% for r in results %}<tr><td>{{ r.endpoint }}</td><td>{{ r.suite }}</td>
<td class="{{ 'bad' if r.regressed else 'ok' }}">{{ 'regressed' if r.regressed else 'ok' }}</td>
<td>{{ r.baseline_run }} → {{ r.run_id }}</td><td>{{ r.reasons | join('; ') }}</td>
<td>{% if r.report %}<a href="{{ r.report }}">compare</a>{% endif %}</td></tr>{% endfor %}</table></body></html>
"""
)


def write_index(night: Night, config_path: Path) -> None:
    """`index.html` (the night at a glance, linking each compare report) and `nightly.junit.xml`."""
    night.folder.mkdir(parents=True, exist_ok=True)
    html = _INDEX.render(
        stamp=night.folder.name,
        config=str(config_path),
        regressed=night.regressed,
        changes=night.changes,
        results=night.results,
    )
    suite = ET.Element("testsuite", name="evalkit-nightly", tests=str(len(night.results)))
    suite.set("failures", str(sum(r.regressed for r in night.results)))
    for r in night.results:
        case = ET.SubElement(suite, "testcase", classname=f"nightly.{r.endpoint}", name=r.suite)
        if r.regressed:
            failure = ET.SubElement(case, "failure", message="; ".join(r.reasons)[:1000] or "regressed")
            failure.text = "\n".join(r.reasons)
    for name, text in (
        ("index.html", html),
        ("nightly.junit.xml", ET.tostring(suite, encoding="unicode")),
    ):
        write_atomic(night.folder / name, text)


def print_night(night: Night, console: Console) -> None:
    for change in night.changes:
        console.print(Text(f"change seen: {change}", style="yellow"))
    for r in night.results:
        style = "red" if r.regressed else "green"
        head = f"{r.endpoint} / {r.suite}: {'REGRESSED' if r.regressed else 'ok'} ({r.baseline_run} -> {r.run_id})"
        console.print(Text(head, style=style))
        for reason in r.reasons:
            console.print(Text(f"  {reason}", style=style))
    console.print(f"nightly report: {night.folder / 'index.html'}", highlight=False)
