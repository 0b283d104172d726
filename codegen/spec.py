"""THE spec: every generated class, its signatures, overloads and docstrings.

Templates only loop over what this module returns; content and order live here.
A method's signature and docstring are written once and rendered into both the
runtime module in ``src/`` and its stub in ``stubs/``.
"""

from __future__ import annotations

from .model import Attribute
from .model import Class
from .model import dedent as d
from .model import Method
from .model import Module
from .model import Overload

PKG = "flask_sqlalchemy_typed"

# --------------------------------------------------------------------------------------
# SQLAlchemy (extension.py)
# --------------------------------------------------------------------------------------

_INIT_DOC = d(
    """
    Integrates SQLAlchemy with Flask: engines per app and bind key, a session scoped
    to the application context, the declarative :attr:`Model` and :attr:`Table`.

    Only the engine configuration is specific to each application; the model, table,
    metadata and session are shared by all applications using this instance. Call
    :meth:`init_app` to configure an application.

    The names of ``sqlalchemy`` and ``sqlalchemy.orm`` are available on the instance,
    ``db.Column``, ``db.select``, ``db.relationship``, each typed exactly as in
    SQLAlchemy.

    :param app: Call :meth:`init_app` on this Flask application now.
    :param metadata: Use this as the default :class:`sqlalchemy.schema.MetaData`, for
        a naming convention. Ignored, with a ``DeprecationWarning``, for a SQLAlchemy
        2.x base class, which owns its metadata.
    :param session_options: Arguments used by :attr:`session` to create each session.
        A ``scopefunc`` key is passed to the scoped session instead. The dict is not
        modified. A commit that wrote to several binds commits each bind's
        transaction in turn, so it is not atomic across them; pass
        ``{"twophase": True}`` for two-phase commit where every database supports
        it (PostgreSQL with ``max_prepared_transactions`` > 0, MySQL/MariaDB XA).
    :param query_class: The default query class for models and dynamic relationships.
    :param model_class: The model base class: a subclass of :class:`.Model`, a
        declarative class, or a subclass of ``DeclarativeBase`` /
        ``DeclarativeBaseNoMeta`` (with or without ``MappedAsDataclass``), which is
        used as it is.
    :param engine_options: Default arguments for every engine, lower precedence than
        application config. The dict is not modified. Server databases get
        ``pool_pre_ping=True`` unless an option says otherwise.
    :param add_models_to_shell: Add the ``db`` instance and all model classes to
        ``flask shell``.
    :param disable_autonaming: Do not generate ``__tablename__`` from class names.

    .. versionchanged:: 0.1
        Generic in the model base: with ``model_class=Base``, :attr:`Model` is
        ``type[Base]``. A SQLAlchemy 2.x base is never copied: ``db.Model is Base``.
    """
)

_VIEW_DESCRIPTION = ":param description: A custom message to show on the error page."

_GET_KWARGS = d(
    """
    options: _Sequence[ORMOption] | None = None,
    populate_existing: bool | None = None,
    with_for_update: ForUpdateParameter = None,
    identity_token: Any | None = None,
    execution_options: Mapping[str, Any] | None = None,
    bind_arguments: _BindArguments | None = None,
    """
)

_PAGINATE_KW = (
    "page: int | None = None, per_page: int | None = None,"
    " max_per_page: int | None = None, error_out: bool = True, count: bool = True,"
)

_PAGINATE_PARAMS_DOC = """\
:param page: The current page. Defaults to the ``page`` query argument
                during a request, or 1 otherwise.
            :param per_page: The maximum number of items on a page. Defaults to the
                ``per_page`` query argument during a request, or 20 otherwise.
            :param max_per_page: The maximum allowed value for ``per_page``. When
                ``None``, a ``per_page`` taken from the query string is capped at 100.
            :param error_out: Abort with ``404 Not Found`` if no items are returned
                and ``page`` is not 1; if ``page`` or ``per_page`` is below 1; if a
                query argument is not ASCII digits ``[0-9]+`` (``" 2"``, ``"+1"``,
                ``"1_000"`` and ``"３"`` are not); or if a value or the page's offset
                exceeds ``2**63 - 1``. Otherwise bad values fall back to page 1 and
                20 per page.
            :param count: Calculate the total number of items with an extra query,
                skipped when the page itself proves the total.
"""


def _paginate_body(*, rows: bool) -> str:
    """The body of ``paginate`` (first columns) or ``paginate_rows`` (whole rows)."""
    return d(
        f"""
        return SelectPagination(
            select=select,
            session=self.session(),
            page=page,
            per_page=per_page,
            max_per_page=max_per_page,
            error_out=error_out,
            count=count,
            rows={rows},
        )
        """
    )


_CALL_BINDS_DOC = """
    :param bind_key: A bind key or list of keys. Defaults to all binds.
    """


def _property(name: str, returns: str, doc: str, body: str) -> Method:
    """A read-only property of a generated class."""
    return Method(
        name=name,
        decorators=("property",),
        params="self",
        returns=returns,
        doc=doc,
        body=body,
    )


