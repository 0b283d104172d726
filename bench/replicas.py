"""Read replicas: what the routing costs, how many reads replicas serve, how many
own writes a client reads stale, how long failover takes.

A script, not a test. Four parts:

1. Per-request cost (shared-cache in-memory SQLite, ``test_client``): hand-written
   Flask + SQLAlchemy ("plain"), flask_sqlalchemy_typed without
   ``SQLALCHEMY_REPLICAS`` and with one (a second engine on the same database), for
   a read and for an insert + commit; medians and ratios to plain, interleaved in
   rounds.
   Plus ``Session.get_bind`` alone, with and without replicas.
2. On each real pair of ``.ci/replicas`` (skipped without its variables): the share
   of reads served by the replica on a read-heavy mix (90 % reads, 20 browsers).
3. Stale own-write reads out of 1000 (write, then read it back in the next request
   of the same browser), with read-your-writes on and, for comparison, off.
4. Failover: the first request after the replica is stopped (refused) and after it
   hangs (SIGSTOP), and the next one.

Run::

    .ci/replicas up && eval "$(.ci/replicas env)"
    .venv/bin/python bench/replicas.py
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import tempfile
import time
import typing as t
from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask.globals import app_ctx

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.replicas import ReplicaPolicy


def make_user(base: type[t.Any]) -> t.Any:
    class User(base):  # type: ignore[misc]
        __tablename__ = "bench_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))

    return User


def add_views(app: Flask, session: Callable[[], sa_orm.Session], user: t.Any) -> None:
    @app.get("/users/<int:ident>")
    def read(ident: int) -> str:
        found = session().get(user, ident)
        return "missing" if found is None else str(found.name)

    @app.post("/users/<name>")
    def create(name: str) -> str:
        obj = user(name=name)
        s = session()
        s.add(obj)
        s.flush()
        ident = obj.id
        s.commit()
        return f"{ident}:{name}"

    @app.get("/count")
    def count() -> str:
        return str(session().scalar(sa.select(sa.func.count()).select_from(user)))


# --- 1. per-request cost ---------------------------------------------------------


def memory_url(directory: str, name: str) -> str:
    """A shared-cache in-memory SQLite database: no disk I/O in the timings."""
    return f"sqlite:///file:{directory}/{name}?mode=memory&cache=shared&uri=true"


def plain_app(directory: str) -> Flask:
    app = Flask("plain")
    engine = sa.create_engine(
        memory_url(directory, "plain"), poolclass=sa.pool.QueuePool
    )

    class Base(sa_orm.DeclarativeBase):
        pass

    user = make_user(Base)
    Base.metadata.create_all(engine)
    factory = sa_orm.sessionmaker(engine)
    registry = sa_orm.scoped_session(factory, lambda: id(app_ctx._get_current_object()))  # type: ignore[attr-defined]

    @app.teardown_appcontext
    def remove(exc: BaseException | None) -> None:
        registry.remove()

    add_views(app, registry, user)
    seed(app, registry)
    return app


def fsqt_app(directory: str, name: str, replicas: bool) -> Flask:
    app = Flask(name, instance_path=directory)
    app.config["SQLALCHEMY_DATABASE_URI"] = memory_url(directory, name)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": sa.pool.QueuePool}
    if replicas:
        # A second engine on the same database: the routing is what is measured.
        replica = {"url": memory_url(directory, name), "poolclass": sa.pool.QueuePool}
        app.config["SQLALCHEMY_REPLICAS"] = {None: [replica]}
    app.secret_key = "bench"
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    user = make_user(db.Model)
    with app.app_context():
        db.create_all()
    add_views(app, lambda: db.session(), user)
    seed(app, lambda: db.session())
    return app


def seed(app: Flask, session: Callable[[], sa_orm.Session]) -> None:
    with app.app_context():
        s = session()
        s.execute(sa.text("DELETE FROM bench_user"))
        s.execute(
            sa.text("INSERT INTO bench_user (id, name) VALUES (:id, :name)"),
            [{"id": i, "name": f"u{i}"} for i in range(1, 1001)],
        )
        s.commit()


def per_request_cost(rounds: int, per_round: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        apps = {
            "plain Flask + SQLAlchemy": plain_app(directory),
            "fsqt, no replicas": fsqt_app(directory, "off", replicas=False),
            "fsqt, SQLALCHEMY_REPLICAS": fsqt_app(directory, "on", replicas=True),
        }
        kinds = {
            "read by id": ("GET", "/users/500"),
            "insert + commit": ("POST", "/users/x"),
        }
        times: dict[tuple[str, str], list[float]] = {
            (a, k): [] for a in apps for k in kinds
        }
        clients = {name: app.test_client() for name, app in apps.items()}
        for _ in range(rounds):
            for kind, (method, path) in kinds.items():
                for name, client in clients.items():
                    started = time.perf_counter()
                    for _ in range(per_round):
                        response = client.open(path, method=method)
                        assert response.status_code == 200, response.text
                    times[name, kind].append(
                        (time.perf_counter() - started) / per_round
                    )
        print(
            "1. per-request cost (in-memory SQLite; median of rounds; ratio to plain)"
        )
        for kind in kinds:
            base = statistics.median(times["plain Flask + SQLAlchemy", kind])
            for name in apps:
                median = statistics.median(times[name, kind])
                print(
                    f"   {kind:16} {name:28} {median * 1e6:8.1f} us  x{median / base:.3f}"
                )
        get_bind_cost(directory)


def get_bind_cost(directory: str) -> None:
    """``Session.get_bind(User)`` alone: the attribute test vs the routing."""
    results: dict[str, float] = {}
    for replicas in (False, True):
        app = fsqt_app(directory, f"gb{int(replicas)}", replicas)
        db: SQLAlchemy[t.Any] = app.extensions["sqlalchemy"]
        user = next(iter(db.Model.registry.mappers)).class_
        with app.app_context():
            session = db.session()
            session.execute(sa.select(user).limit(1)).all()  # choose the replica
            statement = sa.select(user)
            n = 200_000
            best = float("inf")
            for _ in range(5):
                started = time.perf_counter()
                for _ in range(n):
                    session.get_bind(user, clause=statement)
                best = min(best, (time.perf_counter() - started) / n)
            results["with" if replicas else "without"] = best
    print(
        f"   Session.get_bind(User, clause=select): without replicas"
        f" {results['without'] * 1e9:.0f} ns, with replicas {results['with'] * 1e9:.0f} ns"
        f" (x{results['with'] / results['without']:.2f})"
    )


# --- 2-4. the real pairs -------------------------------------------------------------

PAIRS = {"postgresql": "TEST_PG", "mariadb": "TEST_MARIADB"}


class Pair:
    def __init__(self, name: str) -> None:
        prefix = PAIRS[name]
        self.name = name
        self.primary = os.environ[f"{prefix}_PRIMARY_URL"]
        self.replica = os.environ[f"{prefix}_REPLICA_URL"]
        self.ctl = os.environ["TEST_REPLICAS_CTL"]
        self.server = "pg-replica" if name == "postgresql" else "mariadb-replica"
        self.replica_port = sa.make_url(self.replica).port

    def app(self, **policy: t.Any) -> tuple[Flask, SQLAlchemy[t.Any], list[int | None]]:
        app = Flask(f"bench_{self.name}")
        app.config["SQLALCHEMY_DATABASE_URI"] = self.primary
        app.config["SQLALCHEMY_REPLICAS"] = {None: [self.replica]}
        app.config["SQLALCHEMY_REPLICA_POLICY"] = ReplicaPolicy(**policy)
        app.secret_key = "bench"
        db: SQLAlchemy[t.Any] = SQLAlchemy(app)
        user = make_user(db.Model)
        ports: list[int | None] = []

        def record(
            conn: sa.Connection, cursor: t.Any, statement: str, *args: t.Any
        ) -> None:
            if statement.startswith("SELECT bench_user") or "count(*)" in statement:
                ports.append(conn.engine.url.port)

        with app.app_context():
            db.drop_all()
            db.create_all()
            for engine in [db.engine, *db.replica_engines[None]]:
                sa.event.listen(engine, "before_cursor_execute", record)
        add_views(app, lambda: db.session(), user)
        time.sleep(0.5)  # the DDL replays
        return app, db, ports

    def close(self, app: Flask, db: SQLAlchemy[t.Any]) -> None:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            for engine in [db.engine, *db.replica_engines[None]]:
                engine.dispose()

    def control(self, command: str) -> str:
        return subprocess.run(
            [self.ctl, command, self.server], check=True, capture_output=True, text=True
        ).stdout.strip()


def read_share(pair: Pair, requests: int) -> None:
    app, db, ports = pair.app()
    try:
        rng = random.Random(1)
        clients = [app.test_client() for _ in range(20)]
        mine: list[list[str]] = [[] for _ in clients]
        for n in range(requests):
            i = rng.randrange(len(clients))
            if rng.random() < 0.1:
                text = clients[i].post(f"/users/w{n}").text
                mine[i].append(text.split(":")[0])
            elif mine[i] and rng.random() < 0.5:
                clients[i].get(f"/users/{rng.choice(mine[i])}")
            else:
                clients[i].get("/count")
        share = ports.count(pair.replica_port) / len(ports)
        print(
            f"2. {pair.name}: read-heavy mix, {requests} requests, 20 browsers:"
            f" {share:.1%} of {len(ports)} reads served by the replica"
        )
    finally:
        pair.close(app, db)


def stale_reads(pair: Pair, n: int) -> None:
    for mode in ("client", "off"):
        app, db, ports = pair.app(read_your_writes=mode)
        try:
            client = app.test_client()
            stale = 0
            waits: list[float] = []
            for i in range(n):
                ident, _, name = client.post(f"/users/s{i}").text.partition(":")
                started = time.perf_counter()
                if client.get(f"/users/{ident}").text != name:
                    stale += 1
                waits.append(time.perf_counter() - started)
            share = ports.count(pair.replica_port) / len(ports)
            print(
                f"3. {pair.name}: read_your_writes={mode!r}: {stale} stale own-write"
                f" reads of {n}; read-back median {statistics.median(waits) * 1e3:.2f} ms,"
                f" {share:.1%} of reads on the replica"
            )
        finally:
            pair.close(app, db)


def failover(pair: Pair) -> None:
    timeout = 2.0
    for how in ("stopped", "hung"):
        app, db, ports = pair.app(connect_timeout=timeout, down_for=30.0)
        client = app.test_client()
        try:
            client.post("/users/a")
            with app.app_context():
                db.replica_engines[None][0].dispose()
            pid = int(pair.control("pid"))
            if how == "stopped":
                pair.control("stop")
            else:
                os.kill(pid, signal.SIGSTOP)
            try:
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    assert client.get("/count").status_code == 200
                    timings.append(time.perf_counter() - started)
            finally:
                if how == "stopped":
                    pair.control("start")
                else:
                    os.kill(pid, signal.SIGCONT)
            print(
                f"4. {pair.name}: replica {how}: first request {timings[0] * 1e3:.1f} ms,"
                f" then {timings[1] * 1e3:.1f} / {timings[2] * 1e3:.1f} ms"
                f" (connect_timeout {timeout:g} s)"
            )
        finally:
            pair.close(app, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=100)
    parser.add_argument("--mix", type=int, default=2000, help="requests of part 2")
    parser.add_argument("--stale", type=int, default=1000, help="writes of part 3")
    parser.add_argument("--cost-only", action="store_true", help="part 1 only")
    args = parser.parse_args()
    per_request_cost(args.rounds, args.per_round)
    for name, prefix in PAIRS.items():
        if args.cost_only:
            break
        if not os.environ.get(f"{prefix}_PRIMARY_URL"):
            print(f"{name}: {prefix}_PRIMARY_URL not set (.ci/replicas env): skipped")
            continue
        pair = Pair(name)
        read_share(pair, args.mix)
        stale_reads(pair, args.stale)
        failover(pair)


if __name__ == "__main__":
    main()
