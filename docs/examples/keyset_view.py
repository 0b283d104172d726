"""Keyset pagination in a JSON view: newest posts first, next and previous links."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask import Flask
from flask import url_for
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SECRET_KEY"] = "change me: cursors are signed with it"
db = SQLAlchemy(app, model_class=Base)


# start-model
class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[dt.datetime]
    title: Mapped[str]


# The index the order needs: its columns and directions, then the primary key.
sa.Index("post_created_id", Post.created.desc(), Post.id)
# end-model


# start-view
@app.get("/posts")
def posts() -> dict[str, t.Any]:
    # ?after=, ?before= and ?per_page= are read from the query string
    page = db.keyset_paginate(sa.select(Post).order_by(Post.created.desc()))
    return {
        "titles": [post.title for post in page],
        "next": url_for("posts", after=page.next_cursor) if page.has_next else None,
        "prev": url_for("posts", before=page.prev_cursor) if page.has_prev else None,
    }


# end-view


def main() -> None:
    start = dt.datetime(2024, 1, 1)
    with app.app_context():
        db.create_all()
        db.session.add_all(
            # two posts per minute: ties on created, broken by the id
            Post(id=i, created=start + dt.timedelta(minutes=i // 2), title=f"post {i}")
            for i in range(1, 46)
        )
        db.session.commit()

    client = app.test_client()
    seen: list[str] = []
    url: str | None = "/posts?per_page=20"
    while url is not None:
        body = client.get(url).get_json()
        seen += body["titles"]
        url = body["next"]
    # newest first; within a minute, the lower id first
    expect = sorted(range(1, 46), key=lambda i: (-(i // 2), i))
    assert seen == [f"post {i}" for i in expect]
    assert client.get("/posts?after=forged").status_code == 400
    print("walked", len(seen), "posts")


if __name__ == "__main__":
    main()
