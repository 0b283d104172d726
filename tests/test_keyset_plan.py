"""The keyset query seeks in the index at depth on every database: EXPLAIN shows an
index range or search, not a full scan with a filter or a sort.

The table (20,000 rows, 10 per ``created`` value) is built on the server with
``generate_series``, ``seq_1_to_20000`` or a recursive CTE, and analysed, so the
planners see a table big enough to prefer the index.
"""

from __future__ import annotations

import json
import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import _keyset
from flask_sqlalchemy_typed import SQLAlchemy

ROWS = 20_000
metadata = sa.MetaData()
plan = sa.Table(
    "ks_plan",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("payload", sa.String(40), nullable=False),
    sa.Index("ks_plan_created_id", "created", "id"),
    sa.Index("ks_plan_created_desc_id", sa.desc("created"), "id"),
)

FILL = {
    "postgresql": (
        "INSERT INTO ks_plan SELECT g, g / 10, md5(g::text)"
        f" FROM generate_series(1, {ROWS}) g"
    ),
    "mysql": (
        f"INSERT INTO ks_plan SELECT seq, seq DIV 10, md5(seq) FROM seq_1_to_{ROWS}"
    ),
    "sqlite": (
        "INSERT INTO ks_plan WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL"
        f" SELECT x + 1 FROM g WHERE x < {ROWS}) SELECT x, x / 10, hex(x) FROM g"
    ),
}
ANALYZE = {
    "postgresql": "ANALYZE ks_plan",
    "mysql": "ANALYZE TABLE ks_plan",
    "sqlite": "ANALYZE",
}


@pytest.fixture
def engine(app: Flask) -> Iterator[sa.Engine]:
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    with app.app_context():
        engine = db.engine
        name = engine.dialect.name
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(FILL[name])
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql(ANALYZE[name])
        yield engine
        metadata.drop_all(engine)


def explain(engine: sa.Engine, stmt: sa.Select[t.Any]) -> str:
    sql = str(
        stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    )
    name = engine.dialect.name
    with engine.connect() as conn:
        if name == "postgresql":
            found = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + sql
            ).scalar_one()
            return json.dumps(found)
        if name == "mysql":
            return str(conn.exec_driver_sql("EXPLAIN FORMAT=JSON " + sql).scalar_one())
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
        return "\n".join(str(r[-1]) for r in rows)


def nodes(plan: t.Any) -> Iterator[dict[str, t.Any]]:
    if isinstance(plan, dict):
        yield plan
        for value in plan.values():
            yield from nodes(value)
    elif isinstance(plan, list):
        for value in plan:
            yield from nodes(value)


ORDERS: dict[str, list[t.Any]] = {
    "created, id": [plan.c.created],
    "created desc, id desc": [plan.c.created.desc()],
    "created desc, id asc (mixed)": [plan.c.created.desc(), plan.c.id],
    "id": [plan.c.id],
}


@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize("backward", [False, True])
def test_seek_uses_the_index(engine: sa.Engine, order: str, backward: bool) -> None:
    name = engine.dialect.name
    select = sa.select(plan).order_by(*ORDERS[order])
    keys = _keyset.order_keys(select, name)
    # a position 90 % deep: row 18,000 in the order
    position = 18_000
    with engine.connect() as conn:
        row = conn.execute(
            _keyset.statement(select, keys, None, False, position, name)
        ).all()[-1]
    values = list(row[len(plan.c) :])
    stmt = _keyset.statement(select, keys, values, backward, 21, name)
    with engine.connect() as conn:
        assert len(conn.execute(stmt).all()) == 21
    text = explain(engine, stmt)
    if name == "postgresql":
        found = list(nodes(json.loads(text)))
        scans = [n for n in found if "Index Cond" in n]
        assert scans, text
        assert all(n.get("Node Type") != "Sort" for n in found), text
        assert all(n.get("Node Type") != "Seq Scan" for n in found), text
        assert all(n.get("Rows Removed by Filter", 0) <= 21 for n in found), text
    elif name == "mysql":
        tables = [n["table"] for n in nodes(json.loads(text)) if "table" in n]
        assert tables, text
        assert all(t_["access_type"] == "range" for t_ in tables), text
        assert all(t_["key"] in ("PRIMARY", *INDEXES) for t_ in tables), text
        assert "filesort" not in text, text
    else:
        assert "SEARCH ks_plan USING" in text, text
        assert "INDEX" in text, text
        assert "SCAN" not in text and "TEMP B-TREE" not in text, text


INDEXES = ("ks_plan_created_id", "ks_plan_created_desc_id")
