"""``db.<name>`` for SQLAlchemy's names: their runtime resolution, and the default
``query_class`` that ``db.relationship`` and ``db.dynamic_loader`` add.

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


def set_rel_query(query_class: type[t.Any], kwargs: dict[str, t.Any]) -> None:
    """Default ``query_class`` in a relationship's and its backref's arguments."""
    kwargs.setdefault("query_class", query_class)
    if "backref" in kwargs:
        backref: object = kwargs["backref"]
        if isinstance(backref, str):
            backref_kwargs: dict[str, t.Any] = {}
            kwargs["backref"] = (backref, backref_kwargs)
        else:
            # backref("name", **kw) returns a (name, kw) tuple.
            backref_kwargs = t.cast("tuple[str, dict[str, t.Any]]", backref)[1]
        backref_kwargs.setdefault("query_class", query_class)
