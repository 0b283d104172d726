"""Building ``db.Model`` from the ``model_class`` argument.

A SQLAlchemy 2.x base (``DeclarativeBase``, ``DeclarativeBaseNoMeta``, with or
without ``MappedAsDataclass``) is used as it is: the bind key and table name hooks
are installed on the class itself instead of on a rebuilt copy, so
``type_annotation_map``, dataclass behaviour and every subclass keep working.

:meta private:
"""

from __future__ import annotations

import typing as t
import warnings

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm

from ._model_hooks import after_mapping
from ._model_hooks import bind_metadata
from ._model_hooks import make_table
from ._model_hooks import model_repr

# model.py is public: its helpers stay private (_QueryProperty is Flask-SQLAlchemy's
# name), and this private module is their only other user.
from .model import _QueryProperty  # pyright: ignore[reportPrivateUsage]
from .model import camel_to_snake_case
from .model import DefaultMeta
from .model import DefaultMetaNoName
from .model import should_set_tablename

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy

_BASES_2X = (sa_orm.DeclarativeBase, sa_orm.DeclarativeBaseNoMeta)


def declarative_bases_2x(model_class: type) -> list[type]:
    """The direct bases of ``model_class`` that are SQLAlchemy 2.x declarative bases."""
    return [b for b in model_class.__bases__ if issubclass(b, _BASES_2X)]


def is_2x_base(model_class: object) -> bool:
    """Whether ``model_class`` is a SQLAlchemy 2.x declarative base class."""
    return isinstance(model_class, type) and issubclass(model_class, _BASES_2X)


def _table_to_name(cls: type[t.Any]) -> None:
    """Map a dataclass model that assigns ``__table__`` by that table's name.

    SQLAlchemy 2.1 refuses ``__table__`` on a ``MappedAsDataclass`` class (it did
    not in 2.0, and Flask-SQLAlchemy's tests rely on it). Naming the existing table
    instead maps the class to the very same ``Table`` object.
    """
    table = cls.__dict__.get("__table__")
    if not isinstance(table, sa.Table):
        return
    type.__delattr__(cls, "__table__")
    type.__setattr__(cls, "__tablename__", table.name)
    type.__setattr__(cls, "metadata", table.metadata)
    if table.schema is not None and "__table_args__" not in cls.__dict__:
        type.__setattr__(cls, "__table_args__", {"schema": table.schema})


def _install_2x_hooks(base: type[t.Any], autoname: bool) -> None:
    """Give ``base``'s subclasses bind key and table name handling.

    The hook wraps whatever ``__init_subclass__`` the base had, so SQLAlchemy's own
    declarative (and dataclass) processing still runs, after the bind's metadata and
    the table name are set, as they are with Flask-SQLAlchemy's mixins.
    """
    previous = base.__dict__.get("__init_subclass__")

    def __init_subclass__(cls: type[t.Any], /, **kwargs: t.Any) -> None:
        bind_metadata(cls, require_key=True)
        if issubclass(cls, sa_orm.MappedAsDataclass):
            _table_to_name(cls)
        if autoname and should_set_tablename(cls):
            cls.__tablename__ = camel_to_snake_case(cls.__name__)
        if previous is not None:
            previous.__get__(None, cls)(**kwargs)
        else:
            super(base, cls).__init_subclass__(**kwargs)
        if autoname:
            after_mapping(cls)

    __init_subclass__.__qualname__ = f"{base.__qualname__}.__init_subclass__"
    type.__setattr__(base, "__init_subclass__", classmethod(__init_subclass__))
    if autoname and "__table_cls__" not in base.__dict__:
        type.__setattr__(base, "__table_cls__", classmethod(make_table))


def make_declarative_base(
    db: SQLAlchemy[t.Any],
    model_class: t.Any,
    disable_autonaming: bool,
    *,
    make_metadata: t.Callable[[str | None], sa.MetaData],
) -> type[t.Any]:
    """Return the class to use as ``db.Model`` and attach it to ``db``.

    :param make_metadata: The extension's ``_make_metadata`` (Flask-SQLAlchemy's
        hook, which subclasses override).
    """
    if not isinstance(model_class, type):
        raise TypeError(
            "'model_class' must be a class: a subclass of"
            " 'flask_sqlalchemy_typed.model.Model', a declarative base class, or a"
            f" subclass of 'DeclarativeBase'; got {model_class!r}."
        )
    bases_2x = declarative_bases_2x(model_class)
    if len(bases_2x) > 1:
        raise ValueError(
            "Only one declarative base can be passed to SQLAlchemy."
            f" Got: {model_class.__bases__}"
        )
    owner = model_class.__dict__.get("__fsa__")
    if owner is not None and owner is not db:
        raise RuntimeError(
            f"The model class {model_class.__name__!r} is already the 'Model' of"
            f" another 'SQLAlchemy' instance ({owner!r}). Use one extension instance"
            " per base class: share that 'db', or create a separate base class."
        )

    model: type[t.Any]
    if is_2x_base(model_class):
        model = model_class
        if owner is None:
            _install_2x_hooks(model, autoname=not disable_autonaming)
            if "__repr__" not in model.__dict__:
                type.__setattr__(model, "__repr__", model_repr)
        model.metadata.info["bind_key"] = None
        db.metadatas[None] = model.metadata
    else:
        if not isinstance(model_class, sa_orm.DeclarativeMeta):
            metaclass = DefaultMetaNoName if disable_autonaming else DefaultMeta
            model = sa_orm.declarative_base(
                metadata=make_metadata(None),
                cls=model_class,
                name="Model",
                metaclass=metaclass,
            )
        else:
            model = model_class
        if None not in db.metadatas:
            model.metadata.info["bind_key"] = None
            db.metadatas[None] = model.metadata
        else:
            model.metadata = db.metadatas[None]

    type.__setattr__(model, "query_class", db.Query)
    type.__setattr__(model, "query", _QueryProperty())
    type.__setattr__(model, "__fsa__", db)
    return model


def warn_ignored_metadata(model_class: object, metadata: sa.MetaData | None) -> bool:
    """Warn when ``metadata`` is given with a 2.x base, which owns its metadata.

    Returns whether ``metadata`` should be used.
    """
    if metadata is None:
        return False
    if isinstance(model_class, type) and declarative_bases_2x(model_class):
        warnings.warn(
            "When using SQLAlchemy 2.x style of declarative classes,"
            " the `metadata` should be an attribute of the base class."
            "The metadata passed into SQLAlchemy() is ignored.",
            DeprecationWarning,
            stacklevel=3,
        )
        return False
    return True
