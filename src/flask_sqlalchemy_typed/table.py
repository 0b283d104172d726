"""The per-extension :class:`~sqlalchemy.schema.Table` that picks a bind's metadata."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy


class _Table(sa.Table):
    """Base of :attr:`.SQLAlchemy.Table`.

    :meta private:
    """

    _fsa: t.ClassVar[SQLAlchemy[t.Any]]

    def __new__(
        cls, *args: t.Any, bind_key: str | None = None, **kwargs: t.Any
    ) -> t.Any:
        # sa.Table defines __new__ for the runtime only: mypy sees object.__new__.
        new: t.Any = super().__new__
        if not args or (len(args) >= 2 and isinstance(args[1], sa.MetaData)):
            return new(cls, *args, **kwargs)
        metadata = cls._fsa._make_metadata(bind_key)
        return new(cls, args[0], metadata, *args[1:], **kwargs)


def make_table_class(db: SQLAlchemy[t.Any]) -> type[_Table]:
    """Create the ``Table`` subclass bound to one extension instance.

    :meta private:
    """
    return type("Table", (_Table,), {"_fsa": db, "__module__": __name__})
