"""flask-smorest's ``@blp.paginate()`` fed by ``db.paginate``."""

from __future__ import annotations

import json
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask

from .._matrix import Database
from ._app import make_models

pytest.importorskip("flask_smorest")

import marshmallow as ma  # noqa: E402
from flask_smorest import Api  # noqa: E402
from flask_smorest import Blueprint  # noqa: E402


class PostSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()


def test_paginated_listing(app: Flask, database: Database) -> None:
    m = make_models(app, database)
    app.config.update(API_TITLE="eco", API_VERSION="1", OPENAPI_VERSION="3.0.2")
    api = Api(app)
    blp = Blueprint("posts", __name__, url_prefix="/posts")

    @blp.route("/")
    @blp.response(200, PostSchema(many=True))
    @blp.paginate()
    def list_posts(pagination_parameters: t.Any) -> list[t.Any]:
        page = m.db.paginate(
            sa.select(m.Post).order_by(m.Post.id),
            page=pagination_parameters.page,
            per_page=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items

    api.register_blueprint(blp)
    with app.app_context():
        m.db.session.add_all([m.Post(title=f"p{n}") for n in range(5)])
        m.db.session.commit()
    response = app.test_client().get("/posts/?page=2&page_size=2")
    assert response.status_code == 200
    assert response.json == [{"id": 3, "title": "p2"}, {"id": 4, "title": "p3"}]
    header = json.loads(response.headers["X-Pagination"])
    assert header["total"] == 5
    assert header["page"] == 2
    assert header["total_pages"] == 3
