"""Suites: a category, a prompt, tools, an output schema and where the cases come from.

Loading validates everything (YAML, schemas, templates, every case) before any call is made, and
yields two content hashes so later comparisons know they compare like with like: one over what shapes
the requests (`input_hash`), one over what judges the answers (`expectation_hash`). It streams: each
case is checked, hashed and kept as its snapshot JSON as it is read, so a 100,000-case suite costs its
JSON (~1.3 KB a case), not 100,000 case objects (~4.8 KB each).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.meta
import jinja2.sandbox
from pydantic import BaseModel, ConfigDict, Field, field_validator

from evalkit.errors import InputError
from evalkit.inputs.cases import Case, CaseList, CaseSnapshot, CaseSource, read_jsonl, read_source
from evalkit.inputs.files import field_name, line_of, parse_model, read_yaml
from evalkit.inputs.identity import SuiteDigests, canonical_json
from evalkit.inputs.policy import GatePolicy
from evalkit.records import ToolDef
from evalkit.scoring import scorer_for
from evalkit.scoring.checks import asset_error, check_scorer_settings, expectation_error, load_assets

Category = Literal["classification", "extraction", "summarization", "coding", "toolcall"]
DEFAULT_SUITES_DIR = Path("suites")


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system: str = ""
    user: str


class RequestSettings(BaseModel):
    """Per-suite request settings; they override the endpoint's sampling defaults."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None


class CasesSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    golden: str | None = None
    """Defaults to `../golden/<name>.jsonl` next to the suite file; `null` in YAML keeps the default."""
    adversarial: str | None = None
    sources: list[CaseSource] = Field(default_factory=list)
    use_default_files: bool = True


class Provenance(BaseModel):
    """Where an imported suite came from: kept with the suite so its licence travels with the data.
    In neither hash: re-importing under a new package version with identical cases is the same suite."""

    model_config = ConfigDict(extra="forbid")

    source: str
    """The package or dataset the cases were imported from, e.g. `bfcl-eval`."""
    version: str
    licence: str
    url: str = ""
    tool_names: dict[str, str] = Field(default_factory=dict)
    """Tool name sent on the wire -> the benchmark's own name, where they differ (`math_factorial` ->
    `math.factorial`): provider tool names may not contain dots."""
    notes: str = ""


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    version: str
    category: Category
    description: str = ""
    primary_metric: str
    prompt: Prompt
    tools: list[ToolDef] = Field(default_factory=list)
    tool_choice: str | None = None
    output_schema: dict[str, Any] | None = None
    request: RequestSettings = Field(default_factory=RequestSettings)
    cases: CasesSpec = Field(default_factory=CasesSpec)
    scorer: dict[str, Any] = Field(default_factory=dict)
    """Validated against the category's scorer `Settings` when the suite loads."""
    reduce: Literal["mean", "all", "any"] = "mean"
    """How a case's repeats become one outcome when two runs are paired (see metrics/reducers.py)."""
    gate: GatePolicy = Field(default_factory=GatePolicy)
    provenance: Provenance | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) else v


@dataclass(frozen=True)
class LoadedSuite:
    suite: Suite
    path: Path
    cases: CaseList
    """In file order, kept as snapshots and parsed on access (`cases.snapshots` without parsing)."""
    input_hash: str
    """Everything that shapes the requests: equal hashes mean the same prompts, tools and inputs."""
    expectation_hash: str
    """Everything that judges the answers: expectations, scorer settings, primary metric, assets."""
    assets: dict[str, dict[str, str]] = field(default_factory=dict)
    unrenderable: tuple[int, str, str] | None = None
    """With `load_suite(..., render=True)`: the first case whose prompt does not render (its index, id
    and the template error); `pipeline.prepare` rejects it if the run's `--limit` reaches it."""

    @property
    def name(self) -> str:
        return self.suite.name


_ENV = jinja2.sandbox.ImmutableSandboxedEnvironment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
)


def template_env() -> jinja2.Environment:
    """Suites are written by others; the sandbox keeps a template from reaching Python internals."""
    return _ENV


def _check_json_schema(schema: dict[str, Any], what: str, path: Path, node: Any, loc: list[int | str]) -> None:
    import jsonschema  # here: only suites with schemas need it, and it costs every run its import time

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise InputError(
            f"{what} is not valid JSON Schema: {exc.message}", path, line_of(node, loc), field_name(loc)
        ) from None


