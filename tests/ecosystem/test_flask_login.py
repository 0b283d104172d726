"""Flask-Login with loaders written as Flask-SQLAlchemy apps write them:
``db.session.get`` in ``user_loader``, ``db.get_or_404`` in a view."""

from __future__ import annotations

import pytest
from flask import Flask

from .._matrix import Database
from ._app import make_models

pytest.importorskip("flask_login")

from flask_login import current_user  # noqa: E402
from flask_login import login_required  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_login import LoginManager  # noqa: E402


def test_login_and_load(app: Flask, database: Database) -> None:
    m = make_models(app, database)
    login = LoginManager(app)

    @login.user_loader
    def load_user(user_id: str) -> object:
        return m.db.session.get(m.User, int(user_id))

    @app.post("/login/<int:user_id>")
    def log_in(user_id: int) -> str:
        login_user(m.db.get_or_404(m.User, user_id))
        return "ok"

    @app.get("/me")
    @login_required
    def me() -> str:
        return str(current_user.name)

    with app.app_context():
        m.db.session.add(m.User(name="ann"))
        m.db.session.commit()
    client = app.test_client()
    assert client.get("/me").status_code == 401
    assert client.post("/login/2").status_code == 404
    assert client.post("/login/1").text == "ok"
    assert client.get("/me").text == "ann"
