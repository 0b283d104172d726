"""Configuration: the keys, their defaults, precedence and driver defaults."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


instance = Path(tempfile.mkdtemp())

# [start keys]
db = SQLAlchemy(model_class=Base, engine_options={"hide_parameters": True})

app = Flask(__name__, instance_path=str(instance))
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": False}
app.config["SQLALCHEMY_BINDS"] = {
    "cache": "sqlite://",
    "audit": {"url": "sqlite:///audit.db", "pool_recycle": 3600},
}
db.init_app(app)
# [end keys]

# [start defaults]
assert app.config["SQLALCHEMY_ECHO"] is False
assert app.config["SQLALCHEMY_RECORD_QUERIES"] is False
assert app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] is False
# [end defaults]

with app.app_context():
    # [start precedence]
    # SQLALCHEMY_ENGINE_OPTIONS beats the extension's engine_options...
    assert db.engine.hide_parameters is False
    # ...which every bind gets unless its own dict says otherwise.
    assert db.engines["audit"].hide_parameters is True
    assert db.engines["cache"].hide_parameters is True
    # [end precedence]

    # [start drivers]
    # Relative SQLite paths are files in the app's instance folder.
    assert db.engine.url.database == str(instance / "app.db")
    # In-memory SQLite gets one connection shared by every session.
    assert isinstance(db.engines["cache"].pool, StaticPool)
    # [end drivers]
    for engine in db.engines.values():
        engine.dispose()


# [start typed-options]
pooled = SQLAlchemy(
    engine_options={"pool_size": 10, "pool_recycle": 1800},
    session_options={"expire_on_commit": False},
)


def typos() -> None:
    SQLAlchemy(engine_options={"pool_sise": 10})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    SQLAlchemy(session_options={"autoflush": "no"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]


# [end typed-options]
