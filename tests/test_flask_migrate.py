"""The real Flask-Migrate and Alembic, on a two-bind app, under ``-W error``.

Flask-Migrate's generated ``env.py`` calls ``db.get_engine()`` (``get_engine(bind=key)``
for each bind in the multidb template), which here raises no deprecation warning.
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

flask_migrate = pytest.importorskip("flask_migrate")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The generated env.py calls logging.config.fileConfig, which disables every
    existing logger and resets levels: undo that for the tests that follow."""
    loggers = [logging.root] + [
        x
        for x in logging.root.manager.loggerDict.values()
        if isinstance(x, logging.Logger)
    ]
    saved = [(x, x.disabled, x.level, list(x.handlers)) for x in loggers]
    yield
    for logger, disabled, level, handlers in saved:
        logger.disabled = disabled
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.mark.parametrize("multidb", [False, True])
def test_init_migrate_upgrade(app: Flask, tmp_path: Path, multidb: bool) -> None:
    main_file = tmp_path / "main.db"
    other_file = tmp_path / "other.db"
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{main_file}"
    if multidb:
        app.config["SQLALCHEMY_BINDS"] = {"other": f"sqlite:///{other_file}"}

    class Base(sa_orm.DeclarativeBase):
        pass

    db: SQLAlchemy[t.Any] = SQLAlchemy(app, model_class=Base)

    class MigUser(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "mig_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))

    if multidb:

        class MigLog(db.Model):  # type: ignore[name-defined,misc]
            __tablename__ = "mig_log"
            __bind_key__ = "other"
            id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    flask_migrate.Migrate(app, db)
    directory = str(tmp_path / "migrations")
    with app.app_context():
        flask_migrate.init(directory, multidb=multidb)
        flask_migrate.migrate(directory, message="initial")
        flask_migrate.upgrade(directory)
        tables = {
            key: set(sa.inspect(engine).get_table_names())
            for key, engine in db.engines.items()
        }
        for engine in db.engines.values():
            engine.dispose()
    assert tables[None] == {"alembic_version", "mig_user"}
    if multidb:
        assert tables["other"] == {"alembic_version", "mig_log"}
    versions = list((tmp_path / "migrations" / "versions").glob("*_initial.py"))
    assert len(versions) == 1
    assert "mig_user" in versions[0].read_text()
