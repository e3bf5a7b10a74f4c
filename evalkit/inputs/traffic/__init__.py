"""Logged production traffic -> a workload map and drafted suites (`evalkit import traffic`).

Stages, one module each: `formats` / `otel` (read OpenAI, Anthropic and OpenTelemetry GenAI logs into
`calls.TrafficCall`), `sampling` (surfaces, de-duplication, the seeded per-surface sample), `workload`
(the map), `pii` (scrubbing), `drafts` (suites and cases), `importer` (the order that makes "nothing
written on bad input" and "no PII written" hold), `review` (a person confirms the drafted expectations).
"""

from evalkit.inputs.traffic.importer import ImportOptions, ImportResult, import_traffic

__all__ = ["ImportOptions", "ImportResult", "import_traffic"]
