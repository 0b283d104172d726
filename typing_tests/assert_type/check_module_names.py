"""Flask-SQLAlchemy 3.1's module-level names, from the same modules of ours: each is
this package's own class or function, with its type.

The private ones are private in Flask-SQLAlchemy too: pyright strict reports their
import there as here, so this file turns that report off.
"""

# pyright: reportPrivateUsage=false

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import assert_type

import flask_sqlalchemy_typed
from flask_sqlalchemy_typed import model
from flask_sqlalchemy_typed import pagination
from flask_sqlalchemy_typed import query
from flask_sqlalchemy_typed import session
from flask_sqlalchemy_typed.extension import _app_ctx_id as extension_app_ctx_id
from flask_sqlalchemy_typed.extension import Model
from flask_sqlalchemy_typed.extension import Pagination
from flask_sqlalchemy_typed.extension import Query
from flask_sqlalchemy_typed.extension import SelectPagination
from flask_sqlalchemy_typed.extension import Session
from flask_sqlalchemy_typed.model import _QueryProperty
from flask_sqlalchemy_typed.query import Pagination as QueryModulePagination
from flask_sqlalchemy_typed.query import QueryPagination
from flask_sqlalchemy_typed.session import _app_ctx_id
from flask_sqlalchemy_typed.session import _clause_to_engine


def same_types(
    m: Model,
    q: Query[int],
    s: Session,
    p: Pagination[int],
    sp: SelectPagination[int],
    qp: QueryPagination[int],
    mp: QueryModulePagination[int],
    pp: flask_sqlalchemy_typed.pagination.Pagination[int],
    prop: _QueryProperty,
) -> None:
    assert_type(m, model.Model)
    assert_type(q, query.Query[int])
    assert_type(s, session.Session)
    assert_type(p, pagination.Pagination[int])
    assert_type(sp, pagination.SelectPagination[int])
    assert_type(qp, pagination.QueryPagination[int])
    assert_type(mp, pagination.Pagination[int])
    assert_type(pp, pagination.Pagination[int])
    assert_type(prop, model._QueryProperty)


assert_type(_app_ctx_id(), int)
assert_type(extension_app_ctx_id(), int)
assert_type(
    _clause_to_engine(sa.table("t"), {None: sa.create_engine("sqlite://")}),
    sa.Engine | None,
)

# negative: the helpers take what Flask-SQLAlchemy's take
_app_ctx_id(1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
_clause_to_engine(sa.table("t"))  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
