"""One connection per engine held in a transaction for a test: the session and Core
callers reach it, guards keep it intact. Used by :mod:`.testing` only.

:meta private:
"""

from __future__ import annotations

import re
import threading
import typing as t

import sqlalchemy as sa
import sqlalchemy.event as sa_event

if t.TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPICursor
    from sqlalchemy.engine.interfaces import ExecutionContext


class IsolationError(RuntimeError):
    """Test isolation cannot keep the test's work inside its transaction: the
    message says what did it and what to do instead."""

    __module__ = "flask_sqlalchemy_typed.testing"


_DELETE_MODE = (
    " Run such a test with db.test_isolation(app, mode='delete'): it commits for"
    " real and deletes every row of the bind's tables at exit."
)

# Statements that end the transaction on every database (SQLAlchemy never sends
# them through a cursor: it calls the driver's commit and rollback).
_TRANSACTION_CONTROL = re.compile(
    r"(BEGIN|COMMIT|END|START\s+TRANSACTION|ROLLBACK(?!\s+(WORK\s+)?TO\b)"
    r"|SET\s+(SESSION\s+|@@)?AUTOCOMMIT\b)",
    re.IGNORECASE,
)
# MySQL and MariaDB commit implicitly before (and after) these: DDL, TRUNCATE,
# RENAME, LOCK TABLES, account and maintenance statements. Temporary tables are
# the exception.
_IMPLICIT_COMMIT = re.compile(
    r"(ALTER|ANALYZE|CACHE\s+INDEX|CHANGE\s+MASTER|CHECK\s+TABLE|CREATE|DROP|FLUSH"
    r"|GRANT|LOAD\s+INDEX|LOCK|OPTIMIZE|RENAME|REPAIR|RESET|REVOKE|SET\s+PASSWORD"
    r"|SHUTDOWN|START|STOP|TRUNCATE|UNLOCK|XA)\b",
    re.IGNORECASE,
)
_TEMPORARY = re.compile(r"(CREATE|DROP)\s+(OR\s+REPLACE\s+)?TEMPORARY\b", re.IGNORECASE)
_LEADING = re.compile(r"(\s+|/\*.*?\*/|--[^\n]*(\n|$)|#[^\n]*(\n|$))*", re.DOTALL)


def check_statement(statement: str, *, mysql: bool) -> None:
    """Raise before a statement that would end the test's transaction runs."""
    start = _LEADING.match(statement)
    text = statement[start.end() if start else 0 :]
    if _TRANSACTION_CONTROL.match(text):
        raise IsolationError(
            f"{text.split(None, 1)[0].upper()!r} would end the test's transaction,"
            " and everything after it would be committed for real. Use"
            " db.session.commit()/rollback() or connection.commit()/rollback(): inside"
            " test isolation they release or roll back a savepoint."
        )
    if mysql and _IMPLICIT_COMMIT.match(text) and not _TEMPORARY.match(text):
        raise IsolationError(
            f"MySQL and MariaDB commit implicitly before {text.split(None, 1)[0].upper()!r}"
            f" statements: this one would commit the test's transaction ({text[:60]!r})."
            " Create the schema before test isolation starts (for example in a"
            " session-scoped fixture), use a TEMPORARY table, or run this test with"
            " db.test_isolation(app, mode='delete')."
        )


class _Frame:
    """A Core caller's ``engine.connect()``: the savepoint that stands for its
    transaction."""

    __slots__ = ("savepoint",)

    def __init__(self, savepoint: sa.NestedTransaction | None) -> None:
        self.savepoint = savepoint


