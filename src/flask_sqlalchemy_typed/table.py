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
        if not args:
            return new(cls, **kwargs)
        name, rest = args[0], args[1:]
        if rest and isinstance(rest[0], sa.MetaData):
            return new(cls, *args, **kwargs)
        # Flask-SQLAlchemy's hook name, which subclasses override: it stays
        # protected, and only this class and the model builders call it.
        make_metadata = cls._fsa._make_metadata  # pyright: ignore[reportPrivateUsage]
        return new(cls, name, make_metadata(bind_key), *rest, **kwargs)

    def __init__(
        self,
        *args: t.Any,
        bind_key: str | None = None,
        _no_init: bool = True,
        **kwargs: t.Any,
    ) -> None:
        # __new__ built the table; Python then calls __init__ with the caller's
        # arguments, where the metadata may be missing: only SQLAlchemy's own
        # initializing call (_no_init=False) gets through.
        if not _no_init:
            super().__init__(*args, _no_init=False, **kwargs)


def make_table_class(db: SQLAlchemy[t.Any]) -> type[_Table]:
    """Create the ``Table`` subclass bound to one extension instance.

    :meta private:
    """
    return type("Table", (_Table,), {"_fsa": db, "__module__": __name__})
