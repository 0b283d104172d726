"""Bind routing: which engine a session uses; the session's scope (the application
context).

:meta private:
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask.globals import app_ctx


def app_ctx_id() -> int:
    """The id of the current Flask application context: the session scope."""
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]


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
        raise sa_exc.UnboundExecutionError(
            f"Bind key '{key}' is not in 'SQLALCHEMY_BINDS' config."
        ) from None


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
