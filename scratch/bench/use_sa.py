"""Small file using the proxies through ``sa``."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = sa_orm.mapped_column(primary_key=True)
    name: Mapped[str] = sa_orm.mapped_column(sa.String(50))
    posts: Mapped[list[Post]] = sa_orm.relationship(back_populates="author")


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = sa_orm.mapped_column(primary_key=True)
    author_id: Mapped[int] = sa_orm.mapped_column(sa.ForeignKey("user.id"))
    author: Mapped[User] = sa_orm.relationship(back_populates="posts")


stmt = sa.select(User.id, User.name).where(sa.and_(User.id > 1, User.name != "x"))
count = sa.select(sa.func.count()).select_from(User)
col = sa.Column(sa.Integer)
try:
    pass
except sa_exc.NoResultFound:
    pass
