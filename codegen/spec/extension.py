"""The ``SQLAlchemy`` class (extension.py): attributes, imports, assembly."""

from __future__ import annotations

from ..model import Attribute
from ..model import Class
from ..model import dedent as d
from ..model import Method
from ._common import PKG
from .extension_compat import COMPAT_METHODS
from .extension_keyset import KEYSET_METHODS
from .extension_replicas import REPLICA_METHODS
from .extension_schema import SCHEMA_METHODS
from .extension_setup import INIT_DOC
from .extension_setup import SETUP_METHODS
from .extension_testing import TESTING_METHODS
from .extension_views import VIEW_METHODS

EXTENSION_ATTRIBUTES = (
    Attribute(
        "Query",
        "type[_Query[Any]]",
        "The default query class used by ``Model.query`` and dynamic relationships.",
    ),
    Attribute(
        "session",
        "sa_orm.scoped_session[_Session]",
        d(
            """
            A :class:`~sqlalchemy.orm.scoped_session` of :class:`.Session` scoped to
            the current application context and removed when it ends. Requires an
            active application context.
            """
        ),
    ),
    Attribute(
        "metadatas",
        "dict[str | None, sa.MetaData]",
        d(
            """
            Map of bind keys to :class:`~sqlalchemy.schema.MetaData`. ``None`` is the
            default metadata, :attr:`metadata`. Another bind's metadata copies the
            default's naming convention.
            """
        ),
    ),
    Attribute(
        "Table",
        "type[_Table]",
        d(
            """
            A :class:`~sqlalchemy.schema.Table` subclass that picks the metadata of
            its ``bind_key`` argument when no metadata is passed.
            """
        ),
    ),
    Attribute(
        "Model",
        "type[_M]",
        d(
            """
            The declarative model base class: subclass it to define models. It is
            the ``model_class`` argument itself for a SQLAlchemy 2.x base.
            """
        ),
    ),
)

EXTENSION_METHODS = (
    SETUP_METHODS
    + VIEW_METHODS
    + SCHEMA_METHODS
    + COMPAT_METHODS
    + TESTING_METHODS
    + REPLICA_METHODS
    + KEYSET_METHODS
)

EXTENSION_PY_IMPORTS = (
    "from collections.abc import Mapping",
    "from collections.abc import Sequence as _Sequence",
    "from typing import Any",
    "from typing import Generic",
    "from typing import overload",
    "from weakref import WeakKeyDictionary",
    "import sqlalchemy as sa",
    "import sqlalchemy.orm as sa_orm",
    "from flask import Flask",
    "from flask import current_app",
    "from typing import TYPE_CHECKING",
    "from typing_extensions import TypeVar",
    "from typing_extensions import TypeVarTuple",
    "from typing_extensions import deprecated",
    f"from {PKG} import _declarative",
    f"from {PKG} import _engines",
    f"from {PKG} import _setup",
    f"from {PKG}.model import Model as _Model",
    f"from {PKG}.query import Query as _Query",
    # Flask-SQLAlchemy's extension imports it from the session module; so do apps.
    f"from {PKG}.session import _app_ctx_id as _app_ctx_id",
    f"from {PKG}.session import Session as _Session",
    f"from {PKG}.table import _Table",
    f"from {PKG}._state import ExtensionState as _ExtensionState",
    # The names Flask-SQLAlchemy's extension module has, from the same modules.
    f"from {PKG}.model import BindMixin as BindMixin",
    f"from {PKG}.model import DefaultMeta as DefaultMeta",
    f"from {PKG}.model import DefaultMetaNoName as DefaultMetaNoName",
    f"from {PKG}.model import Model as Model",
    f"from {PKG}.model import NameMixin as NameMixin",
    f"from {PKG}.query import Query as Query",
    f"from {PKG}.session import Session as Session",
)

# Flask-SQLAlchemy's extension module imports these; here they load on first use
# (a module __getattr__), and the stub and TYPE_CHECKING import them.
EXTENSION_LAZY = {
    "Pagination": f"{PKG}.pagination",
    "SelectPagination": f"{PKG}.pagination",
}

EXTENSION_TYPE_IMPORTS = (
    "from sqlalchemy.orm.interfaces import ORMOption",
    "from sqlalchemy.orm.relationships import RelationshipProperty",
    "from sqlalchemy.orm.relationships import _RelationshipDeclared",
    "from sqlalchemy.orm.session import _BindArguments",
    "from sqlalchemy.orm.session import _PKIdentityArgument",
    "from sqlalchemy.sql.selectable import ForUpdateParameter",
    "from sqlalchemy.engine import Row",
    "from sqlalchemy.sql.selectable import Select",
    "from typing_extensions import Unpack",
    f"from {PKG}.pagination import KeysetPage",
    f"from {PKG}.pagination import Pagination as Pagination",
    f"from {PKG}.pagination import SelectPagination as SelectPagination",
    f"from {PKG}._options import EngineOptions",
    f"from {PKG}._options import SessionOptions",
    f"from {PKG}.testing import Isolation",
    f"from {PKG}.testing import IsolationMode",
    f"from {PKG}.replicas import RouteContext",
)

EXTENSION_PREAMBLE = d(
    """
    # A bare ``SQLAlchemy`` annotation is SQLAlchemy[Any]: it accepts every
    # extension, whatever its model_class. SQLAlchemy() still infers
    # SQLAlchemy[Model] (the self-typed overload), and SQLAlchemy(model_class=Base)
    # SQLAlchemy[Base]. Covariant: SQLAlchemy[Base] is a SQLAlchemy[DeclarativeBase].
    _M = TypeVar("_M", covariant=True, default=Any)
    _O = TypeVar("_O")
    _T = TypeVar("_T")
    _Ts = TypeVarTuple("_Ts")
    """
)

# Flask-SQLAlchemy's protected attributes (apps' tests read them), and the state the
# features share, which they reach through _state.of(db), never the attributes.
EXTENSION_PY_EXTRA_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("_engine_options", "dict[str, Any]", "Defaults for every engine."),
    Attribute(
        "_app_engines",
        "WeakKeyDictionary[Flask, dict[str | None, sa.engine.Engine]]",
        "Engines per app and bind key.",
    ),
    Attribute("_add_models_to_shell", "bool", "Whether init_app adds the shell hook."),
    Attribute(
        "_state",
        "_ExtensionState",
        "What the features share: each app's engines, the replica routing and the"
        " test isolation's pinned connections.",
        stub=False,
    ),
)


def extension_class(stub: bool, proxy_members: tuple[str, ...] = ()) -> Class:
    methods: tuple[Method, ...] = EXTENSION_METHODS
    if stub:
        # __getattr__ is replaced by the proxies; relationship & co. by their
        # SQLAlchemy signatures (codegen/stubs_static.py METHOD_SIGNATURES).
        generated = {"__getattr__", "relationship", "dynamic_loader"}
        methods = tuple(m for m in methods if m.name not in generated)
    attributes = EXTENSION_ATTRIBUTES + EXTENSION_PY_EXTRA_ATTRIBUTES
    return Class(
        name="SQLAlchemy",
        bases="Generic[_M]",
        doc=INIT_DOC,
        attributes=attributes,
        methods=methods,
        stub_extra=proxy_members if stub else (),
    )


# --------------------------------------------------------------------------------------
# Session (session.py)
# --------------------------------------------------------------------------------------
