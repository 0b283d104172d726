"""``install_as_flask_sqlalchemy``: no argument, returns ``None``."""

from __future__ import annotations

from typing_extensions import assert_type

import flask_sqlalchemy_typed
from flask_sqlalchemy_typed import install_as_flask_sqlalchemy
from flask_sqlalchemy_typed.compat import install_as_flask_sqlalchemy as from_compat

assert_type(install_as_flask_sqlalchemy(), None)
assert_type(from_compat(), None)
assert_type(flask_sqlalchemy_typed.install_as_flask_sqlalchemy(), None)

# negative: it takes no argument
install_as_flask_sqlalchemy("flask_sqlalchemy")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
