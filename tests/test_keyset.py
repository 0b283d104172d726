"""db.keyset_paginate on SQLite, PostgreSQL and MariaDB: every page walked forward
and backward against the full order computed here, NULLs and ties included."""

from __future__ import annotations

import functools
import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.pagination import KeysetPage
from flask_sqlalchemy_typed.query import Query


class Base(sa_orm.DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "ks_item"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    a: sa_orm.Mapped[int | None]
    b: sa_orm.Mapped[str | None] = sa_orm.mapped_column(sa.String(10))
    c: sa_orm.Mapped[int] = sa_orm.mapped_column(default=0)


# (column name, descending, NULL placement: None is the database's default)
Order = list[tuple[str, bool, bool | None]]

ORDERS: dict[str, Order] = {
    "pk": [("id", False, None)],
    "pk desc": [("id", True, None)],
    "non-unique + pk": [("c", False, None)],
    "desc": [("c", True, None)],
    "mixed": [("c", True, None), ("id", False, None)],
    "nullable asc": [("a", False, None)],
    "nullable desc": [("a", True, None)],
    "nullable asc nulls first": [("a", False, True)],
    "nullable asc nulls last": [("a", False, False)],
    "nullable desc nulls first": [("a", True, True)],
    "nullable desc nulls last": [("a", True, False)],
    "three with nulls and ties": [
        ("b", False, True),
        ("a", True, False),
        ("c", False, None),
    ],
    "three mixed default nulls": [
        ("a", False, None),
        ("b", True, None),
        ("id", True, None),
    ],
}


def expression(order: Order) -> list[t.Any]:
    out: list[t.Any] = []
    for name, desc, nulls in order:
        col: t.Any = getattr(Item, name)
        col = col.desc() if desc else col.asc()
        if nulls is not None:
            col = col.nulls_first() if nulls else col.nulls_last()
        out.append(col)
    return out


def nulls_high(app: Flask) -> bool:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    return uri.startswith("postgresql")


def reference(rows: list[dict[str, t.Any]], order: Order, high: bool) -> list[int]:
    """The ids in the order, computed here: the database's default NULL placement
    (``high``: NULLs sort as the largest value), then the primary key."""
    full = [*order, ("id", False, None)]

    def compare(x: dict[str, t.Any], y: dict[str, t.Any]) -> int:
        for name, desc, nulls in full:
            a, b = x[name], y[name]
            if a == b:
                continue
            first = nulls if nulls is not None else (desc if high else not desc)
            if a is None:
                return -1 if first else 1
            if b is None:
                return 1 if first else -1
            less = a < b
            return (-1 if less else 1) * (-1 if desc else 1)
        return 0

    return [r["id"] for r in sorted(rows, key=functools.cmp_to_key(compare))]


def make_rows(count: int) -> list[dict[str, t.Any]]:
    return [
        {
            "id": i,
            "a": None if i % 4 == 0 else i % 3,
            "b": None if i % 5 == 0 else "xyz"[i % 3],
            "c": i % 6,
        }
        for i in range(1, count + 1)
    ]


class Env(t.NamedTuple):
    db: SQLAlchemy[t.Any]
    app: Flask


@pytest.fixture
def env(app: Flask) -> Iterator[Env]:
    app.secret_key = "keyset tests"
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[Item.__table__])  # type: ignore[list-item]
        yield Env(db, app)
        db.session.rollback()
        Base.metadata.drop_all(db.engine, tables=[Item.__table__])  # type: ignore[list-item]


def fill(db: SQLAlchemy[t.Any], rows: list[dict[str, t.Any]]) -> None:
    db.session.execute(sa.delete(Item))
    if rows:
        db.session.execute(sa.insert(Item), rows)
    db.session.commit()


