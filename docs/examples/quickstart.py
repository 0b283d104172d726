"""Quick start: one model, three views, checked by mypy --strict and pyright strict.

Run it with ``python docs/examples/quickstart.py``: it creates the table in an
in-memory SQLite database and calls each view through Flask's test client.
"""

from __future__ import annotations

from flask import Flask
from flask import request
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.pagination import SelectPagination


# [start extension]
class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
# [end extension]


# [start model]
class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    email: Mapped[str | None]


# [end model]


# [start app]
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)

with app.app_context():
    db.create_all()
# [end app]


# [start views]
@app.post("/users")
def create_user() -> tuple[dict[str, int], int]:
    user = User(name=request.form["name"], email=request.form.get("email"))
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}, 201


@app.get("/users/<int:user_id>")
def show_user(user_id: int) -> dict[str, str | None]:
    user = db.get_or_404(User, user_id)
    assert_type(user, User)
    return {"name": user.name, "email": user.email}


@app.get("/users")
def list_users() -> dict[str, list[str]]:
    page = db.paginate(select(User).order_by(User.name))
    assert_type(page, SelectPagination[User])
    return {"names": [user.name for user in page]}


# [end views]


# [start typos]
def typos(user: User) -> None:
    user.nmae = "ada"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    db.get_or_404(User, "1", descrption="gone")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


# [end typos]


# [start try]
client = app.test_client()
assert client.post("/users", data={"name": "ada"}).status_code == 201
assert client.post("/users", data={"name": "bob"}).status_code == 201
assert client.get("/users/1").get_json() == {"name": "ada", "email": None}
assert client.get("/users/3").status_code == 404
assert client.get("/users").get_json() == {"names": ["ada", "bob"]}
# [end try]
assert db.Model is Base
