"""A throw-away PostgreSQL server for the tests: initdb into a temporary folder, start it on a
free loopback port, stop it and delete the folder afterwards.

The server binaries come from PATH or ``/usr/lib/postgresql/<version>/bin`` (Debian's
``postgresql`` package, which ``.ci/run`` installs). PostgreSQL refuses to run as root, so
under root the server runs as the ``postgres`` user. ``LIQWATCH_TEST_PG`` (a URL) uses an
existing server instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


def binary(name: str) -> Path | None:
    """The PostgreSQL program ``name`` (newest installed version first)."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop_process(proc: subprocess.Popen[Any], timeout: float) -> None:
    """SIGTERM ``proc``; SIGKILL it if it has not exited after ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class PgServer:
    """One running server; :attr:`url` connects as the superuser to database ``postgres``."""

    def __init__(self) -> None:
        initdb, postgres = binary("initdb"), binary("postgres")
        if initdb is None or postgres is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, postgres) not found")
        self.root = Path(tempfile.mkdtemp(prefix="liqwatch-pg-"))
        user = "postgres" if os.geteuid() == 0 else None
        if user is not None:
            shutil.chown(self.root, user=user)
        data = self.root / "data"
        subprocess.run([str(initdb), "-D", str(data), "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--no-sync", "--no-locale"],
                       check=True, capture_output=True, user=user)
        log = self.root / "server.log"
        for _ in range(5):  # a port picked as free may be taken before the server binds it
            self.port = free_port()
            with log.open("ab") as out:
                self.proc = subprocess.Popen(
                    [str(postgres), "-D", str(data), "-p", str(self.port), "-k", str(self.root),
                     "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                     "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                     "-c", "max_connections=200"],
                    stdout=out, stderr=subprocess.STDOUT, user=user)
            if self._ready():
                self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
                return
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            self.proc.wait()
        last_error = log.read_text(errors="replace")[-500:]
        self.stop()
        raise RuntimeError(f"the PostgreSQL test server did not start: {last_error}")

    def _ready(self, timeout: float = 30) -> bool:
        import psycopg

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                                connect_timeout=2).close()
            except psycopg.OperationalError:
                time.sleep(0.1)
            else:
                return True
        return False

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        proc = getattr(self, "proc", None)
        if proc is not None:
            stop_process(proc, 20)
        shutil.rmtree(self.root, ignore_errors=True)