def _binds_method(name: str, summary: str) -> Method:
    return Method(
        name=name,
        params='self, bind_key: str | None | list[str | None] = "__all__"',
        returns="None",
        doc=d(summary)
        + "\n\n"
        + d(_CALL_BINDS_DOC)
        + "\n\nRequires an active application context.",
        body=f'self._call_for_binds(bind_key, "{name}")',
    )


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

_INIT_PARAMS_TAIL = d(
    """
    metadata: sa.MetaData | None = None,
    session_options: SessionOptions | None = None,
    query_class: type[_Query[Any]] = _Query,
    """
)
_INIT_PARAMS_END = d(
    """
    engine_options: EngineOptions | None = None,
    add_models_to_shell: bool = True,
    disable_autonaming: bool = False,
    """
)

EXTENSION_METHODS = (
    Method(
        name="__init__",
        params=(
            "self, app: Flask | None = None, *, "
            + _INIT_PARAMS_TAIL
            + " model_class: Any = _Model, "
            + _INIT_PARAMS_END
        ),
        returns="None",
        doc=_INIT_DOC,
        overloads=(
            Overload(
                "SQLAlchemy(app): db.Model is the default Model base",
                "self: SQLAlchemy[_Model], app: Flask | None = None, *, "
                + _INIT_PARAMS_TAIL
                + _INIT_PARAMS_END,
                "None",
            ),
            Overload(
                "SQLAlchemy(app, model_class=Base): db.Model is type[Base]",
                "self, app: Flask | None = None, *, "
                + _INIT_PARAMS_TAIL
                + " model_class: type[_M], "
                + _INIT_PARAMS_END,
                "None",
            ),
        ),
        body=d(
            """
            self.Query = query_class
            self.session = self._make_scoped_session(
                _options.copy_session_options(session_options)
            )
            self.metadatas = {}
            if metadata is not None and _declarative.warn_ignored_metadata(
                model_class, metadata
            ):
                metadata.info["bind_key"] = None
                self.metadatas[None] = metadata
            self.Table = self._make_table_class()
            self.Model = self._make_declarative_base(
                model_class, disable_autonaming=disable_autonaming
            )
            self._engine_options = _options.copy_engine_options(engine_options)
            self._app_engines = WeakKeyDictionary()
            self._add_models_to_shell = add_models_to_shell
            if app is not None:
                self.init_app(app)
            """
        ),
    ),
    Method(
        name="__repr__",
        params="self",
        returns="str",
        doc="``<SQLAlchemy URL +N engines>`` in an app context; passwords are hidden.",
        body="return _repr.extension_repr(self)",
    ),
    Method(
        name="init_app",
        params="self, app: Flask",
        returns="None",
        doc=d(
            """
            Initialize a Flask application for use with this extension instance.

            Writes the config defaults, registers the session teardown, and creates
            the engines for every bind key: call it after the app is configured.
            Reads ``SQLALCHEMY_DATABASE_URI``, ``SQLALCHEMY_ENGINE_OPTIONS``,
            ``SQLALCHEMY_ECHO``, ``SQLALCHEMY_BINDS``, ``SQLALCHEMY_RECORD_QUERIES``
            and ``SQLALCHEMY_TRACK_MODIFICATIONS``.

            :param app: The Flask application to initialize.
            :raises RuntimeError: The app already has an instance registered, or the
                configuration is invalid (the message names the key).
            """
        ),
        body=d(
            """
            if "sqlalchemy" in app.extensions:
                raise RuntimeError(
                    "A 'SQLAlchemy' instance has already been registered on this Flask"
                    " app. Import and use that instance instead."
                )
            options = _engines.collect_engine_options(self._engine_options, app)
            for key, engine_options in options.items():
                self._make_metadata(key)
                self._apply_driver_defaults(engine_options, app)
            # All engines or none, before registering: a failure leaves the app as is.
            new_engines = _engines.create_engines(self._make_engine, options, app)
            app.extensions["sqlalchemy"] = self
            app.teardown_appcontext(self._teardown_session)
            if self._add_models_to_shell:
                from .cli import add_models_to_shell

                app.shell_context_processor(add_models_to_shell)
            engines = self._app_engines.setdefault(app, {})
            for engine in engines.values():
                engine.dispose()
            engines.clear()
            engines.update(new_engines)
            # _listen is Flask-SQLAlchemy's name for these modules' hooks, kept as
            # is; record_queries and track_modifications are public modules, where
            # a public name would be new API.
            if _engines.config_setdefault(app, "SQLALCHEMY_RECORD_QUERIES", False):
                from . import record_queries

                for engine in engines.values():
                    record_queries._listen(engine)  # pyright: ignore[reportPrivateUsage]
            if _engines.config_setdefault(app, "SQLALCHEMY_TRACK_MODIFICATIONS", False):
                from . import track_modifications

                track_modifications._listen(self.session)  # pyright: ignore[reportPrivateUsage]
            """
        ),
    ),
    Method(
        name="_make_scoped_session",
        params="self, options: dict[str, Any]",
        returns="sa_orm.scoped_session[_Session]",
        doc=d(
            """
            Create the :attr:`session` scoped session. A ``scopefunc`` key in
            ``options`` is popped and used as the scope.

            :meta private:
            """
        ),
        body=d(
            """
            scope = options.pop("scopefunc", _binds.app_ctx_id)
            factory = self._make_session_factory(options)
            return sa_orm.scoped_session(factory, scope)
            """
        ),
    ),
    Method(
        name="_make_session_factory",
        params="self, options: dict[str, Any]",
        returns="sa_orm.sessionmaker[_Session]",
        doc=d(
            """
            Create the :class:`~sqlalchemy.orm.sessionmaker` behind :attr:`session`.

            :meta private:
            """
        ),
        body=d(
            """
            options.setdefault("class_", _Session)
            options.setdefault("query_cls", self.Query)
            return sa_orm.sessionmaker(db=self, **options)
            """
        ),
    ),
    Method(
        name="_teardown_session",
        params="self, exc: BaseException | None",
        returns="None",
        doc="Remove the current session at the end of the app context.\n\n:meta private:",
        body="_teardown.remove_session(self.session)",
    ),
    Method(
        name="_make_metadata",
        params="self, bind_key: str | None",
        returns="sa.MetaData",
        doc=d(
            """
            Get or create the :class:`~sqlalchemy.schema.MetaData` of a bind key.

            :meta private:
            """
        ),
        body=d(
            """
            metadata = self.metadatas.get(bind_key)
            if metadata is not None:
                return metadata
            naming_convention = (
                None if bind_key is None else self._make_metadata(None).naming_convention
            )
            metadata = sa.MetaData(
                naming_convention=naming_convention, info={"bind_key": bind_key}
            )
            self.metadatas[bind_key] = metadata
            return metadata
            """
        ),
    ),
    Method(
        name="_make_table_class",
        params="self",
        returns="type[_Table]",
        doc="Create the :attr:`Table` class of this instance.\n\n:meta private:",
        body="return make_table_class(self)",
    ),
    Method(
        name="_make_declarative_base",
        params="self, model_class: Any, disable_autonaming: bool = False",
        returns="type[_M]",
        doc=d(
            """
            Create (or, for a SQLAlchemy 2.x base, adopt) the :attr:`Model` class.

            :meta private:
            """
        ),
        body=d(
            """
            model: type[_M] = _declarative.make_declarative_base(
                self, model_class, disable_autonaming
            )
            return model
            """
        ),
    ),
    Method(
        name="_apply_driver_defaults",
        params="self, options: dict[str, Any], app: Flask",
        returns="None",
        doc=d(
            """
            Apply driver-specific defaults to one engine's options, in place: in-memory
            SQLite gets ``StaticPool``; relative SQLite paths are under
            ``app.instance_path``; MySQL and MariaDB get ``charset=utf8mb4`` and,
            with a queue pool, ``pool_recycle=7200``.

            :meta private:
            """
        ),
        body="_engines.apply_driver_defaults(options, app)",
    ),
    Method(
        name="_make_engine",
        params="self, bind_key: str | None, options: dict[str, Any], app: Flask",
        returns="sa.engine.Engine",
        doc=d(
            """
            Create the engine of one bind key for an app. Override to customize.

            :param bind_key: The bind key, ``None`` for the default engine.
            :param options: The final engine options, ``url`` included.
            :param app: The application the engine belongs to.
            """
        ),
        body="return _engines.make_engine(options)",
    ),
    _property(
        name="metadata",
        returns="sa.MetaData",
        doc="The default metadata, used by :attr:`Model` and :attr:`Table` without a bind key.",
        body="return self.metadatas[None]",
    ),
    _property(
        name="engines",
        returns="Mapping[str | None, sa.engine.Engine]",
        doc=d(
            """
            Map of bind keys to engines for the current application; ``None`` is
            the default engine. Requires an active application context.
            """
        ),
        body=d(
            """
            app = current_app._get_current_object()  # type: ignore[attr-defined]
            try:
                return self._app_engines[app]
            except KeyError:
                raise RuntimeError(
                    "The current Flask app is not registered with this 'SQLAlchemy'"
                    " instance. Did you forget to call 'init_app', or did you create"
                    " multiple 'SQLAlchemy' instances?"
                ) from None
            """
        ),
    ),
    _property(
        name="engine",
        returns="sa.engine.Engine",
        doc="The default engine of the current application. Requires an app context.",
        body="return self.engines[None]",
    ),
    Method(
        name="get_or_404",
        params=(
            "self, entity: type[_O], ident: _PKIdentityArgument, *, "
            "description: str | None = None, " + _GET_KWARGS
        ),
        returns="_O",
        doc=d(
            f"""
            Like :meth:`session.get() <sqlalchemy.orm.Session.get>` but aborts with a
            ``404 Not Found`` error instead of returning ``None``.

            :param entity: The model class to query.
            :param ident: The primary key to query.
            {_VIEW_DESCRIPTION}
            :param options: ... and the other keyword arguments are passed to
                ``session.get()``.
            """
        ),
        body=d(
            """
            return _views.get_or_404(
                self.session,
                entity,
                ident,
                description,
                options,
                populate_existing,
                with_for_update,
                identity_token,
                execution_options,
                bind_arguments,
            )
            """
        ),
    ),
    Method(
        name="first_or_404",
        params="self, statement: Select[Unpack[tuple[Any, ...]]], *, description: str | None = None",
        returns="Any",
        overloads=(
            Overload(
                "select(User.nickname) of str | None: None aborts, so str",
                "self, statement: Select[_T | None, Unpack[tuple[Any, ...]]], *, description: str | None = None",
                "_T",
            ),
            Overload(
                "a built Select[User]: pyright cannot solve _T | None against User"
                " (invariant); mypy never gets here",
                "self, statement: Select[_T, Unpack[tuple[Any, ...]]], *, description: str | None = None",
                "_T",
                ignore="overload-cannot-match",
            ),
        ),
        doc=d(
            f"""
            Like :meth:`Result.scalar() <sqlalchemy.engine.Result.scalar>`, but aborts
            with a ``404 Not Found`` error instead of returning ``None``.

            :param statement: The ``select`` statement to execute.
            {_VIEW_DESCRIPTION}
            """
        ),
        body="return _views.first_or_404(self.session, statement, description)",
    ),
    Method(
        name="one_or_404",
        params="self, statement: Select[_T, Unpack[tuple[Any, ...]]], *, description: str | None = None",
        returns="_T",
        doc=d(
            f"""
            Like :meth:`Result.scalar_one() <sqlalchemy.engine.Result.scalar_one>`,
            but aborts with a ``404 Not Found`` error instead of raising
            ``NoResultFound`` or ``MultipleResultsFound``.

            :param statement: The ``select`` statement to execute.
            {_VIEW_DESCRIPTION}
            """
        ),
        body="return _views.one_or_404(self.session, statement, description)",
    ),
    Method(
        name="paginate",
        params="self, select: Select[_T, Unpack[tuple[Any, ...]]], *, " + _PAGINATE_KW,
        returns="SelectPagination[_T]",
        doc=d(
            f"""
            Apply an offset and limit to a select statement based on the current page
            and number of items per page, returning a :class:`.Pagination` object.

            The items are the first column of each row (``scalars()``), de-duplicated
            with ``unique()``: ``select(User)`` gives ``Pagination[User]``. For whole
            rows, use :meth:`paginate_rows`.

            :param select: The ``select`` statement to paginate.
            {_PAGINATE_PARAMS_DOC}
            .. versionchanged:: 0.1
                A ``per_page`` from the query string is capped at 100 by default.
                ``page`` and ``per_page`` query arguments must be ASCII digits. The
                count query is skipped when a short page proves the total.
            """
        ),
        body=_paginate_body(rows=False),
    ),
    Method(
        name="paginate_rows",
        params="self, select: Select[Unpack[_Ts]], *, " + _PAGINATE_KW,
        returns="SelectPagination[Row[Unpack[_Ts]]]",
        doc=d(
            f"""
            Like :meth:`paginate`, but the items are whole rows,
            :class:`~sqlalchemy.engine.Row` objects typed ``Row[User, Post]``, instead
            of the first column: to paginate a select of several entities or columns.
            Rows are de-duplicated with ``unique()``.

            :param select: The ``select`` statement to paginate.
            {_PAGINATE_PARAMS_DOC}
            .. versionadded:: 0.1
            """
        ),
        body=_paginate_body(rows=True),
    ),
    Method(
        name="_call_for_binds",
        params="self, bind_key: str | None | list[str | None], op_name: str",
        returns="None",
        doc="Call a metadata method for each selected bind.\n\n:meta private:",
        body="_binds.call_for_binds(self, bind_key, op_name)",
    ),
    _binds_method(
        "create_all",
        """
        Create tables that do not exist, for all or some bind keys. This does not
        update existing tables: use a migration tool for that.
        """,
    ),
    _binds_method("drop_all", "Drop tables, for all or some bind keys."),
    _binds_method(
        "reflect",
        "Load table definitions from the database, for all or some bind keys.",
    ),
    Method(
        name="_set_rel_query",
        params="self, kwargs: dict[str, Any]",
        returns="None",
        doc="Default ``query_class`` of relationships and backrefs.\n\n:meta private:",
        body="_relationships.set_rel_query(self.Query, kwargs)",
    ),
    Method(
        name="relationship",
        params="self, *args: Any, **kwargs: Any",
        returns="_RelationshipDeclared[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.relationship`, with this extension's :attr:`Query`
            as the default ``query_class`` of dynamic relationships and backrefs.
            """
        ),
        body="self._set_rel_query(kwargs)\nreturn sa_orm.relationship(*args, **kwargs)",
    ),
    Method(
        name="dynamic_loader",
        params="self, argument: Any = None, **kwargs: Any",
        returns="RelationshipProperty[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.dynamic_loader`, with this extension's
            :attr:`Query` as the default ``query_class``.
            """
        ),
        body="self._set_rel_query(kwargs)\nreturn sa_orm.dynamic_loader(argument, **kwargs)",
    ),
    Method(
        name="_relation",
        params="self, *args: Any, **kwargs: Any",
        returns="_RelationshipDeclared[Any]",
        doc="``db.relation``: an old name of :meth:`relationship`.\n\n:meta private:",
        body="self._set_rel_query(kwargs)\nreturn sa_orm.relationship(*args, **kwargs)",
    ),
    Method(
        name="__getattr__",
        params="self, name: str",
        returns="Any",
        doc=d(
            """
            Resolve the other names of ``sqlalchemy`` and ``sqlalchemy.orm``, plus
            ``relation`` and ``event``. The stub lists each of them with its exact
            type instead.
            """
        ),
        body="return _proxies.resolve(self, name)",
    ),
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
    f"from {PKG} import _binds",
    f"from {PKG} import _declarative",
    f"from {PKG} import _engines",
    f"from {PKG} import _options",
    f"from {PKG} import _proxies",
    f"from {PKG} import _relationships",
    f"from {PKG} import _repr",
    f"from {PKG} import _teardown",
    f"from {PKG} import _views",
    f"from {PKG}.model import Model as _Model",
    f"from {PKG}.pagination import SelectPagination",
    f"from {PKG}.query import Query as _Query",
    f"from {PKG}.session import Session as _Session",
    f"from {PKG}.table import _Table",
    f"from {PKG}.table import make_table_class",
)

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
    f"from {PKG}._options import EngineOptions",
    f"from {PKG}._options import SessionOptions",
)

