"""``db.<name>`` proxies keep SQLAlchemy's exact static types.

Checked against the generated ``extension.pyi``.
"""

from __future__ import annotations

from typing import Any
from typing import Literal

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm.relationships import ORMBackrefArgument
from sqlalchemy.orm.relationships import RelationshipProperty
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import count
from typing_extensions import assert_type

from ._models import db


class Base(sa_orm.DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: sa_orm.Mapped[int] = db.mapped_column(primary_key=True)
    name: sa_orm.Mapped[str] = db.mapped_column(db.String(50))
    # relationship() -> collection
    posts: sa_orm.Mapped[list[Post]] = db.relationship(back_populates="author")
    # relation() is the same wrapper under its old name
    drafts: sa_orm.Mapped[list[Post]] = db.relation(viewonly=True)


class Post(Base):
    __tablename__ = "post"
    id: sa_orm.Mapped[int] = db.mapped_column(primary_key=True)
    author_id: sa_orm.Mapped[int | None] = db.mapped_column(db.ForeignKey("user.id"))
    # relationship() -> scalar, optional
    author: sa_orm.Mapped[User | None] = db.relationship(back_populates="posts")


# classes are class aliases: constructors keep their generics
assert_type(db.Column(db.Integer), sa.Column[int])
assert_type(db.Column("name", db.String(50)), sa.Column[str])
assert_type(db.String(50), sa.String)
assert_type(db.ForeignKey("x.id"), sa.ForeignKey)
assert_type(db.Integer, type[sa.Integer])

# functions keep their complete overload sets
assert_type(db.select(User.id, User.name), sa.Select[int, str])
assert_type(db.select(User), sa.Select[User])
assert_type(db.select(User.id, User.name, User.id), sa.Select[int, str, int])
assert_type(db.func.count(), count)
assert_type(db.func.count(User.id), count)
assert_type(db.and_(User.id == 1, User.name == "x"), ColumnElement[bool])
assert_type(db.or_(User.id == 1), ColumnElement[bool])
assert_type(db.text("x"), sa.TextClause)
assert_type(db.mapped_column(db.String(50)), sa_orm.MappedColumn[Any])
assert_type(db.backref("user"), ORMBackrefArgument)
assert_type(db.dynamic_loader(Post), RelationshipProperty[Any])
assert_type(db.true(), sa.True_)
assert_type(db.null(), sa.Null)

# modules are namespaces
assert_type(db.exc.NoResultFound, type[NoResultFound])
assert_type(db.orm.Session, type[sa_orm.Session])
assert_type(db.types.Integer, type[sa.Integer])
assert_type(db.sql.select(User), sa.Select[User])
assert_type(db.event.listen(User, "init", print), None)

# other objects: enum members keep their literal type
assert_type(db.LABEL_STYLE_NONE, Literal[sa.SelectLabelStyle.LABEL_STYLE_NONE])
assert_type(db.BLANK_SCHEMA, Literal[sa.schema.SchemaConst.BLANK_SCHEMA])

# a typo is an error in both checkers (pyright strict also flags the Unknown result)
db.Colum  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
db.exc.NoResultFund  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
# private names are never proxied
db._sa_exc  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
# wrong arguments are caught through the overloads
db.select(1.5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
