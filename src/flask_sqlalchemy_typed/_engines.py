"""Engine configuration: reading the app config, driver defaults, engine creation.

Everything here runs once per app, in ``init_app``.

:meta private:
"""

from __future__ import annotations

import os
import typing as t
from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from flask import Flask

_URL_TYPES = (str, sa.engine.URL)


def _config_error(where: str, problem: str) -> RuntimeError:
    return RuntimeError(f"{where}: {problem}")


def _copy_options(where: str, value: object) -> dict[str, t.Any]:
    if not isinstance(value, Mapping):
        raise _config_error(
            where,
            f"expected a dict of engine options, got {type(value).__name__}.",
        )
    options = dict(value)
    if "connect_args" in options and isinstance(options["connect_args"], Mapping):
        # Driver defaults may add to connect_args: never write into the caller's.
        options["connect_args"] = dict(options["connect_args"])
    return options


def collect_engine_options(
    defaults: Mapping[str, t.Any], app: Flask
) -> dict[str | None, dict[str, t.Any]]:
    """Read the engine configuration of ``app`` and write the config defaults.

    Precedence, lowest first: the extension's ``engine_options``, a bind's dict in
    ``SQLALCHEMY_BINDS``, then ``SQLALCHEMY_ENGINE_OPTIONS`` (default engine only).
    No dict given by the caller is modified.
    """
    basic_uri = app.config.setdefault("SQLALCHEMY_DATABASE_URI", None)
    config_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    echo = app.config.setdefault("SQLALCHEMY_ECHO", False)
    config_binds = app.config.setdefault("SQLALCHEMY_BINDS", {})

    if not isinstance(config_binds, Mapping):
        raise _config_error(
            "SQLALCHEMY_BINDS",
            "expected a dict mapping bind keys to URLs or engine option dicts, got"
            f" {type(config_binds).__name__}.",
        )
    result: dict[str | None, dict[str, t.Any]] = {}

    for key, value in config_binds.items():
        where = f"SQLALCHEMY_BINDS[{key!r}]"
        options = _copy_options("engine_options", defaults)
        if isinstance(value, _URL_TYPES):
            options["url"] = value
        else:
            options.update(_copy_options(where, value))
            if "url" not in options:
                raise _config_error(where, "the engine options dict needs a 'url' key.")
        result[key] = options

    basic = _copy_options("engine_options", defaults)
    basic.update(_copy_options("SQLALCHEMY_ENGINE_OPTIONS", config_options))
    if basic_uri is not None:
        basic["url"] = basic_uri
    if "url" in basic:
        result.setdefault(None, {}).update(basic)

    if not result:
        raise RuntimeError(
            "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set."
        )

    for key, options in result.items():
        options.setdefault("echo", echo)
        options.setdefault("echo_pool", echo)
        _check_url(key, options)
    return result


def _config_name(key: str | None) -> str:
    return "SQLALCHEMY_DATABASE_URI" if key is None else f"SQLALCHEMY_BINDS[{key!r}]"


def _check_url(key: str | None, options: dict[str, t.Any]) -> None:
    """Fail early, naming the config key, on a URL SQLAlchemy cannot use."""
    where = _config_name(key)
    value = options["url"]
    if not isinstance(value, _URL_TYPES):
        raise _config_error(
            where,
            f"expected a database URL string or sqlalchemy.engine.URL, got"
            f" {type(value).__name__}.",
        )
    try:
        url = sa.engine.make_url(value)
    except sa_exc.ArgumentError:
        raise _config_error(
            where,
            "could not parse the database URL. Expected a URL such as"
            " 'sqlite:///app.db' or 'postgresql+psycopg://user@host/dbname'.",
        ) from None
    try:
        url.get_dialect()
    except sa_exc.NoSuchModuleError:
        raise _config_error(
            where,
            f"SQLAlchemy has no dialect or driver named {url.drivername!r}. Check the"
            " URL's scheme, or install the package that provides it.",
        ) from None


def apply_driver_defaults(options: dict[str, t.Any], app: Flask) -> None:
    """Apply driver-specific configuration to one engine's options, in place.

    - In-memory SQLite uses ``StaticPool`` and ``check_same_thread=False``.
    - Relative SQLite paths, also in ``sqlite:///file:NAME?uri=true`` form, are
      relative to ``app.instance_path``, which is created.
    - MySQL and MariaDB get ``charset=utf8mb4``, and ``pool_recycle=7200`` when the
      pool is a queue pool.
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
        poolclass = options.get("poolclass")
        if poolclass is None or (
            isinstance(poolclass, type) and issubclass(poolclass, sa.pool.QueuePool)
        ):
            options.setdefault("pool_recycle", 7200)
        if "charset" not in url.query:
            options["url"] = url.update_query_dict({"charset": "utf8mb4"})


def make_engine(options: dict[str, t.Any]) -> sa.engine.Engine:
    """Create an engine from the final options dict."""
    return sa.engine_from_config(options, prefix="")
