"""Hooks shared by the metaclass mixins of :mod:`.model` and the hooks installed on
a SQLAlchemy 2.x base by :mod:`._declarative`.

:meta private:
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa


def model_repr(self: object) -> str:
    state = sa.inspect(self)
    if state.transient:
        pk = f"(transient {id(self)})"
    elif state.pending:
        pk = f"(pending {id(self)})"
    else:
        pk = ", ".join(map(str, state.identity or ()))
    return f"<{type(self).__name__} {pk}>"


def bind_metadata(cls: type[t.Any], *, require_key: bool) -> None:
    """Point ``cls.metadata`` at the metadata of its ``__bind_key__``.

    Models that set ``metadata`` or ``__table__`` themselves are left alone, and
    a model whose metadata equals its parent's does not get its own attribute.
    """
    if "metadata" in cls.__dict__ or "__table__" in cls.__dict__:
        return
    if require_key and not hasattr(cls, "__bind_key__"):
        return
    bind_key = getattr(cls, "__bind_key__", None)
    metadata = cls.__fsa__._make_metadata(bind_key)  # pyright: ignore[reportPrivateUsage]
    if metadata is not getattr(cls, "metadata", None):
        cls.metadata = metadata


def after_mapping(cls: type[t.Any]) -> None:
    """Drop the ``__table__ = None`` left by single-table inheritance."""
    if (
        "__tablename__" not in cls.__dict__
        and "__table__" in cls.__dict__
        and cls.__dict__["__table__"] is None
    ):
        del cls.__table__


def make_table(cls: type[t.Any], *args: t.Any, **kwargs: t.Any) -> sa.Table | None:
    """Create the model's table, or ``None`` for single-table inheritance.

    A model without a primary key whose parent has a table is single-table
    inheritance: its generated name is unset and no table is created.
    """
    schema = kwargs.get("schema")
    key = args[0] if schema is None else f"{schema}.{args[0]}"
    if key in cls.metadata.tables:
        return sa.Table(*args, **kwargs)
    for arg in args:
        if (isinstance(arg, sa.Column) and arg.primary_key) or isinstance(
            arg, sa.PrimaryKeyConstraint
        ):
            return sa.Table(*args, **kwargs)
    if not any("__table__" in base.__dict__ for base in cls.__mro__[1:-1]):
        return sa.Table(*args, **kwargs)
    if "__tablename__" in cls.__dict__:
        del cls.__tablename__
    return None
