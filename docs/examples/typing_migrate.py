"""Flask-Migrate with this package: import ``Migrate`` from it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy

# [start migrate]
from flask_sqlalchemy_typed.migrate import (
    Migrate,
)  # not: from flask_migrate import Migrate

# [end migrate]


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    # [start use]
    migrate = Migrate(
        app, db
    )  # typed for this package's SQLAlchemy, under both checkers
    assert_type(migrate.db, SQLAlchemy[Any] | None)
    # [end use]
    return app


app = create_app()
assert app.extensions["migrate"].db is db