def _check_schemas(suite: Suite, path: Path, node: Any) -> None:
    for i, tool in enumerate(suite.tools):
        loc: list[int | str] = ["tools", i, "parameters"]
        _check_json_schema(tool.parameters, "tool parameters", path, node, loc)
        if tool.parameters.get("type") != "object":
            raise InputError(
                "tool parameters must be a JSON Schema of type object", path, line_of(node, loc), field_name(loc)
            )
    names = [t.name for t in suite.tools]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise InputError(
                f"duplicate tool name {name!r}", path, line_of(node, ["tools", i, "name"]), f"tools[{i}].name"
            )
    if suite.output_schema is not None:
        _check_json_schema(suite.output_schema, "output_schema", path, node, ["output_schema"])
    choice = suite.tool_choice
    if choice is not None and choice not in ("auto", "required", "none") and choice not in names:
        raise InputError(
            f"tool_choice {choice!r} is not auto/required/none or a tool name",
            path,
            line_of(node, ["tool_choice"]),
            "tool_choice",
        )


def _template_fields(suite: Suite, path: Path, node: Any) -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for part in ("system", "user"):
        source = getattr(suite.prompt, part)
        try:
            parsed = _ENV.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError(
                f"template syntax error: {exc.message}",
                path,
                line_of(node, ["prompt", part]),
                f"prompt.{part}",
            ) from None
        fields[part] = jinja2.meta.find_undeclared_variables(parsed)
    return fields


Positioned = tuple[Path, int, Case]


def _near(base: Path, relative: str) -> Path:
    """A path relative to the suite file, normalised so errors show `golden/x.jsonl`, not `suites/../`."""
    return Path(os.path.normpath(base / relative))


def _read_cases(suite: Suite, path: Path) -> Iterator[Positioned]:
    """Every case with the file and line (or row) it came from, duplicates rejected, as it is read."""
    base = path.parent
    sources: list[tuple[Path, Iterable[tuple[int, Case]]]] = []
    if suite.cases.use_default_files or suite.cases.golden or suite.cases.adversarial:
        golden = _near(base, suite.cases.golden or f"../golden/{suite.name}.jsonl")
        adversarial = _near(base, suite.cases.adversarial or f"../adversarial/{suite.name}.jsonl")
        if suite.cases.golden or not suite.cases.sources or golden.exists():
            sources.append((golden, read_jsonl(golden, "golden")))
        if suite.cases.adversarial or adversarial.exists():
            sources.append((adversarial, read_jsonl(adversarial, "adversarial")))
    for src in suite.cases.sources:
        sources.append((_near(base, src.path), read_source(src, base)))
    seen: dict[str, tuple[Path, int]] = {}
    for file, rows in sources:
        for line, case in rows:
            if case.id in seen:
                first, first_line = seen[case.id]
                raise InputError(f"duplicate case id {case.id!r} (first at {first}:{first_line})", file, line, "id")
            seen[case.id] = (file, line)
            yield file, line, case
    if not seen:
        raise InputError("suite has no cases", path, field="cases")


def _missing_field(file: Path, line: int, case: Case, fields: dict[str, set[str]]) -> InputError | None:
    for part, names in fields.items():
        for name in sorted(names):
            if name not in case.input:
                return InputError(
                    f"case {case.id!r} lacks input field {name!r} used by prompt.{part}", file, line, f"input.{name}"
                )
    return None


def _case_tools_error(suite: Suite, file: Path, line: int, case: Case, checked: set[str]) -> InputError | None:
    """A case's own tools are sent beside the suite's, so they face the same checks, name clashes included.

    Benchmark cases repeat the same functions; a schema is checked once (check_schema costs ~10 ms)."""
    names = [t.name for t in suite.tools]
    for i, tool in enumerate(case.tools):
        where = f"tools[{i}]"
        if tool.name in names:
            return InputError(f"case {case.id!r}: duplicate tool name {tool.name!r}", file, line, f"{where}.name")
        names.append(tool.name)
        key = json.dumps(tool.parameters, sort_keys=True)
        if key in checked:
            continue
        checked.add(key)
        import jsonschema

        try:
            jsonschema.Draft202012Validator.check_schema(tool.parameters)
        except jsonschema.SchemaError as exc:
            return InputError(
                f"case {case.id!r}: tool parameters are not valid JSON Schema: {exc.message}",
                file,
                line,
                f"{where}.parameters",
            )
        if tool.parameters.get("type") != "object":
            return InputError(
                f"case {case.id!r}: tool parameters must be a JSON Schema of type object",
                file,
                line,
                f"{where}.parameters",
            )
    return None


# The checks' phases, in the order the loader once ran them, each over every case in turn.
_FIELDS, _TOOLS, _SETTINGS, _EXPECTED, _ASSETS, _ASSET_REFS, _NONE = range(7)


