"""``repr(db)``: the default engine's URL and the number of other engines."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy


def _repr_in_context(app: Flask, db: SQLAlchemy[t.Any]) -> str:
    with app.app_context():
        text = repr(db)
        for engine in db.engines.values():
            engine.dispose()
    return text


def test_outside_app_context(app: Flask) -> None:
    db = SQLAlchemy(app)
    assert repr(db) == "<SQLAlchemy>"
    _repr_in_context(app, db)


@pytest.mark.databases("sqlite")  # asserts "sqlite://" in the repr
def test_default_engine(app: Flask) -> None:
    assert _repr_in_context(app, SQLAlchemy(app)) == "<SQLAlchemy sqlite://>"


@pytest.mark.databases("sqlite")  # asserts "sqlite://" in the repr
def test_other_engines(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"a": "sqlite://", "b": "sqlite://"}
    assert _repr_in_context(app, SQLAlchemy(app)) == "<SQLAlchemy sqlite:// +2 engines>"


def test_no_default_engine(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = None
    app.config["SQLALCHEMY_BINDS"] = {"a": "sqlite://"}
    assert (
        _repr_in_context(app, SQLAlchemy(app))
        == "<SQLAlchemy (No default engine) +1 engines>"
    )


@pytest.mark.parametrize(
    ("uri", "expect"),
    [
        (
            "postgresql+psycopg://scott:tiger@localhost/app",
            "<SQLAlchemy postgresql+psycopg://scott:***@localhost/app>",
        ),
        (
            "mysql+pymysql://root:p%40ss@db:3306/app?charset=utf8mb4",
            "<SQLAlchemy mysql+pymysql://root:***@db:3306/app?charset=utf8mb4>",
        ),
    ],
)
def test_password_never_shown(app: Flask, uri: str, expect: str) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    app.config["SQLALCHEMY_BINDS"] = {"x": uri.replace("app", "other", 1)}
    text = _repr_in_context(app, SQLAlchemy(app))
    assert text == expect.replace(">", " +1 engines>")
    assert "tiger" not in text and "p%40ss" not in text and "p@ss" not in text


@pytest.mark.databases("sqlite")  # asserts "sqlite://" in the repr
def test_subclass_name(app: Flask) -> None:
    class MyDB(SQLAlchemy[t.Any]):
        pass

    assert _repr_in_context(app, MyDB(app)) == "<MyDB sqlite://>"


def test_app_not_initialized(app: Flask, tmp_path: t.Any) -> None:
    db = SQLAlchemy(app)
    other = Flask("other", instance_path=str(tmp_path))
    with other.app_context():
        assert repr(db) == "<SQLAlchemy>"
    _repr_in_context(app, db)
