"""db.test_isolation(), its Isolation, the xdist helper and the pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager

import sqlalchemy as sa
from flask import Flask
from typing_extensions import assert_type

from flask_sqlalchemy_typed.testing import Isolation
from flask_sqlalchemy_typed.testing import IsolationError
from flask_sqlalchemy_typed.testing import IsolationMode
from flask_sqlalchemy_typed.testing import worker_database_url

from ._models import db

app = Flask(__name__)

# the call returns the context manager itself; with yields it
iso = db.test_isolation(app)
assert_type(iso, Isolation)
ctx: AbstractContextManager[Isolation, None] = db.test_isolation(
    app, bind_key=[None, "users"], mode="delete"
)
with db.test_isolation() as isolation:
    assert_type(isolation, Isolation)
    assert_type(isolation.connection(), sa.Connection)
    assert_type(isolation.connection("users"), sa.Connection)
    assert_type(isolation.app, Flask)
    assert_type(isolation.mode, IsolationMode)
    assert_type(isolation.bind_keys, tuple[str | None, ...])
with db.test_isolation(bind_key=None):
    pass
with db.test_isolation(bind_key="users"):
    pass

assert_type(worker_database_url("sqlite:///app.db"), sa.URL)
assert_type(worker_database_url(sa.make_url("sqlite://"), "gw0"), sa.URL)
assert issubclass(IsolationError, RuntimeError)


def fixture_user(fsqt_isolation: Isolation) -> Iterator[sa.Connection]:
    yield fsqt_isolation.connection()


# negative cases: a misspelt mode, a bind key that is not a key, a key per call
db.test_isolation(app, mode="rollback")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.test_isolation(app, bind_key=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.test_isolation(app, bind_key=("a", "b"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.test_isolation("users")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
isolation.connection(bind_key=2)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
isolation.commit()  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
worker_database_url(5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
