"""Keyset pagination against OFFSET at depth, on a 1,000,000-row table.

A script, not a test. For each database (SQLite always, in a temporary file;
PostgreSQL and MariaDB when ``TEST_POSTGRES_URL`` / ``TEST_MARIADB_URL`` name a
database this script may create a table in), it builds ``ks_bench`` on the server
(``generate_series``, ``seq_1_to_1000000``, a recursive CTE), 10 rows per
``created`` second, with indexes on ``(created, id)`` and ``(created DESC, id)``,
then times a page of 20 rows at positions 0, 10k, 100k and 900k:

* ``offset``: ``db.paginate(select, page=..., per_page=20, count=False)``;
* ``keyset``: ``db.keyset_paginate(select, after=<cursor of the row before>)``.

Both run through the same Flask app and session; every keyset page is checked
equal to the OFFSET page. Medians in ms of ``--runs`` runs after one warm-up.
The table is dropped afterwards. Goal: the deepest keyset page within 2x of the
first on every database::

    TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_keyset \\
    TEST_MARIADB_URL=mysql+pymysql://root@127.0.0.1:3306/test_keyset \\
        python bench/keyset.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import typing as t

import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import _cursor
from flask_sqlalchemy_typed import _keyset
from flask_sqlalchemy_typed import SQLAlchemy

ROWS = 1_000_000
DEPTHS = (0, 10_000, 100_000, 900_000)
PER_PAGE = 20

metadata = sa.MetaData()
bench = sa.Table(
    "ks_bench",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.String(40), nullable=False),
)
# Part of the table: created with it, before the rows.
INDEXES = (
    sa.Index("ks_bench_created_id", bench.c.created, bench.c.id),
    sa.Index("ks_bench_created_desc_id", bench.c.created.desc(), bench.c.id),
)
FILL = {
    "postgresql": (
        "INSERT INTO ks_bench SELECT g, timestamptz '2020-01-01 00:00:00+00'"
        " + (g / 10) * interval '1 second', md5(g::text)"
        f" FROM generate_series(1, {ROWS}) g"
    ),
    "mysql": (
        "INSERT INTO ks_bench SELECT seq, TIMESTAMP '2020-01-01 00:00:00'"
        f" + INTERVAL (seq DIV 10) SECOND, md5(seq) FROM seq_1_to_{ROWS}"
    ),
    # SQLAlchemy stores a SQLite DATETIME as text with microseconds.
    "sqlite": (
        "INSERT INTO ks_bench WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL"
        f" SELECT x + 1 FROM g WHERE x < {ROWS}) SELECT x,"
        " datetime('2020-01-01', '+' || (x / 10) || ' seconds') || '.000000',"
        " hex(randomblob(16)) FROM g"
    ),
}
ANALYZE = {"postgresql": "VACUUM ANALYZE ks_bench", "mysql": "ANALYZE TABLE ks_bench"}
ORDERS: dict[str, list[t.Any]] = {
    "created, id": [bench.c.created, bench.c.id],
    "created DESC, id": [bench.c.created.desc(), bench.c.id],
}


def build(engine: sa.Engine) -> float:
    start = time.perf_counter()
    name = engine.dialect.name
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(FILL[name])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(ANALYZE.get(name, "ANALYZE"))
    return time.perf_counter() - start


def median_ms(call: t.Callable[[], t.Any], runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(url: str, runs: int) -> list[tuple[str, str, list[float]]]:
    app = Flask("bench")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.secret_key = "bench"
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    out: list[tuple[str, str, list[float]]] = []
    with app.app_context():
        engine = db.engine
        name = engine.dialect.name
        print(f"{name}: built {ROWS:,} rows in {build(engine):.1f} s", flush=True)
        try:
            for order, clauses in ORDERS.items():
                select = sa.select(bench).order_by(*clauses)
                keys = _keyset.order_keys(select, name)
                fp = _keyset.describe(keys)
                signer = _cursor.serializer()
                offsets: list[float] = []
                seeks: list[float] = []
                for depth in DEPTHS:
                    page = depth // PER_PAGE + 1
                    cursor = None
                    if depth:
                        before = db.session.execute(
                            _keyset.statement(
                                select, keys, None, False, 1, name
                            ).offset(depth - 1)
                        ).one()
                        cursor = _cursor.dumps(signer, fp, before[len(bench.c) :])

                    def by_offset(
                        page: int = page, select: t.Any = select
                    ) -> list[t.Any]:
                        return db.paginate_rows(
                            select, page=page, per_page=PER_PAGE, count=False
                        ).items

                    def by_keyset(
                        cursor: str | None = cursor, select: t.Any = select
                    ) -> list[t.Any]:
                        return db.keyset_paginate_rows(
                            select, after=cursor, per_page=PER_PAGE
                        ).items

                    a, b = [r.id for r in by_offset()], [r.id for r in by_keyset()]
                    assert a == b, (depth, a, b)
                    offsets.append(median_ms(by_offset, runs))
                    seeks.append(median_ms(by_keyset, runs))
                    db.session.rollback()
                out.append((name, f"{order} / offset", offsets))
                out.append((name, f"{order} / keyset", seeks))
        finally:
            db.session.rollback()
            metadata.drop_all(engine)
            engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="20k rows, 1 run")
    args = parser.parse_args()
    if args.smoke:
        global ROWS, DEPTHS
        ROWS, DEPTHS = 20_000, (0, 100, 1_000, 18_000)
        for name in FILL:
            FILL[name] = FILL[name].replace("1000000", str(ROWS))
    rows: list[tuple[str, str, list[float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += measure(f"sqlite:///{tmp}/bench.db", args.runs)
    for var in ("TEST_POSTGRES_URL", "TEST_MARIADB_URL"):
        url = os.environ.get(var)
        if url:
            rows += measure(url, args.runs)
        else:
            print(f"{var} is not set: skipping that database")
    print()
    print(
        f"median ms per page of {PER_PAGE} rows, {ROWS:,}-row table ({sa.__version__=})"
    )
    head = "".join(f"{d:>10,}" for d in DEPTHS)
    print(f"{'db':<11}{'order / method':<28}{head}{'deepest/first':>15}")
    misses = []
    for name, label, times in rows:
        ratio = times[-1] / times[0]
        cells = "".join(f"{x:>10.2f}" for x in times)
        print(f"{name:<11}{label:<28}{cells}{ratio:>14.2f}x")
        if label.endswith("keyset") and ratio > 2:
            misses.append(f"{name} {label}: {ratio:.2f}x")
    if misses:
        print("keyset misses the 2x goal:", "; ".join(misses))


if __name__ == "__main__":
    main()
