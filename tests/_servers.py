"""Server databases for the robustness tests (databases, load, faults).

They run in databases of their own, ``fsqt_robust_<db>_<xdist worker>`` (``<db>`` the
configured URL's database), on the servers named by
``TEST_POSTGRES_URL`` / ``TEST_MARIADB_URL``, apart from the matrix databases of
``_matrix.py``: the fault tests terminate every connection to their database, which
must never hit another module's.
When the test user may not create a database, the configured one is used.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from ._matrix import database_url

# One database per configured database and xdist worker (two runs configured with
# different databases never share one): the tests reset theirs between tests.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
NAMES = ["sqlite", "postgresql", "mariadb"]


def private_url(name: str) -> sa.URL:
    """The URL of the robustness database on a server, created when missing."""
    url = sa.make_url(database_url(name))
    if name == "sqlite":
        return sa.make_url("sqlite:///robust.db")  # under the app's instance path
    private = f"fsqt_robust_{url.database}_{WORKER}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if name == "postgresql":
                found = conn.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                    {"n": private},
                ).first()
                if found is None:
                    conn.exec_driver_sql(f"CREATE DATABASE {private}")
            else:
                conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {private}")
    except sa_exc.DBAPIError:
        return url
    finally:
        engine.dispose()
    return url.set(database=private)


def reset(url: sa.URL | str) -> None:
    """Drop every table of a robustness database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
    finally:
        engine.dispose()


def kill_connections(url: sa.URL | str) -> int:
    """Terminate, on the server, every other connection to the URL's database:
    ``pg_terminate_backend`` on PostgreSQL, ``KILL`` on MariaDB. Returns how many.
    """
    url = sa.make_url(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if url.get_backend_name() == "postgresql":
                rows = conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid()"
                        " AND usename = current_user"
                    )
                ).all()
                return len(rows)
            ids = conn.execute(
                sa.text(
                    "SELECT id FROM information_schema.processlist"
                    " WHERE db = DATABASE() AND id <> CONNECTION_ID()"
                    " AND user = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"
                )
            ).scalars()
            killed = 0
            for ident in list(ids):
                try:
                    conn.exec_driver_sql(f"KILL {int(ident)}")
                    killed += 1
                except sa_exc.OperationalError:  # it ended by itself meanwhile
                    pass
            return killed
    finally:
        engine.dispose()
