"""Flask-Admin's SQLAlchemy ``ModelView``: list, create, edit, delete, and a second
bind's model, given ``db`` (needs the alias: Flask-Admin checks
``isinstance(db, flask_sqlalchemy.SQLAlchemy)``) or ``db.session``."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask

from .._matrix import Database
from ._app import make_models
from ._mode import ALIASED

pytest.importorskip("flask_admin")

from flask_admin import Admin  # noqa: E402
from flask_admin.contrib.sqla import ModelView  # noqa: E402

# WTForms 3.3 deprecates the (value, label, selected) tuples Flask-Admin's select
# fields yield; Flask-Admin's own warning, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:Yielding raw tuples:DeprecationWarning")


@pytest.mark.parametrize("given", ["db", "db.session"])
def test_crud_on_two_binds(app: Flask, database: Database, given: str) -> None:
    if given == "db" and not ALIASED:
        pytest.skip("ModelView(User, db) needs install_as_flask_sqlalchemy()")
    m = make_models(app, database, bind=True)
    admin = Admin(app)
    views = []
    for model in (m.User, m.Log):
        if given == "db":
            views.append(ModelView(model, m.db))
        else:
            with pytest.deprecated_call(match="Passing a session object directly"):
                views.append(ModelView(model, m.db.session))
    admin.add_views(*views)
    client = app.test_client()

    def rows(model: t.Any) -> list[tuple[t.Any, ...]]:
        # An ORM select: its mapper routes it to the model's bind.
        with app.app_context():
            keys = model.__table__.columns.keys()
            found = m.db.session.scalars(sa.select(model).order_by(model.id))
            return [tuple(getattr(obj, key) for key in keys) for obj in found]

    assert client.post("/admin/user/new/", data={"name": "ann"}).status_code == 302
    assert client.post("/admin/log/new/", data={"message": "hello"}).status_code == 302
    assert rows(m.User) == [(1, "ann")]
    assert rows(m.Log) == [(1, "hello")]
    with app.app_context():
        # The second bind's table is in its own database.
        assert not sa.inspect(m.db.engine).has_table("eco_log")
        assert sa.inspect(m.db.engines["other"]).has_table("eco_log")

    listing = client.get("/admin/user/")
    assert listing.status_code == 200
    assert b"ann" in listing.data
    assert b"hello" in client.get("/admin/log/").data

    edited = client.post("/admin/user/edit/?id=1", data={"name": "bob"})
    assert edited.status_code == 302
    assert rows(m.User) == [(1, "bob")]

    deleted = client.post("/admin/user/delete/", data={"id": "1"})
    assert deleted.status_code == 302
    assert rows(m.User) == []
    assert client.post("/admin/log/delete/", data={"id": "1"}).status_code == 302
    assert rows(m.Log) == []
