"""A small real app for each integration: two models, and one on a second bind.

``User`` has Flask-Login's ``UserMixin`` (no columns, only the login protocol)."""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask_login import UserMixin

from flask_sqlalchemy_typed import SQLAlchemy

from .._matrix import Database


@dataclasses.dataclass
class Models:
    """The extension and the model classes of one test's app."""

    db: SQLAlchemy[t.Any]
    User: t.Any
    Post: t.Any
    Log: t.Any | None


def make_models(
    app: Flask, database: Database, *, bind: bool = False, create: bool = True
) -> Models:
    """``SQLAlchemy(app)`` with ``User`` and ``Post`` (and ``Log`` on the bind
    ``"other"``), tables created. Fresh classes per call: a fresh registry."""
    app.config["SECRET_KEY"] = "eco-secret"
    if bind:
        app.config["SQLALCHEMY_BINDS"] = {"other": database.bind_url("other")}

    class Base(sa_orm.DeclarativeBase):
        pass

    db = SQLAlchemy(app, model_class=Base)

    class User(UserMixin, Base):
        __tablename__ = "eco_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(80))
        posts: sa_orm.Mapped[list[Post]] = sa_orm.relationship(back_populates="author")

        def __str__(self) -> str:
            return self.name

    class Post(Base):
        __tablename__ = "eco_post"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        title: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(120))
        author_id: sa_orm.Mapped[int | None] = sa_orm.mapped_column(
            sa.ForeignKey("eco_user.id")
        )
        author: sa_orm.Mapped[User | None] = sa_orm.relationship(back_populates="posts")

    log: t.Any = None
    if bind:

        class Log(Base):
            __tablename__ = "eco_log"
            __bind_key__ = "other"
            id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
            message: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(80))

        log = Log

    if create:
        with app.app_context():
            db.create_all()
    return Models(db, User, Post, log)
