"""Engine configuration: reading the app config, driver defaults, engine creation.

Everything here runs once per app, in ``init_app``, except :func:`copy_argument`,
which copies the extension's ``engine_options`` and ``session_options``.

:meta private:
"""

from __future__ import annotations

import os
import re
import typing as t
from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from flask import Flask

_URL_TYPES = (str, sa.engine.URL)


def config_error(where: str, problem: str) -> RuntimeError:
    """The error of a bad config value: ``"<where>: <problem>"``."""
    return RuntimeError(f"{where}: {problem}")


_config_error = config_error


def config_setdefault(app: Flask, name: str, default: object) -> object:
    """``app.config.setdefault(name, default)``, typed.

    Flask's ``Config`` subclasses a bare ``dict``: its values are unknown to a type
    checker. Returning ``object`` makes each caller check the value it reads.
    """
    config = t.cast("dict[str, object]", app.config)
    return config.setdefault(name, default)


def copy_argument(name: str, value: object) -> dict[str, t.Any]:
    """A private copy of the ``engine_options`` or ``session_options`` argument:
    the caller's dict is never modified.

    :param name: The argument's name, for the error message.
    :param value: The argument; ``None`` is an empty dict.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"'{name}' must be a dict, got {type(value).__name__}.")
    # The keys are keyword arguments: the TypedDicts type them for the caller.
    return dict(t.cast("Mapping[str, t.Any]", value))


def config_get(app: Flask, name: str) -> object:
    """``app.config.get(name)``, typed like :func:`config_setdefault`."""
    return t.cast("dict[str, object]", app.config).get(name)


def _as_mapping(value: object) -> Mapping[str, t.Any] | None:
    """``value`` as a string-keyed mapping, or ``None`` if it is not a mapping.

    Keys are not checked: the engine options of a config are keyword arguments.
    """
    if not isinstance(value, Mapping):
        return None
    return t.cast("Mapping[str, t.Any]", value)


def copy_options(where: str, value: object) -> dict[str, t.Any]:
    """A copy of a dict of engine options (and of its ``connect_args``); ``where``
    names it in the error raised for anything but a dict."""
    mapping = _as_mapping(value)
    if mapping is None:
        raise _config_error(
            where,
            f"expected a dict of engine options, got {type(value).__name__}.",
        )
    options = dict(mapping)
    connect_args = _as_mapping(options.get("connect_args"))
    if connect_args is not None:
        # Driver defaults may add to connect_args: never write into the caller's.
        options["connect_args"] = dict(connect_args)
    return options


def collect_engine_options(
    defaults: Mapping[str, t.Any], app: Flask
) -> dict[str | None, dict[str, t.Any]]:
    """Read the engine configuration of ``app`` and write the config defaults.

    Precedence, lowest first: the extension's ``engine_options``, a bind's dict in
    ``SQLALCHEMY_BINDS``, then ``SQLALCHEMY_ENGINE_OPTIONS`` (default engine only).
    No dict given by the caller is modified.
    """
    basic_uri = config_setdefault(app, "SQLALCHEMY_DATABASE_URI", None)
    config_options = config_setdefault(app, "SQLALCHEMY_ENGINE_OPTIONS", {})
    echo = config_setdefault(app, "SQLALCHEMY_ECHO", False)
    binds_value = config_setdefault(app, "SQLALCHEMY_BINDS", {})
    config_binds = _as_mapping(binds_value)

    if config_binds is None:
        raise _config_error(
            "SQLALCHEMY_BINDS",
            "expected a dict mapping bind keys to URLs or engine option dicts, got"
            f" {type(binds_value).__name__}.",
        )
    result: dict[str | None, dict[str, t.Any]] = {}

    for key, value in config_binds.items():
        where = f"SQLALCHEMY_BINDS[{key!r}]"
        options = copy_options("engine_options", defaults)
        if isinstance(value, _URL_TYPES):
            options["url"] = value
        else:
            options.update(copy_options(where, value))
            if "url" not in options:
                raise _config_error(where, "the engine options dict needs a 'url' key.")
        result[key] = options

    basic = copy_options("engine_options", defaults)
    basic.update(copy_options("SQLALCHEMY_ENGINE_OPTIONS", config_options))
    if basic_uri is not None:
        basic["url"] = basic_uri
    if "url" in basic:
        result.setdefault(None, {}).update(basic)

    if not result:
        raise RuntimeError(
            "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set."
        )

    for bind_key, options in result.items():
        options.setdefault("echo", echo)
        options.setdefault("echo_pool", echo)
        _check_url(bind_key, options)
        _check_option_types(bind_key, options)
    return result


def _config_name(key: str | None) -> str:
    return "SQLALCHEMY_DATABASE_URI" if key is None else f"SQLALCHEMY_BINDS[{key!r}]"


def _options_name(key: str | None) -> str:
    if key is None:
        return "SQLALCHEMY_ENGINE_OPTIONS (or the extension's engine_options)"
    return f"SQLALCHEMY_BINDS[{key!r}] (or the extension's engine_options)"


# Options ``engine_from_config`` coerces from strings, as Flask-SQLAlchemy allows:
# ``{"pool_size": "10"}`` works, ``{"pool_size": "ten"}`` must fail here, by name.
_INT_OPTIONS = ("pool_size", "max_overflow", "pool_recycle", "pool_timeout")
_BOOL_OPTIONS = ("pool_pre_ping", "pool_use_lifo", "hide_parameters", "future")
_MAPPING_OPTIONS = ("connect_args", "execution_options")


def _check_option_types(key: str | None, options: dict[str, t.Any]) -> None:
    check_option_types(_options_name(key), options)


def check_option_types(where: str, options: dict[str, t.Any]) -> None:
    """Fail early, naming the config key and the option, on an engine option of the
    wrong type, instead of a bare ``ValueError`` from deep inside ``create_engine``.
    """

    def bad(name: str, expected: str) -> RuntimeError:
        value = options[name]
        return _config_error(
            where,
            f"engine option {name!r} must be {expected}, got {value!r}"
            f" ({type(value).__name__}). Fix the value or remove the option.",
        )

    for name in _INT_OPTIONS:
        value = options.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            raise bad(name, "a number")
        if isinstance(value, str):
            try:
                int(value)  # what engine_from_config does with strings
            except ValueError:
                raise bad(name, "a number (a string must hold an integer)") from None
        elif not isinstance(value, (int, float)):
            raise bad(name, "a number")
    for name in _BOOL_OPTIONS:
        value = options.get(name)
        if value is None or isinstance(value, bool):
            continue
        if not (isinstance(value, str) and value.lower() in _BOOL_STRINGS):
            raise bad(name, "True or False")
    for name in _MAPPING_OPTIONS:
        if name in options and not isinstance(options[name], Mapping):
            raise bad(name, "a dict")
    poolclass = options.get("poolclass")
    if poolclass is not None and not (
        isinstance(poolclass, type) and issubclass(poolclass, sa.pool.Pool)
    ):
        raise bad("poolclass", "a subclass of sqlalchemy.pool.Pool")


_BOOL_STRINGS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "y", "n", "t", "f", "1", "0"}
)


def create_engines(
    make_engine: t.Callable[[str | None, dict[str, t.Any], Flask], sa.engine.Engine],
    options: Mapping[str | None, dict[str, t.Any]],
    app: Flask,
) -> dict[str | None, sa.engine.Engine]:
    """Create every engine, or none: a failure disposes those already created and
    raises ``RuntimeError`` naming the config key, the URL without its password and
    the cause.
    """
    engines: dict[str | None, sa.engine.Engine] = {}
    try:
        for key, engine_options in options.items():

            def make(o: dict[str, t.Any], key: str | None = key) -> sa.engine.Engine:
                return make_engine(key, o, app)

            engines[key] = create_engine_or_fail(
                make,
                _options_name(key),
                engine_options,
                import_where=_config_name(key),
            )
    except RuntimeError:
        for engine in engines.values():
            engine.dispose()
        raise
    return engines


def create_engine_or_fail(
    make: t.Callable[[dict[str, t.Any]], sa.engine.Engine],
    where: str,
    options: dict[str, t.Any],
    *,
    import_where: str | None = None,
) -> sa.engine.Engine:
    """``make(options)``, or a ``RuntimeError`` naming ``where`` (``import_where`` for
    a missing driver), the URL without its password and the cause."""
    try:
        return make(options)
    except (TypeError, ValueError, ImportError, sa_exc.ArgumentError) as e:
        url = sa.engine.make_url(options["url"])
        original = f"{type(e).__name__}: {e}"
        cause = hide_password(original, url)
        if isinstance(e, ImportError):
            where = import_where or where
            advice = (
                f" Install the DBAPI driver of {url.drivername!r}, or name an"
                " installed one in the URL, e.g. 'postgresql+psycopg://'."
            )
        else:
            advice = " Check the engine options and the URL's query arguments."
        raise _config_error(
            where,
            f"could not create the engine for {safe_url(url)}: {cause}.{advice}",
        ) from (e if cause == original else None)


def safe_url(url: str | sa.engine.URL) -> str:
    """A URL rendered for messages and logs: the password is replaced by ``***``."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return "<unparsable URL>"


