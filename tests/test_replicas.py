"""Read replicas on real pairs: a PostgreSQL streaming replica and a MariaDB GTID
replica (``.ci/replicas``). Lag is forced by pausing replay on the replica; every
statement's server is recorded from engine events (by port).
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
import typing as t
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from werkzeug.serving import make_server

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.record_queries import get_recorded_queries
from flask_sqlalchemy_typed.replicas import ReadOnlyRouteError
from flask_sqlalchemy_typed.replicas import ReplicaPolicy

from ._matrix import Database
from ._replica_pairs import Pair
from ._replica_pairs import Recorder

pytestmark = pytest.mark.databases("postgresql-pair", "mariadb-pair")

MAX_WAIT = 0.2


class Env(t.NamedTuple):
    pair: Pair
    app: Flask
    db: SQLAlchemy[t.Any]
    user: t.Any
    post: t.Any
    rec: Recorder


def make_env(
    pair: Pair, app: Flask, secret_key: str | None = "test", **policy: t.Any
) -> Env:
    app.config["SQLALCHEMY_DATABASE_URI"] = pair.primary_url
    app.config["SQLALCHEMY_REPLICAS"] = {None: [pair.replica_url]}
    app.config["SQLALCHEMY_REPLICA_POLICY"] = ReplicaPolicy(
        **{"max_wait": MAX_WAIT, **policy}
    )
    app.secret_key = secret_key
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class User(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "rep_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))
        posts: sa_orm.Mapped[list[Post]] = sa_orm.relationship(back_populates="user")

    class Post(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "rep_post"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        user_id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.ForeignKey(User.id))
        title: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))
        user: sa_orm.Mapped[User] = sa_orm.relationship(back_populates="posts")

    rec = Recorder()
    with app.app_context():
        db.drop_all()
        db.create_all()
        pair.wait_replicated("rep_post")
        rec.listen(db.engine)
        for engine in db.replica_engines[None]:
            rec.listen(engine)
    add_views(app, db, User)
    return Env(pair, app, db, User, Post, rec)


def add_views(app: Flask, db: SQLAlchemy[t.Any], user: t.Any) -> None:
    @app.post("/users/<name>")
    def create(name: str) -> str:
        obj = user(name=name)
        db.session.add(obj)
        db.session.commit()
        return f"{obj.id}:{obj.name}"  # a refresh after the commit

    @app.get("/users/<int:ident>")
    def read(ident: int) -> str:
        found = db.session.get(user, ident)
        return "missing" if found is None else str(found.name)

    @app.post("/insert/<name>")
    def insert(name: str) -> str:
        db.session.execute(sa.insert(user).values(name=name))
        db.session.commit()
        return "ok"

    @app.post("/lock/<int:ident>")
    def lock(ident: int) -> str:
        found = db.session.scalars(
            sa.select(user).where(user.id == ident).with_for_update()
        ).one()
        db.session.commit()
        return str(found.name)

    @app.post("/rename/<int:ident>/<name>")
    def rename(ident: int, name: str) -> str:
        db.session.execute(
            sa.text("UPDATE rep_user SET name = :name WHERE id = :id"),
            {"name": name, "id": ident},
        )
        db.session.commit()
        return "ok"

    @app.get("/count")
    def count() -> str:
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(user)))


@pytest.fixture
def pair(database: Database) -> Pair:
    assert database.pair is not None
    return database.pair


@pytest.fixture
def env(pair: Pair, app: Flask) -> Iterator[Env]:
    found = make_env(pair, app)
    yield found
    dispose(found)


def dispose(env: Env) -> None:
    with env.app.app_context():
        env.db.session.remove()
        env.db.drop_all()
        for engine in env.db.replica_engines[None]:
            engine.dispose()


def test_recipe_failures_succeed_with_replay_paused(env: Env) -> None:
    """The five failures of SQLAlchemy's get_bind recipe against a lagging replica."""
    client = env.app.test_client()
    other = env.app.test_client()  # another browser: no cookie of these writes
    p, r = env.pair.primary_port, env.pair.replica_port
    with env.pair.paused():
        # A refresh after commit (expire_on_commit): no ObjectDeletedError.
        assert client.post("/users/alice").text == "1:alice"
        # The same client's next request sees its write; another client's may not.
        assert client.get("/users/1").text == "alice"
        assert other.get("/users/1").text == "missing"  # proof the replica lags
        # insert(), with_for_update() and a text() UPDATE run on the primary.
        assert client.post("/insert/bob").text == "ok"
        assert client.get("/users/2").text == "bob"
        assert client.post("/lock/1").text == "alice"
        assert client.post("/rename/1/carol").text == "ok"
        assert client.get("/users/1").text == "carol"
    assert env.rec.ports("INSERT") == [p, p]
    assert env.rec.ports("UPDATE") == [p]
    locks = [port for port, s in env.rec.statements() if s.endswith("FOR UPDATE")]
    assert locks == [p]
    # Own reads: waited for the replica, then the primary; the other client's: replica.
    selects = env.rec.ports("SELECT")
    assert selects.count(r) == 1
    assert set(selects) == {p, r}


