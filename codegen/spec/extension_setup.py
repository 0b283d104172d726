"""``SQLAlchemy``: construction, ``init_app``, engines and the model base."""

from __future__ import annotations

from ..model import dedent as d
from ..model import Method
from ..model import Overload
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

SETUP_METHODS = (
    Method(
        name="__init__",
        params=(
            "self, app: Flask | None = None, *, "
            + _INIT_PARAMS_TAIL
            + " model_class: Any = _Model, "
            + _INIT_PARAMS_END
        ),
        returns="None",
        doc=INIT_DOC,
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
                _engines.copy_argument("session_options", session_options)
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
            self._engine_options = _engines.copy_argument("engine_options", engine_options)
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
        body=d(
            """
            from flask_sqlalchemy_typed._repr import extension_repr

            return extension_repr(self)
            """
        ),
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
            and ``SQLALCHEMY_TRACK_MODIFICATIONS``, and ``SQLALCHEMY_REPLICAS`` with
            ``SQLALCHEMY_REPLICA_POLICY`` when set.

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
            if _engines.config_get(app, "SQLALCHEMY_REPLICAS"):
                from .replicas import _config as _replica_config

                _replica_config.init_app(self, app, new_engines)
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
        body="_binds.remove_session(self.session)",
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
    readonly_property(
        name="metadata",
        returns="sa.MetaData",
        doc="The default metadata, used by :attr:`Model` and :attr:`Table` without a bind key.",
        body="return self.metadatas[None]",
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
    readonly_property(
        name="engine",
        returns="sa.engine.Engine",
        doc="The default engine of the current application. Requires an app context.",
        body="return self.engines[None]",
    ),
)
