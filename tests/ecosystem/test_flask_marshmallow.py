"""flask-marshmallow's ``ma.SQLAlchemyAutoSchema``: dump, and ``load_instance``
through ``db.session``. Defined when ``import flask_sqlalchemy`` succeeds: with the
alias, or with Flask-SQLAlchemy installed beside us."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from .._matrix import Database
from ._app import make_models

pytest.importorskip("flask_marshmallow")

from flask_marshmallow import Marshmallow  # noqa: E402


def test_auto_schema_dump_and_load_instance(app: Flask, database: Database) -> None:
    m = make_models(app, database)
    ma = Marshmallow(app)
    auto_schema: t.Any = ma.SQLAlchemyAutoSchema

    class UserSchema(auto_schema):
        class Meta:
            model = m.User
            load_instance = True
            include_relationships = True

    with app.app_context():
        user = m.User(name="ann")
        m.db.session.add_all([user, m.Post(title="first", author=user)])
        m.db.session.commit()
        assert UserSchema().dump(user) == {"id": 1, "name": "ann", "posts": [1]}
        # load_instance finds the row through the session flask-marshmallow set
        loaded = UserSchema().load({"id": 1, "name": "bob"})
        assert loaded is user
        assert user.name == "bob"
        created = UserSchema().load({"name": "cid"})
        assert isinstance(created, m.User)
        assert created.id is None
