"""Static, module-level models shared by the assert_type checks."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import MappedAsDataclass

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model


class Base(DeclarativeBase):
    type_annotation_map = {str: sa.String(100)}


class DataBase(MappedAsDataclass, DeclarativeBase):
    pass


class LegacyBase(Model):
    """A Flask-SQLAlchemy 1.x-style base: a Model subclass."""


db = SQLAlchemy(model_class=Base)
data_db = SQLAlchemy(model_class=DataBase)
default_db = SQLAlchemy()


class User(Base):
    __tablename__ = "user"
    __bind_key__ = "auth"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Pet(DataBase):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str]
    nickname: Mapped[str | None] = mapped_column(default=None)
