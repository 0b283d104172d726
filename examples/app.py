"""A small, strictly typed Flask app on two SQLite databases.

Run it with ``python examples/app.py``: it creates the tables, adds a few rows,
sends requests through Flask's test client and prints the answers. ``--serve``
starts the development server instead; ``--check`` also asserts the answers.
"""

from __future__ import annotations

import sys
from datetime import datetime
from datetime import timezone

from flask import Flask
from flask import request
from sqlalchemy import ForeignKey
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    type_annotation_map = {str: String(200)}


db = SQLAlchemy(model_class=Base)


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    posts: Mapped[list[Post]] = relationship(back_populates="author")


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey(Author.id))
    author: Mapped[Author] = relationship(back_populates="posts")


class AuditEntry(Base):
    """Stored in the second database, the "audit" bind."""

    __tablename__ = "audit_entry"
    __bind_key__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str]
    at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(timezone.utc))


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///example.db"
    app.config["SQLALCHEMY_BINDS"] = {"audit": "sqlite:///example-audit.db"}
    db.init_app(app)

    @app.get("/authors/<int:author_id>")
    def author(author_id: int) -> dict[str, object]:
        found = db.get_or_404(Author, author_id, description="No such author.")
        return {"name": found.name, "posts": [p.title for p in found.posts]}

    @app.get("/posts")
    def posts() -> dict[str, object]:
        page = db.paginate(select(Post).order_by(Post.id), max_per_page=50)
        return {
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
            "titles": [post.title for post in page.items],
        }

    @app.post("/posts")
    def add_post() -> tuple[dict[str, object], int]:
        name = request.form["author"]
        writer = db.first_or_404(select(Author).where(Author.name == name))
        post = Post(title=request.form["title"], author=writer)
        db.session.add(post)
        db.session.add(AuditEntry(message=f"{name} wrote {post.title!r}"))
        db.session.commit()
        return {"id": post.id}, 201

    @app.get("/audit")
    def audit() -> dict[str, object]:
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        return {"entries": count}

    return app


def demo(app: Flask, check: bool) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        ada = Author(name="Ada")
        db.session.add_all([ada, Author(name="Grace")])
        db.session.add_all(Post(title=f"Note {i}", author=ada) for i in range(1, 31))
        db.session.commit()

    client = app.test_client()
    answers = {
        "GET /authors/1": client.get("/authors/1"),
        "GET /authors/99": client.get("/authors/99"),
        "GET /posts?page=2&per_page=10": client.get("/posts?page=2&per_page=10"),
        "POST /posts": client.post("/posts", data={"author": "Grace", "title": "Hi"}),
        "GET /audit": client.get("/audit"),
    }
    for what, response in answers.items():
        body = response.get_json(silent=True)
        print(f"{what:32} {response.status_code} {body if body is not None else ''}")
    if check:
        assert answers["GET /authors/1"].status_code == 200
        assert answers["GET /authors/99"].status_code == 404
        listing = answers["GET /posts?page=2&per_page=10"].get_json()
        assert listing["titles"][0] == "Note 11" and listing["total"] == 30
        assert answers["POST /posts"].status_code == 201
        assert answers["GET /audit"].get_json() == {"entries": 1}
        print("example: all answers as expected")


if __name__ == "__main__":
    application = create_app()
    if "--serve" in sys.argv:
        with application.app_context():
            db.create_all()
        application.run()
    else:
        demo(application, check="--check" in sys.argv)
