"""Testing with pytest: every test rolls back, with one fixture in conftest.py.

Run it with ``python docs/examples/testing_pytest.py``: it runs its own tests
through pytest. In a project, the app part lives in your package, the conftest
part in ``tests/conftest.py`` and the tests in ``tests/test_*.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask import request
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.testing import Isolation
from flask_sqlalchemy_typed.testing import worker_database_url


# [start app]
class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


def create_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db.init_app(app)

    @app.post("/users")
    def create_user() -> tuple[dict[str, int], int]:
        user = User(name=request.form["name"])
        db.session.add(user)
        db.session.commit()
        return {"id": user.id}, 201

    @app.get("/users/count")
    def count_users() -> dict[str, int]:
        return {"count": db.session.scalar(select(func.count(User.id))) or 0}

    return app


# [end app]


# [start conftest]
@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    # Under pytest-xdist each worker gets its own database: users_gw0.db, ...
    path = tmp_path_factory.mktemp("data") / "users.db"
    app = create_app(worker_database_url(f"sqlite:///{path}").render_as_string())
    with app.app_context():
        db.create_all()  # once per session: tests roll back, the schema stays
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolate(fsqt_isolation: Isolation) -> None:
    """Every test runs inside db.test_isolation(app): nothing it commits stays."""


# [end conftest]


# [start tests]
def test_create_user(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/users", data={"name": "ada"}).status_code == 201
    assert client.get("/users/count").json == {"count": 1}


def test_starts_empty(app: Flask) -> None:
    # test_create_user committed a user; it was rolled back at its end.
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
        db.session.add(User(name="ada"))  # no unique clash with the first test
        db.session.commit()


@pytest.mark.fsqt_isolation(mode="delete")
def test_with_a_thread(app: Flask) -> None:
    # Threads cannot share the test's transaction: this test commits for real, and
    # every row of the app's tables is deleted when it ends.
    def work() -> None:
        with app.app_context():
            db.session.add(User(name="from a thread"))
            db.session.commit()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


# [end tests]


if __name__ == "__main__":
    # A fresh process, as the pytest command would be; no __pycache__ left behind.
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    sys.exit(subprocess.call(command, env=env))
