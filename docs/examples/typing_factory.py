"""A bare ``SQLAlchemy`` annotation accepts every extension instance."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)


# [start factory]
def create_app(db: SQLAlchemy, url: str = "sqlite://") -> Flask:
    assert_type(db, SQLAlchemy[Any])
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    return app


db = SQLAlchemy(model_class=Base)  # SQLAlchemy[Base]
app = create_app(db)
other_app = create_app(SQLAlchemy())  # SQLAlchemy[Model]: accepted as well
# [end factory]


# [start exact]
def first_user(db: SQLAlchemy) -> User | None:
    assert_type(db.Model, type[Any])  # the one thing a bare annotation cannot know
    return db.session.get(User, 1)  # the rest stays exact: User | None


# [end exact]


# [start covariant]
def create_tables(db: SQLAlchemy[DeclarativeBase]) -> list[str]:
    """Any extension whose base is a DeclarativeBase: db.Model stays typed."""
    assert_type(db.Model, type[DeclarativeBase])
    db.create_all()
    return sorted(db.Model.metadata.tables)


with app.app_context():
    tables = create_tables(db)  # SQLAlchemy[Base] is a SQLAlchemy[DeclarativeBase]
    # [end covariant]
    assert tables == ["user"]
    db.session.add(User(id=1))
    db.session.commit()
    assert first_user(db) is not None
