"""Registering an app with the extension, finding its engines, and ending its
application contexts: the work behind ``SQLAlchemy.init_app``, ``db.engines``,
``db.get_engine`` and the session teardown.

:meta private:
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Mapping
from collections.abc import MutableMapping
from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import current_app
from flask import Flask

from . import _engines

if t.TYPE_CHECKING:
    from .replicas._routing import Replicas
    from .session import Session

logger = logging.getLogger("flask_sqlalchemy_typed")

_AppEngines = MutableMapping[Flask, dict[str | None, sa.engine.Engine]]


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
    app_engines: _AppEngines,
    session: sa_orm.scoped_session[Session],
) -> None:
    """Make ``engines`` the app's (disposing any it had), and turn on the query
    recording and modification tracking its config asks for."""
    registered = app_engines.setdefault(app, {})
    for engine in registered.values():
        engine.dispose()
    registered.clear()
    registered.update(engines)
    # _listen is Flask-SQLAlchemy's name for these modules' hooks, kept as is;
    # record_queries and track_modifications are public modules, where a public
    # name would be new API.
    if _engines.config_setdefault(app, "SQLALCHEMY_RECORD_QUERIES", False):
        from . import record_queries

        for engine in registered.values():
            record_queries._listen(engine)  # pyright: ignore[reportPrivateUsage]
    if _engines.config_setdefault(app, "SQLALCHEMY_TRACK_MODIFICATIONS", False):
        from . import track_modifications

        track_modifications._listen(session)  # pyright: ignore[reportPrivateUsage]


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


def current_engines(app_engines: _AppEngines) -> Mapping[str | None, sa.engine.Engine]:
    """The engines of the current app: ``db.engines``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        return app_engines[app]
    except KeyError:
        raise RuntimeError(
            "The current Flask app is not registered with this 'SQLAlchemy'"
            " instance. Did you forget to call 'init_app', or did you create"
            " multiple 'SQLAlchemy' instances?"
        ) from None


def get_engine(
    app_engines: _AppEngines,
    bind_key: str | Flask | None,
    *,
    bind: str | None,
    app: Flask | None,
) -> sa.engine.Engine:
    """``db.get_engine``: Flask-SQLAlchemy 3.1's call forms and 2.x's ``app``/``bind``."""
    if isinstance(bind_key, Flask):
        if app is not None:
            raise TypeError(
                "get_engine() got an application twice, positionally and as 'app'."
            )
        app, bind_key = bind_key, None
    if bind is not None:
        if bind_key is not None:
            raise TypeError(
                "get_engine() got both 'bind_key' and 'bind': pass one ('bind' is"
                " Flask-SQLAlchemy 2's name of 'bind_key')."
            )
        bind_key = bind
    if app is None:
        engines = current_engines(app_engines)
    else:
        found = app_engines.get(app)
        if found is None:
            raise RuntimeError(
                f"The Flask app {app.name!r} is not registered with this 'SQLAlchemy'"
                " instance. Did you forget to call 'init_app'?"
            )
        engines = found
    try:
        return engines[bind_key]
    except KeyError:
        raise KeyError(
            f"Bind key '{bind_key}' is not in 'SQLALCHEMY_BINDS' config."
        ) from None


def replica_engines(
    engines: Mapping[str | None, sa.engine.Engine], replicas: Replicas | None
) -> Mapping[str | None, Sequence[sa.engine.Engine]]:
    """``db.replica_engines``: ``engines`` (the current app's) proves that the app is
    registered."""
    if replicas is None or not engines:
        return {}
    app = t.cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    return replicas.by_app.get(app, {})
