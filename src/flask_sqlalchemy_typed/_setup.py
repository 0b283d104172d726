"""Registering an app with the extension, and ending its application contexts: the
work behind ``SQLAlchemy.init_app`` and the session teardown.

:meta private:
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Iterable
from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask

from . import _engines

if t.TYPE_CHECKING:
    from ._state import AppEngines
    from .session import Session

logger = logging.getLogger("flask_sqlalchemy_typed")


def check_unregistered(app: Flask) -> None:
    """Fail if an extension instance is already registered on ``app``."""
    if "sqlalchemy" in app.extensions:
        raise RuntimeError(
            "A 'SQLAlchemy' instance has already been registered on this Flask"
            " app. Import and use that instance instead."
        )


def register(
    app: Flask,
    engines: Mapping[str | None, sa.engine.Engine],
    app_engines: AppEngines,
    session: sa_orm.scoped_session[Session],
) -> None:
    """Make ``engines`` the app's (disposing any it had), and turn on the query
    recording and modification tracking its config asks for."""
    registered = app_engines.setdefault(app, {})
    for engine in registered.values():
        engine.dispose()
    registered.clear()
    registered.update(engines)
    if _engines.config_setdefault(app, "SQLALCHEMY_RECORD_QUERIES", False):
        record_queries(registered.values())
    if _engines.config_setdefault(app, "SQLALCHEMY_TRACK_MODIFICATIONS", False):
        from . import track_modifications

        track_modifications._listen(session)  # pyright: ignore[reportPrivateUsage]


# _listen is Flask-SQLAlchemy's name for the hooks of record_queries and
# track_modifications, kept as is: they are public modules, where a public name
# would be new API.
def record_queries(engines: Iterable[sa.engine.Engine]) -> None:
    """Record the queries that ``engines`` (primaries or replicas) run."""
    from . import record_queries

    for engine in engines:
        record_queries._listen(engine)  # pyright: ignore[reportPrivateUsage]


def remove_session(scoped: sa_orm.scoped_session[t.Any]) -> None:
    """Close and discard the current scope's session.

    A connection that died during the request can make closing it raise; that must
    not escape the teardown (Flask would answer with a bare 500, or lose the original
    error), so it is logged and the session is discarded anyway.
    """
    try:
        scoped.remove()
    except sa_exc.SQLAlchemyError:
        logger.warning(
            "Closing the session at app context teardown failed; it was discarded.",
            exc_info=True,
        )
        scoped.registry.clear()
