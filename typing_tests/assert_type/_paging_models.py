"""Static models shared by check_views.py, check_pagination.py and check_query.py.

``Base`` subclasses :class:`.Model` too, so ``User.query`` is typed; mypy cannot
subclass ``db.Model`` itself (a variable of type ``type[Base]``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model


class Base(Model, DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "paging_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    nickname: Mapped[str | None]


class Post(Base):
    __tablename__ = "paging_post"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    title: Mapped[str]
