"""Bind routing: which engine a session uses, and schema operations per bind key;
the session's scope (the application context) and its removal when that ends.

:meta private:
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask.globals import app_ctx

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy


logger = logging.getLogger("flask_sqlalchemy_typed")


def app_ctx_id() -> int:
    """The id of the current Flask application context: the session scope."""
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]


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


def _missing_bind(
    key: str | None, *, mention_uri: bool
) -> sa_exc.UnboundExecutionError:
    """The error for a bind key with no engine, in Flask-SQLAlchemy's words (which
    mention the URI config only for schema operations on the default key)."""
    message = f"Bind key '{key}' is not in 'SQLALCHEMY_BINDS' config."
    if key is None and mention_uri:
        message = f"'SQLALCHEMY_DATABASE_URI' config is not set. {message}"
    return sa_exc.UnboundExecutionError(message)


def clause_to_engine(
    clause: object, engines: Mapping[str | None, sa.engine.Engine]
) -> sa.engine.Engine | None:
    """The engine of the bind key of a ``Table`` or DML statement's table, if any."""
    table = clause.table if isinstance(clause, sa.UpdateBase) else clause
    if not isinstance(table, sa.Table):
        return None
    info = table.metadata.info
    if "bind_key" not in info:
        return None
    key = info["bind_key"]
    try:
        return engines[key]
    except KeyError:
        raise _missing_bind(key, mention_uri=False) from None


def mapper_to_engine(
    mapper: object, engines: Mapping[str | None, sa.engine.Engine]
) -> sa.engine.Engine | None:
    """The engine of the bind key of a mapped class's local table, if any."""
    try:
        insp = sa.inspect(mapper)
    except sa_exc.NoInspectionAvailable as e:
        if isinstance(mapper, type):
            raise sa_orm.exc.UnmappedClassError(mapper) from e
        raise
    local_table = getattr(insp, "local_table", None)
    return clause_to_engine(local_table, engines)


def call_for_binds(
    db: SQLAlchemy[t.Any], bind_key: str | None | list[str | None], op_name: str
) -> None:
    """Call ``MetaData.<op_name>(bind=engine)`` for each selected bind key."""
    if bind_key == "__all__":
        keys: list[str | None] = list(db.metadatas)
    elif bind_key is None or isinstance(bind_key, str):
        keys = [bind_key]
    else:
        keys = list(bind_key)
    engines = db.engines
    for key in keys:
        try:
            engine = engines[key]
        except KeyError:
            raise _missing_bind(key, mention_uri=True) from None
        getattr(db.metadatas[key], op_name)(bind=engine)


def get_engine(
    db: SQLAlchemy[t.Any],
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
        engines = db.engines
    else:
        found = db._app_engines.get(app)  # pyright: ignore[reportPrivateUsage]
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
