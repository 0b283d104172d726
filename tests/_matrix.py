"""How a test chooses its databases: the ``databases`` marker.

The ``database`` fixture (and ``app``, whose ``SQLALCHEMY_DATABASE_URI`` is
``database.url``) runs the test once per name the closest ``databases`` marker gives
(on the test, its class, or the module's ``pytestmark``); without a marker, on
``sqlite``, ``postgresql`` and ``mariadb``::

    @pytest.mark.databases("sqlite")  # asserts "sqlite://" in a repr
    @pytest.mark.databases("sqlite-file", "postgresql", "mariadb")
    @pytest.mark.databases("postgresql-pair", "mariadb-pair")

``sqlite``
    ``sqlite://`` (in memory) for the default engine and each bind.
``sqlite-file``
    A file under the test's ``tmp_path``: ``main.db``, and ``<bind key>.db``.
``postgresql``, ``mariadb``
    Databases of this test process on the server (below).
``postgresql-pair``, ``mariadb-pair``
    A primary with a streaming replica (``_replica_pairs.py``): ``url`` is the
    primary's, ``database.pair`` has the replica and the controls.

Servers: ``TEST_POSTGRES_URL`` and ``TEST_MARIADB_URL``, or, when unset, the local
defaults ``postgresql+psycopg://postgres@127.0.0.1:5432/test`` and
``mysql+pymysql://root@127.0.0.1:3306/test``. A default that does not answer skips
its tests, saying so; a variable set to ``""`` skips them too; a variable naming a
server that does not answer fails them (CI sets both).

On a server, a test gets databases of its own pytest process: ``fsqt_<db>_<worker>``
(``<db>`` the configured URL's database, ``<worker>`` the xdist worker id, or
``main``) for the default engine and ``fsqt_<db>_<worker>_<bind key>``
for each bind it asks for, created on demand and never dropped. The name's slot is
held with an advisory lock (``pg_try_advisory_lock`` / ``GET_LOCK``) for the whole
session, so two runs at once (``-n 2``, or two checkouts) never share a database:
a busy slot makes the run take ``fsqt_<db>_<worker>_2`` and so on. After each test
every table, view, sequence and enum type of the databases it used is dropped.
"""

from __future__ import annotations

import os
import re
import typing as t
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

from ._replica_pairs import Pair
from ._replica_pairs import Pairs

SERVER_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}
SERVER_DEFAULT = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/test",
}
SERVER_LABEL = {"postgresql": "PostgreSQL", "mariadb": "MariaDB"}
#: Every name the ``databases`` marker accepts.
NAMES = [
    "sqlite",
    "sqlite-file",
    "postgresql",
    "mariadb",
    "postgresql-pair",
    "mariadb-pair",
]
#: The databases of a test without a ``databases`` marker.
DEFAULT = ["sqlite", "postgresql", "mariadb"]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# Transitional spellings of ``@pytest.mark.databases("sqlite")``: removed once no
# branch uses them.
SQLITE_ONLY = pytest.mark.databases("sqlite")
OWN_DATABASES = pytest.mark.databases("sqlite")


def marked_databases(node: pytest.Item | pytest.Function) -> list[str]:
    """The names of a test's closest ``databases`` marker, checked."""
    marker = node.get_closest_marker("databases")
    if marker is None:
        return list(DEFAULT)
    names = list(marker.args)
    unknown = [n for n in names if n not in NAMES]
    if not names or unknown:
        raise pytest.UsageError(
            f"{node.nodeid}: @pytest.mark.databases({', '.join(map(repr, names))})"
            f" names {unknown or 'nothing'}: use one or more of {', '.join(NAMES)}"
        )
    return names


def database_url(name: str) -> tuple[str, bool]:
    """The URL of a server, and whether a variable chose it; skips the test when the
    variable is set to the empty string."""
    var = SERVER_ENV[name]
    url = os.environ.get(var)
    if url is None:
        return SERVER_DEFAULT[name], False
    if not url:
        pytest.skip(f"{var} is empty: the {SERVER_LABEL[name]} tests are off")
    return url, True


