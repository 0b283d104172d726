"""The README's typed quickstart: the text between the markers is the README's
code block, character for character (tests/test_docs.py compares them)."""

from __future__ import annotations

# [start readme]
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)  # SQLAlchemy[Base]; db.Model is Base itself


class User(Base):  # under pyright, class User(db.Model) works too
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


@app.get("/users/<int:user_id>")
def show(user_id: int) -> dict[str, str]:
    user = db.get_or_404(User, user_id)  # User, or a 404
    return {"name": user.name}


@app.get("/users")
def index() -> list[str]:
    page = db.paginate(select(User).order_by(User.id))  # Pagination[User]
    return [user.name for user in page]


# [end readme]


with app.app_context():
    db.create_all()
    db.session.add(User(name="ada"))
    db.session.commit()

client = app.test_client()
assert client.get("/users/1").get_json() == {"name": "ada"}
assert client.get("/users/2").status_code == 404
assert client.get("/users").get_json() == ["ada"]
