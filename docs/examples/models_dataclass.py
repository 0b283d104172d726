"""A dataclass base: the generated ``__init__`` is typed, keyword by keyword."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import MappedAsDataclass

from flask_sqlalchemy_typed import SQLAlchemy


# [start dataclass]
class Base(MappedAsDataclass, DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Pet(Base):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str]
    nickname: Mapped[str | None] = mapped_column(default=None)


rex = Pet(name="Rex")
assert rex.nickname is None


def typo() -> None:
    Pet(nmae="Rex")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Pet()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


# [end dataclass]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)
with app.app_context():
    db.create_all()
    db.session.add(rex)
    db.session.commit()
    assert rex == Pet(name="Rex", nickname=None) or rex.id == 1
