"""Read replicas: reading ``SQLALCHEMY_REPLICAS`` and creating the replica engines.

Runs once per app, in ``init_app``, only when the app configures replicas.

:meta private:
"""

from __future__ import annotations

import functools
import math
import typing as t
from collections.abc import Mapping
from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.event as sa_event
from flask import Flask

from .. import _engines
from .. import _setup
from . import _positions
from . import _routing
from . import ReplicaPolicy

if t.TYPE_CHECKING:
    from ..extension import SQLAlchemy

_ApplyDriverDefaults = t.Callable[[dict[str, t.Any], Flask], None]


class _MakeEngine(t.Protocol):
    """``SQLAlchemy._make_engine``."""

    def __call__(
        self, bind_key: str | None, options: dict[str, t.Any], app: Flask
    ) -> sa.Engine: ...


def _policy(app: Flask) -> ReplicaPolicy:
    value = _engines.config_get(app, "SQLALCHEMY_REPLICA_POLICY")
    if value is None:
        return ReplicaPolicy()
    if isinstance(value, ReplicaPolicy):
        return value
    if isinstance(value, Mapping):
        try:
            return ReplicaPolicy(**t.cast("Mapping[str, t.Any]", value))
        except (TypeError, ValueError) as e:
            raise _engines.config_error("SQLALCHEMY_REPLICA_POLICY", str(e)) from None
    raise _engines.config_error(
        "SQLALCHEMY_REPLICA_POLICY",
        "expected a flask_sqlalchemy_typed.replicas.ReplicaPolicy (or a dict of its"
        f" fields), got {type(value).__name__}.",
    )


def _backend(url: sa.URL) -> str:
    name = url.get_backend_name()
    return "mysql" if name == "mariadb" else name


def _replica_options(
    defaults: Mapping[str, t.Any], app: Flask, where: str, value: object
) -> dict[str, t.Any]:
    """The engine options of one replica: the extension's ``engine_options``, then
    the replica's own (a URL, or a dict with a ``url``), as for ``SQLALCHEMY_BINDS``."""
    options = _engines.copy_options("engine_options", defaults)
    if isinstance(value, (str, sa.URL)):
        options["url"] = value
    else:
        options.update(_engines.copy_options(where, value))
        if "url" not in options:
            raise _engines.config_error(
                where, "the engine options dict needs a 'url' key."
            )
    echo = _engines.config_get(app, "SQLALCHEMY_ECHO") or False
    options.setdefault("echo", echo)
    options.setdefault("echo_pool", echo)
    _engines.check_url(where, options)
    _engines.check_option_types(where, options)
    return options


def _add_connect_timeout(
    options: dict[str, t.Any], timeout: float | None
) -> float | None:
    """Give a server replica a short connect timeout unless one is configured;
    returns the timeout of a PyMySQL replica (its handshake needs bounding too)."""
    url = sa.make_url(options["url"])
    backend = _backend(url)
    if timeout is None or backend not in ("postgresql", "mysql"):
        return None
    connect_args: dict[str, t.Any] = options.setdefault("connect_args", {})
    if "connect_timeout" in connect_args or "connect_timeout" in url.query:
        return None
    if backend == "postgresql":
        # libpq takes whole seconds, at least 2.
        connect_args["connect_timeout"] = max(2, math.ceil(timeout))
        return None
    connect_args["connect_timeout"] = timeout
    return timeout if url.get_driver_name() == "pymysql" else None


def _bound_pymysql_handshake(engine: sa.Engine, timeout: float) -> None:
    """PyMySQL applies ``connect_timeout`` to the TCP connect only: a hung server
    accepts it and never answers the handshake. Read it with ``read_timeout``, then
    restore the configured one (``None``: wait as long as a query takes)."""

    def connect(
        dialect: sa.Dialect, rec: object, cargs: list[t.Any], cparams: dict[str, t.Any]
    ) -> t.Any:
        configured = cparams.get("read_timeout")
        bounded = timeout if configured is None else configured
        conn = dialect.loaded_dbapi.connect(
            *cargs, **{**cparams, "read_timeout": bounded}
        )
        conn._read_timeout = configured  # PyMySQL re-applies it on the next read
        return conn

    sa_event.listen(engine, "do_connect", connect)


