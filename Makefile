# The README's two commands: `make run` (main job on the embedded local model) and `make test`.
.PHONY: setup run test lint bench

setup:
	@bash .ci/bootstrap

run: setup
	.venv/bin/evalkit run --suite all --endpoint local --limit 8

lint: setup
	.venv/bin/ruff check evalkit tests benchmarks
	.venv/bin/mypy evalkit

test: lint
	.venv/bin/pytest -n 2 -q -p no:cacheprovider

bench: setup
	.venv/bin/python benchmarks/engine_throughput.py
