"""Models and tables: names, bind keys, relationships, a table without a model."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy


# [start base]
class Base(DeclarativeBase):
    type_annotation_map = {str: String(200)}


db = SQLAlchemy(model_class=Base)
# [end base]


# [start models]
class Author(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    books: Mapped[list[BookEntry]] = relationship(back_populates="author")


class BookEntry(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey(Author.id))
    author: Mapped[Author] = relationship(back_populates="books")


# [end models]


# [start bind]
class PageView(Base):
    __tablename__ = "page_view"
    __bind_key__ = "analytics"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str]


# [end bind]


# [start table]
book_tag = db.Table(
    "book_tag",
    sa.Column("book_id", sa.Integer, ForeignKey(BookEntry.id), primary_key=True),
    sa.Column("tag", sa.String(50), primary_key=True),
)
visit_log = db.Table(
    "visit_log",
    sa.Column("id", sa.Integer, primary_key=True),
    bind_key="analytics",
)
# [end table]

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_BINDS"] = {"analytics": "sqlite://"}
db.init_app(app)

# [start names]
assert Author.__tablename__ == "author"
assert BookEntry.__tablename__ == "book_entry"
assert PageView.metadata is db.metadatas["analytics"]
assert visit_log.metadata is db.metadatas["analytics"]
assert book_tag.metadata is db.metadata
# [end names]

# [start use]
with app.app_context():
    db.create_all()
    ada = Author(name="Ada")
    db.session.add(BookEntry(title="Notes", author=ada))
    db.session.commit()
    db.session.execute(book_tag.insert().values(book_id=1, tag="maths"))

    book = db.session.scalars(sa.select(BookEntry)).one()
    assert_type(book.author, Author)
    assert_type(book.author.books, list[BookEntry])
    assert book.author.name == "Ada"
    assert repr(book) == "<BookEntry 1>"
    assert sa.inspect(db.engines["analytics"]).has_table("page_view")
    assert not sa.inspect(db.engine).has_table("page_view")
# [end use]
