"""Per-test cost of resetting the database between tests: ``db.test_isolation()``
(savepoint mode), its ``mode="delete"`` fallback, and ``drop_all()`` + ``create_all()``.

A script, not a test. The same small test (two app contexts: insert a row into each
of 8 foreign-key-chained tables on the default bind and 2 on a second bind, commit,
read them back, update one, commit) runs 200 times with each reset, interleaved in
rounds so that drift hits all of them alike, on SQLite (a file) and, when their
variables are set, PostgreSQL (``TEST_POSTGRES_URL``) and MariaDB
(``TEST_MARIADB_URL``); the second bind uses the database ``<name>_other``, created
when missing. ``none`` is the test without any reset (rows pile up): the cost of
the test itself. It prints the median per-test time of each reset, its cost over
``none``, and the ratios to ``drop_all + create_all`` and to ``delete``::

    TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
    TEST_MARIADB_URL=mysql+pymysql://root@127.0.0.1:3306/bench \\
        python bench/isolation.py

Options: ``--tests`` (default 200) per reset, ``--rounds`` (default 10).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
import typing as t
from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

CHAIN = 8  # tables on the default bind, each referring to the previous one
OTHER = 2  # tables on the second bind


def make_app(url: str, other_url: str) -> tuple[Flask, SQLAlchemy[t.Any], list[t.Any]]:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_BINDS"] = {"other": other_url}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    models: list[t.Any] = []
    for i in range(CHAIN + OTHER):
        attrs: dict[str, t.Any] = {
            "__tablename__": f"bench_t{i}",
            "__annotations__": {"id": sa_orm.Mapped[int], "name": sa_orm.Mapped[str]},
            "id": sa_orm.mapped_column(primary_key=True),
            "name": sa_orm.mapped_column(sa.String(50)),
        }
        if i >= CHAIN:
            attrs["__bind_key__"] = "other"
        elif i > 0:
            attrs["__annotations__"]["parent_id"] = sa_orm.Mapped[int]
            attrs["parent_id"] = sa_orm.mapped_column(
                sa.ForeignKey(f"bench_t{i - 1}.id")
            )
        models.append(type(f"BenchT{i}", (db.Model,), attrs))
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app, db, models


def small_test(app: Flask, db: SQLAlchemy[t.Any], models: list[t.Any]) -> None:
    """What a typical small test does: a request-sized unit of work, then checks."""
    with app.app_context():
        parent = None
        for i, model in enumerate(models):
            row = model(name=f"row {i}")
            if 0 < i < CHAIN:
                row.parent_id = parent.id
            db.session.add(row)
            db.session.flush()
            if i < CHAIN:
                parent = row
        db.session.commit()
    with app.app_context():
        last = db.session.scalars(
            sa.select(models[CHAIN - 1]).order_by(models[CHAIN - 1].id.desc())
        ).first()
        assert last is not None
        last.name = "changed"
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(models[-1].id))) >= 1


def resets(
    app: Flask, db: SQLAlchemy[t.Any], models: list[t.Any]
) -> dict[str, Callable[[], None]]:
    def none() -> None:
        small_test(app, db, models)

    def savepoint() -> None:
        with db.test_isolation(app):
            small_test(app, db, models)

    def delete() -> None:
        with db.test_isolation(app, mode="delete"):
            small_test(app, db, models)

    def recreate() -> None:
        small_test(app, db, models)
        with app.app_context():
            db.drop_all()
            db.create_all()

    return {
        "none": none,
        "test_isolation()": savepoint,
        "mode='delete'": delete,
        "drop_all + create_all": recreate,
    }


def other_database(url: str) -> str:
    """The URL of ``<database>_other`` on the same server, created when missing."""
    parsed = sa.make_url(url)
    name = f"{parsed.database}_other"
    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if parsed.get_backend_name() == "postgresql":
            found = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if found is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        else:
            conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS `{name}`")
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def run(label: str, url: str, other_url: str, tests: int, rounds: int) -> None:
    app, db, models = make_app(url, other_url)
    kinds = resets(app, db, models)
    times: dict[str, list[float]] = {name: [] for name in kinds}
    for fn in kinds.values():  # warm up every path once
        fn()
    per_round = max(1, tests // rounds)
    gc.collect()
    for _ in range(rounds):
        for name, fn in kinds.items():
            for _ in range(per_round):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    with app.app_context():
        for model in models:
            db.session.execute(sa.delete(model))
        db.session.commit()
        for name in ("test_isolation()", "mode='delete'"):
            kinds[name]()
        left = sum(
            db.session.scalar(sa.select(sa.func.count(m.id))) or 0 for m in models
        )
        db.session.remove()  # end its read transaction: DROP TABLE would wait on it
        db.drop_all()
        for engine in db.engines.values():
            engine.dispose()
    assert left == 0, f"{left} rows left behind"
    median = {name: statistics.median(v) * 1000 for name, v in times.items()}
    base = median["none"]
    recreate = median["drop_all + create_all"]
    delete = median["mode='delete'"]
    print(f"\n{label}: {per_round * rounds} tests per reset, median ms per test")
    print(
        f"  {'reset':<24}{'per test':>10}{'over none':>11}{'/ recreate':>12}{'/ delete':>10}"
    )
    for name, value in median.items():
        print(
            f"  {name:<24}{value:>10.2f}{value - base:>11.2f}"
            f"{value / recreate:>12.3f}{value / delete:>10.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(
            "SQLite (file)",
            f"sqlite:///{tmp}/bench.db",
            f"sqlite:///{tmp}/bench_other.db",
            args.tests,
            args.rounds,
        )
    for label, var in (
        ("PostgreSQL", "TEST_POSTGRES_URL"),
        ("MariaDB", "TEST_MARIADB_URL"),
    ):
        url = os.environ.get(var)
        if url:
            run(label, url, other_database(url), args.tests, args.rounds)
        else:
            print(f"\n{label}: skipped ({var} is not set)")


if __name__ == "__main__":
    main()
