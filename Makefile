# The README's two commands: `make run` (the main job, offline: gate a cheap candidate and the embedded
# local model against a frontier baseline) and `make test`.
.PHONY: setup run test lint bench

setup:
	@bash .ci/bootstrap

run: setup
	.venv/bin/python runners/demo.py

lint: setup
	.venv/bin/ruff check evalkit tests benchmarks runners
	.venv/bin/mypy evalkit

test: lint
	.venv/bin/pytest -n 2 -q -p no:cacheprovider

# Opt-in, never part of `test`: timings of a shared machine are figures, not pass/fail (benchmarks/README.md).
bench: setup
	.venv/bin/python benchmarks/overhead.py
	.venv/bin/python benchmarks/scale.py
