"""What changes when a Flask-SQLAlchemy 3.1 app moves to this package."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

# [start import]
# before: from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy_typed import SQLAlchemy

# [end import]


# [start base]
class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
assert db.Model is Base  # Flask-SQLAlchemy 3.1 builds a new class from Base


class User(Base):  # so this is the same as class User(db.Model)
    id: Mapped[int] = mapped_column(primary_key=True)


assert User.__tablename__ == "user"
# [end base]

# [start one-base]
try:
    SQLAlchemy(model_class=Base)
except RuntimeError as e:
    assert "already the 'Model' of another 'SQLAlchemy' instance" in str(e)
else:
    raise AssertionError("one base, one extension")
# [end one-base]

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_BINDS"] = {"audit": "sqlite://"}
db.init_app(app)

with app.app_context():
    # [start engines]
    engine = db.engine  # not db.get_engine(): it works, but is deprecated
    audit_engine = db.engines["audit"]  # 3.1: db.get_engine(bind_key="audit")
    assert repr(db) == "<SQLAlchemy sqlite:// +1 engines>"
    # [end engines]
    assert engine is not audit_engine
