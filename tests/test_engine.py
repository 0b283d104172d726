"""Engines: config keys, defaults, precedence, driver defaults, errors."""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy


def test_config_defaults_written(app: Flask) -> None:
    del app.config["SQLALCHEMY_RECORD_QUERIES"]
    SQLAlchemy(app)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}
    assert app.config["SQLALCHEMY_ECHO"] is False
    assert app.config["SQLALCHEMY_BINDS"] == {}
    assert app.config["SQLALCHEMY_RECORD_QUERIES"] is False
    assert app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] is False
    assert app.extensions["sqlalchemy"] is not None


def test_extension_registered(app: Flask) -> None:
    db = SQLAlchemy(app)
    assert app.extensions["sqlalchemy"] is db


def test_registered_twice(app: Flask) -> None:
    SQLAlchemy(app)
    with pytest.raises(RuntimeError, match="already been registered"):
        SQLAlchemy(app)


def test_no_uri_no_binds(app: Flask) -> None:
    del app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(RuntimeError) as info:
        SQLAlchemy(app)
    assert str(info.value) == (
        "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set."
    )
    # nothing was half-registered: a corrected config works
    assert "sqlalchemy" not in app.extensions
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    SQLAlchemy(app)


def test_unregistered_app(app: Flask) -> None:
    db = SQLAlchemy()
    with (
        app.app_context(),
        pytest.raises(RuntimeError, match="forget to call 'init_app'"),
    ):
        _ = db.engine


def test_outside_app_context(app: Flask) -> None:
    db = SQLAlchemy(app)
    with pytest.raises(RuntimeError, match="application context"):
        _ = db.engine
    with pytest.raises(RuntimeError, match="application context"):
        db.session()


@pytest.mark.usefixtures("app_ctx")
def test_precedence(app: Flask) -> None:
    init_options = {"echo": True, "pool_pre_ping": True}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"echo": False}
    app.config["SQLALCHEMY_BINDS"] = {
        "a": {"url": "sqlite://", "pool_pre_ping": False},
        "b": "sqlite://",
    }
    db = SQLAlchemy(app, engine_options=t.cast(t.Any, init_options))
    assert not db.engine.echo  # config beats constructor
    assert db.engines["b"].echo  # constructor default
    assert not db.engines["a"].pool._pre_ping  # bind dict beats constructor
    assert db.engines["b"].pool._pre_ping


@pytest.mark.usefixtures("app_ctx")
def test_caller_dicts_not_mutated(app: Flask) -> None:
    engine_options: dict[str, t.Any] = {"connect_args": {"timeout": 5}}
    session_options: dict[str, t.Any] = {"scopefunc": lambda: 1, "autoflush": False}
    bind = {"url": "sqlite://", "connect_args": {"timeout": 3}}
    app.config["SQLALCHEMY_BINDS"] = {"a": bind}
    config_options = {"connect_args": {"timeout": 4}}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_options
    SQLAlchemy(
        app,
        engine_options=t.cast(t.Any, engine_options),
        session_options=t.cast(t.Any, session_options),
    )
    assert engine_options == {"connect_args": {"timeout": 5}}
    assert "scopefunc" in session_options and session_options["autoflush"] is False
    assert bind == {"url": "sqlite://", "connect_args": {"timeout": 3}}
    assert config_options == {"connect_args": {"timeout": 4}}


@pytest.mark.usefixtures("app_ctx")
def test_echo(app: Flask) -> None:
    app.config["SQLALCHEMY_ECHO"] = True
    db = SQLAlchemy(app)
    assert db.engine.echo and db.engine.pool.echo


@pytest.mark.databases("sqlite")  # StaticPool for sqlite://
@pytest.mark.usefixtures("app_ctx")
def test_sqlite_memory(app: Flask) -> None:
    db = SQLAlchemy(app)
    assert isinstance(db.engine.pool, sa.pool.StaticPool)


