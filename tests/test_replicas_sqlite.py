"""Read-replica routing without servers: the "replica" is the primary's SQLite file
opened read-only (``?mode=ro&uri=true``), where a write fails with "attempt to write a
readonly database"."""

from __future__ import annotations

import logging
import threading
import typing as t
from collections.abc import Iterator
from collections.abc import Sequence

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import _state
from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.replicas import ReadOnlyRouteError
from flask_sqlalchemy_typed.replicas import ReplicaPolicy
from flask_sqlalchemy_typed.replicas import RouteContext

pytestmark = pytest.mark.databases("sqlite")  # the read-only file replica is SQLite's

READ_ONLY = "sqlite:///file:app.db?mode=ro&uri=true"


class Env(t.NamedTuple):
    app: Flask
    db: SQLAlchemy[t.Any]
    user: t.Any
    ran: list[sa.Engine]  # the engine of every statement, in order


def _env(app: Flask, replicas: list[t.Any], **policy: t.Any) -> Env:
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    app.config["SQLALCHEMY_REPLICAS"] = {None: replicas}
    if policy:
        app.config["SQLALCHEMY_REPLICA_POLICY"] = ReplicaPolicy(**policy)
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class User(db.Model):  # type: ignore[name-defined,misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))

    ran: list[sa.Engine] = []
    with app.app_context():
        db.create_all()
        for engine in [db.engine, *db.replica_engines[None]]:

            def record(conn: sa.Connection, *args: t.Any) -> None:
                ran.append(conn.engine)

            sa.event.listen(engine, "before_cursor_execute", record)
    return Env(app, db, User, ran)


@pytest.fixture
def env(app: Flask) -> Iterator[Env]:
    found = _env(app, [READ_ONLY])
    yield found
    _dispose(found)


def _dispose(env: Env) -> None:
    with env.app.app_context():
        for engine in env.db.replica_engines[None]:
            engine.dispose()


def test_reads_on_the_replica_writes_on_the_primary(env: Env) -> None:
    db, user, ran = env.db, env.user, env.ran
    with env.app.app_context():
        (replica,) = db.replica_engines[None]
        assert db.engines == {None: db.engine}  # replicas are not binds
        assert db.session.scalars(sa.select(user)).all() == []
        db.session.add(user(name="a"))
        db.session.commit()
        assert db.session.get(user, 1) is not None
        db.session.commit()
        db.session.execute(sa.text("UPDATE user SET name = 'b'"))
        db.session.commit()
        assert ran == [replica, db.engine, replica, db.engine]


def test_use_primary_as_a_decorator(env: Env) -> None:
    db, user, ran = env.db, env.user, env.ran

    @env.app.get("/<int:ident>")
    @db.use_primary()
    def view(ident: int) -> str:
        return str(db.session.get(user, ident))

    assert env.app.test_client().get("/1").text == "None"
    assert view.__name__ == "view"  # functools.wraps: the endpoint keeps its name
    with env.app.app_context():
        assert ran == [db.engine]


