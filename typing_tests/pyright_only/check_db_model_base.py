"""pyright accepts ``class User(db.Model)``; mypy cannot (python/mypy#8603)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import MappedAsDataclass
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.query import Query

default_db = SQLAlchemy()


class Todo(default_db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None]


assert_type(Todo.query, Query[Todo])
assert_type(Todo.metadata, sa.MetaData)
Todo(title="x")


class DataBase(MappedAsDataclass, DeclarativeBase):
    pass


data_db = SQLAlchemy(model_class=DataBase)


class Pet(data_db.Model):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str]


Pet(name="Rex")
Pet(nme="Rex")  # pyright: ignore[reportCallIssue]
