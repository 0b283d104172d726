"""What the fault tests do to a server."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc


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
