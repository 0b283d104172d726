"""Faults: the server kills connections between and during requests, a request fails
half-way, a commit to two binds fails on one of them."""

from __future__ import annotations

import http.client
import logging
import threading
import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask
from werkzeug.serving import make_server

from flask_sqlalchemy_typed import SQLAlchemy

from ._matrix import Database
from ._servers import kill_connections

# The servers kill connections; SQLite only where a test says so.
pytestmark = pytest.mark.databases("postgresql", "mariadb")


@pytest.fixture
def server_url(database: Database) -> sa.URL:
    return sa.make_url(database.url)


def make_app(
    app: Flask, url: sa.URL, **engine_options: t.Any
) -> tuple[SQLAlchemy[t.Any], t.Any]:
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class FaultItem(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "robust_fault_item"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(40))

    @app.errorhandler(sa_exc.OperationalError)
    def unavailable(e: sa_exc.OperationalError) -> tuple[str, int]:
        db.session.rollback()
        return "database unavailable", 503

    @app.get("/count")
    def count() -> str:
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(FaultItem)))

    with app.app_context():
        db.create_all()
    return db, FaultItem


def dispose(app: Flask, db: SQLAlchemy[t.Any]) -> None:
    with app.app_context():
        db.drop_all()
        for engine in db.engines.values():
            engine.dispose()


def fill_pool(app: Flask, db: SQLAlchemy[t.Any], n: int) -> None:
    """Leave ``n`` open connections in the pool, as a server's threads would."""
    with app.app_context():
        conns = [db.engine.connect() for _ in range(n)]
        for conn in conns:
            conn.exec_driver_sql("SELECT 1")
            conn.close()


def failures_after_kill(app: Flask, db: SQLAlchemy[t.Any], requests: int) -> int:
    fill_pool(app, db, 4)
    assert kill_connections(app.config["SQLALCHEMY_DATABASE_URI"]) >= 4
    client = app.test_client()
    statuses = [client.get("/count").status_code for _ in range(requests)]
    assert set(statuses) <= {200, 503}
    return statuses.count(503)


def test_kill_between_requests(app: Flask, server_url: sa.URL) -> None:
    """With the default ``pool_pre_ping``, no request fails after every pooled
    connection was terminated by the server."""
    db, _ = make_app(app, server_url)
    try:
        assert app.test_client().get("/count").text == "0"
        failed = failures_after_kill(app, db, 10)
        print(f"\nKILL {server_url.get_backend_name()} pre_ping=True failed={failed}")
        assert failed == 0
        with app.app_context():
            assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        dispose(app, db)


def test_kill_between_requests_without_pre_ping(app: Flask, server_url: sa.URL) -> None:
    """The contrast: without pre-ping the first request after the kill fails (and
    SQLAlchemy then invalidates the whole pool, so only that one)."""
    db, _ = make_app(app, server_url, pool_pre_ping=False)
    try:
        failed = failures_after_kill(app, db, 10)
        print(f"\nKILL {server_url.get_backend_name()} pre_ping=False failed={failed}")
        assert failed == 1
    finally:
        dispose(app, db)


def serve(app: Flask) -> tuple[t.Any, threading.Thread]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def fetch(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_kill_during_request(
    app: Flask, server_url: sa.URL, caplog: pytest.LogCaptureFixture
) -> None:
    """The connection dies in the middle of a request, inside its transaction: the
    app's own error handling answers (not a bare 500 from a raising teardown),
    the connection is not leaked, and the next request succeeds."""
    db, item = make_app(app, server_url)
    caplog.set_level(logging.WARNING, logger="werkzeug")

    @app.get("/die/<then>")
    def die(then: str) -> str:
        db.session.add(item(name="lost"))
        db.session.flush()  # a transaction is open on the session's connection
        kill_connections(server_url)
        if then == "query":
            db.session.scalar(sa.select(sa.func.count()).select_from(item))
        return "finished"

    server, thread = serve(app)
    try:
        # The view ends normally; only the teardown meets the dead connection.
        assert fetch(server.port, "/die/return") == (200, "finished")
        assert fetch(server.port, "/count") == (200, "0")
        # The view meets it: the app's OperationalError handler answers.
        assert fetch(server.port, "/die/query") == (503, "database unavailable")
        assert fetch(server.port, "/count") == (200, "0")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    # Closing the session on the dead connection raised; the teardown logged it
    # (a warning, with the cause) and discarded the session instead of raising.
    assert "teardown failed; it was discarded" in caplog.text
    try:
        assert len(db.session.registry.registry) == 0
        with app.app_context():
            assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        dispose(app, db)


@pytest.mark.databases("sqlite-file", "postgresql", "mariadb")
def test_failed_request_leaves_clean_session(app: Flask, server_url: sa.URL) -> None:
    """A view that raises after adding and flushing rows: at teardown its session is
    rolled back and closed; the next request on the same thread starts clean."""
    db, item = make_app(app, server_url)
    seen: dict[str, t.Any] = {}

    @app.get("/fail")
    def fail() -> str:
        db.session.add(item(name="doomed"))
        db.session.flush()
        seen["session"] = db.session()
        raise RuntimeError("half-way")

    @app.get("/inspect")
    def inspect() -> str:
        session = db.session()
        assert session is not seen["session"]
        assert not session.new and not session.dirty and not session.deleted
        assert not session.in_transaction()
        assert not seen["session"].in_transaction()  # closed at teardown
        assert not seen["session"].identity_map
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(item)))

    client = app.test_client()
    try:
        assert client.get("/fail").status_code == 500
        assert client.get("/inspect").text == "0"
        assert len(db.session.registry.registry) == 0
        with app.app_context():
            assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        dispose(app, db)