def hide_password(message: str, url: str | sa.engine.URL) -> str:
    """``message`` with any occurrence of ``url``'s password replaced by ``***``."""
    try:
        password = sa.engine.make_url(url).password
    except sa_exc.ArgumentError:
        return message
    if password:
        message = message.replace(str(password), "***")
    return message


# The password of a URL string SQLAlchemy cannot parse: "scheme://user:PASSWORD@".
# A pattern string, compiled (and cached by re) on the first bad URL, not at import.
_RAW_PASSWORD = r"^[^:/]*://[^:/@]*:([^@]*)@"


def _check_url(key: str | None, options: dict[str, t.Any]) -> None:
    check_url(_config_name(key), options)


def check_url(where: str, options: dict[str, t.Any]) -> None:
    """Fail early, naming the config key, on a URL SQLAlchemy cannot use."""
    value = options["url"]
    if not isinstance(value, _URL_TYPES):
        raise _config_error(
            where,
            f"expected a database URL string or sqlalchemy.engine.URL, got"
            f" {type(value).__name__}.",
        )
    try:
        url = sa.engine.make_url(value)
    except (sa_exc.ArgumentError, ValueError) as e:
        # ValueError: a non-numeric port.
        problem = str(e)
        found = re.match(_RAW_PASSWORD, value) if isinstance(value, str) else None
        if found and found.group(1):
            problem = problem.replace(found.group(1), "***")
        raise _config_error(
            where,
            f"could not parse the database URL ({problem}). Expected a URL such as"
            " 'sqlite:///app.db' or 'postgresql+psycopg://user:password@host:5432/dbname'"
            " (quote special characters of the password with urllib.parse.quote_plus).",
        ) from None
    try:
        url.get_dialect()
    except sa_exc.NoSuchModuleError:
        hint = ""
        if url.drivername.split("+")[0] == "postgres":
            hint = " The PostgreSQL scheme is 'postgresql', not 'postgres'."
        raise _config_error(
            where,
            f"SQLAlchemy has no dialect or driver named {url.drivername!r}. Check the"
            f" URL's scheme, or install the package that provides it.{hint}",
        ) from None


