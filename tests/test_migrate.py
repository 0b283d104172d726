"""``flask_sqlalchemy_typed.migrate``: Flask-Migrate's own class, typed by our stub."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

from . import test_flask_migrate

flask_migrate = pytest.importorskip("flask_migrate")

# The generated env.py disables every existing logger: restore them after each test.
_restore_logging = test_flask_migrate._restore_logging


def test_is_flask_migrates_class() -> None:
    from flask_sqlalchemy_typed.migrate import Migrate

    assert Migrate is flask_migrate.Migrate


def test_migrate_registers_the_extension(app: Flask, tmp_path: Path) -> None:
    from flask_sqlalchemy_typed.migrate import Migrate

    class Base(sa_orm.DeclarativeBase):
        pass

    db = SQLAlchemy(app, model_class=Base)

    class Item(Base):
        __tablename__ = "item"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    migrate = Migrate(app, db, directory=str(tmp_path / "migrations"))
    assert app.extensions["migrate"].db is db
    assert migrate.db is db
    with app.app_context():
        flask_migrate.init(migrate.directory)
        flask_migrate.migrate(migrate.directory, message="item")
        flask_migrate.upgrade(migrate.directory)
        assert "item" in sa.inspect(db.engine).get_table_names()


def test_without_flask_migrate_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "flask_sqlalchemy_typed.migrate", raising=False)
    monkeypatch.setitem(sys.modules, "flask_migrate", None)
    with pytest.raises(ModuleNotFoundError, match="pip install Flask-Migrate") as info:
        importlib.import_module("flask_sqlalchemy_typed.migrate")
    assert info.value.name == "flask_migrate"