EXTENSION_PREAMBLE = d(
    """
    _M = TypeVar("_M", default=_Model)
    _O = TypeVar("_O")
    _T = TypeVar("_T")
    _Ts = TypeVarTuple("_Ts")
    """
)

EXTENSION_PY_EXTRA_ATTRIBUTES = (
    Attribute("_engine_options", "dict[str, Any]", "Defaults for every engine."),
    Attribute(
        "_app_engines",
        "WeakKeyDictionary[Flask, dict[str | None, sa.engine.Engine]]",
        "Engines per app and bind key.",
    ),
    Attribute("_add_models_to_shell", "bool", "Whether init_app adds the shell hook."),
)


def _extension_class(stub: bool, proxy_members: tuple[str, ...] = ()) -> Class:
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
        doc=_INIT_DOC,
        attributes=attributes,
        methods=methods,
        stub_extra=proxy_members if stub else (),
    )


# --------------------------------------------------------------------------------------
# Session (session.py)
# --------------------------------------------------------------------------------------

SESSION_CLASS = Class(
    name="Session",
    bases="sa_orm.Session",
    doc=d(
        """
        A SQLAlchemy :class:`~sqlalchemy.orm.Session` that chooses the engine from the
        bind key of the metadata of the model or table being queried.

        To customize ``db.session``, subclass this and pass it as the ``class_`` key
        of ``session_options``.
        """
    ),
    attributes=(
        Attribute("_db", "SQLAlchemy[Any]", "The extension this session belongs to."),
        Attribute(
            "_model_changes",
            "dict[object, tuple[Any, str]]",
            "Changes recorded for ``SQLALCHEMY_TRACK_MODIFICATIONS``.",
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params="self, db: SQLAlchemy[Any], **kwargs: Any",
            returns="None",
            doc=d(
                """
                :param db: The extension instance whose engines this session uses.
                :param kwargs: Arguments of :class:`sqlalchemy.orm.Session`.
                """
            ),
            body=d(
                """
                super().__init__(**kwargs)
                self._db = db
                self._model_changes = {}
                """
            ),
        ),
        Method(
            name="get_bind",
            params=d(
                """
                self,
                mapper: _EntityBindKey[_O] | None = None,
                *,
                clause: ClauseElement | None = None,
                bind: _SessionBind | None = None,
                _sa_skip_events: bool | None = None,
                _sa_skip_for_implicit_returning: bool = False,
                **kw: Any,
                """
            ),
            returns="sa.engine.Engine | sa.engine.Connection",
            doc=d(
                """
                Select an engine: an explicit ``bind`` wins; then the bind key of the
                mapper's local table (joined inheritance included); then that of a
                ``Table`` clause or an insert/update/delete's table; then the default
                engine; then SQLAlchemy's own lookup.

                :raises sqlalchemy.exc.UnboundExecutionError: The bind key is not
                    configured.
                """
            ),
            body=d(
                """
                if bind is not None:
                    return bind
                engines = self._db.engines
                if mapper is not None:
                    engine = _binds.mapper_to_engine(mapper, engines)
                    if engine is not None:
                        return engine
                if clause is not None:
                    engine = _binds.clause_to_engine(clause, engines)
                    if engine is not None:
                        return engine
                if None in engines:
                    return engines[None]
                return super().get_bind(
                    mapper,
                    clause=clause,
                    bind=bind,
                    _sa_skip_events=_sa_skip_events,
                    _sa_skip_for_implicit_returning=_sa_skip_for_implicit_returning,
                    **kw,
                )
                """
            ),
        ),
    ),
)

