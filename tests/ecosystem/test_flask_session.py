"""Flask-Session's SQLAlchemy backend with ``SESSION_SQLALCHEMY = db``: a session
survives two requests, on the default engine and on a bind. Needs the alias:
Flask-Session imports ``flask_sqlalchemy.SQLAlchemy`` and checks ``isinstance``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import session

from .._matrix import Database
from ._app import make_models
from ._mode import needs_alias

pytest.importorskip("flask_session")

pytestmark = needs_alias


@pytest.mark.parametrize("bind_key", [None, "other"])
def test_session_survives_two_requests(
    app: Flask, database: Database, bind_key: str | None
) -> None:
    from flask_session import Session

    m = make_models(app, database, bind=True)
    app.config.update(
        SESSION_TYPE="sqlalchemy",
        SESSION_SQLALCHEMY=m.db,
        SESSION_SQLALCHEMY_TABLE="eco_sessions",
        SESSION_SQLALCHEMY_BIND_KEY=bind_key,
    )
    Session(app)

    @app.post("/visit")
    def visit() -> str:
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    client = app.test_client()
    assert client.post("/visit").text == "1"
    assert client.post("/visit").text == "2"
    with app.app_context():
        engine = m.db.engines[bind_key]
        other = m.db.engines["other" if bind_key is None else None]
        with engine.connect() as conn:
            stored = conn.scalar(sa.text("SELECT count(*) FROM eco_sessions"))
        assert stored == 1
        assert not sa.inspect(other).has_table("eco_sessions")
