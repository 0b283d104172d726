"""Replication positions: how far a primary has written and a replica has replayed.

A position is what read-your-writes waits for: PostgreSQL's WAL LSN
(``pg_current_wal_insert_lsn()`` on the primary after the commit,
``pg_last_wal_replay_lsn()`` on the replica), MariaDB's GTID (``@@last_gtid`` of the
connection that committed, ``MASTER_GTID_WAIT`` on the replica), MySQL's executed GTID
set (``WAIT_FOR_EXECUTED_GTID_SET``). A SQLite "replica" is the same file: always there.

:meta private:
"""

from __future__ import annotations

import time
import typing as t

import sqlalchemy as sa


class Positions:
    """The position operations of one backend. Positions are opaque strings as
    the server writes them; :meth:`merge` and :meth:`covers` compare them."""

    name = "sqlite"
    primary_sql: str | None = None
    """Run on the primary connection right after a commit: one row, one column."""

    def merge(self, a: str | None, b: str | None) -> str | None:
        """The later of two positions (either may be ``None``)."""
        return a if b is None else b

    def covers(self, seen: str | None, need: str) -> bool:
        """Whether a replica known to be at ``seen`` has replayed ``need``."""
        return True

    def wait(
        self, conn: sa.Connection, need: str, timeout: float
    ) -> tuple[bool, str | None]:
        """Wait up to ``timeout`` seconds on the replica connection for ``need``;
        returns whether it was reached and the position now known to be replayed."""
        return True, need


def _lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


class PostgreSQLPositions(Positions):
    name = "postgresql"
    primary_sql = "SELECT pg_current_wal_insert_lsn()::text"
    _replay_sql = sa.text("SELECT pg_last_wal_replay_lsn()::text")

    def merge(self, a: str | None, b: str | None) -> str | None:
        if b is None:
            return a
        if a is None:
            _lsn(b)  # ValueError if it is not an LSN
            return b
        return a if _lsn(a) >= _lsn(b) else b

    def covers(self, seen: str | None, need: str) -> bool:
        return seen is not None and _lsn(seen) >= _lsn(need)

    def wait(
        self, conn: sa.Connection, need: str, timeout: float
    ) -> tuple[bool, str | None]:
        # PostgreSQL 15 has no server-side wait: poll, backing off from 0.5 ms.
        deadline = time.monotonic() + timeout
        pause = 0.0005
        target = _lsn(need)
        while True:
            replayed = conn.execute(self._replay_sql).scalar()
            if replayed is None:
                # Not in recovery: a primary (or the same server) has everything.
                return True, need
            replayed = str(replayed)
            if _lsn(replayed) >= target:
                return True, replayed
            left = deadline - time.monotonic()
            if left <= 0:
                return False, replayed
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.005)


def _gtids(text: str) -> dict[int, tuple[int, int]]:
    """MariaDB ``domain-server-seq[,...]`` as ``{domain: (seq, server)}``."""
    found: dict[int, tuple[int, int]] = {}
    for part in text.split(","):
        part = part.strip()
        if part:
            domain, server, seq = (int(n) for n in part.split("-"))
            found[domain] = (seq, server)
    return found


class MariaDBPositions(Positions):
    name = "mariadb"
    # The GTID of the last transaction this connection committed.
    primary_sql = "SELECT @@last_gtid"
    _wait_sql = sa.text("SELECT MASTER_GTID_WAIT(:need, :timeout)")

    def merge(self, a: str | None, b: str | None) -> str | None:
        if not b:
            return a or None
        if not a:
            _gtids(b)  # ValueError if it is not a GTID position
            return b
        merged = _gtids(a)
        for domain, (seq, server) in _gtids(b).items():
            if domain not in merged or merged[domain][0] < seq:
                merged[domain] = (seq, server)
        return ",".join(f"{d}-{srv}-{seq}" for d, (seq, srv) in sorted(merged.items()))

    def covers(self, seen: str | None, need: str) -> bool:
        if not seen:
            return False
        have = _gtids(seen)
        return all(
            d in have and have[d][0] >= seq for d, (seq, _) in _gtids(need).items()
        )

    def wait(
        self, conn: sa.Connection, need: str, timeout: float
    ) -> tuple[bool, str | None]:
        done = conn.execute(self._wait_sql, {"need": need, "timeout": timeout}).scalar()
        return (True, need) if done == 0 else (False, None)


class MySQLPositions(Positions):
    """MySQL 5.7+/8 with GTIDs (not tested here: the CI has MariaDB)."""

    name = "mysql"
    primary_sql = "SELECT @@GLOBAL.gtid_executed"
    _wait_sql = sa.text("SELECT WAIT_FOR_EXECUTED_GTID_SET(:need, :timeout)")

    def merge(self, a: str | None, b: str | None) -> str | None:
        return b or a or None  # gtid_executed only grows

    def covers(self, seen: str | None, need: str) -> bool:
        return bool(seen) and seen == need

    def wait(
        self, conn: sa.Connection, need: str, timeout: float
    ) -> tuple[bool, str | None]:
        done = conn.execute(self._wait_sql, {"need": need, "timeout": timeout}).scalar()
        return (True, need) if done == 0 else (False, None)


SUPPORTED = ("postgresql", "mysql", "mariadb", "sqlite")
_SQLITE = Positions()
_POSTGRESQL = PostgreSQLPositions()
_MARIADB = MariaDBPositions()
_MYSQL = MySQLPositions()


def for_dialect(dialect: sa.Dialect) -> Positions:
    """The operations of a dialect; MySQL vs MariaDB is known once connected."""
    name = dialect.name
    if name == "postgresql":
        return _POSTGRESQL
    if name in {"mysql", "mariadb"}:
        return _MARIADB if getattr(dialect, "is_mariadb", False) else _MYSQL
    return _SQLITE


def read_primary_position(positions: Positions, conn: sa.Connection) -> str | None:
    """The primary's position right after ``conn`` committed, read on the DBAPI
    connection itself (the pool's reset-on-return ends the transaction it starts)."""
    if positions.primary_sql is None:
        return None
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(positions.primary_sql)
        row = t.cast("tuple[object, ...] | None", cursor.fetchone())
    finally:
        cursor.close()
    if row is None or not row[0]:
        return None
    value = row[0]
    return value.decode() if isinstance(value, bytes) else str(value)
