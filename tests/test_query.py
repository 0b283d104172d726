"""The legacy Query class and Model.query, on every model base kind."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.query import Query


def make_user(db: SQLAlchemy[t.Any], **attrs: t.Any) -> t.Any:
    base: t.Any = db.Model
    ns = {
        "__tablename__": "qry_user",
        "id": sa_orm.mapped_column(sa.Integer, primary_key=True, init=False)
        if issubclass(base, sa_orm.MappedAsDataclass)
        else sa.Column(sa.Integer, primary_key=True),
        **attrs,
    }
    return type("User", (base,), ns)


@pytest.mark.usefixtures("app_ctx")
def test_model_query(db: SQLAlchemy[t.Any]) -> None:
    User = make_user(db)
    db.create_all()
    query = User.query
    assert type(query) is Query
    assert query is not User.query  # a new query per access
    assert query.session is db.session()
    assert query.all() == []
    assert type(User.query.filter(User.id > 1)) is Query


def test_model_query_outside_app_context(app: Flask, db: SQLAlchemy[t.Any]) -> None:
    with app.app_context():
        User = make_user(db)
    with pytest.raises(RuntimeError, match="application context"):
        User.query  # noqa: B018


class MyQuery(Query[t.Any]):
    pass


class OtherQuery(Query[t.Any]):
    pass


@pytest.mark.usefixtures("app_ctx")
def test_query_class_per_model(db: SQLAlchemy[t.Any]) -> None:
    User = make_user(db, query_class=MyQuery)
    assert type(User.query) is MyQuery
    assert db.Query is Query
    assert type(db.session.query(User)) is Query


def test_extension_query_class(app: Flask, model_class: t.Any) -> None:
    db: SQLAlchemy[t.Any] = SQLAlchemy(
        app, model_class=model_class, query_class=MyQuery
    )
    with app.app_context():
        User = make_user(db)
        assert db.Query is MyQuery
        assert type(User.query) is MyQuery
        assert type(db.session.query(User)) is MyQuery  # the session's query_cls
        Tagged: t.Any = type("Tagged", (User,), {"query_class": OtherQuery})
        assert type(Tagged.query) is OtherQuery


def test_query_is_subscriptable() -> None:
    assert issubclass(Query, sa_orm.Query)
    assert Query[int].paginate is Query.paginate


def test_typed_query_base(app: Flask) -> None:
    """``class Base(Model, DeclarativeBase)``: the base that types ``User.query``
    under mypy (which cannot subclass ``db.Model``) works at runtime too."""
    from flask_sqlalchemy_typed.model import Model

    class Base(Model, sa_orm.DeclarativeBase):
        pass

    db: SQLAlchemy[t.Any] = SQLAlchemy(app, model_class=Base)

    class User(Base):
        __tablename__ = "qry_typed_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    with app.app_context():
        db.create_all()
        db.session.add(User(id=1))
        db.session.commit()
        assert type(User.query) is Query
        assert User.query.filter_by(id=1).one_or_404().id == 1
        assert User.query.paginate(page=1).total == 1
