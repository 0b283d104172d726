"""Offset pagination: db.paginate in a view, the page object, page links."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import ForeignKey
from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.pagination import Pagination


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(User.id))
    title: Mapped[str]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


# [start links]
def page_links(page: Pagination[Any]) -> list[str]:
    """The page numbers to show, "…" for a gap: 1 2 … 5 6 [7] 8 9 10 11 … 19 20."""
    return [
        "…" if number is None else f"[{number}]" if number == page.page else str(number)
        for number in page.iter_pages()
    ]


# [end links]


# [start view]
@app.get("/users")
def list_users() -> dict[str, object]:
    page = db.paginate(select(User).order_by(User.id), max_per_page=50)
    assert_type(page.items, list[User])
    return {
        "names": [user.name for user in page],
        "page": page.page,
        "pages": page.pages,
        "total": page.total,
        "next": page.next_num,
        "links": page_links(page),
    }


# [end view]


# [start rows]
@app.get("/posts")
def list_posts() -> dict[str, object]:
    statement = select(User, Post).join(Post).order_by(Post.id)
    page = db.paginate_rows(statement, per_page=10)
    assert_type(page.items, list[Row[User, Post]])
    return {"posts": [f"{user.name}: {post.title}" for user, post in page]}


# [end rows]


with app.app_context():
    db.create_all()
    db.session.add_all(User(name=f"user {i}") for i in range(1, 201))
    db.session.add_all(Post(user_id=i, title=f"post {i}") for i in range(1, 31))
    db.session.commit()

    # [start object]
    page = db.paginate(select(User).order_by(User.id), page=7, per_page=10)
    assert (page.page, page.per_page, page.total, page.pages) == (7, 10, 200, 20)
    assert (page.first, page.last) == (61, 70)
    assert page.has_prev and page.prev_num == 6 and page.next_num == 8
    assert page.next().page == 8  # the next page, same arguments
    assert page_links(page) == "1 2 … 5 6 [7] 8 9 10 11 … 19 20".split()
    # [end object]

client = app.test_client()
# [start requests]
body = client.get("/users?page=3&per_page=20").get_json()
assert body["names"][0] == "user 41" and body["pages"] == 10 and body["next"] == 4
assert len(client.get("/users?per_page=500").get_json()["names"]) == 50
assert client.get("/users?page=11&per_page=20").status_code == 404  # past the end
assert client.get("/users?page=two").status_code == 404  # not ASCII digits
assert client.get("/users?page=%202").status_code == 404  # " 2": not digits
assert client.get("/posts?page=3").get_json() == {
    "posts": [f"user {i}: post {i}" for i in range(21, 31)]
}
# [end requests]
