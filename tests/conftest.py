from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fakeserver import FakeLLMServer
from tests.pgserver import PostgresServer, start_postgres

TEST_KEY_ENV = "EVALKIT_TEST_KEY"


@pytest.fixture
def fake() -> Iterator[FakeLLMServer]:
    server = FakeLLMServer().start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Project:
    root: Path
    fake: FakeLLMServer

    @property
    def store(self) -> Path:
        return self.root / "reports" / "evalkit.db"

    def write_suite(
        self,
        name: str = "tickets",
        n: int = 4,
        category: str = "classification",
        adversarial: int = 0,
        **overrides: Any,
    ) -> Path:
        suite: dict[str, Any] = {
            "name": name,
            "version": "1",
            "category": category,
            "primary_metric": "macro_f1",
            "prompt": {"system": "Label the ticket.", "user": "Ticket: {{ ticket }}"},
            "request": {"max_tokens": 16, "temperature": 0},
            "scorer": {"labels": ["refund", "other"]},
        }
        suite.update(overrides)
        path = self.root / "suites" / f"{name}.yaml"
        path.write_text(yaml.safe_dump(suite, sort_keys=False))
        self.write_cases(
            self.root / "golden" / f"{name}.jsonl",
            [
                {"id": f"{name}-g-{i:03d}", "input": {"ticket": f"golden ticket {i}"}, "expected": {"label": "refund"}}
                for i in range(n)
            ],
        )
        if adversarial:
            self.write_cases(
                self.root / "adversarial" / f"{name}.jsonl",
                [
                    {
                        "id": f"{name}-a-{i:03d}",
                        "input": {"ticket": f"tricky ticket {i}"},
                        "expected": {"label": "other"},
                        "tags": ["injection"],
                    }
                    for i in range(adversarial)
                ],
            )
        return path

    @staticmethod
    def write_cases(path: Path, cases: list[dict[str, Any]]) -> None:
        path.write_text("".join(json.dumps(c) + "\n" for c in cases))

    def write_endpoint(self, name: str, **fields: Any) -> Path:
        profile: dict[str, Any] = {
            "name": name,
            "tier": "hosted",
            "kind": "openai-compatible",
            "model": "fake-model",
            "base_url": self.fake.base_url,
            "concurrency": 2,
            "timeout_s": 5,
            "max_attempts": 3,
            "backoff_base_s": 0.01,
            "backoff_max_s": 0.05,
            "price": {"input_per_mtok": 1.0, "output_per_mtok": 2.0, "source": "test"},
        }
        profile.update(fields)
        path = self.root / "runners" / "endpoints" / f"{name}.yaml"
        path.write_text(yaml.safe_dump(profile, sort_keys=False))
        return path


@pytest.fixture
def project(tmp_path: Path, fake: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> Project:
    for d in ("suites", "golden", "adversarial", "runners/endpoints", "reports"):
        (tmp_path / d).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(TEST_KEY_ENV, "sk-test-not-a-real-key-0000")
    p = Project(tmp_path, fake)
    p.write_endpoint("fake-openai")
    p.write_endpoint("fake-openai-stream", stream=True)
    p.write_endpoint("fake-anthropic", kind="anthropic", base_url=fake.root_url, api_key_env=TEST_KEY_ENV)
    return p


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server (Debian's binaries) per test session, or a skip saying why not."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    server = start_postgres()
    if isinstance(server, str):
        pytest.skip(server)
    try:
        yield server
    finally:
        server.stop()


_pg_databases = itertools.count()


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A new, empty database on the session's server, as a store URL (with its password)."""
    name = f"evalkit_t{next(_pg_databases)}"
    postgres.admin(f"CREATE DATABASE {name}")
    return postgres.url(name)