def two_bind_db(
    app: Flask, url: sa.URL, **session_options: t.Any
) -> tuple[SQLAlchemy[t.Any], t.Any, t.Any]:
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_BINDS"] = {"other": url}
    db: SQLAlchemy[t.Any] = SQLAlchemy(
        app, session_options=t.cast(t.Any, session_options)
    )

    class First(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "robust_fault_first"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    class Second(db.Model):  # type: ignore[name-defined,misc]
        __bind_key__ = "other"
        __tablename__ = "robust_fault_second"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    with app.app_context():
        db.create_all()
    return db, First, Second


def kill_backend(url: sa.URL, conn: sa.Connection) -> None:
    """Terminate, on the server, the one connection behind ``conn``."""
    dbapi_conn: t.Any = conn.connection.dbapi_connection
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as killer:
            if url.get_backend_name() == "postgresql":
                pid = dbapi_conn.info.backend_pid
                killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
            else:
                killer.exec_driver_sql(f"KILL {int(dbapi_conn.thread_id())}")
    finally:
        engine.dispose()


def fail_second(url: sa.URL, engines: list[sa.Engine], event: str) -> None:
    """The server kills the connection of whichever bind reaches ``event`` second,
    just before its DBAPI call: a real failure of that bind's commit or prepare.
    """
    reached: list[sa.Connection] = []

    def listener(conn: sa.Connection, *args: t.Any) -> None:
        reached.append(conn)
        if len(reached) == 2:
            kill_backend(url, conn)

    for engine in engines:
        sa.event.listen(engine, event, listener)


def rows(db: SQLAlchemy[t.Any], *models: t.Any) -> list[int]:
    with db.engines[None].connect() as a, db.engines["other"].connect() as b:
        return [
            len(conn.execute(sa.select(model.id)).all())
            for conn, model in zip((a, b), models, strict=True)
        ]


def skip_without_twophase(url: sa.URL) -> None:
    if url.get_backend_name() != "postgresql":
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        setting = int(
            conn.exec_driver_sql("SHOW max_prepared_transactions").scalar_one()
        )
    engine.dispose()
    if setting == 0:
        pytest.skip(
            "PostgreSQL has max_prepared_transactions = 0, so PREPARE TRANSACTION"
            " fails; the server setting needs a restart to change, which CI cannot"
            " rely on. Two-phase commit is tested on MariaDB (XA)."
        )


@pytest.mark.parametrize("twophase", [False, True], ids=["default", "twophase"])
def test_two_binds_flush_failure_is_atomic(
    app: Flask, server_url: sa.URL, twophase: bool
) -> None:
    """A failure before the commit phase (here a duplicate key while flushing the
    second bind) rolls back both binds, with or without two-phase commit."""
    if twophase:
        skip_without_twophase(server_url)
    db, first, second = two_bind_db(app, server_url, twophase=twophase)
    try:
        with app.app_context():
            db.session.add_all([first(id=1), second(id=1)])
            db.session.commit()
            db.session.add_all([first(id=2), second(id=1)])  # second(id=1) exists
            with pytest.raises(sa_exc.IntegrityError):
                db.session.commit()
            db.session.rollback()
            assert rows(db, first, second) == [1, 1]
    finally:
        dispose(app, db)


def test_two_binds_commit_is_not_atomic(app: Flask, server_url: sa.URL) -> None:
    """Without two-phase commit, each bind's transaction commits in turn: when the
    second commit fails, the first one stays committed."""
    db, first, second = two_bind_db(app, server_url)
    try:
        with app.app_context():
            fail_second(server_url, list(db.engines.values()), "commit")
            db.session.add_all([first(id=1), second(id=1)])
            with pytest.raises(sa_exc.OperationalError):
                db.session.commit()
            # SQLAlchemy notices that the first bind's transaction is already over.
            with pytest.warns(sa_exc.SAWarning, match="already deassociated"):
                db.session.rollback()
            assert sorted(rows(db, first, second)) == [0, 1]
    finally:
        dispose(app, db)


def test_two_binds_twophase_commit(app: Flask, server_url: sa.URL) -> None:
    """With ``session_options={"twophase": True}`` both binds prepare before either
    commits: a failure while preparing the second rolls back both."""
    skip_without_twophase(server_url)
    db, first, second = two_bind_db(app, server_url, twophase=True)
    try:
        with app.app_context():
            prepared: list[object] = []
            for engine in db.engines.values():
                sa.event.listen(
                    engine, "prepare_twophase", lambda c, xid: prepared.append(xid)
                )
            db.session.add_all([first(id=1), second(id=1)])
            db.session.commit()
            assert len(prepared) == 2
            assert rows(db, first, second) == [1, 1]

            fail_second(server_url, list(db.engines.values()), "prepare_twophase")
            db.session.add_all([first(id=2), second(id=2)])
            with pytest.raises(sa_exc.OperationalError):
                db.session.commit()
            db.session.rollback()
            assert rows(db, first, second) == [1, 1]
    finally:
        dispose(app, db)
