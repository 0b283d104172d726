"""Recording queries and the model change signals."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.record_queries import get_recorded_queries
from flask_sqlalchemy_typed.track_modifications import models_committed


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Note(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str]


# [start config]
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_RECORD_QUERIES"] = True
app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = True
db.init_app(app)
# [end config]

# [start signal]
changes_seen: list[tuple[Any, str]] = []


@models_committed.connect_via(app)
def on_models_committed(sender: Flask, changes: list[tuple[Any, str]]) -> None:
    changes_seen.extend(changes)


# [end signal]


with app.app_context():
    db.create_all()

with app.app_context():
    # [start record]
    db.session.add(Note(text="hello"))
    db.session.commit()
    db.session.scalars(select(Note)).all()

    for info in get_recorded_queries():
        print(f"{info.duration * 1000:.2f} ms  {info.statement}  at {info.location}")
    statements = [info.statement for info in get_recorded_queries()]
    assert statements[-1] == ("SELECT note.id, note.text \nFROM note")
    # [end record]

# [start changes]
assert [(type(model).__name__, operation) for model, operation in changes_seen] == [
    ("Note", "insert")
]
# [end changes]
