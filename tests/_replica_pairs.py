"""The primary/replica pairs of ``.ci/replicas``, for the tests marked
``@pytest.mark.databases("postgresql-pair", "mariadb-pair")``.

Where the pairs come from:

- ``TEST_REPLICAS_CTL`` set (``eval "$(.ci/replicas env)"`` after ``.ci/replicas
  up``): the pairs those variables name; set to ``""``, the pair tests are off.
- Unset: the tests start both pairs themselves on first use, with ``.ci/replicas up``
  in a directory of their own on free ports (``REPLICAS_PG_PORTS`` /
  ``REPLICAS_MARIADB_PORTS`` choose them), and stop them at the end of the session.
  That needs root (the servers run as ``postgres`` and ``mysql``) and PostgreSQL's
  and MariaDB's server programs; without them the pair tests skip, saying so.

Their tests form one xdist group (one worker starts and uses the pairs), and a test
holds a lock on its pair while it runs, for other processes using the same pairs.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import typing as t
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

PAIRS = ["postgresql", "mariadb"]
_PREFIX = {"postgresql": "TEST_PG", "mariadb": "TEST_MARIADB"}
CTL = Path(__file__).resolve().parents[1] / ".ci" / "replicas"


def _free_ports() -> str:
    """Two free TCP ports on 127.0.0.1, as ``.ci/replicas`` reads them."""
    ports = []
    with contextlib.ExitStack() as stack:
        for _ in range(2):
            sock = stack.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            ports.append(str(sock.getsockname()[1]))
    return " ".join(ports)


def _cannot_start() -> str | None:
    """Why this machine cannot start the pairs, or None."""
    if not CTL.exists():
        return f"{CTL} is missing"
    if os.geteuid() != 0:
        return "starting them needs root (the servers run as postgres and mysql)"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL's server programs are not installed"
    if not (
        shutil.which("mariadb-install-db") and os.path.exists("/usr/sbin/mariadbd")
    ):
        return "MariaDB's server programs are not installed"
    return None


class Pairs:
    """The session's pairs: named by the variables, or started on first use."""

    def __init__(self) -> None:
        self._vars: dict[str, str] | None = None
        self._started: dict[str, str] | None = None  # the .ci/replicas environment
        self._failed: str | None = None

    def get(self, name: str) -> Pair:
        """The pair of ``postgresql`` or ``mariadb``, or a skip saying why not."""
        return Pair(name, self._variables())

    def _variables(self) -> dict[str, str]:
        if self._vars is not None:
            return self._vars
        if self._failed is not None:
            pytest.fail(self._failed)
        ctl = os.environ.get("TEST_REPLICAS_CTL")
        if ctl == "":
            pytest.skip("TEST_REPLICAS_CTL is empty: the replica pair tests are off")
        if ctl is not None:
            self._vars = dict(os.environ)
            return self._vars
        reason = _cannot_start()
        if reason is not None:
            pytest.skip(
                f"no replica pairs: {reason}; or start them with .ci/replicas up"
                ' and eval "$(.ci/replicas env)"'
            )
        self._vars = self._start()
        return self._vars

    def _start(self) -> dict[str, str]:
        # A directory the servers' users can reach (pytest's are private to root).
        base = Path(tempfile.gettempdir()) / f"fsqt-pairs-{uuid.uuid4().hex[:8]}"
        self._started = {
            **os.environ,
            "REPLICAS_DIR": str(base),
            "REPLICAS_PG_PORTS": os.environ.get("REPLICAS_PG_PORTS") or _free_ports(),
            "REPLICAS_MARIADB_PORTS": os.environ.get("REPLICAS_MARIADB_PORTS")
            or _free_ports(),
        }
        up = subprocess.run(
            [str(CTL), "up"], env=self._started, capture_output=True, text=True
        )
        if up.returncode != 0:
            self._failed = f"`.ci/replicas up` failed:\n{up.stdout}{up.stderr}"
            self.close()
            pytest.fail(self._failed)
        printed = subprocess.run(
            [str(CTL), "env"],
            env=self._started,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found = dict(self._started)
        for line in printed.splitlines():
            match = re.fullmatch(r"export (\w+)=(.*)", line)
            if match:
                found[match[1]] = shlex.split(match[2])[0]
        return found

    def close(self) -> None:
        """Stop and delete the pairs this session started."""
        if self._started is not None:
            subprocess.run(
                [str(CTL), "down"], env=self._started, capture_output=True, check=False
            )
            self._started = None


class Pair:
    """One primary with its replica, and the controls the tests need."""

    def __init__(self, name: str, variables: dict[str, str]) -> None:
        prefix = _PREFIX[name]
        names = ("PRIMARY_URL", "REPLICA_URL", "ADMIN_REPLICA_URL")
        missing = [f"{prefix}_{n}" for n in names if not variables.get(f"{prefix}_{n}")]
        if missing:
            pytest.fail(
                f"TEST_REPLICAS_CTL is set but {', '.join(missing)} is not: set them"
                ' all with eval "$(.ci/replicas env)"'
            )
        self.name = name
        self.primary_url = variables[f"{prefix}_PRIMARY_URL"]
        self.replica_url = variables[f"{prefix}_REPLICA_URL"]
        self.ctl = variables["TEST_REPLICAS_CTL"]
        self.server = "pg-replica" if name == "postgresql" else "mariadb-replica"
        self.primary_port = sa.make_url(self.primary_url).port
        self.replica_port = sa.make_url(self.replica_url).port
        # What .ci/replicas reads to find this pair's servers again.
        self._ctl_env = dict(os.environ)
        for var in ("REPLICAS_DIR", "REPLICAS_PG_PORTS", "REPLICAS_MARIADB_PORTS"):
            if var in variables:
                self._ctl_env[var] = variables[var]
        if variables.get("TEST_REPLICAS_DIR"):
            self._ctl_env["REPLICAS_DIR"] = variables["TEST_REPLICAS_DIR"]
        ports = f"{self.primary_port} {self.replica_port}"
        self._ctl_env[
            "REPLICAS_PG_PORTS" if name == "postgresql" else "REPLICAS_MARIADB_PORTS"
        ] = ports
        self._admin = sa.create_engine(
            variables[f"{prefix}_ADMIN_REPLICA_URL"], poolclass=sa.pool.NullPool
        )

    def _admin_sql(self, sql: str) -> None:
        with self._admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql(sql)

    def pause(self) -> None:
        """Stop applying the primary's changes on the replica (it lags on demand)."""
        if self.name == "postgresql":
            self._admin_sql("SELECT pg_wal_replay_pause()")
        else:
            self._admin_sql("STOP SLAVE SQL_THREAD")

    def resume(self) -> None:
        if self.name == "postgresql":
            self._admin_sql("SELECT pg_wal_replay_resume()")
        else:
            self._admin_sql("START SLAVE SQL_THREAD")

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def control(self, command: str) -> str:
        """``.ci/replicas stop|start|pid <replica>``."""
        done = subprocess.run(
            [self.ctl, command, self.server],
            check=True,
            capture_output=True,
            text=True,
            env=self._ctl_env,
        )
        return done.stdout.strip()

    @contextlib.contextmanager
    def hung(self) -> Iterator[None]:
        """The replica's server process stopped (SIGSTOP), resumed afterwards."""
        pid = int(self.control("pid"))
        os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(pid, signal.SIGCONT)

    def wait_replicated(self, table: str, timeout: float = 10.0) -> None:
        """Wait until ``table`` exists on the replica (DDL replays asynchronously)."""
        engine = sa.create_engine(self.replica_url, poolclass=sa.pool.NullPool)
        deadline = time.monotonic() + timeout
        try:
            while True:
                if sa.inspect(engine).has_table(table):
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"{table} never reached the {self.name} replica"
                    )
                time.sleep(0.02)
        finally:
            engine.dispose()

    def close(self) -> None:
        self._admin.dispose()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the machine-wide lock of this pair (other test processes wait)."""
        name = f"fsqt-pair-{self.name}-{self.primary_port}.lock"
        with open(os.path.join(tempfile.gettempdir(), name), "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def drop_tables(self) -> None:
        """Drop every table of the primary's database (the replica follows)."""
        engine = sa.create_engine(self.primary_url, poolclass=sa.pool.NullPool)
        try:
            metadata = sa.MetaData()
            metadata.reflect(engine)
            metadata.drop_all(engine)
        finally:
            engine.dispose()


class Recorder:
    """Which server ran each statement: ``(port, statement)`` in order."""

    def __init__(self) -> None:
        self.ran: list[tuple[int | None, str]] = []

    def listen(self, engine: sa.Engine) -> None:
        def record(
            conn: sa.Connection, cursor: t.Any, statement: str, *args: t.Any
        ) -> None:
            self.ran.append((conn.engine.url.port, statement))

        sa.event.listen(engine, "before_cursor_execute", record)

    def statements(self) -> list[tuple[int | None, str]]:
        """The app's statements: without the position checks of the routing."""
        return [
            (port, " ".join(statement.split()))
            for port, statement in self.ran
            if "pg_last_wal_replay_lsn" not in statement
            and "MASTER_GTID_WAIT" not in statement
        ]

    def ports(self, start: str) -> list[int | None]:
        """The ports of the statements that start with ``start``."""
        return [p for p, s in self.statements() if s.upper().startswith(start.upper())]

    def clear(self) -> None:
        self.ran.clear()
