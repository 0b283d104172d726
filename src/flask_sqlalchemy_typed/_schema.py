"""The metadata of each bind key, and the schema operations run on each bind's
engine: the work behind ``db.create_all``, ``db.drop_all`` and ``db.reflect``.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy


def make_metadata(
    metadatas: dict[str | None, sa.MetaData],
    bind_key: str | None,
    *,
    make_default: Callable[[str | None], sa.MetaData],
) -> sa.MetaData:
    """The metadata of ``bind_key``, created on first use with the naming convention
    of the default metadata (got through ``make_default``, the extension's
    overridable ``_make_metadata``)."""
    metadata = metadatas.get(bind_key)
    if metadata is not None:
        return metadata
    naming_convention = (
        None if bind_key is None else make_default(None).naming_convention
    )
    metadata = sa.MetaData(
        naming_convention=naming_convention, info={"bind_key": bind_key}
    )
    metadatas[bind_key] = metadata
    return metadata


def missing_bind(key: str | None) -> sa_exc.UnboundExecutionError:
    """The error for a bind key with no engine, in Flask-SQLAlchemy's words."""
    message = f"Bind key '{key}' is not in 'SQLALCHEMY_BINDS' config."
    if key is None:
        message = f"'SQLALCHEMY_DATABASE_URI' config is not set. {message}"
    return sa_exc.UnboundExecutionError(message)


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
            raise missing_bind(key) from None
        getattr(db.metadatas[key], op_name)(bind=engine)
