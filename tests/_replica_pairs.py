"""The primary/replica pairs of ``.ci/replicas`` for the replica tests.

``.ci/replicas up`` starts them and ``.ci/replicas env`` prints the variables read
here; a test that needs a pair skips without them. The pairs are shared by every test
process on the machine, so a test holds an exclusive lock on them while it runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import time
import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

PAIRS = ["postgresql", "mariadb"]
_PREFIX = {"postgresql": "TEST_PG", "mariadb": "TEST_MARIADB"}


class Pair:
    """One primary with its replica, and the controls the tests need."""

    def __init__(self, name: str) -> None:
        prefix = _PREFIX[name]
        names = ("PRIMARY_URL", "REPLICA_URL", "ADMIN_REPLICA_URL")
        missing = [
            f"{prefix}_{n}" for n in names if not os.environ.get(f"{prefix}_{n}")
        ]
        if missing or not os.environ.get("TEST_REPLICAS_CTL"):
            pytest.skip(
                f"{', '.join(missing) or 'TEST_REPLICAS_CTL'} not set: start the {name}"
                ' pair with `.ci/replicas up && eval "$(.ci/replicas env)"` (.ci/run does)'
            )
        self.name = name
        self.primary_url = os.environ[f"{prefix}_PRIMARY_URL"]
        self.replica_url = os.environ[f"{prefix}_REPLICA_URL"]
        self.ctl = os.environ["TEST_REPLICAS_CTL"]
        self.server = "pg-replica" if name == "postgresql" else "mariadb-replica"
        self.primary_port = sa.make_url(self.primary_url).port
        self.replica_port = sa.make_url(self.replica_url).port
        self._admin = sa.create_engine(
            os.environ[f"{prefix}_ADMIN_REPLICA_URL"], poolclass=sa.pool.NullPool
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
            [self.ctl, command, self.server], check=True, capture_output=True, text=True
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
def exclusive() -> Iterator[None]:
    """Hold the machine-wide lock of the pairs (other test processes wait)."""
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "fsqt-replica-tests.lock")
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


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
