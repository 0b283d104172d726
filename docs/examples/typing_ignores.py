"""A Flask-SQLAlchemy 3.1 app's ``# type: ignore`` comments, each made unneeded.

Under Flask-SQLAlchemy 3.1 and ``mypy --strict`` each marked line needed the
ignore in its comment; here none does.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.migrate import Migrate
from flask_sqlalchemy_typed.model import Model


# [start models]
class Base(Model, DeclarativeBase):  # Model: a typed User.query
    pass


db = SQLAlchemy(model_class=Base)


# was: class User(db.Model):  # type: ignore[name-defined,misc]
class User(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


# [end models]


# [start returns]
def by_name(name: str) -> User:
    # was: ...  # type: ignore[no-any-return]  (first_or_404 returned Any)
    return db.first_or_404(select(User).filter_by(name=name))


def only(name: str) -> User:
    # was: ...  # type: ignore[no-any-return]  (one_or_404 returned Any)
    return db.one_or_404(select(User).filter_by(name=name))


def by_query(name: str) -> User | None:
    # was: ...  # type: ignore[no-any-return]  (Model.query was Query[Any])
    return User.query.filter_by(name=name).first()


def names() -> list[str]:
    # the items were Any: a typo in u.name went unnoticed
    return [u.name for u in db.paginate(select(User).order_by(User.id)).items]


# [end returns]


# [start factory]
def create_app(db: SQLAlchemy) -> Flask:  # any model_class is accepted
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    Migrate(app, db)  # was an error under pyright: see the Flask-Migrate section
    return app


# [end factory]

app = create_app(db)
with app.test_request_context():
    db.create_all()
    db.session.add_all([User(name="ann"), User(name="bob")])
    db.session.commit()
    assert_type(by_name("ann"), User)
    assert by_name("ann").id == 1
    assert only("bob").id == 2
    assert by_query("bob") is not None
    assert names() == ["ann", "bob"]
