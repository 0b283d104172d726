"""The database matrix: every test that uses the ``app`` fixture runs on SQLite, on
PostgreSQL (``TEST_POSTGRES_URL``) and on MariaDB (``TEST_MARIADB_URL``); the server
ones skip when their variable is unset.

On a server, a test gets databases of its own pytest process: ``fsqt_<db>_<worker>``
(``<db>`` the configured URL's database, ``<worker>`` the xdist worker id, or
``main``) for the default engine and ``fsqt_<db>_<worker>_<bind key>``
for each bind it asks for, created on demand and never dropped. The name's slot is
held with an advisory lock (``pg_try_advisory_lock`` / ``GET_LOCK``) for the whole
session, so two runs at once (``-n 2``, or two checkouts) never share a database:
a busy slot makes the run take ``fsqt_<db>_<worker>_2`` and so on. After each test every
table, view, sequence and enum type of the databases it used is dropped.
"""

from __future__ import annotations

import os
import re
import typing as t

import pytest
import sqlalchemy as sa

SERVER_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}
DATABASES = ["sqlite", "postgresql", "mariadb"]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# ``@SQLITE_ONLY``: the test asserts SQLite behaviour (StaticPool, files under the
# instance path, ``sqlite://`` in a repr, ...). Say which in a comment.
SQLITE_ONLY = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
# ``@OWN_DATABASES``: the test picks its databases itself (the robustness modules,
# see ``_servers.py``) and only needs a plain app.
OWN_DATABASES = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def database_url(name: str) -> str:
    """The configured URL of a server (``"sqlite://"`` for SQLite); skips the test
    when its variable is unset."""
    if name == "sqlite":
        return "sqlite://"
    var = SERVER_ENV[name]
    url = os.environ.get(var)
    if not url:
        pytest.skip(f"{var} is not set: the {name} server tests run in .ci/run")
    return url


class Server:
    """A database server for the session: the slot this process holds, the
    databases created so far, and the cleanup between tests."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = sa.make_url(url)
        self._admin_engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self._admin = self._admin_engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self._created: set[str] = set()
        self._engines: dict[str, sa.Engine] = {}
        self.slot = self._claim_slot()

    def _claim_slot(self) -> str:
        lock = (
            "SELECT pg_try_advisory_lock(hashtext(:name))"
            if self.name == "postgresql"
            else "SELECT GET_LOCK(:name, 0)"
        )
        # PostgreSQL's advisory locks are per database: runs configured with
        # different databases take slots named after theirs, so they never share.
        base = f"fsqt_{self.url.database}_{WORKER}"
        for number in range(1, 100):
            slot = base if number == 1 else f"{base}_{number}"
            if self._admin.execute(sa.text(lock), {"name": slot}).scalar():
                return slot
        raise RuntimeError(f"no free test database slot {base}_* on {self.url}")

    def database(self, bind_key: str | None = None) -> str:
        """The URL of the slot's database for a bind key, created when missing."""
        name = self.slot
        if bind_key is not None:
            name += "_" + re.sub(r"[^a-z0-9]", "_", bind_key.lower())
        if name not in self._created:
            if self.name == "postgresql":
                found = self._admin.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": name},
                ).first()
                if found is None:
                    self._admin.exec_driver_sql(f'CREATE DATABASE "{name}"')
            else:
                self._admin.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS `{name}`")
            self._created.add(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def clean(self, database: str) -> None:
        """Drop everything a test left in one of the slot's databases. One query
        when there is nothing; waits at most 10 s for a lock (a leaked transaction
        fails the test instead of hanging the run)."""
        if self.name == "postgresql":
            self._clean_postgresql(database)
        else:
            self._clean_mariadb(database)

    def _clean_postgresql(self, database: str) -> None:
        engine = self._engines.get(database)
        if engine is None:
            engine = sa.create_engine(
                self.url.set(database=database), pool_size=1, pool_pre_ping=True
            )
            self._engines[database] = engine
        with engine.begin() as conn:
            found = conn.execute(
                sa.text(
                    "SELECT 'VIEW', quote_ident(viewname) FROM pg_views"
                    " WHERE schemaname = current_schema()"
                    " UNION ALL SELECT 'TABLE', quote_ident(tablename) FROM pg_tables"
                    " WHERE schemaname = current_schema()"
                    " UNION ALL SELECT 'SEQUENCE', quote_ident(sequencename)"
                    " FROM pg_sequences WHERE schemaname = current_schema()"
                    " UNION ALL SELECT 'TYPE', quote_ident(typname) FROM pg_type"
                    " WHERE typnamespace = current_schema()::regnamespace"
                    " AND typtype = 'e'"
                )
            ).all()
            if not found:
                return
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            for kind in ("VIEW", "TABLE", "SEQUENCE", "TYPE"):
                names = [name for k, name in found if k == kind]
                if names:
                    conn.exec_driver_sql(
                        f"DROP {kind} IF EXISTS {', '.join(names)} CASCADE"
                    )

    def _clean_mariadb(self, database: str) -> None:
        found = self._admin.execute(
            sa.text(
                "SELECT table_type, table_name FROM information_schema.tables"
                " WHERE table_schema = :db"
            ),
            {"db": database},
        ).all()
        if not found:
            return
        kinds = {"VIEW": "VIEW", "SEQUENCE": "SEQUENCE"}
        self._admin.exec_driver_sql("SET SESSION lock_wait_timeout = 10")
        self._admin.exec_driver_sql("SET SESSION foreign_key_checks = 0")
        try:
            for kind in ("VIEW", "SEQUENCE", "TABLE"):
                names = [
                    f"`{database}`.`{name}`"
                    for k, name in found
                    if kinds.get(k, "TABLE") == kind
                ]
                if names:
                    self._admin.exec_driver_sql(
                        f"DROP {kind} IF EXISTS {', '.join(names)}"
                    )
        finally:
            self._admin.exec_driver_sql("SET SESSION foreign_key_checks = 1")

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._admin.close()  # releases the slot's lock
        self._admin_engine.dispose()


class Servers:
    """The servers of the session, connected on first use."""

    def __init__(self) -> None:
        self._servers: dict[str, Server] = {}

    def get(self, name: str) -> Server:
        if name not in self._servers:
            self._servers[name] = Server(name, database_url(name))
        return self._servers[name]

    def close(self) -> None:
        for server in self._servers.values():
            server.close()


class Database:
    """The database a test runs on: ``url`` for the default engine and
    ``bind_url(key)`` for each bind (a fresh ``sqlite://`` on SQLite)."""

    def __init__(self, name: str, server: Server | None) -> None:
        self.name = name
        self.server = server
        self._used: set[str] = set()

    @property
    def url(self) -> str:
        return self.bind_url(None)

    def bind_url(self, bind_key: str | None) -> str:
        if self.server is None:
            return "sqlite://"
        url = self.server.database(bind_key)
        self._used.add(t.cast(str, sa.make_url(url).database))
        return url

    def clean(self) -> None:
        if self.server is not None:
            for database in sorted(self._used):
                self.server.clean(database)
