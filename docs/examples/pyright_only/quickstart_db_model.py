"""Quick start in Flask-SQLAlchemy's style, ``class User(db.Model)``.

pyright and Pylance type this exactly. mypy cannot use an attribute of a variable
as a base class (python/mypy#8603), so mypy does not check this file: under mypy,
write ``class User(Base)`` as in ``quickstart.py``; ``db.Model`` *is* ``Base``.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


# [start model]
class User(db.Model):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)


# [end model]


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)

# [start use]
with app.app_context():
    db.create_all()
    db.session.add(User(name="ada"))
    db.session.commit()
    user = db.one_or_404(select(User).where(User.name == "ada"))
    assert_type(user, User)
    assert_type(user.name, str)
# [end use]


def typo(user: User) -> None:
    user.nmae = "ada"  # pyright: ignore[reportAttributeAccessIssue]
