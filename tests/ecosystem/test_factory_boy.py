"""factory-boy's ``SQLAlchemyModelFactory`` with ``sqlalchemy_session=db.session``
and with ``sqlalchemy_session_factory``."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask

from .._matrix import Database
from ._app import make_models

factory = pytest.importorskip("factory")

from factory.alchemy import SQLAlchemyModelFactory  # noqa: E402


def test_factories_commit_through_db_session(app: Flask, database: Database) -> None:
    m = make_models(app, database)

    class UserFactory(SQLAlchemyModelFactory):
        class Meta:
            model = m.User
            sqlalchemy_session = m.db.session
            sqlalchemy_session_persistence = "commit"

        name = factory.Sequence(lambda n: f"user{n}")

    class PostFactory(SQLAlchemyModelFactory):
        class Meta:
            model = m.Post
            sqlalchemy_session_factory = lambda: m.db.session  # noqa: E731
            sqlalchemy_session_persistence = "flush"

        title = factory.Sequence(lambda n: f"post{n}")
        author = factory.SubFactory(UserFactory)

    def count(model: t.Any) -> int | None:
        return m.db.session.scalar(sa.select(sa.func.count()).select_from(model))

    with app.app_context():
        posts = PostFactory.create_batch(2)
        assert {post.author.name for post in posts} == {"user0", "user1"}
        m.db.session.commit()
    with app.app_context():
        assert count(m.User) == 2
        assert count(m.Post) == 2
