"""Flask-Security-Too's ``SQLAlchemyUserDatastore(db, User, Role)``: create a user,
log in. The models are Flask-Security's own ``fsqla_v3`` mixins, which build their
columns and the ``roles_users`` table with ``db.Column``, ``db.Table`` and
``db.relationship``."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

pytest.importorskip("flask_security")

from flask_security import auth_required  # noqa: E402
from flask_security import current_user  # noqa: E402
from flask_security import hash_password  # noqa: E402
from flask_security import Security  # noqa: E402
from flask_security import SQLAlchemyUserDatastore  # noqa: E402
from flask_security.models import fsqla_v3 as fsqla  # noqa: E402
from flask_security.models.fsqla import FsModels  # noqa: E402


def test_create_user_and_log_in(app: Flask) -> None:
    app.config.update(
        SECRET_KEY="eco-secret",
        SECURITY_PASSWORD_SALT="eco-salt",
        # pure-Python hashing, few rounds: the test stays fast
        SECURITY_PASSWORD_HASH="pbkdf2_sha512",
        SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS={"pbkdf2_sha512__rounds": 1000},
        SECURITY_PASSWORD_SINGLE_HASH=True,
        WTF_CSRF_ENABLED=False,
    )

    class Base(sa_orm.DeclarativeBase):
        pass

    db = SQLAlchemy(app, model_class=Base)
    FsModels.set_db_info(
        db, user_table_name="eco_sec_user", role_table_name="eco_sec_role"
    )

    class Role(Base, fsqla.FsRoleMixin):
        __tablename__ = "eco_sec_role"

    class User(Base, fsqla.FsUserMixin):
        __tablename__ = "eco_sec_user"

    # Flask-Security annotates db as flask_sqlalchemy.SQLAlchemy (see the README).
    datastore = SQLAlchemyUserDatastore(db, User, Role)  # type: ignore[arg-type]
    Security(app, datastore)

    @app.get("/private")
    @auth_required()
    def private() -> str:
        return str(current_user.email)

    with app.app_context():
        db.create_all()
        admin = datastore.find_or_create_role("admin")
        datastore.create_user(
            email="ann@example.com",
            password=hash_password("correct horse"),
            roles=[admin],
        )
        db.session.commit()

    client = app.test_client()
    assert (
        client.get("/private", headers={"Accept": "application/json"}).status_code
        == 401
    )
    bad = client.post("/login", json={"email": "ann@example.com", "password": "wrong"})
    assert bad.status_code == 400
    good = client.post(
        "/login", json={"email": "ann@example.com", "password": "correct horse"}
    )
    assert good.status_code == 200, good.json
    assert client.get("/private").text == "ann@example.com"
    with app.app_context():
        user: t.Any = datastore.find_user(email="ann@example.com")
        assert user.has_role("admin")
