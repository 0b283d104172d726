"""Test isolation: everything a test does through the extension is undone at its end,
on every bind, without re-creating the schema.

``db.test_isolation(app)`` returns an :class:`Isolation`; ``flask_sqlalchemy_typed``'s
pytest plugin (:mod:`.pytest_plugin`) wraps it in fixtures. This module is imported
only when one of them is used.
"""

from __future__ import annotations

import os
import typing as t
from types import TracebackType
from typing import TypeAlias

import sqlalchemy as sa
from flask import current_app
from flask import Flask
from flask import has_app_context

from . import _state
from ._pinned_connection import IsolationError
from ._pinned_connection import Pinned
from ._pinned_connection import Pins
from ._schema import missing_bind

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy

__all__ = ["Isolation", "IsolationError", "IsolationMode", "worker_database_url"]

IsolationMode: TypeAlias = t.Literal["savepoint", "delete"]
"""How :class:`Isolation` undoes a test's work: ``"savepoint"`` runs the test inside a
transaction that is rolled back; ``"delete"`` lets it commit and deletes every row of
the selected metadatas' tables at exit."""

_MISSING: t.Any = object()

# The session factory's keywords while isolated: join the pinned connection with a
# savepoint; no two-phase commit on it.
_SESSION_KW: dict[str, object] = {
    "join_transaction_mode": "create_savepoint",
    "twophase": False,
}


def _select_keys(
    engines: t.Mapping[str | None, sa.Engine], bind_key: str | None | list[str | None]
) -> tuple[str | None, ...]:
    if bind_key == "__all__":
        return tuple(sorted(engines, key=lambda k: (k is not None, k or "")))
    keys = [bind_key] if bind_key is None or isinstance(bind_key, str) else bind_key
    for key in keys:
        if key not in engines:
            raise missing_bind(key)
    return tuple(dict.fromkeys(keys))


@t.final
class Isolation:
    """A test isolation: a context manager, returned by ``db.test_isolation()``.

    In ``"savepoint"`` mode it holds one connection per selected bind, in a
    transaction rolled back at exit; ``db.session`` and ``engine.connect()`` use that
    connection, and their commits release savepoints instead. In ``"delete"`` mode
    the test's commits are real and every row of the selected binds' tables is
    deleted at exit.

    :param db: The extension.
    :param app: The application whose engines are isolated.
    :param bind_key: A bind key or a list of keys; ``"__all__"`` selects every bind.
    :param mode: ``"savepoint"`` or ``"delete"``.

    .. versionadded:: 0.1
    """

    app: Flask
    """The application whose engines are isolated."""
    mode: IsolationMode
    """``"savepoint"`` or ``"delete"``."""
    bind_keys: tuple[str | None, ...]
    """The isolated bind keys."""

    def __init__(
        self,
        db: SQLAlchemy[t.Any],
        app: Flask | None = None,
        *,
        bind_key: str | None | list[str | None] = "__all__",
        mode: IsolationMode = "savepoint",
    ) -> None:
        if mode not in ("savepoint", "delete"):
            raise ValueError(f"mode must be 'savepoint' or 'delete', not {mode!r}.")
        self._db = db
        self._db_state = _state.of(db)
        self.app = _resolve_app(self._db_state, app)
        self.mode = mode
        self._engines = self._db_state.engines_of(self.app)
        self.bind_keys = _select_keys(self._engines, bind_key)
        self._pinned: dict[str | None, Pinned] = {}
        self._state = "new"

    def connection(self, bind_key: str | None = None) -> sa.Connection:
        """The connection that a bind's engine is pinned to: ``db.session`` and
        ``engine.connect()`` use it until the isolation ends.

        :param bind_key: The bind key; the default engine's when omitted.
        :raises IsolationError: In ``"delete"`` mode, outside the ``with`` block, or
            for a bind key that is not isolated.
        """
        if self.mode == "delete":
            raise IsolationError("mode='delete' pins no connection: use db.engines.")
        if self._state != "active":
            raise IsolationError("The isolation is not active: use it in a with block.")
        try:
            return self._pinned[bind_key].connection
        except KeyError:
            raise IsolationError(
                f"Bind key {bind_key!r} is not isolated; isolated: {list(self.bind_keys)}."
            ) from None

    def __enter__(self) -> Isolation:
        if self._state != "new":
            raise IsolationError(
                "An Isolation can be entered once: call test_isolation() again."
            )
        pins = self._db_state.isolation
        engines = [self._engines[key] for key in self.bind_keys]
        if pins is not None and any(e in pins.engines for e in engines):
            raise IsolationError(
                "Test isolation is already active for this app; nest with"
                " db.session.begin_nested() instead."
            )
        _remove_session(self._db)
        if self.mode == "savepoint":
            self._pin(engines)
        self._state = "active"
        return self

    def _pin(self, engines: list[sa.Engine]) -> None:
        try:
            for key, engine in zip(self.bind_keys, engines, strict=True):
                self._pinned[key] = Pinned(engine)
        except BaseException:
            for pinned in self._pinned.values():
                pinned.release()
            self._pinned.clear()
            raise
        pins = self._db_state.isolation
        if pins is None:
            pins = Pins()
            kw = self._db.session.session_factory.kw
            pins.saved_kw = {name: kw.get(name, _MISSING) for name in _SESSION_KW}
            kw.update(_SESSION_KW)
            replicas = self._db_state.replicas
            if replicas is not None:
                # Replicas mirror the primary: reads go through the pinned connection.
                pins.saved_primary_reads = replicas.primary_reads
                replicas.primary_reads = True
            self._db_state.isolation = pins
        for pinned in self._pinned.values():
            pins.engines[pinned.engine] = pinned

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._state != "active":
            return
        self._state = "done"
        try:
            _remove_session(self._db)
        finally:
            if self.mode == "savepoint":
                problems = self._unpin()
            else:
                problems = []
                self._delete_rows()
        if problems and exc_type is None:
            raise IsolationError(
                "Test isolation was broken during the test: "
                + "; ".join(problems)
                + ". Use db.session and engine.connect() for database work inside"
                " the isolation."
            )

    def _unpin(self) -> list[str]:
        pins = self._db_state.isolation
        if pins is not None:
            for pinned in self._pinned.values():
                pins.engines.pop(pinned.engine, None)
            if not pins.engines:
                kw = self._db.session.session_factory.kw
                for name, value in pins.saved_kw.items():
                    if value is _MISSING:
                        kw.pop(name, None)
                    else:
                        kw[name] = value
                replicas = self._db_state.replicas
                if replicas is not None:
                    replicas.primary_reads = pins.saved_primary_reads
                self._db_state.isolation = None
        problems: list[str] = []
        for pinned in self._pinned.values():
            problem = pinned.release()
            if problem is not None:
                problems.append(problem)
        self._pinned.clear()
        return problems

    def _delete_rows(self) -> None:
        for key in self.bind_keys:
            metadata = self._db.metadatas.get(key)
            if metadata is not None:
                delete_all_rows(self._engines[key], metadata)


