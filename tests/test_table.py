"""db.Table and the metadata per bind key."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy


def test_table_uses_bind_metadata() -> None:
    db = SQLAlchemy()
    default = db.Table("a", sa.Column("id", sa.Integer))
    other = db.Table("b", sa.Column("id", sa.Integer), bind_key="other")
    assert default.metadata is db.metadata
    assert other.metadata is db.metadatas["other"]
    assert other.metadata.info["bind_key"] == "other"
    assert isinstance(other, sa.Table)


def test_positional_metadata_wins() -> None:
    db = SQLAlchemy()
    metadata = sa.MetaData()
    table = db.Table("c", metadata, sa.Column("id", sa.Integer), bind_key="ignored")
    assert table.metadata is metadata
    assert "ignored" not in db.metadatas


def test_tables_of_two_extensions_are_separate() -> None:
    one, two = SQLAlchemy(), SQLAlchemy()
    assert one.Table is not two.Table
    assert one.Table("x").metadata is one.metadata
    assert two.Table("x").metadata is two.metadata


def test_naming_convention_copied() -> None:
    db = SQLAlchemy(metadata=sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"}))
    table = db.Table("d", sa.Column("id", sa.Integer, primary_key=True), bind_key="x")
    assert db.metadatas["x"].naming_convention == db.metadata.naming_convention
    assert table.primary_key.name == "pk_d"


def test_metadata_with_2x_base_warns() -> None:
    import sqlalchemy.orm as sa_orm

    class Base(sa_orm.DeclarativeBase):
        pass

    with pytest.deprecated_call():
        db = SQLAlchemy(model_class=Base, metadata=sa.MetaData())
    assert db.metadata is Base.metadata


@pytest.mark.usefixtures("app_ctx")
def test_table_round_trip(app: Flask) -> None:
    db = SQLAlchemy(app)
    table = db.Table("e", sa.Column("id", sa.Integer, primary_key=True))
    db.create_all()
    db.session.execute(table.insert().values(id=3))
    assert db.session.execute(sa.select(table.c.id)).scalar_one() == 3
