"""``get_engine``: every call form is an ``Engine``, and deprecated.

pyright strict reports each call as deprecated (``reportDeprecated`` is an error
there), which the ignores below assert; mypy does so with ``enable_error_code =
deprecated`` (``typing_tests/yaml/test_compat.yml``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from typing_extensions import assert_type

from ._models import db

app = Flask(__name__)
# the forms Flask-SQLAlchemy 3.1 and 2.x callers use, each an Engine
assert_type(db.get_engine(), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine("other"), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(None), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(bind_key="other"), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(bind="other"), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(bind=None, app=app), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(app, bind="other"), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine(app), sa.Engine)  # pyright: ignore[reportDeprecated]
assert_type(db.get_engine("other", app=app), sa.Engine)  # pyright: ignore[reportDeprecated]

# negative: a bind key is a string; bind_key and bind together; the app twice;
# a keyword Flask-SQLAlchemy never had
db.get_engine(1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
db.get_engine("a", bind="b")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
db.get_engine(app, app=app)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
db.get_engine(nosuch=True)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
