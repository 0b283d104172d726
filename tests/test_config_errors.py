"""Configuration mistakes fail at ``init_app``, naming the key and saying what to do,
and no password shows in a repr, a log line or an error message of the package."""

from __future__ import annotations

import logging
import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

from ._matrix import Database

# Configuration checks: no database is reached, but where a test says so.
pytestmark = pytest.mark.databases("sqlite")

PASSWORD = "s3cr3t-Pa55"


def init(app: Flask, **kwargs: t.Any) -> SQLAlchemy[t.Any]:
    db: SQLAlchemy[t.Any] = SQLAlchemy(**kwargs)
    db.init_app(app)
    return db


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("://nothing", ["SQLALCHEMY_DATABASE_URI", "could not parse"]),
        (
            f"postgresql+psycopg://u:{PASSWORD}@localhost:port/db",
            ["SQLALCHEMY_DATABASE_URI", "could not parse", "quote_plus"],
        ),
        (
            f"postgres://u:{PASSWORD}@localhost/db",
            ["SQLALCHEMY_DATABASE_URI", "'postgresql', not 'postgres'"],
        ),
        (
            f"postgresql://u:{PASSWORD}@[::1:5432/db",
            ["SQLALCHEMY_DATABASE_URI", "could not parse"],
        ),
        (
            f"postgresql://u:{PASSWORD}@h:{PASSWORD}/db",
            ["SQLALCHEMY_DATABASE_URI", "could not parse", "'***'"],
        ),
        ("nosuchdb://x", ["SQLALCHEMY_DATABASE_URI", "'nosuchdb'", "install"]),
        (
            f"postgresql+nosuchdriver://u:{PASSWORD}@h/d",
            ["SQLALCHEMY_DATABASE_URI", "'postgresql+nosuchdriver'"],
        ),
        (
            f"postgresql+pg8000://u:{PASSWORD}@h/d",
            ["SQLALCHEMY_DATABASE_URI", "Install the DBAPI driver", "u:***@h/d"],
        ),
    ],
)
def test_bad_uri(app: Flask, uri: str, words: list[str]) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    with pytest.raises(RuntimeError) as info:
        init(app)
    message = str(info.value)
    for word in words:
        assert word in message
    assert PASSWORD not in message
    assert "sqlalchemy" not in app.extensions


@pytest.mark.parametrize("value", [42, ["sqlite://"], None])
def test_bind_value_of_wrong_type(app: Flask, value: object) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"other": value}
    with pytest.raises(RuntimeError) as info:
        init(app)
    assert "SQLALCHEMY_BINDS['other']" in str(info.value)
    assert "dict" in str(info.value)


def test_binds_of_wrong_type(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = ["sqlite://"]
    with pytest.raises(RuntimeError, match="SQLALCHEMY_BINDS: expected a dict"):
        init(app)


def test_bind_dict_without_url(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"other": {"echo": True}}
    with pytest.raises(RuntimeError, match=r"BINDS\['other'\]: .*'url' key"):
        init(app)


def test_bind_url_of_wrong_type(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"other": {"url": 42}}
    with pytest.raises(
        RuntimeError, match=r"BINDS\['other'\]: expected a database URL"
    ):
        init(app)


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("pool_size", "ten", "a number"),
        ("pool_size", True, "a number"),
        ("max_overflow", [1], "a number"),
        ("pool_recycle", "an hour", "a number"),
        ("pool_timeout", object(), "a number"),
        ("pool_pre_ping", "sometimes", "True or False"),
        ("pool_pre_ping", 2, "True or False"),
        ("connect_args", "timeout=5", "a dict"),
        ("execution_options", ["x"], "a dict"),
        ("poolclass", "QueuePool", "a subclass of sqlalchemy.pool.Pool"),
    ],
)
def test_engine_option_of_wrong_type(
    app: Flask, option: str, value: object, expected: str
) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///file.db?password={PASSWORD}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {option: value}
    with pytest.raises(RuntimeError) as info:
        init(app)
    message = str(info.value)
    assert message.startswith("SQLALCHEMY_ENGINE_OPTIONS")
    assert repr(option) in message
    assert expected in message
    assert "sqlalchemy" not in app.extensions


def test_bind_engine_option_of_wrong_type(app: Flask) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"other": {"url": "sqlite://", "pool_size": "x"}}
    with pytest.raises(
        RuntimeError, match=r"^SQLALCHEMY_BINDS\['other'\].*'pool_size'"
    ):
        init(app)


def test_string_options_are_coerced(app: Flask) -> None:
    """As in Flask-SQLAlchemy (``engine_from_config``): numeric strings are fine."""
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///file.db"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": "3", "pool_timeout": "30"}
    db = init(app)
    with app.app_context():
        assert db.engine.pool.size() == 3  # type: ignore[attr-defined]
        db.engine.dispose()


def test_unknown_engine_option(app: Flask) -> None:
    url = f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/db"
    app.config["SQLALCHEMY_BINDS"] = {"a": "sqlite://", "b": {"url": url, "nosuch": 1}}
    with pytest.raises(RuntimeError) as info:
        init(app)
    message = str(info.value)
    assert message.startswith("SQLALCHEMY_BINDS['b']")
    assert "'nosuch'" in message
    assert "user:***@127.0.0.1:1/db" in message
    assert PASSWORD not in message
    assert "sqlalchemy" not in app.extensions


def test_repr_hides_password(app: Flask) -> None:
    url = f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/db"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_BINDS"] = {"b": url}
    db = init(app)
    with app.app_context():
        assert PASSWORD not in repr(db)
        assert "***" in repr(db)
        for engine in db.engines.values():
            assert PASSWORD not in repr(engine)
            assert PASSWORD not in repr(engine.pool)
            engine.dispose()


@pytest.mark.databases("postgresql", "mariadb")
def test_connection_failure_hides_password(
    app: Flask, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong password (MariaDB) or an unknown role (PostgreSQL trusts the test
    user), and a closed port: neither the driver's message nor ours shows it."""
    good = sa.make_url(database.url)
    urls = {
        "wrong_login": good.set(username="fsqt_nobody", password=PASSWORD),
        "wrong_port": good.set(password=PASSWORD, port=1),
    }
    if database.name == "mariadb":
        urls["wrong_login"] = good.set(password=PASSWORD)
    app.config["SQLALCHEMY_DATABASE_URI"] = urls["wrong_login"]
    app.config["SQLALCHEMY_BINDS"] = {"port": urls["wrong_port"]}

    db = init(app)

    class Thing(db.Model):  # type: ignore[name-defined,misc]
        __bind_key__ = "port"
        __tablename__ = "robust_config_thing"
        id = sa.Column(sa.Integer, primary_key=True)

    caplog.set_level(logging.DEBUG)
    with app.app_context():
        for bind in (None, "port"):
            with pytest.raises(sa_exc.OperationalError) as info:
                db.session.execute(
                    sa.text("SELECT 1"), bind_arguments={"bind": db.engines[bind]}
                )
            assert PASSWORD not in str(info.value)
            assert PASSWORD not in repr(info.value)
            db.session.rollback()
        with pytest.raises(sa_exc.OperationalError) as info:
            db.session.get(Thing, 1)
        assert PASSWORD not in str(info.value)
        assert PASSWORD not in repr(db)
        for engine in db.engines.values():
            engine.dispose()
    assert PASSWORD not in caplog.text
