"""``db.get_engine``: Flask-SQLAlchemy 3.1's deprecated method, for the extensions
that call it (Flask-Session, Flask-Migrate's ``env.py``), without a runtime warning
(``filterwarnings = error`` fails any test that warns)."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

# Every test here compares engine objects and opens no connection: SQLite only.
pytestmark = pytest.mark.databases("sqlite")


@pytest.fixture
def db(app: Flask) -> SQLAlchemy:
    app.config["SQLALCHEMY_BINDS"] = {"other": "sqlite://"}
    return SQLAlchemy(app)


@pytest.mark.usefixtures("app_ctx")
def test_call_forms(app: Flask, db: SQLAlchemy) -> None:
    default, other = db.engines[None], db.engines["other"]
    assert db.get_engine() is default  # pyright: ignore[reportDeprecated]
    assert db.get_engine(None) is default  # pyright: ignore[reportDeprecated]
    assert db.get_engine("other") is other  # pyright: ignore[reportDeprecated]
    assert db.get_engine(bind_key="other") is other  # pyright: ignore[reportDeprecated]
    # Flask-SQLAlchemy 2's keyword, as Flask-Migrate's multidb env.py passes it
    assert db.get_engine(bind="other") is other  # pyright: ignore[reportDeprecated]
    assert db.get_engine(bind=None) is default  # pyright: ignore[reportDeprecated]
    # Flask-Session: get_engine(app, bind=key)
    assert db.get_engine(app, bind="other") is other  # pyright: ignore[reportDeprecated]
    assert db.get_engine(app) is default  # pyright: ignore[reportDeprecated]
    assert db.get_engine("other", app=app) is other  # pyright: ignore[reportDeprecated]


def test_app_selects_its_engines_without_a_context(app: Flask, db: SQLAlchemy) -> None:
    second = Flask("second")
    second.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(second)
    first_engine = db.get_engine(app=app)  # pyright: ignore[reportDeprecated]
    second_engine = db.get_engine(second, bind=None)  # pyright: ignore[reportDeprecated]
    assert first_engine is not second_engine
    with second.app_context():
        assert db.engine is second_engine
    with app.app_context():
        assert db.engine is first_engine


def test_needs_a_context_without_app(db: SQLAlchemy) -> None:
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        db.get_engine()  # pyright: ignore[reportDeprecated]


def test_deprecated_for_type_checkers_only(db: SQLAlchemy) -> None:
    # PEP 702's marker, read by type checkers; category=None: no runtime warning.
    message = SQLAlchemy.get_engine.__deprecated__  # type: ignore[attr-defined]
    assert "Use 'db.engine' or 'db.engines[key]'" in message


@pytest.mark.usefixtures("app_ctx")
def test_bad_input(app: Flask, db: SQLAlchemy) -> None:
    # A missing bind is a KeyError, as in Flask-SQLAlchemy 3.1, with the config key.
    with pytest.raises(
        KeyError, match="Bind key 'nosuch' is not in 'SQLALCHEMY_BINDS'"
    ):
        db.get_engine("nosuch")  # pyright: ignore[reportDeprecated]
    with pytest.raises(TypeError, match="both 'bind_key' and 'bind'"):
        db.get_engine("other", bind="other")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    with pytest.raises(TypeError, match="application twice"):
        db.get_engine(app, app=app)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nosuch'"):
        db.get_engine(nosuch=1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    stranger = Flask("stranger")
    with pytest.raises(RuntimeError, match="'stranger' is not registered"):
        db.get_engine(stranger)  # pyright: ignore[reportDeprecated]
