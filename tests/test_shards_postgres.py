"""`evalkit merge` with a PostgreSQL store: shard files from separate machines merged into the team's
shared database, and shards in that database merged by `URL:RUN_ID`, with no password shown or stored."""

from __future__ import annotations

import pytest

from evalkit import Store
from evalkit.cli import main
from tests.conftest import Project
from tests.pgserver import PASSWORD
from tests.test_shards import answer, items, run, write_suite

pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")


def test_shard_files_merge_into_postgres_and_postgres_shards_merge_by_url(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project.fake.script(answer)
    write_suite(project, ids=range(10))
    whole = items(project.store, run(project))
    files = []
    for i in (1, 2):
        files.append(project.root / f"s{i}.db")
        run(project, "--shard", f"{i}/2", store=files[-1])
    capsys.readouterr()
    assert main(["--store", pg_url, "merge", *map(str, files)]) == 0
    out = capsys.readouterr()
    merged = out.out.strip()
    assert PASSWORD not in out.out + out.err
    with Store.existing(pg_url) as s:
        assert {(c.suite, c.case_id, c.repeat): c.response.text if c.response else "" for c in s.calls(merged)} == whole
        assert PASSWORD not in str(s.run(merged).manifest)
    assert main(["--store", pg_url, "show", merged]) == 0

    # shards written straight into the shared database merge there, named as URL:RUN_ID (or by id)
    ids = [_pg_run(project, pg_url, i) for i in (1, 2)]
    assert main(["--store", pg_url, "merge", f"{pg_url}:{ids[0]}", ids[1], "--run-id", "pg-merged"]) == 0
    with Store.existing(pg_url) as s:
        assert len(s.calls("pg-merged")) == 10 and s.run("pg-merged").status == "finished"
    capsys.readouterr()
    assert main(["--store", pg_url, "merge", ids[0], ids[1], "--run-id", "pg-merged"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and PASSWORD not in err


def _pg_run(project: Project, url: str, i: int) -> str:
    assert main(["--store", url, "run", "--suite", "tickets", "--endpoint", "fake-openai", "--shard", f"{i}/2"]) == 0
    with Store.existing(url) as s:
        return s.runs()[-1].run_id
