"""evalkit: decide which LLM workloads may migrate from a frontier API to a cheaper tier.

The pipeline reads straight through the package layout: `inputs` (suites, cases, endpoints, prices)
-> `requests` (the canonical request and its hash) -> `calls` (engine, providers, servers, cache) ->
`store` (versioned, typed reader) -> `scoring` -> `metrics` -> `compare` -> `report`. Each stage is a
function of what is stored before it.

The public API is what `__all__` lists. Nothing heavy is imported here: `import evalkit` is what every
CLI start and every sandboxed subprocess pays for, so pandas and the SDKs load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evalkit.errors import EndpointError, EvalkitError, InputError, RunNotFound

if TYPE_CHECKING:
    from evalkit.compare.drift import compare_runs
    from evalkit.compare.drift_models import CompareReport
    from evalkit.compare.gate import gate_runs
    from evalkit.compare.pairing import SuitePairing, pair_runs
    from evalkit.compare.verdicts import GateReport
    from evalkit.metrics.suite import SuiteMetrics, run_metrics
    from evalkit.records import CallRecord, Request, Response, Score, ScoreRecord
    from evalkit.report.frame import load_run
    from evalkit.store import RunRecord, Store, SuiteRecord

__version__ = "0.2.0"

_LAZY = {
    "load_run": "evalkit.report.frame",
    "Store": "evalkit.store",
    "RunRecord": "evalkit.store",
    "SuiteRecord": "evalkit.store",
    "CallRecord": "evalkit.records",
    "Request": "evalkit.records",
    "Response": "evalkit.records",
    "Score": "evalkit.records",
    "ScoreRecord": "evalkit.records",
    "run_metrics": "evalkit.metrics.suite",
    "SuiteMetrics": "evalkit.metrics.suite",
    "pair_runs": "evalkit.compare.pairing",
    "gate_runs": "evalkit.compare.gate",
    "GateReport": "evalkit.compare.verdicts",
    "compare_runs": "evalkit.compare.drift",
    "CompareReport": "evalkit.compare.drift_models",
    "SuitePairing": "evalkit.compare.pairing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'evalkit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CallRecord",
    "CompareReport",
    "EndpointError",
    "EvalkitError",
    "GateReport",
    "InputError",
    "Request",
    "Response",
    "RunNotFound",
    "RunRecord",
    "Score",
    "ScoreRecord",
    "Store",
    "SuiteMetrics",
    "SuitePairing",
    "SuiteRecord",
    "compare_runs",
    "gate_runs",
    "load_run",
    "pair_runs",
    "run_metrics",
]