class _FirstError:
    """The error a suite with several problems reports: that of the earliest phase, and within it the
    earliest case (as when each phase ran over every case before the next). The loader makes every
    check on a case as it reads it, so it need not hold the cases, and keeps the error that order
    would have raised. Reading errors (bad JSON, a bad case, a duplicate id) come first and raise at once."""

    def __init__(self) -> None:
        self.phase = _NONE
        self.error: BaseException | None = None

    def wants(self, phase: int) -> bool:
        return phase < self.phase

    def add(self, phase: int, error: BaseException | None) -> None:
        if error is not None and phase < self.phase:
            self.phase, self.error = phase, error


def load_suite(path: Path, *, render: bool = False) -> LoadedSuite:
    """`render`: also render every case's prompt, noting the first that does not (`unrenderable`)."""
    data, node = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", path, 1)
    suite = parse_model(Suite, data, path, node)
    if suite.name != path.stem:
        raise InputError(
            f"suite name {suite.name!r} must match the file name {path.stem!r}",
            path,
            line_of(node, ["name"]),
            "name",
        )
    _check_schemas(suite, path, node)
    fields = _template_fields(suite, path, node)
    first = _FirstError()
    spec = scorer_for(suite.category)
    settings: BaseModel | None = None
    assets: dict[str, dict[str, str]] = {}
    try:
        settings = check_scorer_settings(suite, spec, path, node)
        try:
            assets = load_assets(spec, path, settings)
        except Exception as exc:  # reported only if every case passes its expectation checks
            first.add(_ASSETS, exc)
    except InputError as exc:
        first.add(_SETTINGS, exc)
    if render:
        from evalkit.requests.build import render_problem  # the request builder imports this module
    digests = SuiteDigests(suite, assets)
    snapshots: list[CaseSnapshot] = []
    clusters: list[str | None] = []
    unrenderable: tuple[int, str, str] | None = None
    checked_tools: set[str] = set()
    for file, line, case in _read_cases(suite, path):
        if first.wants(_FIELDS):
            first.add(_FIELDS, _missing_field(file, line, case, fields))
        if first.wants(_TOOLS):
            first.add(_TOOLS, _case_tools_error(suite, file, line, case, checked_tools))
        if first.wants(_EXPECTED) and settings is not None:
            first.add(_EXPECTED, expectation_error(spec, settings, file, line, case))
        if first.wants(_ASSET_REFS):
            first.add(_ASSET_REFS, asset_error(spec, assets, file, line, case))
        if render and unrenderable is None and first.error is None:
            problem = render_problem(suite.prompt, case.input)
            if problem is not None:
                unrenderable = (len(snapshots), case.id, problem)
        dumped = case.model_dump(mode="json")
        digests.add(dumped)
        snapshots.append(CaseSnapshot(case.id, case.split, canonical_json(dumped)))
        clusters.append(case.cluster)
    if first.error is not None:
        raise first.error
    return LoadedSuite(
        suite=suite,
        path=path,
        cases=CaseList(snapshots, clusters),
        input_hash=digests.input_hash,
        expectation_hash=digests.expectation_hash,
        assets=assets,
        unrenderable=unrenderable,
    )


def resolve_suite_paths(spec: str, suites_dir: Path = DEFAULT_SUITES_DIR) -> list[Path]:
    """`spec`: a suite name, a path, a comma list of either, or `all`."""
    items = [s.strip() for s in spec.split(",") if s.strip()]
    if not items:
        raise InputError("--suite is empty", field="--suite")
    paths: list[Path] = []
    for item in items:
        if item == "all":
            found = sorted(suites_dir.glob("*.yaml"))
            if not found:
                raise InputError(f"no suites found in {suites_dir}", field="--suite")
            paths.extend(found)
            continue
        candidate = Path(item)
        if item.endswith((".yaml", ".yml")) or candidate.is_file():
            if not candidate.is_file():
                raise InputError("suite file not found", candidate)
            paths.append(candidate)
            continue
        named = suites_dir / f"{item}.yaml"
        if not named.is_file():
            names = ", ".join(sorted(p.stem for p in suites_dir.glob("*.yaml"))) or "none"
            raise InputError(f"unknown suite {item!r}; suites in {suites_dir}: {names}", field="--suite")
        paths.append(named)
    unique: list[Path] = []
    for p in paths:
        if p.resolve() not in [u.resolve() for u in unique]:
            unique.append(p)
    return unique


def load_suites(spec: str, suites_dir: Path = DEFAULT_SUITES_DIR, *, render: bool = False) -> list[LoadedSuite]:
    loaded = [load_suite(p, render=render) for p in resolve_suite_paths(spec, suites_dir)]
    names = [s.name for s in loaded]
    for i, n in enumerate(names):
        if names.index(n) != i:
            raise InputError(f"two suites are named {n!r}", loaded[i].path, field="name")
    return loaded
