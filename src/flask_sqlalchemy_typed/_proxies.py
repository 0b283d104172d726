"""Runtime resolution of ``db.<name>`` for SQLAlchemy's names.

The stub lists every name this resolves, each with SQLAlchemy's own type.

:meta private:
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.event as sa_event
import sqlalchemy.orm as sa_orm

_MODULES = (sa, sa_orm)


def resolve(db: t.Any, name: str) -> t.Any:
    """The value of ``db.<name>`` for a name the class itself does not define."""
    if name == "relation":
        return db._relation
    if name == "event":
        return sa_event
    if name.startswith("_"):
        raise AttributeError(name)
    for module in _MODULES:
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(
        f"{type(db).__name__!r} object has no attribute {name!r}, and neither"
        " 'sqlalchemy' nor 'sqlalchemy.orm' has a name like that."
    )