class Server:
    """A database server for the session: the slot this process holds, the
    databases created so far, and the cleanup between tests."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = sa.make_url(url)
        self._admin_engine = sa.create_engine(
            self.url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 5}
        )
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
        """The URL of the slot's database for a bind key, created when missing and
        emptied of what an interrupted run left there."""
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
            self.clean(name)
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
    """The servers and replica pairs of the session, reached on first use. A default
    address that did not answer is not tried again."""

    def __init__(self) -> None:
        self._servers: dict[str, Server | str] = {}
        self.pairs = Pairs()

    def get(self, name: str) -> Server:
        """The server, or a skip saying why there is none."""
        if name not in self._servers:
            url, explicit = database_url(name)
            try:
                self._servers[name] = Server(name, url)
            except sa.exc.OperationalError as e:
                if explicit:
                    raise
                shown = sa.make_url(url).render_as_string()
                self._servers[name] = (
                    f"{SERVER_LABEL[name]} does not answer at {shown}"
                    f" ({type(e.orig).__name__}): set {SERVER_ENV[name]} to a"
                    " server's URL"
                )
        found = self._servers[name]
        if isinstance(found, str):
            pytest.skip(found)
        return found

    def database(self, name: str, tmp_path: Path) -> Database:
        """A test's database of one of the ``NAMES``."""
        if name.endswith("-pair"):
            return Database(name, tmp_path, self, pair=self.pairs.get(name[:-5]))
        if name.startswith("sqlite"):
            return Database(name, tmp_path, self)
        return Database(name, tmp_path, self, server=self.get(name))

    def close(self) -> None:
        for server in self._servers.values():
            if isinstance(server, Server):
                server.close()
        self.pairs.close()


class Database:
    """The database a test runs on: ``url`` for the default engine and
    ``bind_url(key)`` for each bind; ``on(name)`` for another one in the same test."""

    def __init__(
        self,
        name: str,
        tmp_path: Path,
        servers: Servers,
        *,
        server: Server | None = None,
        pair: Pair | None = None,
    ) -> None:
        self.name = name
        self.server = server
        self.pair = pair
        self._tmp_path = tmp_path
        self._servers = servers
        self._used: set[str] = set()
        self._others: list[Database] = []

    @property
    def url(self) -> str:
        return self.bind_url(None)

    def bind_url(self, bind_key: str | None) -> str:
        """The URL for a bind key. A pair has one database: every key gets it."""
        if self.pair is not None:
            return self.pair.primary_url
        if self.name == "sqlite":
            return "sqlite://"
        if self.name == "sqlite-file":
            return f"sqlite:///{self._tmp_path / (bind_key or 'main')}.db"
        assert self.server is not None
        url = self.server.database(bind_key)
        self._used.add(t.cast(str, sa.make_url(url).database))
        return url

    def on(self, name: str) -> Database:
        """Another database of the same test (a bind on another server), cleaned
        with this one."""
        other = self._servers.database(name, self._tmp_path)
        self._others.append(other)
        return other

    def clean(self) -> None:
        for other in self._others:
            other.clean()
        if self.pair is not None:
            self.pair.drop_tables()
        if self.server is not None:
            for database in sorted(self._used):
                self.server.clean(database)


def parametrize(metafunc: pytest.Metafunc) -> None:
    """``pytest_generate_tests``: one call of the test per marked database; the
    pairs' tests in one xdist group, so one worker starts and uses the pairs."""
    if "database" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        argnames = mark.args[0]
        if isinstance(argnames, str):
            argnames = [a.strip() for a in argnames.split(",")]
        if "database" in argnames:  # parametrized by hand (the old spelling)
            return
    names = marked_databases(metafunc.definition)
    params = [
        pytest.param(n, marks=pytest.mark.xdist_group("replica-pairs"), id=n)
        if n.endswith("-pair")
        else pytest.param(n, id=n)
        for n in names
    ]
    metafunc.parametrize("database", params, indirect=True)


def database_fixture(
    request: pytest.FixtureRequest, servers: Servers, tmp_path: Path
) -> Iterator[Database]:
    """The body of the ``database`` fixture."""
    found = servers.database(request.param, tmp_path)
    if found.pair is None:
        yield found
        found.clean()
        return
    with found.pair.exclusive():
        found.pair.resume()  # whatever a failed test left
        try:
            yield found
        finally:
            found.pair.resume()
            found.clean()
            found.pair.close()


def summarize_skips(reasons: Sequence[str], collected: int) -> list[str]:
    """The lines of the skip summary: how many skipped, then each reason with its
    count, most frequent first."""
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    share = 100 * len(reasons) / collected if collected else 0.0
    lines = [f"{len(reasons)} of {collected} tests skipped ({share:.1f} %):"]
    for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{count:6d}  {reason}")
    return lines
