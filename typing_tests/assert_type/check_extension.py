"""The extension object: generic model base, engines, metadata, binds, Table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model
from flask_sqlalchemy_typed.query import Query
from flask_sqlalchemy_typed.session import Session

from ._models import Base
from ._models import data_db
from ._models import DataBase
from ._models import db
from ._models import default_db
from ._models import LegacyBase

# model_class=Base: db.Model is the user's base
assert_type(db, SQLAlchemy[Base])
assert_type(db.Model, type[Base])
assert_type(data_db.Model, type[DataBase])
# no model_class: the default Model base
assert_type(default_db, SQLAlchemy[Model])
assert_type(default_db.Model, type[Model])
# a Model subclass, 1.x style
assert_type(SQLAlchemy(model_class=LegacyBase).Model, type[LegacyBase])
# a bare annotation is valid under strict and accepts any base (check_bare_annotation)
bare: SQLAlchemy = default_db
assert_type(bare, SQLAlchemy[Any])

app = Flask(__name__)
with_app = SQLAlchemy(
    app,
    metadata=sa.MetaData(),
    query_class=Query,
    add_models_to_shell=False,
    disable_autonaming=True,
)
assert_type(with_app, SQLAlchemy[Model])
with_app.init_app(app)

assert_type(db.session, sa_orm.scoped_session[Session])
assert_type(db.session(), Session)
assert_type(db.engines, Mapping[str | None, sa.Engine])
assert_type(db.engine, sa.Engine)
assert_type(db.metadata, sa.MetaData)
assert_type(db.metadatas, dict[str | None, sa.MetaData])
assert_type(db.Query, type[Query[Any]])

db.create_all()
db.create_all(bind_key=None)
db.create_all(bind_key="auth")
db.create_all(bind_key=["auth", None])
db.drop_all("auth")
db.reflect(bind_key=[None])

# db.Table: the metadata is chosen by bind_key, or passed positionally
users = db.Table(
    "users", sa.Column("id", sa.Integer, primary_key=True), bind_key="auth"
)
assert_type(users.c.id, sa.Column[Any])
tags = db.Table("tags", sa.MetaData(), sa.Column("id", sa.Integer), schema="main")
db.Table("opts", sa.Column("id", sa.Integer), mysql_engine="InnoDB", sqlite_strict=True)
_: sa.Table = tags

# negative cases: each must be an error for both checkers
db.create_all(bind_key=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
SQLAlchemy(app, nosuch=True)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
SQLAlchemy(app, add_models_to_shell="yes")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
db.Table("t", sa.Column("id", sa.Integer), bind_ky="a")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
db.engines[None] = sa.create_engine("sqlite://")  # type: ignore[index]  # pyright: ignore[reportIndexIssue]
