"""A real threaded WSGI server under mixed load, on each database: afterwards no
connection is checked out, no session is left in the registry, and each bind holds
exactly the rows of the requests that succeeded.

Bounded: ``REQUESTS_PER_CLIENT`` requests for each of ``CLIENTS`` threads, or
``DEADLINE`` seconds, whichever comes first.
"""

from __future__ import annotations

import http.client
import logging
import random
import threading
import time
import typing as t
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask import request
from werkzeug.serving import make_server

from flask_sqlalchemy_typed import SQLAlchemy

from ._matrix import Database
from ._replica_pairs import Pair

# SQLite in files, the servers, and the primary/replica pairs with both binds'
# reads on the replica (SQLALCHEMY_REPLICAS).
pytestmark = pytest.mark.databases(
    "sqlite-file", "postgresql", "mariadb", "postgresql-pair", "mariadb-pair"
)

CLIENTS = 8
REQUESTS_PER_CLIENT = 400
DEADLINE = 40.0
KINDS = ("read", "missing", "list", "insert", "fail", "rollback")
EXPECTED_STATUS = {
    "read": 200,
    "missing": 404,
    "list": 200,
    "insert": 201,
    "fail": 500,
    "rollback": 200,
}


class Boom(Exception):
    """Raised by a view after it added rows."""


@pytest.fixture
def two_bind_app(
    app: Flask, database: Database
) -> Iterator[tuple[Flask, SQLAlchemy[t.Any], t.Any, t.Any]]:
    pair = database.pair
    if pair is not None:
        app.config["SQLALCHEMY_REPLICAS"] = {
            None: [pair.replica_url],
            "other": [pair.replica_url],
        }
    options: dict[str, t.Any] = {}
    if database.name == "sqlite-file":
        # Two files, shared by the server's threads; writers wait for the lock
        # instead of failing with "database is locked".
        options = {"connect_args": {"timeout": 30}}
    # On a server, a second engine on the same database: another pool.
    other = database.bind_url("other" if database.name == "sqlite-file" else None)
    yield from _two_bind_app(app, database.url, other, options, pair)


def _two_bind_app(
    app: Flask,
    url: sa.URL | str,
    other: sa.URL | str,
    options: dict[str, t.Any],
    pair: Pair | None,
) -> Iterator[tuple[Flask, SQLAlchemy[t.Any], t.Any, t.Any]]:
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["SQLALCHEMY_BINDS"] = {"other": {"url": other, **options}}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class LoadMain(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "robust_load_main"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        token: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(40), unique=True)

    class LoadOther(db.Model):  # type: ignore[name-defined,misc]
        __bind_key__ = "other"
        __tablename__ = "robust_load_other"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        token: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(40), unique=True)

    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add_all([LoadMain(token=f"seed-{i}") for i in range(1, 21)])
        db.session.add_all([LoadOther(token=f"seed-{i}") for i in range(1, 21)])
        db.session.commit()
    if pair is not None:
        pair.wait_replicated("robust_load_other")
    yield app, db, LoadMain, LoadOther
    with app.app_context():
        db.drop_all()
        for engine in db.engines.values():
            engine.dispose()
        for replicas in db.replica_engines.values():
            for engine in replicas:
                engine.dispose()


def add_views(app: Flask, db: SQLAlchemy[t.Any], main: t.Any, other: t.Any) -> None:
    @app.errorhandler(Boom)
    def boom(e: Boom) -> tuple[str, int]:
        return "boom", 500

    @app.get("/read/<int:ident>")
    def read(ident: int) -> str:
        return db.get_or_404(main, ident).token  # type: ignore[no-any-return]

    @app.get("/list")
    def listing() -> str:
        page = db.paginate(
            sa.select(other).order_by(other.id),
            page=int(request.args["page"]),
            per_page=5,
        )
        return ",".join(item.token for item in page.items)

    def add_both(token: str) -> None:
        db.session.add(main(token=token))
        db.session.add(other(token=token))
        db.session.flush()

    @app.post("/insert/<token>")
    def insert(token: str) -> tuple[str, int]:
        add_both(token)
        db.session.commit()
        return token, 201

    @app.post("/fail/<token>")
    def fail(token: str) -> str:
        add_both(token)
        raise Boom(token)

    @app.post("/rollback/<token>")
    def rollback(token: str) -> str:
        add_both(token)
        db.session.rollback()
        return "rolled back"


def client(
    port: int, seed: int, deadline: float, inserted: set[str], statuses: Counter[str]
) -> None:
    rng = random.Random(seed)
    for n in range(REQUESTS_PER_CLIENT):
        if time.monotonic() > deadline:
            return
        kind = rng.choice(KINDS)
        token = f"c{seed}-{n}"
        method, path = {
            "read": ("GET", f"/read/{rng.randint(1, 20)}"),
            "missing": ("GET", f"/read/{rng.randint(10**6, 10**7)}"),
            "list": ("GET", f"/list?page={rng.randint(1, 5)}"),
            "insert": ("POST", f"/insert/{token}"),
            "fail": ("POST", f"/fail/{token}"),
            "rollback": ("POST", f"/rollback/{token}"),
        }[kind]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path)
            status = conn.getresponse().status
        except OSError:
            status = -1
        finally:
            conn.close()
        ok = status == EXPECTED_STATUS[kind]
        statuses[f"{kind} {'ok' if ok else status}"] += 1
        if kind == "insert" and ok:
            inserted.add(token)


def test_mixed_load(
    two_bind_app: tuple[Flask, SQLAlchemy[t.Any], t.Any, t.Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="werkzeug")  # no access log lines
    app, db, main, other = two_bind_app
    add_views(app, db, main, other)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    inserted: list[set[str]] = [set() for _ in range(CLIENTS)]
    statuses: list[Counter[str]] = [Counter() for _ in range(CLIENTS)]
    deadline = time.monotonic() + DEADLINE
    threads = [
        threading.Thread(
            target=client, args=(server.port, i, deadline, inserted[i], statuses[i])
        )
        for i in range(CLIENTS)
    ]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.shutdown()
        serving.join()
        server.server_close()
    elapsed = time.monotonic() - started

    total: Counter[str] = sum(statuses, Counter())
    tokens = set().union(*inserted)
    failures = {k: v for k, v in total.items() if not k.endswith(" ok")}
    # Every request's app context is gone: its session must be too.
    sessions_left = len(db.session.registry.registry)
    with app.app_context():
        name = db.engine.dialect.name
        checked_out = {k: e.pool.checkedout() for k, e in db.engines.items()}  # type: ignore[attr-defined]
        replicas_out = [
            e.pool.checkedout()  # type: ignore[attr-defined]
            for engines in db.replica_engines.values()
            for e in engines
        ]
        with db.use_primary():  # the rows stored, not a replica's copy
            found = {
                bind: set(
                    db.session.scalars(
                        sa.select(model.token).where(~model.token.startswith("seed-"))
                    )
                )
                for bind, model in ((None, main), ("other", other))
            }
    print(
        f"\nLOAD {name}: requests={total.total()} in {elapsed:.1f}s"
        f" failures={sum(failures.values())} {dict(sorted(total.items()))}"
        f" checked_out={checked_out} replicas_checked_out={replicas_out}"
        f" sessions_left={sessions_left}"
        f" rows expected={len(tokens)} found="
        f"{ {k: len(v) for k, v in found.items()} }"
    )
    assert total.total() >= 1000, "too few requests ran to prove anything"
    assert not failures
    assert checked_out == {None: 0, "other": 0}
    assert not any(replicas_out)
    assert sessions_left == 0
    assert found[None] == tokens
    assert found["other"] == tokens