SESSION_IMPORTS = (
    "from typing import Any",
    "from typing import TYPE_CHECKING",
    "from typing import TypeVar",
    "import sqlalchemy as sa",
    "import sqlalchemy.orm as sa_orm",
    f"from {PKG} import _binds",
)

SESSION_TYPE_IMPORTS = (
    "from sqlalchemy.orm.session import _EntityBindKey",
    "from sqlalchemy.orm.session import _SessionBind",
    "from sqlalchemy.sql.elements import ClauseElement",
)

# --------------------------------------------------------------------------------------
# Pagination (pagination.py)
# --------------------------------------------------------------------------------------

_PAGE_PARAMS_DOC = d(
    """
    :param page: The current page. Defaults to the ``page`` query argument during a
        request, or 1 otherwise.
    :param per_page: The maximum number of items on a page. Defaults to the
        ``per_page`` query argument during a request, or 20 otherwise.
    :param max_per_page: The maximum allowed value for ``per_page``. When ``None``, a
        ``per_page`` from the query string is still capped at 100.
    :param error_out: Abort with ``404 Not Found`` if no items are returned and
        ``page`` is not 1; if ``page`` or ``per_page`` is below 1; if a query
        argument is not ASCII digits ``[0-9]+``; or if a value or the page's offset
        exceeds ``2**63 - 1``. Otherwise bad values fall back to page 1 and 20 per
        page.
    :param count: Calculate the total number of items with an extra query, unless
        ``_query_items`` set ``_rows_fetched`` and a short page proves the total.
    """
)

