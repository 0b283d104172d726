"""db.paginate's count query: a plain ``SELECT count(*) FROM ... WHERE ...`` where
it counts the same rows as the select, the select as a subquery otherwise; the
total is the number of rows either way, on every database."""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy


class Base(sa_orm.DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "cnt_author"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(20))
    books: sa_orm.Mapped[list[Book]] = sa_orm.relationship()


class Book(Base):
    __tablename__ = "cnt_book"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    author_id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.ForeignKey(Author.id))
    kind: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(10))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "book"}


class Novel(Book):
    __mapper_args__ = {"polymorphic_identity": "novel"}


class Env(t.NamedTuple):
    db: SQLAlchemy[t.Any]
    statements: list[str]


@pytest.fixture
def env(app: Flask) -> Iterator[Env]:
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    statements: list[str] = []
    with app.app_context():
        Base.metadata.create_all(db.engine)
        db.session.add_all(Author(id=i, name=f"a{i % 3}") for i in range(1, 8))
        db.session.add_all(
            (Novel if b % 2 else Book)(id=b, author_id=1 + b % 3) for b in range(1, 10)
        )
        db.session.commit()
        sa.event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        yield Env(db, statements)
        db.session.rollback()
        Base.metadata.drop_all(db.engine)


def count_sql(env: Env, select: sa.Select[t.Any]) -> tuple[int | None, str]:
    env.statements.clear()
    total = env.db.paginate(select, page=1, per_page=1).total
    counts = [s for s in env.statements if s.upper().startswith("SELECT COUNT(*)")]
    assert len(counts) == 1
    return total, " ".join(counts[0].split())


def expected(env: Env, select: sa.Select[t.Any]) -> int:
    return len(env.db.session.execute(select).all())


PLAIN: dict[str, t.Callable[[], t.Any]] = {
    "entity": lambda: sa.select(Author).order_by(Author.id),
    "where": lambda: sa.select(Author).where(Author.id > 2),
    "columns": lambda: sa.select(Author.name, Author.id).where(Author.name != "a1"),
    "join": lambda: sa.select(Author).join(Book),  # counts the join's rows
    "outer join": lambda: sa.select(Author.id).outerjoin(Book),
    "core table": lambda: sa.select(Author.__table__).where(Author.__table__.c.id < 5),
    "expression": lambda: sa.select(Author.id + 1),
}
SUBQUERY: dict[str, t.Callable[[], t.Any]] = {
    "distinct": lambda: sa.select(Author.name).distinct(),
    "group by": lambda: sa.select(Book.author_id).group_by(Book.author_id),
    "having": lambda: (
        sa.select(Book.author_id).group_by(Book.author_id).having(sa.func.count() > 1)
    ),
    "aggregate": lambda: sa.select(sa.func.max(Author.id)),
    "function": lambda: sa.select(sa.func.lower(Author.name)),
    "limit": lambda: sa.select(Author).order_by(Author.id).limit(3),
    "offset": lambda: sa.select(Author).order_by(Author.id).offset(5),
    "single-table inheritance": lambda: sa.select(Novel),
    "inheritance base": lambda: sa.select(Book),
    "loader options": lambda: sa.select(Author).options(
        sa_orm.selectinload(Author.books)
    ),
    "scalar subquery": lambda: sa.select(
        Author.id,
        sa.select(sa.func.count(Book.id))
        .where(Book.author_id == Author.id)
        .scalar_subquery(),
    ),
    "text column": lambda: sa.select(sa.literal_column("1")).select_from(Author),
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_count(env: Env, name: str) -> None:
    select = PLAIN[name]()
    total, sql = count_sql(env, select)
    assert total == expected(env, select)
    assert "(SELECT" not in sql.upper(), sql


@pytest.mark.parametrize("name", list(SUBQUERY))
def test_subquery_count(env: Env, name: str) -> None:
    select = SUBQUERY[name]()
    total, sql = count_sql(env, select)
    assert total == expected(env, select)
    assert "FROM (SELECT" in sql.upper(), sql
