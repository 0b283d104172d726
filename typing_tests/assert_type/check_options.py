"""``engine_options`` and ``session_options``: TypedDicts of SQLAlchemy's keywords."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed._options import EngineOptions
from flask_sqlalchemy_typed._options import SessionOptions
from flask_sqlalchemy_typed.session import Session


class _Base(sa_orm.DeclarativeBase):
    pass


class _MySession(Session):
    pass


def _scope() -> int:
    return 0


# every real option is accepted, with SQLAlchemy's own value types
SQLAlchemy(
    model_class=_Base,
    session_options={
        "expire_on_commit": False,
        "autoflush": False,
        "autobegin": True,
        "twophase": False,
        "join_transaction_mode": "create_savepoint",
        "info": {"x": 1},
        "execution_options": {"populate_existing": True},
        "class_": _MySession,
        "query_cls": sa_orm.Query,
        "scopefunc": _scope,
    },
    engine_options={
        "echo": "debug",
        "pool_size": 5,
        "pool_pre_ping": True,
        "pool_recycle": 3600,
        "isolation_level": "SERIALIZABLE",
        "connect_args": {"timeout": 10},
        "poolclass": sa.pool.StaticPool,
        "execution_options": {"schema_translate_map": {None: "s"}},
        "url": sa.make_url("sqlite://"),
        # a bundled dialect's keyword, forwarded by create_engine's **kwargs
        "fast_executemany": True,
    },
)

# an annotated variable keeps the check away from the call
session_options: SessionOptions = {"expire_on_commit": False}
engine_options: EngineOptions = {"pool_timeout": 2.5}
SQLAlchemy(session_options=session_options, engine_options=engine_options)

# a misspelt key is a type error
bad_session: SessionOptions = {"expire_on_comit": False}  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportAssignmentType]
bad_engine: EngineOptions = {"pool_szie": 5}  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportAssignmentType]
SQLAlchemy(session_options={"expire_on_comit": False})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
SQLAlchemy(model_class=_Base, engine_options={"pool_szie": 5})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]

# a value of the wrong type is a type error
bad_value: SessionOptions = {"expire_on_commit": "no"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
bad_size: EngineOptions = {"pool_size": "5"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
bad_mode: SessionOptions = {"join_transaction_mode": "sometimes"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]

# class_ must be this package's Session: the extension passes it ``db``
bad_class: SessionOptions = {"class_": sa_orm.Session}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]

# an untyped dict is not enough: annotate it with the TypedDict
untyped: dict[str, Any] = {"expire_on_commit": False}
SQLAlchemy(session_options=untyped)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