_NEIGHBOUR_DOC = d(
    """
    Query the :class:`Pagination` object for the {which} page, of the same class and
    with the same ``per_page`` and ``max_per_page``.

    :param error_out: Abort with a ``404 Not Found`` error if no items are returned.
    """
)

PAGINATION_CLASS = Class(
    name="Pagination",
    bases="Generic[_T]",
    doc=d(
        """
        Apply an offset and limit to the query based on the current page and number
        of items per page. Iterating over it iterates over :attr:`items`.

        Created by :meth:`.SQLAlchemy.paginate` and :meth:`.Query.paginate`. This is a
        base class: a subclass implements :meth:`_query_items` and
        :meth:`_query_count`, using the keyword arguments stored in ``_query_args``.
        The work is done eagerly in ``__init__`` and needs no request context.
        """
    )
    + "\n\n"
    + _PAGE_PARAMS_DOC
    + "\n"
    + d(
        """
        :param query_args: Information about the query to paginate, per subclass.

        .. versionchanged:: 0.1
            Generic in the item type; :meth:`prev` keeps ``max_per_page``; a
            subclass may set ``_rows_fetched`` to let a short page stand in for the
            count query.
        """
    ),
    attributes=(
        Attribute("page", "int", "The current page."),
        Attribute("per_page", "int", "The maximum number of items on a page."),
        Attribute(
            "max_per_page", "int | None", "The maximum allowed value for ``per_page``."
        ),
        Attribute("items", "list[_T]", "The items on the current page."),
        Attribute(
            "total", "int | None", "The total number of items, ``None`` if not counted."
        ),
        Attribute(
            "_query_args",
            "dict[str, Any]",
            "The keyword arguments describing the query.",
        ),
        Attribute(
            "_rows_fetched",
            "int | None",
            d(
                """
                Set by :meth:`_query_items` to the number of rows the database
                returned for the page, before any de-duplication, or left ``None``.
                When it equals ``len(items)``, a page shorter than ``per_page`` (or
                an empty first page) proves the total and :meth:`_query_count` is
                not called.
                """
            ),
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params=d(
                """
                self,
                page: int | None = None,
                per_page: int | None = None,
                max_per_page: int | None = 100,
                error_out: bool = True,
                count: bool = True,
                **query_args: Any,
                """
            ),
            returns="None",
            doc="Resolve the page arguments and run the queries.",
            body=d(
                """
                self._query_args = query_args
                page, per_page = self._prepare_page_args(
                    page=page,
                    per_page=per_page,
                    max_per_page=max_per_page,
                    error_out=error_out,
                )
                self.page = page
                self.per_page = per_page
                self.max_per_page = max_per_page
                self._rows_fetched = None
                items = self._query_items()
                if not items and page != 1 and error_out:
                    abort(404)
                self.items = items
                self.total = self._count_total(items) if count else None
                """
            ),
        ),
        Method(
            name="_prepare_page_args",
            decorators=("staticmethod",),
            params=d(
                """
                *,
                page: int | None = None,
                per_page: int | None = None,
                max_per_page: int | None = None,
                error_out: bool = True,
                """
            ),
            returns="tuple[int, int]",
            doc="Resolve ``page`` and ``per_page``.\n\n:meta private:",
            body=d(
                """
                return _paging.prepare_page_args(
                    page=page,
                    per_page=per_page,
                    max_per_page=max_per_page,
                    error_out=error_out,
                )
                """
            ),
        ),
        _property(
            name="_query_offset",
            returns="int",
            doc="The index of the first item to query, passed to ``offset()``.",
            body="return (self.page - 1) * self.per_page",
        ),
        Method(
            name="_query_items",
            params="self",
            returns="list[_T]",
            doc="Execute the query to get the items on the current page.",
            body="raise NotImplementedError",
        ),
        Method(
            name="_query_count",
            params="self",
            returns="int",
            doc="Execute the query to get the total number of items.",
            body="raise NotImplementedError",
        ),
        Method(
            name="_count_total",
            params="self, items: list[_T]",
            returns="int",
            doc=d(
                """
                The total: derived from a short page where the page proves it,
                otherwise from :meth:`_query_count`.

                :meta private:
                """
            ),
            body=d(
                """
                fetched = self._rows_fetched
                if fetched is not None and fetched == len(items):
                    if 0 < fetched < self.per_page:
                        return self._query_offset + fetched
                    if fetched == 0 and self.page == 1:
                        return 0
                return self._query_count()
                """
            ),
        ),
        _property(
            name="first",
            returns="int",
            doc="The number of the first item on the page, from 1, or 0 if there are none.",
            body="return 0 if not self.items else self._query_offset + 1",
        ),
        _property(
            name="last",
            returns="int",
            doc="The number of the last item on the page, inclusive, or 0 if there are none.",
            body="first = self.first\nreturn max(first, first + len(self.items) - 1)",
        ),
        _property(
            name="pages",
            returns="int",
            doc="The total number of pages.",
            body="return _paging.pages(self.total, self.per_page)",
        ),
        _property(
            name="has_prev",
            returns="bool",
            doc="``True`` if this is not the first page.",
            body="return self.page > 1",
        ),
        _property(
            name="prev_num",
            returns="int | None",
            doc="The previous page number, or ``None`` if this is the first page.",
            body="return self.page - 1 if self.has_prev else None",
        ),
        Method(
            name="prev",
            params="self, *, error_out: bool = False",
            returns="Self",
            doc=_NEIGHBOUR_DOC.format(which="previous"),
            body="return self._neighbour(self.page - 1, error_out)",
        ),
        _property(
            name="has_next",
            returns="bool",
            doc="``True`` if this is not the last page.",
            body="return self.page < self.pages",
        ),
        _property(
            name="next_num",
            returns="int | None",
            doc="The next page number, or ``None`` if this is the last page.",
            body="return self.page + 1 if self.has_next else None",
        ),
        Method(
            name="next",
            params="self, *, error_out: bool = False",
            returns="Self",
            doc=_NEIGHBOUR_DOC.format(which="next"),
            body="return self._neighbour(self.page + 1, error_out)",
        ),
        Method(
            name="_neighbour",
            params="self, page: int, error_out: bool",
            returns="Self",
            doc="The pagination of another page, keeping the total.\n\n:meta private:",
            body=d(
                """
                other = type(self)(
                    page=page,
                    per_page=self.per_page,
                    max_per_page=self.max_per_page,
                    error_out=error_out,
                    count=False,
                    **self._query_args,
                )
                other.total = self.total
                return other
                """
            ),
        ),
        Method(
            name="iter_pages",
            params=d(
                """
                self,
                *,
                left_edge: int = 2,
                left_current: int = 2,
                right_current: int = 4,
                right_edge: int = 2,
                """
            ),
            returns="Iterator[int | None]",
            doc=d(
                """
                Yield page numbers for a pagination widget. Skipped pages between the
                edges and the middle are represented by a ``None``::

                    1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 19, 20

                :param left_edge: How many pages to show from the first page.
                :param left_current: How many pages to show left of the current page.
                :param right_current: How many pages to show right of the current page.
                :param right_edge: How many pages to show from the last page.
                """
            ),
            body=d(
                """
                return _paging.iter_pages(
                    self.page,
                    self.pages,
                    left_edge=left_edge,
                    left_current=left_current,
                    right_current=right_current,
                    right_edge=right_edge,
                )
                """
            ),
        ),
        Method(
            name="__iter__",
            params="self",
            returns="Iterator[_T]",
            doc="Iterate over the items on the current page.",
            body="return iter(self.items)",
        ),
    ),
)

