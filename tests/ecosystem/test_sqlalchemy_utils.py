"""SQLAlchemy-Utils' ``database_exists`` / ``create_database`` / ``drop_database``
from ``db.engine.url``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from .._matrix import Database
from ._app import make_models

pytest.importorskip("sqlalchemy_utils")

from sqlalchemy_utils import create_database  # noqa: E402
from sqlalchemy_utils import database_exists  # noqa: E402
from sqlalchemy_utils import drop_database  # noqa: E402


def test_create_and_drop_a_database(
    app: Flask, database: Database, tmp_path: Path
) -> None:
    if database.name == "sqlite":
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'main.db'}"
    m = make_models(app, database)
    with app.app_context():
        url = m.db.engine.url
    assert database_exists(url)
    if database.name == "sqlite":
        target = url.set(database=str(tmp_path / "created.db"))
    else:
        # The test database's name plus a suffix: on the same server and prefix.
        target = url.set(database=f"{url.database}_created")
    if database_exists(target):  # left by an interrupted run
        drop_database(target)
    create_database(target)
    try:
        assert database_exists(target)
        engine = sa.create_engine(target, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT 1")) == 1
        engine.dispose()
    finally:
        drop_database(target)
    assert not database_exists(target)
