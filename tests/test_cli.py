"""``add_models_to_shell``: the ``flask shell`` context."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.cli import add_models_to_shell


def _define_models(db: SQLAlchemy[t.Any]) -> tuple[t.Any, t.Any]:
    """A default-bind model and a model on the ``other`` bind."""
    Model: t.Any = db.Model
    pk: dict[str, t.Any] = {"primary_key": True}
    if issubclass(Model, sa_orm.MappedAsDataclass):
        pk["init"] = False

    class ShellTodo(Model):  # type: ignore[misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.Integer, **pk)

    class ShellOther(Model):  # type: ignore[misc]
        __bind_key__ = "other"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.Integer, **pk)

    return ShellTodo, ShellOther


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["SQLALCHEMY_BINDS"] = {"other": "sqlite://"}
    return app


def test_shell_context_has_db_and_every_model(
    app: Flask, db: SQLAlchemy[t.Any]
) -> None:
    todo, other = _define_models(db)
    with app.app_context():
        context = app.make_shell_context()
    assert context["db"] is db
    assert context["ShellTodo"] is todo
    assert context["ShellOther"] is other
    assert context["app"] is app


@pytest.mark.usefixtures("app_ctx")
def test_add_models_to_shell_direct(db: SQLAlchemy[t.Any]) -> None:
    todo, other = _define_models(db)
    assert add_models_to_shell() == {"ShellTodo": todo, "ShellOther": other, "db": db}


def test_disabled(app: Flask) -> None:
    db = SQLAlchemy(app, add_models_to_shell=False)
    _define_models(db)
    assert add_models_to_shell not in app.shell_context_processors
    with app.app_context():
        context = app.make_shell_context()
        for engine in db.engines.values():
            engine.dispose()
    assert "db" not in context
    assert "ShellTodo" not in context


def test_registered_once_per_app(app: Flask) -> None:
    db = SQLAlchemy(app)
    assert app.shell_context_processors.count(add_models_to_shell) == 1
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