SELECT_PAGINATION_CLASS = Class(
    name="SelectPagination",
    bases="Pagination[_T]",
    doc=d(
        """
        Returned by :meth:`.SQLAlchemy.paginate`. Takes ``select`` and ``session``
        arguments in addition to the :class:`Pagination` arguments.
        """
    ),
    methods=(
        Method(
            name="_query_items",
            params="self",
            returns="list[_T]",
            doc=d(
                """
                Execute the select with ``limit`` and ``offset``: the first column of
                each row, or whole rows with a true ``rows`` argument, de-duplicated.
                """
            ),
            body=d(
                """
                select = self._query_args["select"]
                select = select.limit(self.per_page).offset(self._query_offset)
                result = self._query_args["session"].execute(select)
                counter = _paging.UniqueCounter()
                if self._query_args.get("rows", False):
                    items: list[_T] = result.unique(counter.row()).all()
                else:
                    items = result.scalars().unique(counter.scalar()).all()
                self._rows_fetched = counter.seen
                return items
                """
            ),
        ),
        Method(
            name="_query_count",
            params="self",
            returns="int",
            doc="Count the rows of the select, without its ordering.",
            body=d(
                """
                return _paging.count_select(
                    self._query_args["session"], self._query_args["select"]
                )
                """
            ),
        ),
    ),
)

