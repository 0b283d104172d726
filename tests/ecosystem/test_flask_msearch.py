"""Flask-MSearch (Whoosh backend) indexes on ``models_committed``: a committed
model is found by ``msearch``. Needs the alias: it connects to
``flask_sqlalchemy.track_modifications.models_committed``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from .._matrix import Database
from ._app import make_models
from ._mode import needs_alias

pytest.importorskip("flask_msearch")
pytest.importorskip("whoosh")

# Not PostgreSQL: Flask-MSearch filters with the ids Whoosh stores, strings
# (``id IN ('1')``), which PostgreSQL refuses to compare with an integer key.
pytestmark = [
    needs_alias,
    pytest.mark.databases("sqlite", "mariadb"),
]


def test_committed_model_is_found(
    app: Flask, database: Database, tmp_path: Path
) -> None:
    from flask_msearch import Search

    app.config.update(
        SQLALCHEMY_TRACK_MODIFICATIONS=True,
        MSEARCH_BACKEND="whoosh",
        MSEARCH_INDEX_NAME=str(tmp_path / "msearch"),
    )
    m = make_models(app, database)
    m.Post.__searchable__ = ["title"]
    search = Search(app, db=m.db)
    with app.app_context():
        ann = m.User(name="ann")
        m.db.session.add_all(
            [m.Post(title="typed flask apps", author=ann), m.Post(title="other")]
        )
        m.db.session.commit()
        found = m.Post.query.msearch("typed").all()
        assert [post.title for post in found] == ["typed flask apps"]
        hits = search.msearch(m.Post, "typed")
        assert [hit["id"] for hit in hits] == ["1"]
        assert m.db.session.scalar(sa.select(sa.func.count()).select_from(m.Post)) == 2