def walk(
    db: SQLAlchemy[t.Any], select: sa.Select[t.Any], per_page: int
) -> tuple[list[int], list[int], list[KeysetPage[t.Any]]]:
    """Every page forward from the first, then every page backward from the last:
    the ids in page order both ways."""
    page = db.keyset_paginate(select, per_page=per_page)
    assert not page.has_prev and page.prev_cursor is None
    pages = [page]
    while page.has_next:
        assert len(pages) <= 1000, "a cursor repeats rows"
        assert page.next_cursor is not None
        page = db.keyset_paginate(select, per_page=per_page, after=page.next_cursor)
        assert page.has_prev
        pages.append(page)
    forward = [item.id for p in pages for item in p]
    backward = [item.id for item in page]
    while page.has_prev:
        assert len(backward) <= 1000, "a cursor repeats rows"
        assert page.prev_cursor is not None
        page = db.keyset_paginate(select, per_page=per_page, before=page.prev_cursor)
        assert page.has_next
        backward = [item.id for item in page] + backward
    return forward, backward, pages


@pytest.mark.parametrize("name", list(ORDERS))
def test_walk(env: Env, name: str) -> None:
    rows = make_rows(41)
    fill(env.db, rows)
    order = ORDERS[name]
    expect = reference(rows, order, nulls_high(env.app))
    select = sa.select(Item).order_by(*expression(order))
    for per_page in (1, 7, 41, 50):
        forward, backward, pages = walk(env.db, select, per_page)
        assert forward == expect
        assert backward == expect
        assert all(len(p) == per_page for p in pages[:-1])
        assert len(pages) == max(1, -(-len(rows) // per_page))


def test_empty_table(env: Env) -> None:
    page = env.db.keyset_paginate(sa.select(Item).order_by(Item.id), count=True)
    assert page.items == [] and len(page) == 0 and page.total == 0
    assert not page.has_next and not page.has_prev
    assert page.next_cursor is None and page.prev_cursor is None


def test_columns_and_rows(env: Env) -> None:
    rows = make_rows(12)
    fill(env.db, rows)
    expect = reference(rows, ORDERS["nullable desc"], nulls_high(env.app))
    names = env.db.keyset_paginate(
        sa.select(Item.id, Item.b).order_by(Item.a.desc()), per_page=5
    )
    assert names.items == expect[:5]
    assert names.total is None
    rest = env.db.keyset_paginate_rows(
        sa.select(Item.id, Item.b).order_by(Item.a.desc()),
        per_page=5,
        after=names.next_cursor,
        count=True,
    )
    assert [tuple(r) for r in rest.items] == [
        (i, rows[i - 1]["b"]) for i in expect[5:10]
    ]
    assert rest.total == 12
    assert all(isinstance(r, sa.Row) and len(r) == 2 for r in rest)


def test_query_keyset_paginate(env: Env) -> None:
    rows = make_rows(9)
    fill(env.db, rows)
    query = t.cast("Query[Item]", env.db.session.query(Item).order_by(Item.c.desc()))
    first = query.keyset_paginate(per_page=4)
    second = query.keyset_paginate(per_page=4, after=first.next_cursor)
    expect = reference(rows, ORDERS["desc"], nulls_high(env.app))
    assert [i.id for i in [*first, *second]] == expect[:8]
    pairs = t.cast(
        "Query[sa.Row[int, int]]",
        env.db.session.query(Item.id, Item.c).order_by(Item.id),
    )
    page = pairs.keyset_paginate(per_page=3)
    assert [tuple(r) for r in page] == [(1, 1), (2, 2), (3, 3)]


def test_changes_between_requests(env: Env) -> None:
    """Rows inserted or deleted between two requests: no row before the cursor
    comes back, none after it is skipped (what OFFSET gets wrong)."""
    rows = make_rows(30)
    fill(env.db, rows)
    order = ORDERS["three with nulls and ties"]
    select = sa.select(Item).order_by(*expression(order))
    high = nulls_high(env.app)
    page = env.db.keyset_paginate(select, per_page=8)
    seen = [i.id for i in page]
    # delete rows on both sides of the cursor, insert rows on both sides
    before = reference(rows, order, high)
    gone = {before[2], before[9], before[20]}
    env.db.session.execute(sa.delete(Item).where(Item.id.in_(gone)))
    added = [
        {"id": 100 + i, "a": r["a"], "b": r["b"], "c": r["c"]}
        for i, r in enumerate(rows[:6])
    ]
    env.db.session.execute(sa.insert(Item), added)
    env.db.session.commit()
    now = [r for r in rows if r["id"] not in gone] + added
    order_now = reference(now, order, high)
    last = seen[-1]
    expect_rest = order_now[order_now.index(last) + 1 :]
    got: list[int] = []
    while page.has_next:
        page = env.db.keyset_paginate(select, per_page=8, after=page.next_cursor)
        got += [i.id for i in page]
    assert got == expect_rest
    assert not set(got) & set(seen)


def test_orm_join_and_alias(env: Env) -> None:
    rows = make_rows(10)
    fill(env.db, rows)
    other = sa_orm.aliased(Item)
    select = (
        sa.select(Item)
        .join(other, other.id == Item.c)
        .order_by(other.a.desc(), Item.id.desc())
    )
    forward, backward, _ = walk(env.db, select, 3)
    assert forward == backward
    assert sorted(forward) == [r["id"] for r in rows if r["c"] >= 1]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 3)),
            st.one_of(st.none(), st.sampled_from(["p", "q", "r"])),
            st.integers(0, 2),
        ),
        max_size=25,
    ),
    order=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "id"]),
            st.booleans(),
            st.sampled_from([None, True, False]),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda k: k[0],
    ),
    per_page=st.integers(1, 6),
)
def test_walk_generated(
    env: Env,
    data: list[tuple[int | None, str | None, int]],
    order: Order,
    per_page: int,
) -> None:
    rows = [{"id": i, "a": a, "b": b, "c": c} for i, (a, b, c) in enumerate(data, 1)]
    fill(env.db, rows)
    expect = reference(rows, order, nulls_high(env.app))
    select = sa.select(Item).order_by(*expression(order))
    forward, backward, _ = walk(env.db, select, per_page)
    assert forward == expect
    assert backward == expect


