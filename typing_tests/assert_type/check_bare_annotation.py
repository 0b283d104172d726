"""A bare ``SQLAlchemy`` annotation accepts every extension; covariance in the base."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model
from flask_sqlalchemy_typed.session import Session

from ._models import Base
from ._models import data_db
from ._models import DataBase
from ._models import db
from ._models import default_db
from ._models import LegacyBase
from ._models import User


# An app factory or test helper written with a bare annotation.
def create_app(db: SQLAlchemy) -> Flask:
    assert_type(db, SQLAlchemy[Any])
    # Only the model base is unknown; everything else stays exact.
    assert_type(db.Model, type[Any])
    assert_type(db.session, sa_orm.scoped_session[Session])
    assert_type(db.engine, sa.Engine)
    assert_type(db.metadata, sa.MetaData)
    assert_type(db.get_or_404(User, 1), User)
    app = Flask(__name__)
    db.init_app(app)
    return app


legacy_db = SQLAlchemy(model_class=LegacyBase)
create_app(db)
create_app(data_db)
create_app(default_db)
create_app(legacy_db)
create_app(SQLAlchemy())
extensions: list[SQLAlchemy] = [db, data_db, default_db, legacy_db]

# The bare annotation changes nothing in what the constructor infers.
assert_type(SQLAlchemy(), SQLAlchemy[Model])
assert_type(SQLAlchemy(Flask(__name__)), SQLAlchemy[Model])
assert_type(SQLAlchemy(model_class=Base), SQLAlchemy[Base])


# Covariant in the model base: a general base keeps db.Model typed.
def create_tables(db: SQLAlchemy[DeclarativeBase]) -> sa.MetaData:
    assert_type(db.Model, type[DeclarativeBase])
    return db.Model.metadata


def legacy_only(db: SQLAlchemy[Model]) -> type[Model]:
    return db.Model


def base_only(db: SQLAlchemy[Base]) -> type[Base]:
    return db.Model


create_tables(db)
create_tables(data_db)
legacy_only(default_db)
legacy_only(legacy_db)
base_only(db)

# negative cases: a parametrized annotation still rejects another base
create_tables(default_db)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
legacy_only(db)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
base_only(data_db)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
base_only(default_db)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
_: SQLAlchemy[DataBase] = db  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
create_app(Flask(__name__))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
