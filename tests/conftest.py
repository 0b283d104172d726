"""Shared fixtures: an app per test, the five model base kinds, the three databases."""

from __future__ import annotations

import os
import types
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask.ctx import AppContext

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model

# The model_class kinds every model test runs with. Bases are built per test so each
# test gets a fresh registry and metadata.
MODEL_KINDS: dict[str, tuple[type, ...] | None] = {
    "model": None,
    "declarative": (sa_orm.DeclarativeBase,),
    "dataclass": (sa_orm.MappedAsDataclass, sa_orm.DeclarativeBase),
    "nometa": (sa_orm.DeclarativeBaseNoMeta,),
    "dataclass_nometa": (sa_orm.MappedAsDataclass, sa_orm.DeclarativeBaseNoMeta),
}

SERVER_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}


def make_model_class(kind: str) -> t.Any:
    """A fresh ``model_class`` argument of the given kind."""
    bases = MODEL_KINDS[kind]
    if bases is None:
        return Model
    return types.new_class(f"Base_{kind}", bases, {"metaclass": type(bases[-1])})


def database_url(name: str) -> str:
    """The SQLAlchemy URL of a test database, skipping when it is not configured."""
    if name == "sqlite":
        return "sqlite://"
    var = SERVER_ENV[name]
    url = os.environ.get(var)
    if not url:
        pytest.skip(f"{var} is not set: the {name} server tests run in .ci/run")
    return url


def reset_database(url: str) -> None:
    """Drop every table of a server test database (tests share one database)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each database in turn; server ones skip without their variable."""
    url = database_url(request.param)
    if request.param != "sqlite":
        reset_database(url)
    yield url
    if request.param != "sqlite":
        reset_database(url)


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    app = Flask(request.module.__name__, instance_path=str(tmp_path / "instance"))
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config["SQLALCHEMY_RECORD_QUERIES"] = False
    return app


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[AppContext]:
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture(params=list(MODEL_KINDS))
def model_class(request: pytest.FixtureRequest) -> t.Any:
    return make_model_class(request.param)


@pytest.fixture
def db(app: Flask, model_class: t.Any) -> Iterator[SQLAlchemy[t.Any]]:
    db: SQLAlchemy[t.Any] = SQLAlchemy(app, model_class=model_class)
    yield db
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