def delete_all_rows(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Delete every row of the metadata's tables that exist, dependents first, in
    one transaction."""
    tables = list(reversed(metadata.sorted_tables))
    if not tables:
        return
    mysql = engine.dialect.name in ("mysql", "mariadb")
    with engine.begin() as conn:
        inspector = sa.inspect(conn)
        existing: set[tuple[str | None, str]] = set()
        for schema in {table.schema for table in tables}:
            existing.update(
                (schema, n) for n in inspector.get_table_names(schema=schema)
            )
        if mysql:
            # Rows of a self-referencing table may refer to later rows.
            conn.exec_driver_sql("SET SESSION foreign_key_checks = 0")
        try:
            for table in tables:
                if (table.schema, table.name) in existing:
                    conn.execute(table.delete())
        finally:
            if mysql:
                conn.exec_driver_sql("SET SESSION foreign_key_checks = 1")


def _resolve_app(state: _state.ExtensionState, app: Flask | None) -> Flask:
    """``app``, else the current app, else the only app registered."""
    if app is not None:
        return app
    if has_app_context():
        return t.cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    apps = state.apps()
    if len(apps) != 1:
        raise RuntimeError(
            "No app given and no application context is active: call"
            " db.test_isolation(app)."
        )
    return apps[0]


def _remove_session(db: SQLAlchemy[t.Any]) -> None:
    if has_app_context():
        db.session.remove()


def worker_database_url(url: str | sa.URL, worker: str | None = None) -> sa.URL:
    """The URL of a pytest-xdist worker's own database: the database name gets the
    worker id as a suffix (``app_test`` becomes ``app_test_gw0``, ``app.db`` becomes
    ``app_gw0.db``). Unchanged outside xdist and for in-memory SQLite.

    :param url: The database URL the tests would use without xdist.
    :param worker: The worker id; defaults to the ``PYTEST_XDIST_WORKER`` environment
        variable that xdist sets in each worker.

    .. versionadded:: 0.1
    """
    parsed = sa.make_url(url)
    if worker is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or worker == "master":
        return parsed
    name = parsed.database
    if parsed.get_backend_name() == "sqlite":
        if not name or name == ":memory:" or parsed.query.get("mode") == "memory":
            return parsed
        stem, ext = os.path.splitext(name)
        return parsed.set(database=f"{stem}_{worker}{ext}")
    if not name:
        raise ValueError(f"The URL {parsed!r} names no database to suffix.")
    return parsed.set(database=f"{name}_{worker}")