QUERY_PAGINATION_CLASS = Class(
    name="QueryPagination",
    bases="Pagination[_T]",
    doc=d(
        """
        Returned by :meth:`.Query.paginate`. Takes a ``query`` argument in addition to
        the :class:`Pagination` arguments.
        """
    ),
    methods=(
        Method(
            name="_query_items",
            params="self",
            returns="list[_T]",
            doc=d(
                """
                Execute the query with ``limit`` and ``offset``. The legacy query
                de-duplicates entities out of sight, so only an empty page (nothing
                to de-duplicate) counts as fetched rows.
                """
            ),
            body=d(
                """
                query = self._query_args["query"]
                items: list[_T] = query.limit(self.per_page).offset(self._query_offset).all()
                if not items:
                    self._rows_fetched = 0
                return items
                """
            ),
        ),
        Method(
            name="_query_count",
            params="self",
            returns="int",
            doc="Count the rows of the query, without its ordering.",
            body=d(
                """
                total: int = self._query_args["query"].order_by(None).count()
                return total
                """
            ),
        ),
    ),
)

PAGINATION_IMPORTS = (
    "from collections.abc import Iterator",
    "from typing import Any",
    "from typing import Generic",
    "from typing import TypeVar",
    "from flask import abort",
    "from typing_extensions import Self",
    f"from {PKG} import _paging",
)


