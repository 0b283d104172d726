"""Small file using the proxies through ``db``."""

from __future__ import annotations

from proxies_scratch import db
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = db.mapped_column(primary_key=True)
    name: Mapped[str] = db.mapped_column(db.String(50))
    posts: Mapped[list[Post]] = db.relationship(back_populates="author")


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = db.mapped_column(primary_key=True)
    author_id: Mapped[int] = db.mapped_column(db.ForeignKey("user.id"))
    author: Mapped[User] = db.relationship(back_populates="posts")


stmt = db.select(User.id, User.name).where(db.and_(User.id > 1, User.name != "x"))
count = db.select(db.func.count()).select_from(User)
col = db.Column(db.Integer)
try:
    pass
except db.exc.NoResultFound:
    pass
