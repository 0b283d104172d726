"""``SQLALCHEMY_RECORD_QUERIES`` and ``get_recorded_queries``."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.record_queries import _QueryInfo
from flask_sqlalchemy_typed.record_queries import get_recorded_queries

from ._matrix import Database


def _run_query(db: SQLAlchemy[t.Any], value: int) -> None:
    db.session.execute(sa.text("SELECT :value"), {"value": value}).all()


def _values(info: _QueryInfo) -> list[object]:
    """The parameter values of a recorded query, whatever the driver's paramstyle
    (tuples for SQLite's qmark, dicts for psycopg's and PyMySQL's pyformat)."""
    values: list[object] = []
    for params in t.cast(t.Any, info.parameters):
        values.extend(params.values() if isinstance(params, dict) else params)
    return values


@pytest.fixture
def recording_app(app: Flask) -> Flask:
    app.config["SQLALCHEMY_RECORD_QUERIES"] = True
    return app


@pytest.mark.usefixtures("app_ctx")
def test_disabled_by_default(app: Flask) -> None:
    del app.config["SQLALCHEMY_RECORD_QUERIES"]
    db = SQLAlchemy(app)
    assert app.config["SQLALCHEMY_RECORD_QUERIES"] is False
    _run_query(db, 1)
    assert get_recorded_queries() == []


@pytest.mark.databases(
    "sqlite"
)  # the statement and parameters in SQLite's qmark paramstyle
def test_query_info(recording_app: Flask) -> None:
    db = SQLAlchemy(recording_app)
    with recording_app.app_context():
        db.session.execute(sa.text("SELECT :value"), {"value": 5}).all()
        (info,) = get_recorded_queries()
    assert isinstance(info, _QueryInfo)
    assert info.statement == "SELECT ?"
    # As in Flask-SQLAlchemy: the execution context's list of parameter sets.
    assert info.parameters == [(5,)]
    assert 0 < info.start_time <= info.end_time
    assert info.duration == info.end_time - info.start_time
    assert info.location.startswith(f"{__file__}:")
    assert info.location.endswith(" (test_query_info)")


def test_location_is_innermost_app_frame(recording_app: Flask) -> None:
    db = SQLAlchemy(recording_app)
    with recording_app.app_context():
        _run_query(db, 1)
        (info,) = get_recorded_queries()
    path, _, rest = info.location.rpartition(":")
    assert path == __file__
    line, _, function = rest.partition(" ")
    assert function == "(_run_query)"
    assert int(line) == _run_query.__code__.co_firstlineno + 1


def test_location_unknown_outside_the_app_package(tmp_path: t.Any) -> None:
    app = Flask("no_such_package.app", instance_path=str(tmp_path))
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SQLALCHEMY_RECORD_QUERIES=1)
    db = SQLAlchemy(app)
    with app.app_context():
        _run_query(db, 1)
        (info,) = get_recorded_queries()
        db.engine.dispose()
    assert info.location == "<unknown>"


def test_recorded_per_app_context(recording_app: Flask) -> None:
    db = SQLAlchemy(recording_app)
    with recording_app.app_context():
        _run_query(db, 1)
        _run_query(db, 2)
        assert [_values(q) for q in get_recorded_queries()] == [[1], [2]]
    with recording_app.app_context():
        assert get_recorded_queries() == []
        _run_query(db, 3)
        assert [_values(q) for q in get_recorded_queries()] == [[3]]


def test_every_engine_is_recorded(recording_app: Flask, database: Database) -> None:
    recording_app.config["SQLALCHEMY_BINDS"] = {"other": database.bind_url("other")}
    db = SQLAlchemy(recording_app)
    with recording_app.app_context():
        with db.engines["other"].connect() as conn:
            conn.execute(sa.text("SELECT 'other'"))
        _run_query(db, 1)
        statements = [q.statement for q in get_recorded_queries()]
        own = str(sa.text("SELECT :value").compile(dialect=db.engine.dialect))
    assert statements == ["SELECT 'other'", own]


def test_not_recorded_outside_app_context(recording_app: Flask) -> None:
    db = SQLAlchemy(recording_app)
    with recording_app.app_context():
        engine = db.engine
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
    with recording_app.app_context():
        assert get_recorded_queries() == []


def test_outside_app_context_needs_one() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        get_recorded_queries()
