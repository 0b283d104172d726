"""The declarative model base: ``Model``, the ``query`` descriptor, automatic table
names and ``__bind_key__`` support.

Flask-SQLAlchemy 3.1 gives a SQLAlchemy 2.x base these features by rebuilding it as a
new class. Here the user's base is never copied: :func:`install_base_hooks` adds the
same hooks to the class itself, so ``class User(Base)`` and ``class User(db.Model)``
are the same thing.
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm

from ._model_hooks import after_mapping
from ._model_hooks import bind_metadata
from ._model_hooks import make_table
from ._model_hooks import model_repr
from .query import Query

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy

_T = t.TypeVar("_T")


class _QueryProperty:
    """A class property that creates a query object for a model.

    :meta private:
    """

    def __get__(self, obj: object | None, cls: type[_T]) -> Query[_T]:
        model = t.cast("type[Model]", cls)
        return model.query_class(cls, session=model.__fsa__.session())


class Model:
    """The base class of the :attr:`.SQLAlchemy.Model` declarative model class.

    To define models, subclass :attr:`db.Model <.SQLAlchemy.Model>`, not this. To
    customize ``db.Model``, subclass this and pass it as ``model_class`` to
    :class:`.SQLAlchemy`. To customize ``db.Model`` at the metaclass level, pass an
    already created declarative model class as ``model_class``.
    """

    __fsa__: t.ClassVar[SQLAlchemy[t.Any]]
    """Internal reference to the extension object.

    :meta private:
    """

    query_class: t.ClassVar[type[Query[t.Any]]] = Query
    """Query class used by :attr:`query`. Defaults to :attr:`.SQLAlchemy.Query`."""

    query: t.ClassVar[_QueryProperty] = _QueryProperty()
    """A SQLAlchemy query for a model. Equivalent to ``db.session.query(Model)``."""

    if t.TYPE_CHECKING:
        # Set on db.Model, the declarative class built from Model, and on models;
        # declared for the type checkers only, so SQLAlchemy's scan never sees them.
        metadata: t.ClassVar[sa.MetaData]
        registry: t.ClassVar[sa_orm.registry]
        # __table__ and __tablename__ as DeclarativeBase declares them, so that
        # ``class Base(Model, DeclarativeBase)`` (a typed ``User.query``) checks.
        __table__: t.ClassVar[sa.FromClause]
        __mapper__: t.ClassVar[sa_orm.Mapper[t.Any]]
        __bind_key__: t.ClassVar[str | None]
        __tablename__: t.Any

    __repr__ = model_repr


class BindMetaMixin(type):
    """Metaclass mixin that sets a model's ``metadata`` based on its ``__bind_key__``."""

    def __init__(
        cls, name: str, bases: tuple[type, ...], d: dict[str, t.Any], **kwargs: t.Any
    ) -> None:
        bind_metadata(cls, require_key=False)
        super().__init__(name, bases, d, **kwargs)


class NameMetaMixin(type):
    """Metaclass mixin that sets a model's ``__tablename__`` from its class name."""

    def __init__(
        cls, name: str, bases: tuple[type, ...], d: dict[str, t.Any], **kwargs: t.Any
    ) -> None:
        if should_set_tablename(cls):
            cls.__tablename__ = camel_to_snake_case(cls.__name__)
        super().__init__(name, bases, d, **kwargs)
        after_mapping(cls)

    def __table_cls__(cls, *args: t.Any, **kwargs: t.Any) -> sa.Table | None:
        """Create the table, or ``None`` for single-table inheritance."""
        return make_table(cls, *args, **kwargs)


class BindMixin:
    """``DeclarativeBase`` mixin that sets ``metadata`` from ``__bind_key__``."""

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        bind_metadata(cls, require_key=True)
        super().__init_subclass__(**kwargs)


class NameMixin:
    """``DeclarativeBase`` mixin that sets ``__tablename__`` from the class name."""

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        if should_set_tablename(cls):
            setattr(cls, "__tablename__", camel_to_snake_case(cls.__name__))  # noqa: B010
        super().__init_subclass__(**kwargs)
        after_mapping(cls)

    @classmethod
    def __table_cls__(cls, *args: t.Any, **kwargs: t.Any) -> sa.Table | None:
        """Create the table, or ``None`` for single-table inheritance."""
        return make_table(cls, *args, **kwargs)


def _is_declarative_class(base: type) -> bool:
    return (
        isinstance(base, sa_orm.DeclarativeMeta)
        or isinstance(base, sa_orm.decl_api.DeclarativeAttributeIntercept)
        or issubclass(base, sa_orm.DeclarativeBaseNoMeta)
    )


def should_set_tablename(cls: type) -> bool:
    """Whether ``__tablename__`` should be generated for a model.

    A name is generated when no class in the MRO sets one, or when the nearest one
    comes from a mapped (non-mixin, non-abstract) parent. A ``declared_attr`` name
    and abstract models are left alone.
    """
    if (
        cls.__dict__.get("__abstract__", False)
        or (
            not issubclass(cls, (sa_orm.DeclarativeBase, sa_orm.DeclarativeBaseNoMeta))
            and not any(isinstance(b, sa_orm.DeclarativeMeta) for b in cls.__mro__[1:])
        )
        or any(
            b is sa_orm.DeclarativeBase or b is sa_orm.DeclarativeBaseNoMeta
            for b in cls.__bases__
        )
    ):
        return False
    for base in cls.__mro__:
        if "__tablename__" not in base.__dict__:
            continue
        if isinstance(base.__dict__["__tablename__"], sa_orm.declared_attr):
            return False
        return not (
            base is cls
            or base.__dict__.get("__abstract__", False)
            or not _is_declarative_class(base)
        )
    return True


def camel_to_snake_case(name: str) -> str:
    """Convert a ``CamelCase`` name to ``snake_case``.

    An underscore goes before each capital that follows a lower-case letter or a
    digit, and before each capital (other than the first character) that is
    followed by a lower-case letter: ``HTTPResponse`` is ``http_response``.
    """
    chars: list[str] = []
    for i, char in enumerate(name):
        if "A" <= char <= "Z" and i > 0:
            before = name[i - 1]
            after = name[i + 1] if i + 1 < len(name) else ""
            if "a" <= before <= "z" or "0" <= before <= "9" or "a" <= after <= "z":
                chars.append("_")
        chars.append(char)
    return "".join(chars).lower().lstrip("_")


class DefaultMeta(BindMetaMixin, NameMetaMixin, sa_orm.DeclarativeMeta):
    """Declarative metaclass with ``__bind_key__`` and ``__tablename__`` support."""


class DefaultMetaNoName(BindMetaMixin, sa_orm.DeclarativeMeta):
    """Declarative metaclass with ``__bind_key__`` support only."""
