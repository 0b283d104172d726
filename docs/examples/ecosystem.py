"""Extensions that look for Flask-SQLAlchemy by name, after one call."""

# [start install]
# myapp/__init__.py: first thing, before any extension is imported
from flask_sqlalchemy_typed import install_as_flask_sqlalchemy

install_as_flask_sqlalchemy()
# [end install]

import sys  # noqa: E402
import warnings  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask import session  # noqa: E402
from sqlalchemy.orm import DeclarativeBase  # noqa: E402
from sqlalchemy.orm import Mapped  # noqa: E402
from sqlalchemy.orm import mapped_column  # noqa: E402

import flask_sqlalchemy_typed  # noqa: E402
import flask_sqlalchemy_typed.session  # noqa: E402
from flask_sqlalchemy_typed import SQLAlchemy  # noqa: E402

# [start check]
assert sys.modules["flask_sqlalchemy"] is flask_sqlalchemy_typed
assert sys.modules["flask_sqlalchemy.session"] is flask_sqlalchemy_typed.session
# [end check]

# WTForms 3.3 deprecates the choice tuples Flask-Admin's select fields yield.
warnings.filterwarnings("ignore", "Yielding raw tuples", DeprecationWarning)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(80))


db = SQLAlchemy(model_class=Base)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "dev"
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config["SQLALCHEMY_BINDS"] = {"sessions": "sqlite://"}
    db.init_app(app)
    with app.app_context():
        db.create_all()
    return app


# [start admin]
from flask_admin import Admin  # type: ignore[import-untyped]  # noqa: E402  # pyright: ignore[reportMissingTypeStubs]
from flask_admin.contrib.sqla import ModelView  # type: ignore[import-untyped]  # noqa: E402  # pyright: ignore[reportMissingTypeStubs]


def add_admin(app: Flask) -> None:
    admin = Admin(app)
    admin.add_view(ModelView(User, db))  # db itself, as with Flask-SQLAlchemy
    admin.add_view(ModelView(Post, db))
    # [end admin]


# [start session]
from flask_session import Session  # type: ignore[import-untyped]  # noqa: E402  # pyright: ignore[reportMissingTypeStubs]


def add_server_sessions(app: Flask) -> None:
    app.config["SESSION_TYPE"] = "sqlalchemy"
    app.config["SESSION_SQLALCHEMY"] = db
    # a bind key: Flask-Session calls db.get_engine(app, bind="sessions")
    app.config["SESSION_SQLALCHEMY_BIND_KEY"] = "sessions"
    Session(app)
    # [end session]


def main() -> None:
    app = create_app()
    add_admin(app)
    add_server_sessions(app)

    @app.post("/visit")
    def visit() -> str:
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    client = app.test_client()
    assert client.post("/admin/user/new/", data={"name": "ann"}).status_code == 302
    assert b"ann" in client.get("/admin/user/").data
    assert [client.post("/visit").text for _ in range(2)] == ["1", "2"]
    with app.app_context():
        assert db.session.scalars(sa.select(User.name)).all() == ["ann"]
        with db.engines["sessions"].connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM sessions")) == 1


if __name__ == "__main__":
    main()
