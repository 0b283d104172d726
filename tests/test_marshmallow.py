"""marshmallow-sqlalchemy's auto schemas with ``sqla_session = db.session``."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from flask_sqlalchemy_typed import SQLAlchemy


def test_auto_schema_loads_an_instance(app: Flask) -> None:
    class Base(sa_orm.DeclarativeBase):
        pass

    db = SQLAlchemy(app, model_class=Base)

    class Author(Base):
        __tablename__ = "msqla_author"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))

    # marshmallow-sqlalchemy bounds its parameter by DeclarativeMeta (1.x bases only).
    class AuthorSchema(SQLAlchemyAutoSchema[t.Any]):
        class Meta:
            model = Author
            load_instance = True
            sqla_session = db.session

    with app.app_context():
        db.create_all()
        db.session.add(Author(id=1, name="Ann"))
        db.session.commit()
        schema = AuthorSchema()  # type: ignore[no-untyped-call]
        existing: t.Any = schema.load({"id": 1, "name": "Anne"})
        assert existing.name == "Anne"
        assert existing is db.session.get(Author, 1)
        new: t.Any = schema.load({"name": "Bob"})
        assert isinstance(new, Author)
        assert new.name == "Bob"
        assert sa.inspect(new).transient
        assert schema.dump(existing) == {"id": 1, "name": "Anne"}
        db.session.remove()
        db.engine.dispose()
