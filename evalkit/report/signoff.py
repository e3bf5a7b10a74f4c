"""The migration sign-off: one `GateReport` written as the four files a reviewer and CI each read.

- `signoff.md`: for the pull request that changes the routing; text only (plots are in the HTML);
- `signoff.html`: one self-contained page (inline CSS, plots as `data:` URIs, no script, no URL), with a
  Content-Security-Policy that lets it fetch nothing even if something slipped through;
- `signoff.json`: `report.model_dump(mode="json")`, which `GateReport.model_validate` reads back;
- `signoff.junit.xml`: one testcase per category gate, for CI test reporting.

JUnit mapping: QUALIFIED and QUALIFIED_WITH_ESCALATION pass; NOT_QUALIFIED is a `<failure>` whose text
is the reasons; INCONCLUSIVE is `<skipped>` with the reasons (and the cases needed to decide), not an
`<error>`: the harness worked, the data is too thin to decide either way, and JUnit's "error" means a
test that broke. CI still fails on INCONCLUSIVE through `evalkit gate`'s exit code 3.

Every value that came from a model (answer excerpts) or a suite is escaped for its format: the HTML
template autoescapes, the Markdown goes through `md`, the XML through ElementTree. Templates render in
a sandboxed jinja2 environment. Each file is written to a `.part` sibling, then renamed into place.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from evalkit.compare.verdicts import CategoryGate, GateReport, Verdict
from evalkit.report.files import write_atomic
from evalkit.report.plots import COLORS, Plot, category_plots
from evalkit.report.summary import fmt

VERDICT_MARKS: dict[str, str] = {
    "QUALIFIED": "✅",
    "QUALIFIED_WITH_ESCALATION": "☑️",
    "NOT_QUALIFIED": "❌",
    "INCONCLUSIVE": "⚠️",
}
VERDICT_MEANING: dict[str, str] = {
    "QUALIFIED": "the candidate may replace the baseline",
    "QUALIFIED_WITH_ESCALATION": "the candidate may replace the baseline if failed validations escalate to it",
    "NOT_QUALIFIED": "the candidate must not replace the baseline",
    "INCONCLUSIVE": "not enough evidence to decide either way",
}
EXCERPT_MD = 160
EXCERPT_HTML = 600


@dataclass(frozen=True)
class SignoffFiles:
    markdown: Path
    html: Path
    json: Path
    junit: Path


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("evalkit.report", "templates")


# Sandboxed: the templates render suite names, reasons and model answers. Autoescape is on for HTML
# only; Markdown escapes through the `md` filter instead (HTML entities would show up literally in code).
_HTML_ENV = jinja2.sandbox.SandboxedEnvironment(loader=_loader(), undefined=jinja2.StrictUndefined, autoescape=True)
_MD_ENV = jinja2.sandbox.SandboxedEnvironment(loader=_loader(), undefined=jinja2.StrictUndefined, autoescape=False)

_MD_SPECIAL = re.compile(r"([\\`*\[\]|~])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
"""Markdown that could change the rendering: emphasis, links, code, table cells; an underscore inside a
word (`field_accuracy`) is inert in GitHub's Markdown and stays as it is, so the source remains readable."""
_MD_BLOCK_START = re.compile(r"^(?=[#>]|[+=-](?:\s|$))|^(\d+)(?=[.)](?:\s|$))")
"""A leading heading, quote, list or setext marker, or an ordered-list number: escaped at the marker."""
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def md(value: object) -> str:
    """Plain text for a Markdown table cell or list item: markup inert, HTML tags shown as text, one line."""
    text = " ".join(str(value).split())
    text = re.sub(r"&(?=#?[0-9A-Za-z]+;)", "&amp;", text).replace("<", "&lt;")
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return _MD_BLOCK_START.sub(lambda m: (m.group(1) or "") + "\\", text, count=1)


def code(value: object) -> str:
    """An inline code span that holds any text (a hash, an id, a metric name), table-cell safe."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def excerpt(value: str, limit: int) -> str:
    text = value.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def signed(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, "+" + spec).replace("-", "−")


def money(value: float | None) -> str:
    return "-" if value is None else "$" + fmt(float(value), ".5f")


def pvalue(value: float | None) -> str:
    if value is None:
        return "-"
    return "< 0.001" if value < 0.001 else format(value, ".3f")


def passed(value: bool | None) -> str:
    return "n.a." if value is None else ("pass" if value else "fail")


def non_inferiority(gate: CategoryGate) -> str:
    """The interval read against the margin, in one sentence."""
    iv = gate.interval
    if iv is None:
        return "no interval: too few paired cases"
    bound = -gate.margin
    if iv.lower > bound:
        return f"lower bound {signed(iv.lower)} is above −margin {signed(bound)}: non-inferior"
    if iv.upper < bound:
        return f"upper bound {signed(iv.upper)} is below −margin {signed(bound)}: inferior"
    return f"−margin {signed(bound)} lies inside [{signed(iv.lower)}, {signed(iv.upper)}]: undecided"


def interval_bar(gate: CategoryGate) -> dict[str, float] | None:
    """Percent positions for the HTML's interval strip: the one-sided bounds, the estimate, 0 and −margin."""
    iv = gate.interval
    if iv is None:
        return None
    points = [iv.lower, iv.upper, iv.estimate, 0.0, -gate.margin]
    lo, hi = min(points), max(points)
    pad = (hi - lo) * 0.08 or 0.01
    lo, hi = lo - pad, hi + pad

    def at(x: float) -> float:
        return round((x - lo) / (hi - lo) * 100, 2)

    return {
        "lower": at(iv.lower),
        "upper": at(iv.upper),
        "estimate": at(iv.estimate),
        "zero": at(0.0),
        "margin": at(-gate.margin),
    }