def test_routing_statement_by_statement(env: Env) -> None:
    db, user, post, rec = env.db, env.user, env.post, env.rec
    p, r = env.pair.primary_port, env.pair.replica_port
    with env.app.app_context():
        db.session.add(user(name="seed"))
        db.session.commit()
        db.session.remove()
        rec.clear()

        db.session.scalars(sa.select(user)).all()  # a read: a replica
        obj = user(name="a", posts=[post(title="t")])
        db.session.add(obj)
        db.session.flush()  # the flush: the primary
        db.session.scalars(sa.select(user)).all()  # the transaction used the primary
        db.session.commit()
        assert [t for t in obj.posts] != []  # refresh + lazy load after the commit
        db.session.execute(sa.text("SELECT name FROM rep_user")).all()  # replica
        db.session.commit()
        db.session.execute(sa.text("UPDATE rep_user SET name = 'b' WHERE id = 1"))
        db.session.commit()
        with db.use_primary():
            db.session.execute(sa.select(user.id)).all()
        db.session.commit()
        db.session.execute(sa.delete(post))
        db.session.commit()
        expected = [
            (r, "SELECT rep_user.id, rep_user.name FROM rep_user"),
            (p, "INSERT INTO rep_user "),
            (p, "INSERT INTO rep_post "),
            (p, "SELECT rep_user.id, rep_user.name FROM rep_user"),
            (r, "SELECT rep_user.id, rep_user.name FROM rep_user WHERE rep_user.id ="),
            (r, "SELECT rep_post.id, rep_post.user_id, rep_post.title FROM rep_post"),
            (r, "SELECT name FROM rep_user"),
            (p, "UPDATE rep_user SET name = 'b' WHERE id = 1"),
            (p, "SELECT rep_user.id FROM rep_user"),
            (p, "DELETE FROM rep_post"),
        ]
        got = rec.statements()
        assert [
            (port, s[: len(e)])
            for (port, s), (_, e) in zip(got, expected, strict=False)
        ] == expected
        assert len(got) == len(expected)


def test_strict_replica_block_sends_no_write(env: Env) -> None:
    db, user, rec = env.db, env.user, env.rec
    with env.app.app_context():
        rec.clear()
        with db.use_replica(strict=True):
            assert db.session.scalars(sa.select(user)).all() == []
            db.session.add(user(name="x"))
            with pytest.raises(ReadOnlyRouteError, match=r"a flush writes"):
                db.session.flush()
            db.session.rollback()
            for statement in (
                sa.insert(user).values(name="y"),
                sa.select(user).with_for_update(),
                sa.text("UPDATE rep_user SET name = 'z'"),
            ):
                with pytest.raises(ReadOnlyRouteError, match=r"nothing was sent"):
                    db.session.execute(statement)
        assert rec.statements() == [
            (env.pair.replica_port, "SELECT rep_user.id, rep_user.name FROM rep_user")
        ]


@pytest.mark.parametrize("paused", [True, False], ids=["paused", "running"])
def test_read_your_writes_across_requests(env: Env, paused: bool) -> None:
    client = env.app.test_client()
    p, r = env.pair.primary_port, env.pair.replica_port
    if paused:
        env.pair.pause()
    try:
        assert client.post("/users/alice").text == "1:alice"
        env.rec.clear()
        started = time.monotonic()
        assert client.get("/users/1").text == "alice"
        elapsed = time.monotonic() - started
    finally:
        env.pair.resume()
    if paused:
        # Waited the bound for the replica, then read the primary.
        assert MAX_WAIT <= elapsed < MAX_WAIT + 1.0
        assert env.rec.ports("SELECT") == [p]
    else:
        assert env.rec.ports("SELECT") == [r]
    # After the replica caught up, the next request reads the replica again.
    time.sleep(0.05)
    env.rec.clear()
    assert client.get("/users/1").text == "alice"
    assert env.rec.ports("SELECT") == [r]