def apply_driver_defaults(options: dict[str, t.Any], app: Flask) -> None:
    """Apply driver-specific configuration to one engine's options, in place.

    - In-memory SQLite uses ``StaticPool`` and ``check_same_thread=False``.
    - Relative SQLite paths, also in ``sqlite:///file:NAME?uri=true`` form, are
      relative to ``app.instance_path``, which is created.
    - MySQL and MariaDB get ``charset=utf8mb4``, and ``pool_recycle=7200`` when the
      pool is a queue pool.
    - Every other backend (PostgreSQL, MySQL, MariaDB, ...) gets
      ``pool_pre_ping=True`` unless the pool is a ``NullPool``: a pooled connection
      the server closed (restart, failover, idle timeout, ``pg_terminate_backend``,
      ``KILL``) is detected at checkout and replaced, so the next request succeeds
      instead of failing with "server closed the connection". The cost is one
      round trip per checkout (measured by ``bench/reconnect.py``); turn it off
      with ``{"pool_pre_ping": False}`` in the engine options. Not for SQLite, whose
      connections are files, not sockets.
    """
    url = sa.engine.make_url(options["url"])
    backend = url.get_backend_name()
    if url.drivername in {"sqlite", "sqlite+pysqlite"}:
        if url.database is None or url.database in {"", ":memory:"}:
            options["poolclass"] = sa.pool.StaticPool
            connect_args = options.setdefault("connect_args", {})
            connect_args["check_same_thread"] = False
        else:
            is_uri = url.query.get("uri", False)
            path = url.database[5:] if is_uri else url.database
            if not os.path.isabs(path):
                os.makedirs(app.instance_path, exist_ok=True)
                path = os.path.join(app.instance_path, path)
                options["url"] = url.set(database=f"file:{path}" if is_uri else path)
    elif backend in {"mysql", "mariadb"}:
        if options.get("poolclass") is None or _pool_is(options, sa.pool.QueuePool):
            options.setdefault("pool_recycle", 7200)
        if "charset" not in url.query:
            options["url"] = url.update_query_dict({"charset": "utf8mb4"})
    if backend != "sqlite" and not _pool_is(options, sa.pool.NullPool):
        options.setdefault("pool_pre_ping", True)


def _pool_is(options: Mapping[str, t.Any], pool: type[sa.pool.Pool]) -> bool:
    """Whether the options name ``pool``, or a subclass of it, as ``poolclass``."""
    poolclass = options.get("poolclass")
    return isinstance(poolclass, type) and issubclass(poolclass, pool)


def make_engine(options: dict[str, t.Any]) -> sa.engine.Engine:
    """Create an engine from the final options dict."""
    return sa.engine_from_config(options, prefix="")
