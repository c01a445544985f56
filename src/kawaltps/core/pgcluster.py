"""Throwaway PostgreSQL clusters on this machine, for the replica test and the load benchmarks.

:class:`Cluster` runs ``initdb`` / ``pg_ctl`` from the newest ``/usr/lib/postgresql/*/bin`` (as the
``postgres`` user when we are root: PostgreSQL refuses to run as root), listens on 127.0.0.1 only
and trusts local connections. :meth:`Cluster.replica` makes a streaming standby of it with
``pg_basebackup -R`` (the standby's ``primary_conninfo`` and ``standby.signal`` are written by
the tool). Nothing here is used by the running application.
"""

import os
import shutil
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path


def binaries() -> Path | None:
    """The newest PostgreSQL server ``bin`` directory, or None if none is installed."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Cluster:
    """One PostgreSQL cluster in its own directory on ``port``; :meth:`stop` removes nothing,
    :meth:`destroy` removes the directory."""

    def __init__(self, port: int, root: Path | None = None, name: str = "primary") -> None:
        self.port = port
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.root = root or Path(tempfile.mkdtemp(prefix=f"kawaltps-pg{port}-"))
        self.data = self.root / name
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(_as_owner([str(self.bin / cmd[0]), *cmd[1:]]), capture_output=True, text=True,
                              check=check)

    def init(self, **settings: str) -> "Cluster":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        conf = {"listen_addresses": "'127.0.0.1'", "port": str(self.port), "unix_socket_directories": f"'{self.root}'",
                "wal_level": "replica", "max_wal_senders": "5", "fsync": "on", "shared_buffers": "128MB",
                "max_connections": "200", **settings}
        with open(self.data / "postgresql.conf", "a") as f:
            f.writelines(f"{k} = {v}\n" for k, v in conf.items())
        with open(self.data / "pg_hba.conf", "a") as f:
            f.write("host replication postgres 127.0.0.1/32 trust\n")
        return self

    def start(self) -> "Cluster":
        log = self.root / f"{self.data.name}.log"
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "300", "start", check=False)
        if done.returncode:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL on port {self.port} did not start: {done.stderr[-500:]} {tail}")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self, mode: str = "immediate") -> None:
        """Stop (``immediate`` = as a crash: no checkpoint, recovery on start) and start again."""
        self.stop(mode)
        self.start()

    def replica(self, port: int) -> "Cluster":
        """A streaming standby of this (running) cluster on ``port``, started."""
        standby = Cluster(port, self.root, name=f"replica{port}")
        subprocess.run(_as_owner([str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
                                  "-U", "postgres", "-D", str(standby.data), "-R", "-X", "stream", "--no-sync"]),
                       capture_output=True, text=True, check=True)
        with open(standby.data / "postgresql.conf", "a") as f:
            f.write(f"port = {port}\nhot_standby = on\n")
        return standby.start()

    def sql(self, query: str, database: str = "postgres"):
        """Run one statement with autocommit; returns the rows (or None)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cur = conn.execute(query)
            return cur.fetchall() if cur.description else None

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL on port {self.port} did not become ready")
            time.sleep(0.2)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
