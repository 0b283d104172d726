"""``SQLAlchemy``: construction, ``init_app``, engines and the model base."""

from __future__ import annotations

from ..model import Attr
from ..model import Call
from ..model import Code
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import Overload
from ..model import Param
from ..model import param
from ..model import SELF
from ._common import readonly_property

INIT_DOC = d(
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
        A bare ``SQLAlchemy`` annotation is ``SQLAlchemy[Any]`` and accepts every
        instance; the parameter is covariant, so ``SQLAlchemy[DeclarativeBase]``
        accepts ``SQLAlchemy[Base]``.
    """
)

_APP = param("app", "Flask | None", "None")
_METADATA_TO_QUERY_CLASS = (
    keyword("metadata", "sa.MetaData | None", "None"),
    keyword("session_options", "SessionOptions | None", "None"),
    keyword("query_class", "type[_Query[Any]]", "_Query"),
)
_ENGINE_OPTIONS_TO_END = (
    keyword("engine_options", "EngineOptions | None", "None"),
    keyword("add_models_to_shell", "bool", "True"),
    keyword("disable_autonaming", "bool", "False"),
)

SETUP_METHODS = (
    Method(
        name="__init__",
        params=(
            SELF,
            _APP,
            *_METADATA_TO_QUERY_CLASS,
            keyword("model_class", "Any", "_Model"),
            *_ENGINE_OPTIONS_TO_END,
        ),
        returns="None",
        doc=INIT_DOC,
        overloads=(
            Overload(
                "SQLAlchemy(app): db.Model is the default Model base",
                (
                    Param("self", "SQLAlchemy[_Model]"),
                    _APP,
                    *_METADATA_TO_QUERY_CLASS,
                    *_ENGINE_OPTIONS_TO_END,
                ),
                "None",
            ),
            Overload(
                "SQLAlchemy(app, model_class=Base): db.Model is type[Base]",
                (
                    SELF,
                    _APP,
                    *_METADATA_TO_QUERY_CLASS,
                    keyword("model_class", "type[_M]"),
                    *_ENGINE_OPTIONS_TO_END,
                ),
                "None",
            ),
        ),
        body=Code("init"),
    ),
    Method(
        name="__repr__",
        params=(SELF,),
        returns="str",
        doc="``<SQLAlchemy URL +N engines>`` in an app context; passwords are hidden.",
        body=Call("_repr.extension_repr", lazy=True),
    ),
    Method(
        name="init_app",
        params=(SELF, param("app", "Flask")),
        returns="None",
        doc=d(
            """
            Initialize a Flask application for use with this extension instance.

            Writes the config defaults, registers the session teardown, and creates
            the engines for every bind key: call it after the app is configured.
            Reads ``SQLALCHEMY_DATABASE_URI``, ``SQLALCHEMY_ENGINE_OPTIONS``,
            ``SQLALCHEMY_ECHO``, ``SQLALCHEMY_BINDS``, ``SQLALCHEMY_RECORD_QUERIES``
            and ``SQLALCHEMY_TRACK_MODIFICATIONS``, and ``SQLALCHEMY_REPLICAS`` with
            ``SQLALCHEMY_REPLICA_POLICY`` when set.

            :param app: The Flask application to initialize.
            :raises RuntimeError: The app already has an instance registered, or the
                configuration is invalid (the message names the key).
            """
        ),
        body=Code("init_app"),
    ),
    Method(
        name="_make_scoped_session",
        params=(SELF, param("options", "dict[str, Any]")),
        returns="sa_orm.scoped_session[_Session]",
        doc=d(
            """
            Create the :attr:`session` scoped session. A ``scopefunc`` key in
            ``options`` is popped and used as the scope.

            :meta private:
            """
        ),
        body=Code("make_scoped_session"),
    ),
    Method(
        name="_make_session_factory",
        params=(SELF, param("options", "dict[str, Any]")),
        returns="sa_orm.sessionmaker[_Session]",
        doc=d(
            """
            Create the :class:`~sqlalchemy.orm.sessionmaker` behind :attr:`session`.

            :meta private:
            """
        ),
        body=Code("make_session_factory"),
    ),
    Method(
        name="_teardown_session",
        params=(SELF, param("exc", "BaseException | None")),
        returns="None",
        doc="Remove the current session at the end of the app context.\n\n:meta private:",
        body=Call("_setup.remove_session", (Attr("session"),)),
    ),
    Method(
        name="_make_metadata",
        params=(SELF, param("bind_key", "str | None")),
        returns="sa.MetaData",
        doc=d(
            """
            Get or create the :class:`~sqlalchemy.schema.MetaData` of a bind key.

            :meta private:
            """
        ),
        body=Call(
            "_schema.make_metadata",
            (Attr("metadatas"), "bind_key", Attr("_make_metadata", "make_default")),
        ),
    ),
    Method(
        name="_make_table_class",
        params=(SELF,),
        returns="type[_Table]",
        doc="Create the :attr:`Table` class of this instance.\n\n:meta private:",
        body=Call("table.make_table_class"),
    ),
    Method(
        name="_make_declarative_base",
        params=(
            SELF,
            param("model_class", "Any"),
            param("disable_autonaming", "bool", "False"),
        ),
        returns="type[_M]",
        doc=d(
            """
            Create (or, for a SQLAlchemy 2.x base, adopt) the :attr:`Model` class.

            :meta private:
            """
        ),
        body=Call(
            "_declarative.make_declarative_base",
            (
                "self",
                "model_class",
                "disable_autonaming",
                Attr("_make_metadata", "make_metadata"),
            ),
        ),
    ),
    Method(
        name="_apply_driver_defaults",
        params=(SELF, param("options", "dict[str, Any]"), param("app", "Flask")),
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
        body=Call("_engines.apply_driver_defaults", ("options", "app")),
    ),
    Method(
        name="_make_engine",
        params=(
            SELF,
            param("bind_key", "str | None"),
            param("options", "dict[str, Any]"),
            param("app", "Flask"),
        ),
        returns="sa.engine.Engine",
        doc=d(
            """
            Create the engine of one bind key for an app. Override to customize.

            :param bind_key: The bind key, ``None`` for the default engine.
            :param options: The final engine options, ``url`` included.
            :param app: The application the engine belongs to.
            """
        ),
        body=Call("_engines.make_engine", ("options",)),
    ),
    readonly_property(
        name="metadata",
        returns="sa.MetaData",
        doc="The default metadata, used by :attr:`Model` and :attr:`Table` without a bind key.",
        body=Code("metadata"),
    ),
    readonly_property(
        name="engines",
        returns="Mapping[str | None, sa.engine.Engine]",
        doc=d(
            """
            Map of bind keys to engines for the current application; ``None`` is
            the default engine. Requires an active application context.
            """
        ),
        body=Call("self._state.current_engines", ()),
    ),
    readonly_property(
        name="engine",
        returns="sa.engine.Engine",
        doc="The default engine of the current application. Requires an app context.",
        body=Code("engine"),
    ),
)
