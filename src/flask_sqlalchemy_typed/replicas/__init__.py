"""Read replicas: the policy, the routing blocks and the error of ``SQLALCHEMY_REPLICAS``.

Configure replicas with ``SQLALCHEMY_REPLICAS = {bind_key: [url, ...]}`` and,
optionally, ``SQLALCHEMY_REPLICA_POLICY = ReplicaPolicy(...)``. This module is only
imported when an app configures replicas or calls :meth:`.SQLAlchemy.use_primary` /
:meth:`.SQLAlchemy.use_replica`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import inspect
import typing as t
from collections.abc import Callable
from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from typing_extensions import ParamSpec

_P = ParamSpec("_P")
_R = t.TypeVar("_R")

_ReadYourWrites = t.Literal["client", "process", "off"]


@dataclasses.dataclass(frozen=True)
class ReplicaPolicy:
    """How reads are sent to replicas. Set it as ``SQLALCHEMY_REPLICA_POLICY``.

    :param max_wait: After a write, how long (seconds) a read waits for its replica to
        replay up to the primary's position (PostgreSQL WAL LSN, MariaDB GTID) before
        the primary serves it instead.
    :param read_your_writes: Whose writes a read must see. ``"client"``: writes
        committed by the same session (the request), and by earlier requests of the
        same browser session, through a signed Flask session cookie (an app without a
        ``secret_key`` gets ``"process"`` instead). ``"process"``: every write
        committed through this process, by any request. ``"off"``: no waiting; reads
        may be stale.
    :param down_for: Seconds a replica that failed to connect (or lost its
        connection) is skipped; then it is tried again.
    :param connect_timeout: The connect timeout (seconds) replica engines get unless
        their ``connect_args`` set one (PostgreSQL and MariaDB/MySQL drivers); ``None``
        keeps the driver's default.
    :param choose: Picks the replica for a transaction from the healthy replicas of a
        bind (in config order). ``None``: round robin.

    .. versionadded:: 0.1
    """

    max_wait: float = 0.05
    read_your_writes: _ReadYourWrites = "client"
    down_for: float = 30.0
    connect_timeout: float | None = 2.0
    choose: Callable[[Sequence[sa.engine.Engine]], sa.engine.Engine] | None = None

    def __post_init__(self) -> None:
        for name in ("max_wait", "down_for"):
            value: object = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(
                    f"ReplicaPolicy({name}=...) must be seconds, got {value!r}."
                )
            if value < 0:
                raise ValueError(
                    f"ReplicaPolicy({name}=...) must be >= 0, got {value!r}."
                )
        timeout = t.cast(object, self.connect_timeout)
        if timeout is not None and (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or timeout <= 0
        ):
            raise ValueError(
                f"ReplicaPolicy(connect_timeout=...) must be seconds > 0 or None, got {timeout!r}."
            )
        if self.read_your_writes not in ("client", "process", "off"):
            raise ValueError(
                "ReplicaPolicy(read_your_writes=...) must be 'client', 'process' or"
                f" 'off', got {self.read_your_writes!r}."
            )
        choose = t.cast(object, self.choose)
        if choose is not None and not callable(choose):
            raise TypeError(
                "ReplicaPolicy(choose=...) must be a function taking the healthy replica"
                f" engines and returning one, got {self.choose!r}."
            )


class ReadOnlyRouteError(sa_exc.InvalidRequestError):
    """A statement that writes or locks was executed inside
    ``db.use_replica(strict=True)``. Nothing was sent to any server.

    .. versionadded:: 0.1
    """


_Mode = t.Literal["primary", "replica", "strict"]

_MODE: contextvars.ContextVar[_Mode | None] = contextvars.ContextVar(
    "flask_sqlalchemy_typed_route", default=None
)
# The tokens of the blocks entered with ``with``, innermost last, per context: the
# same RouteContext may be entered by several threads at once.
_ENTERED: contextvars.ContextVar[tuple[contextvars.Token[_Mode | None], ...]] = (
    contextvars.ContextVar("flask_sqlalchemy_typed_route_entered", default=())
)


class RouteContext:
    """Forces where the statements of a block go: a context manager, and a decorator
    for views and functions that keeps their signature (``async def`` included).

    Returned by :meth:`.SQLAlchemy.use_primary` and :meth:`.SQLAlchemy.use_replica`.
    The innermost block wins. The same object may be entered in several threads at
    once, and nested.

    .. versionadded:: 0.1
    """

    __slots__ = ("_mode",)

    def __init__(self, mode: _Mode) -> None:
        self._mode: _Mode = mode

    @property
    def mode(self) -> _Mode:
        """``"primary"``, ``"replica"`` or ``"strict"`` (a strict replica block)."""
        return self._mode

    def __repr__(self) -> str:
        return f"<RouteContext {self._mode}>"

    def __enter__(self) -> None:
        _ENTERED.set((*_ENTERED.get(), _MODE.set(self._mode)))

    def __exit__(self, *exc_info: object) -> None:
        entered = _ENTERED.get()
        _ENTERED.set(entered[:-1])
        _MODE.reset(entered[-1])

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        mode = self._mode
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: _P.args, **kwargs: _P.kwargs) -> t.Any:
                token = _MODE.set(mode)
                try:
                    return await func(*args, **kwargs)
                finally:
                    _MODE.reset(token)

            return t.cast("Callable[_P, _R]", run_async)

        @functools.wraps(func)
        def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            token = _MODE.set(mode)
            try:
                return func(*args, **kwargs)
            finally:
                _MODE.reset(token)

        return run


def current_mode() -> _Mode | None:
    """The mode of the innermost routing block, ``None`` outside any.

    :meta private:
    """
    return _MODE.get()