class Pinned:
    """The connection of one engine for the length of a test isolation.

    The session's ``get_bind`` maps the engine to it (:meth:`for_session`); the
    engine's ``connect`` is replaced for Core callers (:meth:`connect`); both check
    the thread and that the transaction is still there. Each Core ``connect()``
    gets a savepoint that its ``commit``/``rollback``/``close`` release or roll back.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.thread = threading.current_thread()
        self.mysql = engine.dialect.name in ("mysql", "mariadb")
        self._frames: list[_Frame] = []
        self.sqlite = engine.dialect.name == "sqlite"
        self._sqlite_level: t.Any = None
        self._blocked_commit = False
        level = engine.get_execution_options().get(
            "isolation_level",
            getattr(engine.dialect, "_on_connect_isolation_level", None),
        )
        if level == "AUTOCOMMIT":
            raise IsolationError(
                f"The engine {engine!r} uses isolation_level='AUTOCOMMIT', so a test's"
                " work cannot be rolled back." + _DELETE_MODE
            )
        self.connection = engine.connect()
        try:
            self._begin()
        except BaseException:
            self.connection.close()
            raise
        self._patch()

    def _begin(self) -> None:
        conn = self.connection
        if self.sqlite:
            # pysqlite starts transactions itself and SAVEPOINT/RELEASE then commit:
            # on this connection only, let it be and begin explicitly.
            driver = t.cast(t.Any, conn.connection.driver_connection)
            self._sqlite_level = driver.isolation_level
            driver.isolation_level = None
            self.root = conn.begin()
            driver.execute("BEGIN")
        else:
            self.root = conn.begin()

    def _patch(self) -> None:
        conn = self.connection
        sa_event.listen(conn, "before_cursor_execute", self._before_cursor_execute)
        sa_event.listen(conn, "commit", self._on_commit)
        # Instance attributes shadow the methods for Core callers only: the session
        # joins the connection with savepoints and never calls these.
        for name in ("begin", "commit", "rollback", "close"):
            setattr(conn, name, getattr(self, f"_core_{name}"))
        setattr(self.engine, "connect", self.connect)  # noqa: B010

    # -- entry points ----------------------------------------------------------

    def check(self) -> None:
        """Raise unless the caller may use the connection now."""
        current = threading.current_thread()
        if current is not self.thread:
            raise IsolationError(
                f"Test isolation holds one connection per bind for the thread that"
                f" started it ({self.thread.name!r}); thread {current.name!r} tried to"
                " use it. Queries from two threads would interleave their savepoints"
                " on that connection and corrupt it (a lock would deadlock a test"
                " that waits for a threaded live server or a thread pool)."
                + _DELETE_MODE
            )
        if not self.root.is_active:
            raise IsolationError(
                "The test's outer transaction has ended: code committed or rolled back"
                " the pinned connection itself (its driver connection, or"
                " connection.get_transaction()). Nothing after that is isolated."
            )

    def for_session(self) -> sa.Connection:
        self.check()
        return self.connection

    def connect(self) -> sa.Connection:
        """``engine.connect()`` while isolated: the pinned connection, with a
        savepoint for the caller's transaction."""
        self.check()
        self._frames.append(_Frame(self.connection.begin_nested()))
        return self.connection

    # -- Core transaction methods on the pinned connection ---------------------

    def _top_savepoint(self, verb: str) -> sa.NestedTransaction | None:
        if not self._frames:
            return None
        savepoint = self._frames[-1].savepoint
        if savepoint is None or not savepoint.is_active:
            return None
        if self.connection.get_nested_transaction() is not savepoint:
            raise IsolationError(
                f"A connection from engine.connect() tried to {verb} while a later"
                " transaction on the same pinned connection (db.session's, or a"
                " begin_nested()) is still open. Commit or close that one first."
            )
        return savepoint

    def _core_begin(self) -> sa.NestedTransaction:
        self.check()
        savepoint = self._top_savepoint("begin")
        if savepoint is not None:
            savepoint.commit()
        nested = self.connection.begin_nested()
        if self._frames:
            self._frames[-1].savepoint = nested
        return nested

    def _core_commit(self) -> None:
        self.check()
        savepoint = self._top_savepoint("commit")
        if savepoint is not None:
            savepoint.commit()
        if self._frames:
            self._frames[-1].savepoint = self.connection.begin_nested()

    def _core_rollback(self) -> None:
        self.check()
        savepoint = self._top_savepoint("roll back")
        if savepoint is not None:
            savepoint.rollback()
        if self._frames:
            self._frames[-1].savepoint = self.connection.begin_nested()

    def _core_close(self) -> None:
        if not self._frames:
            return
        if self.root.is_active:
            savepoint = self._top_savepoint("close")
            if savepoint is not None:
                savepoint.rollback()
        self._frames.pop()

    # -- guards ----------------------------------------------------------------

    def _before_cursor_execute(
        self,
        conn: sa.Connection,
        cursor: DBAPICursor,
        statement: str,
        parameters: t.Any,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        self.check()
        check_statement(statement, mysql=self.mysql)

    def _on_commit(self, conn: sa.Connection) -> None:
        # Raised before the driver's commit; the database transaction stays open
        # (and is rolled back at exit) but SQLAlchemy has let go of it.
        self._blocked_commit = True
        raise IsolationError(
            "Something tried to commit the test's outer transaction, for example a"
            " Session created with the engine instead of db.session (SQLAlchemy 2.1"
            " makes such a session adopt the transaction). Use db.session, or bind the"
            " session to isolation.connection(bind_key) with"
            " join_transaction_mode='create_savepoint'."
        )

    # -- exit ------------------------------------------------------------------

    def release(self) -> str | None:
        """Undo everything: roll back, restore the engine and the connection, return
        the connection to the pool. Returns a problem to report, if any."""
        conn = self.connection
        problem = None
        self.engine.__dict__.pop("connect", None)
        for name in ("begin", "commit", "rollback", "close"):
            conn.__dict__.pop(name, None)
        sa_event.remove(conn, "before_cursor_execute", self._before_cursor_execute)
        sa_event.remove(conn, "commit", self._on_commit)
        try:
            if self.root.is_active:
                self.root.rollback()
            else:
                if not self._blocked_commit:
                    problem = (
                        f"the outer transaction of {self.engine!r} was ended during the"
                        " test (by connection.get_transaction().rollback() or the"
                        " driver connection), so the test's work was no longer"
                        " isolated from then on; all of it was rolled back at exit"
                    )
                if not conn.invalidated and not conn.closed:
                    conn.connection.driver_connection.rollback()  # type: ignore[union-attr]
        finally:
            try:
                if self.sqlite and not conn.invalidated:
                    driver = t.cast(t.Any, conn.connection.driver_connection)
                    driver.isolation_level = self._sqlite_level
            finally:
                conn.close()
        return problem


class Pins:
    """The pinned connection of each isolated engine, while a savepoint isolation
    is active (the extension state's ``isolation``). ``Session.get_bind`` calls
    :meth:`bind` as its last step."""

    def __init__(self) -> None:
        self.engines: dict[object, Pinned] = {}
        self.saved_kw: dict[str, t.Any] = {}
        self.saved_primary_reads = False

    def bind(self, bind: sa.Engine | sa.Connection) -> sa.Engine | sa.Connection:
        pinned = self.engines.get(bind)
        return bind if pinned is None else pinned.for_session()
