"""A pytest plugin: a real PostgreSQL server for the test run, started from Debian's binaries (marker ``postgres``).

``initdb`` into a temporary folder (as the ``postgres`` user when the tests run as root: initdb refuses
root), then ``pg_ctl`` on a free port of 127.0.0.1 with the socket in that folder; stopped and removed
at the end of the run. Durability is off (fsync, synchronous commit): the server holds test data only.
Each test gets its own schema (``pg_url``), dropped afterwards. Skipped, with the reason, when no
PostgreSQL binaries are installed (``apt-get install postgresql``) or psycopg is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PgServer", "archive_location", "pg_missing", "pg_server", "pg_url"]


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def pg_missing() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install 'broadsheet[postgres]'"
    if _bindir() is None:
        return "no PostgreSQL server binaries (initdb): apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no 'postgres' user to run initdb as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(slots=True)
class PgServer:
    """A running server: where it listens and where its files are."""

    port: int
    folder: Path
    bindir: Path

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        options = f"?options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}{options}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A server program, as the user that owns the data folder."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        settings = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            settings,
            "start",
        )

    def stop(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    bindir = _bindir()
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PgServer(_free_port(), folder, bindir)
    try:
        server.run(
            str(bindir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        server.start()
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc.stderr}\n{log}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


_schemas = iter(range(1, 1 << 30))


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A PostgreSQL archive URL of its own: a fresh schema on the shared server, dropped after the test."""
    import psycopg

    schema = f"test_{next(_schemas)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield pg_server.url(schema=schema)
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def archive_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty archive's location on each backend in turn: an SQLite file, then a PostgreSQL schema.
    Archive tests that take this fixture run against both."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return str(request.getfixturevalue("pg_url"))