def init_app(
    db: SQLAlchemy[t.Any],
    app: Flask,
    engines: Mapping[str | None, sa.Engine],
    *,
    engine_options: Mapping[str, t.Any],
    apply_driver_defaults: _ApplyDriverDefaults,
    make_engine: _MakeEngine,
) -> None:
    """Create the replica engines of ``SQLALCHEMY_REPLICAS`` for ``app``, whose
    primary ``engines`` are not registered yet. Any error disposes every engine of
    the app (the primaries included) and names the config key.

    :param engine_options: The extension's ``engine_options``, under each replica's.
    :param apply_driver_defaults: The extension's hook, applied as to a primary.
    :param make_engine: The extension's hook, which creates each replica engine.
    """
    created: list[sa.Engine] = []
    try:
        routes = _build(
            _Engines(engine_options, apply_driver_defaults, make_engine),
            app,
            engines,
            created,
        )
    except BaseException:
        for engine in [*created, *engines.values()]:
            engine.dispose()
        raise
    replicas = _routing.install(db)
    for found in routes:
        replicas.routes[found.primary] = found
        for replica in found.replicas:
            replicas.replica_of[replica.engine] = (found, replica)
    replicas.by_app[app] = {
        f.bind_key: tuple(r.engine for r in f.replicas) for f in routes
    }
    if _engines.config_get(app, "SQLALCHEMY_RECORD_QUERIES"):
        _setup.record_queries(created)


class _Engines(t.NamedTuple):
    """How the extension creates an engine: its defaults and its two hooks."""

    options: Mapping[str, t.Any]
    apply_driver_defaults: _ApplyDriverDefaults
    make: _MakeEngine


def _build(
    extension: _Engines,
    app: Flask,
    engines: Mapping[str | None, sa.Engine],
    created: list[sa.Engine],
) -> list[_routing.Route]:
    config = _engines.config_get(app, "SQLALCHEMY_REPLICAS")
    if not isinstance(config, Mapping):
        raise _engines.config_error(
            "SQLALCHEMY_REPLICAS",
            "expected a dict mapping bind keys (None for the default engine) to lists"
            f" of replica URLs or engine option dicts, got {type(config).__name__}.",
        )
    policy = _policy(app)
    routes: list[_routing.Route] = []
    for key, value in t.cast("Mapping[object, object]", config).items():
        kind = type(value).__name__
        items = value
        where = f"SQLALCHEMY_REPLICAS[{key!r}]"
        if not (key is None or isinstance(key, str)) or key not in engines:
            known = ", ".join(repr(k) for k in engines)
            raise _engines.config_error(
                where,
                f"no engine has the bind key {key!r} (configured: {known}). Use a key"
                " of SQLALCHEMY_BINDS, or None for SQLALCHEMY_DATABASE_URI.",
            )
        single = isinstance(items, (str, sa.URL, Mapping))
        if single or not isinstance(items, Sequence):
            raise _engines.config_error(
                where,
                f"expected a list of replicas, got {kind}. Write"
                " [replica], even for one.",
            )
        primary = engines[key]
        backend = _backend(primary.url)
        if backend not in _positions.SUPPORTED:
            raise _engines.config_error(
                where,
                f"replicas of {primary.dialect.name!r} databases are not supported"
                " (PostgreSQL, MariaDB, MySQL and SQLite are).",
            )
        make = functools.partial(extension.make, key, app=app)
        replica_engines: list[sa.Engine] = []
        for i, item in enumerate(t.cast("Sequence[object]", items)):
            item_where = f"{where}[{i}]"
            options = _replica_options(extension.options, app, item_where, item)
            if _backend(sa.make_url(options["url"])) != backend:
                raise _engines.config_error(
                    item_where,
                    f"a replica of a {backend!r} primary must be a {backend!r}"
                    f" database, got {_engines.safe_url(options['url'])}.",
                )
            extension.apply_driver_defaults(options, app)
            handshake = _add_connect_timeout(options, policy.connect_timeout)
            engine = _engines.create_engine_or_fail(make, item_where, options)
            created.append(engine)
            if handshake is not None:
                _bound_pymysql_handshake(engine, handshake)
            replica_engines.append(engine)
        if replica_engines:
            routes.append(_routing.Route(primary, key, replica_engines, policy))
    return routes