def test_replica_down_is_skipped(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """A replica that cannot connect: the read goes to the primary, logged once."""
    env = _env(app, ["sqlite:///file:missing.db?mode=ro&uri=true"], down_for=60)
    caplog.set_level(logging.WARNING, logger="flask_sqlalchemy_typed.replicas")
    try:
        with env.app.app_context():
            for _ in range(3):
                assert env.db.session.scalars(sa.select(env.user)).all() == []
                env.db.session.commit()
            assert env.ran == [env.db.engine] * 3
        assert len(caplog.records) == 1
        assert "missing.db" in caplog.messages[0]
        assert "is skipped for 60 s" in caplog.messages[0]
    finally:
        _dispose(env)


def test_round_robin_per_transaction(app: Flask) -> None:
    env = _env(app, [READ_ONLY, {"url": READ_ONLY}])
    try:
        with env.app.app_context():
            first, second = env.db.replica_engines[None]
            for _ in range(2):
                for _ in range(2):  # one replica for the whole transaction
                    env.db.session.execute(sa.select(env.user)).all()
                env.db.session.commit()
            assert env.ran == [first, first, second, second]
    finally:
        _dispose(env)


def test_choose_hook(app: Flask) -> None:
    seen: list[Sequence[sa.Engine]] = []

    def last(engines: Sequence[sa.Engine]) -> sa.Engine:
        seen.append(engines)
        return engines[-1]

    env = _env(app, [READ_ONLY, READ_ONLY], choose=last)
    try:
        with env.app.app_context():
            env.db.session.execute(sa.select(env.user)).all()
            replicas = tuple(env.db.replica_engines[None])
            assert seen == [replicas]
            assert env.ran == [replicas[1]]
    finally:
        _dispose(env)


def test_choose_hook_returning_another_engine(app: Flask) -> None:
    other = sa.create_engine("sqlite://")
    env = _env(app, [READ_ONLY, READ_ONLY], choose=lambda engines: other)
    try:
        with env.app.app_context():
            with pytest.raises(RuntimeError, match=r"not one of the healthy replica"):
                env.db.session.execute(sa.select(env.user))
    finally:
        _dispose(env)
        other.dispose()


def test_strict_block(env: Env) -> None:
    db, user = env.db, env.user
    with env.app.app_context():
        with db.use_replica(strict=True):
            db.session.add(user(name="x"))
            with pytest.raises(ReadOnlyRouteError, match=r"nothing was sent"):
                db.session.commit()
        db.session.rollback()
        assert env.ran == []
        assert db.session.scalars(sa.select(user)).all() == []


def test_without_routing_a_write_reaches_the_read_only_file(env: Env) -> None:
    """The replica engine really is read-only: what the routing protects against."""
    with env.app.app_context():
        (replica,) = env.db.replica_engines[None]
        with pytest.raises(sa_exc.OperationalError, match=r"readonly database"):
            with replica.begin() as conn:
                conn.execute(sa.insert(env.user).values(name="x"))


def test_unclassified_statements(env: Env) -> None:
    """``session.connection()`` goes to the primary, or to a replica in a replica
    block."""
    db = env.db
    with env.app.app_context():
        assert db.session.connection().engine is db.engine
        db.session.commit()
        with db.use_replica():
            assert db.session.connection().engine is db.replica_engines[None][0]


def test_reads_on_primary_switch(env: Env) -> None:
    """The test-isolation switch: every read on the primary engine."""
    db, user = env.db, env.user
    replicas = _state.of(db).replicas
    assert replicas is not None
    replicas.primary_reads = True
    try:
        with env.app.app_context():
            db.session.scalars(sa.select(user)).all()
            with db.use_replica(strict=True):
                with pytest.raises(ReadOnlyRouteError):
                    db.session.execute(sa.delete(user))
            assert env.ran == [db.engine]
    finally:
        replicas.primary_reads = False


def test_route_context_is_per_thread(env: Env) -> None:
    """One RouteContext object entered by two threads at once, and nested."""
    db, user = env.db, env.user
    block = db.use_primary()
    assert isinstance(block, RouteContext) and block.mode == "primary"
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with env.app.app_context(), block:
                barrier.wait()
                with db.use_replica(), block:
                    db.session.execute(sa.select(user)).all()
                db.session.execute(sa.select(user)).all()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with env.app.app_context():
        assert env.ran == [db.engine] * 4


@pytest.mark.usefixtures("app_ctx")
def test_strict_block_without_replicas(db: SQLAlchemy[t.Any]) -> None:
    """``use_replica(strict=True)`` rejects writes in an app without replicas too."""

    class Thing(db.Model):  # type: ignore[name-defined,misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    db.create_all()
    with db.use_replica(strict=True):
        assert db.session.scalars(sa.select(Thing)).all() == []
        with pytest.raises(ReadOnlyRouteError, match=r"an INSERT writes"):
            db.session.execute(sa.insert(Thing))
    db.session.execute(sa.insert(Thing))
    assert db.engines[None] is db.session.get_bind(Thing)


def test_inside_test_isolation_replicas_read_the_pinned_primary(env: Env) -> None:
    """In db.test_isolation(), reads do not go to a replica, which cannot see the
    test's uncommitted rows: they run on the primary's pinned connection."""
    db, user, ran = env.db, env.user, env.ran
    with env.app.app_context():
        (replica,) = db.replica_engines[None]
        primary = db.engine
    with db.test_isolation(env.app), env.app.app_context():
        db.session.add(user(name="in-test"))
        db.session.commit()
        assert db.session.scalars(sa.select(user.name)).all() == ["in-test"]
    assert replica not in ran
    assert ran and set(ran) == {primary}
    del ran[:]
    with env.app.app_context():  # afterwards: rolled back, and reads use the replica
        assert db.session.scalars(sa.select(user)).all() == []
    assert ran == [replica]