# --------------------------------------------------------------------------------------
# Modules
# --------------------------------------------------------------------------------------


def modules() -> list[Module]:
    """Every generated file, sorted by output path."""
    from . import stubs_static

    pagination_classes = (
        PAGINATION_CLASS,
        SELECT_PAGINATION_CLASS,
        QUERY_PAGINATION_CLASS,
    )
    real = {a.name for a in EXTENSION_ATTRIBUTES} | {m.name for m in EXTENSION_METHODS}
    proxies = stubs_static.proxy_context(frozenset(real))
    out: list[Module] = []
    for stub in (False, True):
        ext = "pyi" if stub else "py"
        root = "stubs" if stub else "src"
        out.append(
            Module(
                template=f"{root}/extension.{ext}.jinja",
                output=f"{root}/{PKG}/extension.{ext}",
                doc="The :class:`SQLAlchemy` extension class.",
                imports=EXTENSION_PY_IMPORTS,
                type_imports=EXTENSION_TYPE_IMPORTS,
                preamble=EXTENSION_PREAMBLE,
                classes=(_extension_class(stub, tuple(proxies["proxy_members"])),),
                extra=dict(proxies) if stub else {"proxy_imports": []},
            )
        )
        out.append(
            Module(
                template=f"{root}/session.{ext}.jinja",
                output=f"{root}/{PKG}/session.{ext}",
                doc="The :class:`Session` class used by ``db.session``.",
                imports=SESSION_IMPORTS,
                type_imports=SESSION_TYPE_IMPORTS
                + (f"from {PKG}.extension import SQLAlchemy",),
                preamble='_O = TypeVar("_O")',
                classes=(SESSION_CLASS,),
            )
        )
        out.append(
            Module(
                template=f"{root}/pagination.{ext}.jinja",
                output=f"{root}/{PKG}/pagination.{ext}",
                doc="Pagination of select statements and legacy queries.",
                imports=PAGINATION_IMPORTS,
                preamble='_T = TypeVar("_T")',
                classes=pagination_classes,
            )
        )
    out.extend(stubs_static.static_stub_modules())
    out.append(
        Module(
            template="typing_tests/stubtest_allowlist.txt.jinja",
            output="typing_tests/stubtest_allowlist.txt",
            extra={"proxy_stubtest": proxies["proxy_stubtest"]},
        )
    )
    return sorted(out, key=lambda m: m.output)