def server_text(server: dict[str, object] | None) -> str:
    """What identifies the serving stack, short: the full record is in signoff.json and the manifest."""
    if not server:
        return "-"
    from evalkit.calls.cache import server_fingerprint
    from evalkit.inputs.identity import digest

    fingerprint = server_fingerprint(dict(server))
    shown: dict[str, Any] = {
        k: fingerprint[k] for k in ("models", "vllm_version", "chat_format", "tool_parser") if k in fingerprint
    }
    gguf = fingerprint.get("gguf")
    if isinstance(gguf, dict):
        shown["gguf"] = f"{gguf.get('name')} {gguf.get('quantization')}"
    return ", ".join(f"{k}={v}" for k, v in shown.items()) + f", fingerprint {digest(fingerprint)[:12]}"


def _context(report: GateReport, plots: dict[int, list[Plot]] | None = None) -> dict[str, Any]:
    return {
        "r": report,
        "plots": plots or {},
        "colors": COLORS,
        "marks": VERDICT_MARKS,
        "meaning": VERDICT_MEANING,
        "excerpt_md": EXCERPT_MD,
        "excerpt_html": EXCERPT_HTML,
        "fmt": fmt,
        "md": md,
        "code": code,
        "excerpt": excerpt,
        "signed": signed,
        "money": money,
        "pvalue": pvalue,
        "passed": passed,
        "non_inferiority": non_inferiority,
        "interval_bar": interval_bar,
        "server_text": server_text,
    }


def render_markdown(report: GateReport) -> str:
    return _MD_ENV.get_template("signoff.md.j2").render(**_context(report))


def render_html(report: GateReport) -> str:
    plots = {i: category_plots(gate) for i, gate in enumerate(report.categories)}
    return _HTML_ENV.get_template("signoff.html.j2").render(**_context(report, plots))


def render_json(report: GateReport) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _xml_text(value: object) -> str:
    return _XML_INVALID.sub("\ufffd", str(value))


def _figures(gate: CategoryGate) -> str:
    lines = [f"{gate.suite} ({gate.category}): {gate.verdict} — {VERDICT_MEANING[gate.verdict]}"]
    lines.append(f"{gate.metric}: baseline {fmt(gate.baseline_metric)}, candidate {fmt(gate.candidate_metric)}")
    if gate.interval is not None:
        iv = gate.interval
        lines.append(
            f"difference {signed(iv.estimate)}, one-sided {iv.confidence:.0%} bounds [{signed(iv.lower)}, "
            f"{signed(iv.upper)}] vs margin {gate.margin:g} ({iv.method}, {iv.cases} cases): {non_inferiority(gate)}"
        )
    if gate.mcnemar is not None:
        m = gate.mcnemar
        lines.append(f"McNemar b={m.b} c={m.c} p={pvalue(m.p_value)}")
    if gate.cases_to_decide is not None:
        lines.append(f"about {gate.cases_to_decide} paired cases to decide (now {gate.counts.paired})")
    lines += [f"condition {c.name}: {passed(c.passed)} ({c.figure})" for c in gate.conditions]
    if gate.escalation_verdict is not None:
        lines.append(f"escalation: {gate.escalation_verdict}")
    lines += [f"escalation reason: {r}" for r in gate.escalation_reasons]
    return "\n".join(lines)


def render_junit(report: GateReport) -> bytes:
    gates = report.categories
    failures = sum(g.verdict == "NOT_QUALIFIED" for g in gates)
    skipped = sum(g.verdict == "INCONCLUSIVE" for g in gates)
    suites = ET.Element("testsuites", name="evalkit gate", tests=str(len(gates)), failures=str(failures))
    suites.set("errors", "0")
    suites.set("skipped", str(skipped))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"migrate {report.baseline.model} -> {report.candidate.model}",
        tests=str(len(gates)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        timestamp=report.created_at,
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("overall", report.overall),
        ("exit_code", report.exit_code),
        ("baseline_run", report.baseline.run_id),
        ("candidate_run", report.candidate.run_id),
        ("policy_source", report.policy_source),
        ("evalkit_version", report.evalkit_version),
    ):
        ET.SubElement(props, "property", name=name, value=_xml_text(value))
    for gate in gates:
        case = ET.SubElement(suite, "testcase", classname=f"evalkit.gate.{gate.suite}", name=gate.category)
        case.set("time", "0")
        reasons = "; ".join(gate.reasons) or gate.verdict
        verdict: Verdict = gate.verdict
        if verdict == "NOT_QUALIFIED":
            failure = ET.SubElement(case, "failure", message=_xml_text(reasons), type="NOT_QUALIFIED")
            failure.text = _xml_text("\n".join(gate.reasons))
        elif verdict == "INCONCLUSIVE":
            note = f" (about {gate.cases_to_decide} paired cases would decide)" if gate.cases_to_decide else ""
            ET.SubElement(case, "skipped", message=_xml_text(f"INCONCLUSIVE: {reasons}{note}"))
        out = ET.SubElement(case, "system-out")
        out.text = _xml_text(_figures(gate))
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def write_signoff(report: GateReport, out_dir: Path) -> SignoffFiles:
    """Render all four files, then write each one whole (a crash leaves the old file or none, never half)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SignoffFiles(
        markdown=out_dir / "signoff.md",
        html=out_dir / "signoff.html",
        json=out_dir / "signoff.json",
        junit=out_dir / "signoff.junit.xml",
    )
    rendered = {
        files.markdown: render_markdown(report).encode(),
        files.html: render_html(report).encode(),
        files.json: render_json(report).encode(),
        files.junit: render_junit(report),
    }
    for path, data in rendered.items():
        write_atomic(path, data)
    return files
