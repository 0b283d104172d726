"""The legacy ``Model.query``, typed: ``User.query`` is ``Query[User]``."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model
from flask_sqlalchemy_typed.pagination import QueryPagination
from flask_sqlalchemy_typed.query import Query


# [start base]
class Base(Model, DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


# [end base]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)

with app.app_context():
    db.create_all()
    db.session.add_all([User(name="ada"), User(name="bob")])
    db.session.commit()

    # [start query]
    assert_type(User.query, Query[User])
    ada = User.query.filter_by(name="ada").first_or_404()
    assert_type(ada, User)
    page = User.query.order_by(User.name).paginate(page=1, per_page=10)
    assert_type(page, QueryPagination[User])
    assert [user.name for user in page] == ["ada", "bob"]
    # [end query]
