"""A throwaway PostgreSQL server for the store's tests: Debian's binaries, a temp dir, a loopback port.

Why its own server: the tests must not depend on (or touch) a cluster the `postgresql` package may have
started as a service. This one listens on 127.0.0.1 on a free port with its socket in its own temp dir,
asks TCP clients for a password (so the tests can check it is never shown), and is removed at the end.
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user; the data dir is
created outside pytest's 0700 tmp tree so that user can reach it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "evalkit"
PASSWORD = "pg-test-Secret-4f9a2c"  # long enough that tests can assert it appears nowhere


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin_dir: Path

    def url(self, database: str, *, password: str = PASSWORD) -> str:
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def stop(self) -> None:
        _as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)


def _as_postgres(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_postgres() -> PostgresServer | str:
    """A running server, or a one-line reason why there is none (the tests skip with it)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        return "PostgreSQL server binaries not found (apt-get install postgresql)"
    bin_dir = Path(found[-1]).parent
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as the postgres user"
    root = Path(tempfile.mkdtemp(prefix="evalkit-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        try:
            shutil.chown(root, "postgres", "postgres")
        except (LookupError, OSError) as exc:
            shutil.rmtree(root, ignore_errors=True)
            return f"cannot hand the data dir to the postgres user: {exc}"
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    init = _as_postgres(
        [str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER, "--pwfile", str(pwfile),
         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        return f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1:]}"
    port = _free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
    start = _as_postgres(
        [str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-o", options, "-l", str(root / "log"), "-w", "start"]
    )
    if start.returncode != 0:
        log = (root / "log").read_text(errors="replace").strip().splitlines() if (root / "log").exists() else []
        shutil.rmtree(root, ignore_errors=True)
        return f"PostgreSQL did not start: {(log or [start.stderr.strip()])[-1]}"
    return PostgresServer(root, port, bin_dir)