@pytest.mark.parametrize("mode", ["process", "client"])
def test_process_wide_read_your_writes(pair: Pair, app: Flask, mode: str) -> None:
    """``"process"``, or ``"client"`` in an app without a secret key (no cookie):
    every read waits for the latest write committed through the process."""
    env = make_env(
        pair,
        app,
        secret_key=None if mode == "client" else "test",
        read_your_writes=mode,
    )
    try:
        with pair.paused():
            assert env.app.test_client().post("/users/alice").text == "1:alice"
            assert env.app.test_client().get("/users/1").text == "alice"
        assert env.rec.ports("SELECT") == [pair.primary_port] * 2
    finally:
        dispose(env)


def test_stopped_replica_is_skipped_then_used_again(
    pair: Pair, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    env = make_env(pair, app, down_for=1.0)
    client = env.app.test_client()
    p, r = pair.primary_port, pair.replica_port
    caplog.set_level(logging.INFO, logger="flask_sqlalchemy_typed.replicas")
    try:
        assert client.post("/users/alice").text == "1:alice"
        assert client.get("/count").text == "1"
        pair.control("stop")
        try:
            env.rec.clear()
            for _ in range(5):
                assert client.get("/count").text == "1"
            assert env.rec.ports("SELECT") == [p] * 5
            down = [m for m in caplog.messages if "is skipped for 1 s" in m]
            assert len(down) == 1
            assert "replicas-secret" not in caplog.text  # the password is hidden
            assert ":***@" in down[0]
        finally:
            pair.control("start")
        time.sleep(1.1)
        env.rec.clear()
        assert client.get("/count").text == "1"
        assert env.rec.ports("SELECT") == [r]
        assert any("is back" in m for m in caplog.messages)
    finally:
        dispose(env)


def test_replica_stopped_mid_transaction(pair: Pair, app: Flask) -> None:
    """The replica dies between two reads of a transaction: the second read and
    the commit of a write still succeed, on the primary."""
    env = make_env(pair, app, down_for=30.0)
    p, r = pair.primary_port, pair.replica_port
    try:
        with env.app.app_context():
            db, user = env.db, env.user
            db.session.add(user(name="seed"))
            db.session.commit()
            db.session.remove()
            time.sleep(0.2)  # replayed
            env.rec.clear()
            assert len(db.session.scalars(sa.select(user)).all()) == 1
            pair.control("stop")
            try:
                assert len(db.session.scalars(sa.select(user)).all()) == 1
                rows = db.session.execute(sa.text("SELECT name FROM rep_user")).all()
                assert rows == [("seed",)]
                db.session.add(user(name="after"))
                db.session.commit()
                assert db.session.scalar(sa.select(sa.func.count(user.id))) == 2
            finally:
                pair.control("start")
        selects = env.rec.ports("SELECT")
        assert selects[0] == r
        assert p in selects[1:]
        assert env.rec.ports("INSERT") == [p]
    finally:
        dispose(env)


def test_replica_stopped_before_the_commit(pair: Pair, app: Flask) -> None:
    """The replica dies after the transaction's reads: the commit of its writes
    succeeds (the replica's COMMIT fails, and only reads ran there)."""
    env = make_env(pair, app, down_for=30.0)
    try:
        with env.app.app_context():
            db, user = env.db, env.user
            assert db.session.scalars(sa.select(user)).all() == []
            pair.control("stop")
            try:
                db.session.add(user(name="after"))
                db.session.commit()
            finally:
                pair.control("start")
            with db.use_primary():
                assert db.session.scalar(sa.select(sa.func.count(user.id))) == 1
        assert env.rec.ports("INSERT") == [pair.primary_port]
    finally:
        dispose(env)


def test_hung_replica_costs_one_connect_timeout(pair: Pair, app: Flask) -> None:
    timeout = 2.0 if pair.name == "postgresql" else 1.0  # libpq's minimum is 2 s
    env = make_env(pair, app, connect_timeout=timeout, down_for=30.0)
    client = env.app.test_client()
    p = pair.primary_port
    try:
        assert client.post("/users/alice").text == "1:alice"
        with env.app.app_context():
            for engine in env.db.replica_engines[None]:
                engine.dispose()  # the next read needs a new connection
        env.rec.clear()
        with pair.hung():
            started = time.monotonic()
            assert client.get("/count").text == "1"
            first = time.monotonic() - started
            started = time.monotonic()
            assert client.get("/count").text == "1"
            second = time.monotonic() - started
        assert timeout * 0.9 <= first < timeout + 1.5
        assert second < 0.5  # skipped: no second wait
        assert env.rec.ports("SELECT") == [p, p]
    finally:
        dispose(env)


def test_record_queries_name_the_engine(pair: Pair, app: Flask) -> None:
    app.config["SQLALCHEMY_RECORD_QUERIES"] = True
    env = make_env(pair, app)
    try:
        with env.app.app_context():
            env.db.session.scalars(sa.select(env.user)).all()
            env.db.session.add(env.user(name="a"))
            env.db.session.commit()
            (replica,) = env.db.replica_engines[None]
            engines = [q.engine for q in get_recorded_queries()]
            assert engines == [replica, env.db.engine]
            assert "replicas-secret" not in repr(replica)
            assert ":***@" in repr(replica)
    finally:
        dispose(env)


def _load_client(
    port: int, seed: int, deadline: float, counts: Counter[str], stale: list[str]
) -> None:
    """One browser: writes, reads its own write back, reads the count; keeps its
    session cookie like a browser does."""
    cookie: str | None = None

    def call(method: str, path: str) -> tuple[int, str]:
        nonlocal cookie
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            set_cookie = response.getheader("Set-Cookie")
            if set_cookie:
                cookie = set_cookie.split(";")[0]
            return response.status, response.read().decode()
        except OSError as e:
            return -1, str(e)
        finally:
            conn.close()

    for n in range(LOAD_REQUESTS):
        if time.monotonic() > deadline:
            return
        status, text = call("POST", f"/users/c{seed}-{n}")
        counts[f"write {status}"] += 1
        if status != 200:
            continue
        ident, _, name = text.partition(":")
        status, text = call("GET", f"/users/{ident}")
        counts[f"own read {status}"] += 1
        if status == 200 and text != name:
            stale.append(f"{ident}: {text!r} instead of {name!r}")
        for _ in range(3):
            status, _ = call("GET", "/count")
            counts[f"read {status}"] += 1


LOAD_CLIENTS = 6
LOAD_REQUESTS = 60
LOAD_DEADLINE = 30.0


def test_load_with_replicas(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    """A threaded server, clients writing and reading their own writes back while
    replay pauses and resumes: no failure, no stale own write, no connection left."""
    caplog.set_level(logging.WARNING, logger="werkzeug")
    server = make_server("127.0.0.1", 0, env.app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    counts = [Counter[str]() for _ in range(LOAD_CLIENTS)]
    stale: list[str] = []
    deadline = time.monotonic() + LOAD_DEADLINE
    stop = threading.Event()

    def lag() -> None:  # replay paused 0.3 s of every 0.6 s
        while not stop.wait(0.3):
            env.pair.pause()
            stop.wait(0.3)
            env.pair.resume()

    lagger = threading.Thread(target=lag)
    clients = [
        threading.Thread(
            target=_load_client, args=(server.port, i, deadline, counts[i], stale)
        )
        for i in range(LOAD_CLIENTS)
    ]
    try:
        lagger.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
    finally:
        stop.set()
        lagger.join()
        env.pair.resume()
        server.shutdown()
        serving.join()
        server.server_close()
    total: Counter[str] = sum(counts, Counter())
    failures = {k: v for k, v in total.items() if not k.endswith(" 200")}
    with env.app.app_context():
        engines = [env.db.engine, *env.db.replica_engines[None]]
        checked_out = [e.pool.checkedout() for e in engines]  # type: ignore[attr-defined]
    reads = env.rec.ports("SELECT")
    share = reads.count(env.pair.replica_port) / max(len(reads), 1)
    print(
        f"\nREPLICA LOAD {env.pair.name}: {dict(sorted(total.items()))}"
        f" stale={len(stale)} checked_out={checked_out} replica_share={share:.2f}"
    )
    assert total.total() >= 500, "too few requests ran to prove anything"
    assert not failures
    assert stale == []
    assert checked_out == [0, 0]
    assert 0 < share < 1  # both servers served reads