@pytest.mark.databases("sqlite")  # files under the instance path
@pytest.mark.usefixtures("app_ctx")
@pytest.mark.parametrize(
    ("uri", "prefix"),
    [("sqlite:///app.db", ""), ("sqlite:///file:app.db?uri=true", "file:")],
)
def test_sqlite_relative_path(app: Flask, uri: str, prefix: str) -> None:
    assert not os.path.exists(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    db = SQLAlchemy(app)
    db.create_all()
    database = db.engine.url.database
    assert database == f"{prefix}{os.path.join(app.instance_path, 'app.db')}"
    assert os.path.exists(os.path.join(app.instance_path, "app.db"))


@pytest.mark.databases("sqlite")  # sets its own SQLite file URL
@pytest.mark.usefixtures("app_ctx")
def test_sqlite_absolute_path(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "abs.db"
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    db = SQLAlchemy(app)
    assert db.engine.url.database == str(path)


def _options_of(app: Flask, uri: str, **engine_options: t.Any) -> dict[str, t.Any]:
    seen: dict[str, t.Any] = {}

    class Recording(SQLAlchemy):
        def _make_engine(
            self, bind_key: str | None, options: dict[str, t.Any], app: Flask
        ) -> sa.engine.Engine:
            seen.update(options)
            return sa.create_engine("sqlite://")

    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    Recording(app, engine_options=t.cast(t.Any, engine_options))
    return seen


@pytest.mark.parametrize("uri", ["mysql:///test", "mariadb+pymysql://u@h/test"])
def test_mysql_and_mariadb_defaults(app: Flask, uri: str) -> None:
    options = _options_of(app, uri)
    assert options["pool_recycle"] == 7200
    assert options["url"].query["charset"] == "utf8mb4"


def test_mysql_no_recycle_for_other_pools(app: Flask) -> None:
    options = _options_of(app, "mysql:///test", poolclass=sa.pool.NullPool)
    assert "pool_recycle" not in options


def test_mysql_charset_kept(app: Flask) -> None:
    options = _options_of(app, "mysql:///test?charset=latin1")
    assert sa.make_url(options["url"]).query["charset"] == "latin1"


def test_make_engine_called_positionally(app: Flask) -> None:
    calls: list[tuple[t.Any, ...]] = []

    class Recording(SQLAlchemy):
        def _make_engine(self, *args: t.Any, **kwargs: t.Any) -> sa.engine.Engine:
            calls.append((args, kwargs))
            return super()._make_engine(*args, **kwargs)

    app.config["SQLALCHEMY_BINDS"] = {"a": "sqlite://"}
    Recording(app)
    assert sorted(str(args[0]) for args, _ in calls) == ["None", "a"]
    assert all(kwargs == {} and args[2] is app for args, kwargs in calls)


@pytest.mark.parametrize(
    ("binds", "message"),
    [
        ({"a": 42}, r"SQLALCHEMY_BINDS\['a'\]: expected a dict of engine options"),
        (
            {"a": {"echo": True}},
            r"SQLALCHEMY_BINDS\['a'\]: the engine options dict needs",
        ),
        ({"a": "not a url"}, r"SQLALCHEMY_BINDS\['a'\]: could not parse"),
        ({"a": "nosuchdb://x"}, r"SQLALCHEMY_BINDS\['a'\]: SQLAlchemy has no dialect"),
    ],
)
def test_bad_bind_config(app: Flask, binds: dict[str, t.Any], message: str) -> None:
    app.config["SQLALCHEMY_BINDS"] = binds
    with pytest.raises(RuntimeError, match=message):
        SQLAlchemy(app)
    assert "sqlalchemy" not in app.extensions


def test_bad_database_uri(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = 123
    with pytest.raises(
        RuntimeError, match="SQLALCHEMY_DATABASE_URI: expected a database URL"
    ):
        SQLAlchemy(app)


def test_binds_not_a_dict(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = ["sqlite://"]
    with pytest.raises(RuntimeError, match="SQLALCHEMY_BINDS: expected a dict"):
        SQLAlchemy(app)


def test_engine_options_not_a_dict() -> None:
    with pytest.raises(TypeError, match="'engine_options' must be a dict"):
        SQLAlchemy(engine_options=["echo"])  # type: ignore[call-overload]


@pytest.mark.usefixtures("app_ctx")
def test_init_app_again_on_new_app_shares_models(tmp_path: Path) -> None:
    db = SQLAlchemy()
    apps = []
    for name in ("one", "two"):
        app = Flask(name, instance_path=str(tmp_path / name))
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db.init_app(app)
        apps.append(app)
    engines = []
    for app in apps:
        with app.app_context():
            engines.append(db.engine)
    assert engines[0] is not engines[1]
