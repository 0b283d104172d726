"""What the public API returns, as mypy --strict and pyright strict see it."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import scoped_session
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model
from flask_sqlalchemy_typed.pagination import QueryPagination
from flask_sqlalchemy_typed.pagination import SelectPagination
from flask_sqlalchemy_typed.query import Query
from flask_sqlalchemy_typed.session import Session


# [start extension]
class Base(Model, DeclarativeBase):  # Model adds a typed User.query
    pass


db = SQLAlchemy(model_class=Base)
assert_type(db, SQLAlchemy[Base])
assert_type(db.Model, type[Base])
assert_type(SQLAlchemy(), SQLAlchemy[Model])  # no model_class: the default Model
assert_type(db.session, scoped_session[Session])
assert_type(db.metadata, sa.MetaData)
# [end extension]


class User(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    nickname: Mapped[str | None]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)

with app.test_request_context():
    db.create_all()
    db.session.add_all([User(name="ann", nickname="a"), User(name="bob")])
    db.session.commit()

    # [start engines]
    assert_type(db.engine, sa.Engine)
    assert_type(db.engines, Mapping[str | None, sa.Engine])
    # [end engines]

    # [start views]
    assert_type(db.get_or_404(User, 1), User)
    assert_type(db.first_or_404(select(User).filter_by(name="ann")), User)
    assert_type(db.one_or_404(select(User.name).filter_by(id=1)), str)
    # a nullable column: None aborts with 404, so the result is str
    assert_type(db.first_or_404(select(User.nickname).filter_by(id=1)), str)
    # [end views]

    # [start paginate]
    page = db.paginate(select(User).order_by(User.id))
    assert_type(page, SelectPagination[User])
    assert_type(page.items, list[User])
    rows = db.paginate_rows(select(User.id, User.name).order_by(User.id))
    assert_type(rows.items, list[Row[int, str]])
    # [end paginate]

    # [start session]
    assert_type(db.session.get(User, 1), User | None)
    assert_type(db.session.scalars(select(User)).all(), Sequence[User])
    assert_type(
        db.session.execute(select(User.id, User.name)).all(), Sequence[Row[int, str]]
    )
    # [end session]

    # [start query]
    assert_type(User.query, Query[User])
    assert_type(User.query.filter_by(name="bob").first_or_404(), User)
    assert_type(User.query.paginate(page=1, per_page=10), QueryPagination[User])
    assert_type(db.Query, type[Query[Any]])
    # [end query]

    assert page.items[0].name == "ann"
    assert rows.items[1] == (2, "bob")
    assert db.one_or_404(select(User.name).filter_by(id=2)) == "bob"
    assert User.query.filter_by(name="bob").first_or_404().id == 2
    db.drop_all()