class Parent(Base):
    __tablename__ = "ks_parent"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(10))
    children: sa_orm.Mapped[list[Child]] = sa_orm.relationship()


class Child(Base):
    __tablename__ = "ks_child"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    parent_id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.ForeignKey(Parent.id))


def test_joined_eager_collections(env: Env) -> None:
    """A joined eager load of a collection multiplies the SQL rows, not the page."""
    tables = [Parent.__table__, Child.__table__]
    Base.metadata.create_all(env.db.engine, tables=tables)  # type: ignore[arg-type]
    try:
        env.db.session.add_all(
            Parent(
                id=i,
                name=f"n{i % 3}",
                children=[Child(id=10 * i + j) for j in range(i % 4)],
            )
            for i in range(1, 12)
        )
        env.db.session.commit()
        env.db.session.expunge_all()
        select = (
            sa.select(Parent)
            .options(sa_orm.joinedload(Parent.children))
            .order_by(Parent.name.desc())
        )
        page = env.db.keyset_paginate(select, per_page=4)
        pages = [page]
        while page.has_next:
            page = env.db.keyset_paginate(select, per_page=4, after=page.next_cursor)
            pages.append(page)
        got = [p.id for page in pages for p in page]
        expect = sorted(range(1, 12), key=lambda i: (-(i % 3), i))
        assert got == expect
        assert [len(p) for p in pages] == [4, 4, 3]
        assert all(len(p.children) == p.id % 4 for page in pages for p in page)
    finally:
        env.db.session.rollback()
        Base.metadata.drop_all(env.db.engine, tables=tables)  # type: ignore[arg-type]
