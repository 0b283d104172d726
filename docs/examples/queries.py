"""Modifying and querying data, and the view helpers that answer 404."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask
from sqlalchemy import ForeignKey
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import selectinload
from typing_extensions import assert_type
from werkzeug.exceptions import NotFound

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    email: Mapped[str | None]
    posts: Mapped[list[Post]] = relationship(back_populates="author")


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey(User.id))
    author: Mapped[User] = relationship(back_populates="posts")


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


with app.app_context():
    db.create_all()

    # [start modify]
    ada = User(name="ada", email="ada@example.com")
    db.session.add(ada)
    db.session.add_all([User(name="bob"), Post(title="Hello", author=ada)])
    db.session.commit()

    ada.email = "ada@example.org"
    db.session.commit()

    db.session.delete(db.session.get_one(User, 2))
    db.session.commit()
    # [end modify]

    # [start select]
    users = db.session.scalars(select(User).order_by(User.name)).all()
    assert_type(users, Sequence[User])
    name, count = db.session.execute(
        select(User.name, func.count(Post.id)).join(Post).group_by(User.name)
    ).one()
    assert_type(name, str)
    assert_type(count, int)
    # [end select]

    # [start views]
    user = db.get_or_404(User, 1, options=[selectinload(User.posts)])
    assert_type(user, User)

    email = db.first_or_404(select(User.email).where(User.name == "ada"))
    assert_type(email, str)  # a NULL aborts too: the column's None is gone

    post = db.one_or_404(select(Post).where(Post.title == "Hello"))
    assert_type(post, Post)
    # [end views]
    assert (name, count) == ("ada", 1)
    assert email == "ada@example.org" and post.author is user

    # [start not-found]
    for lookup in (
        lambda: db.get_or_404(User, 2, description="No such user."),
        lambda: db.get_or_404(User, "abc"),  # not an integer key: 404, not 500
        lambda: db.first_or_404(select(User.email).where(User.name == "bob")),
        lambda: db.one_or_404(select(Post).where(Post.title == "Nothing")),
    ):
        try:
            lookup()
        except NotFound as e:
            assert e.code == 404
        else:
            raise AssertionError("expected a 404")
    # [end not-found]
