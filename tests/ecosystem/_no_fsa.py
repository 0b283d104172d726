"""Run by ``tests/test_without_flask_sqlalchemy.py`` in an interpreter where the
``flask-sqlalchemy`` distribution is not installed: ``python _no_fsa.py plain`` or
``python _no_fsa.py alias``. Prints one ``name: result`` line per integration."""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import typing as t

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask import session

ALIAS = sys.argv[1] == "alias"
if ALIAS:
    from flask_sqlalchemy_typed import install_as_flask_sqlalchemy

    install_as_flask_sqlalchemy()

from flask_sqlalchemy_typed import SQLAlchemy  # noqa: E402


class Base(sa_orm.DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(80))


class Post(Base):
    __tablename__ = "post"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    title: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(80))


db = SQLAlchemy(model_class=Base)
app = Flask(__name__)


def new_app() -> Flask:
    """A fresh app (each check adds its own routes) with one user and one post."""
    new = Flask(__name__)
    new.config.update(SECRET_KEY="eco", SQLALCHEMY_DATABASE_URI="sqlite://")
    db.init_app(new)
    with new.app_context():
        db.create_all()
        db.session.add_all([User(name="ann"), Post(title="first")])
        db.session.commit()
    return new


def report(name: str, check: t.Callable[[], object]) -> None:
    global app
    app = new_app()
    try:
        result = f"ok {check()}"
    except Exception as e:  # the integration's own failure, reported
        result = f"{type(e).__name__}: {e}"
    print(f"{name}: {result}", flush=True)


def distribution() -> str:
    return importlib.metadata.version("flask-sqlalchemy")


def flask_sqlalchemy() -> str:
    return str(importlib.import_module("flask_sqlalchemy").__name__)


def app_itself() -> int:
    with app.app_context():
        return db.paginate(sa.select(User)).total or 0


def marshmallow() -> object:
    from flask_marshmallow import Marshmallow

    ma = Marshmallow(app)
    base: t.Any = ma.SQLAlchemyAutoSchema

    class UserSchema(base):
        class Meta:
            model = User
            load_instance = True

    with app.app_context():
        return UserSchema().dump(db.session.get(User, 1))


def marshmallow_direct() -> object:
    from flask_marshmallow.sqla import SQLAlchemyAutoSchema

    class UserSchema(SQLAlchemyAutoSchema):
        class Meta:
            model = User
            sqla_session = db.session
            load_instance = True

    with app.app_context():
        return UserSchema().load({"id": 1, "name": "ann"}) is db.session.get(User, 1)


def admin() -> int:
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView

    Admin(app).add_view(ModelView(User, db))
    response = app.test_client().get("/admin/user/")
    assert b"ann" in response.data
    return response.status_code


def flask_session() -> list[str]:
    from flask_session import Session

    app.config.update(SESSION_TYPE="sqlalchemy", SESSION_SQLALCHEMY=db)
    Session(app)

    @app.post("/visit")
    def visit() -> str:
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    client = app.test_client()
    return [client.post("/visit").text, client.post("/visit").text]


def msearch() -> object:
    from flask_msearch.whoosh_backend import WhooshSearch

    return WhooshSearch


for name, check in [
    ("distribution", distribution),
    ("flask_sqlalchemy", flask_sqlalchemy),
    ("app", app_itself),
    ("marshmallow", marshmallow),
    ("marshmallow_direct", marshmallow_direct),
    ("admin", admin),
    ("session", flask_session),
    ("msearch", msearch),
]:
    report(name, check)
