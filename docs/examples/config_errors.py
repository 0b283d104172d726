"""A configuration mistake fails in init_app, names the key, and changes nothing."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import DeclarativeBase

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def init_app_error(config: dict[str, object]) -> str:
    """The message of the error init_app raises for this configuration."""
    app = Flask(__name__)
    app.config.from_mapping(config)
    try:
        db.init_app(app)
    except RuntimeError as e:
        assert "sqlalchemy" not in app.extensions  # the app is left as it was
        return str(e)
    raise AssertionError("init_app accepted a bad configuration")


# [start errors]
message = init_app_error({"SQLALCHEMY_DATABASE_URI": "postgres://u:secret@db/app"})
assert message.startswith("SQLALCHEMY_DATABASE_URI: SQLAlchemy has no dialect")
assert "The PostgreSQL scheme is 'postgresql', not 'postgres'." in message
assert "secret" not in message

message = init_app_error(
    {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": "sometimes"},
    }
)
assert message.startswith("SQLALCHEMY_ENGINE_OPTIONS")
assert "engine option 'pool_pre_ping' must be True or False" in message

message = init_app_error({"SQLALCHEMY_BINDS": {"audit": {"echo": True}}})
assert message == (
    "SQLALCHEMY_BINDS['audit']: the engine options dict needs a 'url' key."
)

message = init_app_error({})
assert message == "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set."
# [end errors]
