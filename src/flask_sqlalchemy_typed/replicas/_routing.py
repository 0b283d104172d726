"""Read replicas: engines per bind key, the routing of each statement, replica health.

``Session.get_bind`` calls :func:`route` once the bind key resolved to a primary
engine, and only when the extension has replicas (its state's ``replicas`` is set):
without ``SQLALCHEMY_REPLICAS`` this module is never imported.

Per session (``session.info``) a :class:`_State` remembers, for the current
transaction, which primaries it used and wrote and which replica it reads from, and
for the session's whole life the positions its commits reached. Per primary engine a
:class:`Route` holds its replicas, their health and the latest position committed
through this process.

:meta private:
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import time
import typing as t
from collections.abc import Sequence
from weakref import WeakKeyDictionary

import sqlalchemy as sa
import sqlalchemy.event as sa_event
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask import g
from flask import has_app_context
from flask import has_request_context
from flask import session as flask_session
from flask.sessions import NullSession
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import TextualSelect

from .. import _engines
from .. import _state
from . import _positions
from . import current_mode
from . import ReadOnlyRouteError
from . import ReplicaPolicy
from . import RouteContext

if t.TYPE_CHECKING:
    from .._state import ExtensionState
    from ..extension import SQLAlchemy

logger = logging.getLogger("flask_sqlalchemy_typed.replicas")
"""Routing decisions (DEBUG), replicas going down (WARNING) and back (INFO)."""

_STATE_KEY = "flask_sqlalchemy_typed.replicas"
COOKIE_KEY = "_fsqt_replica_positions"
"""The Flask session key holding ``[[bind_key, position], ...]`` of the client's
latest writes."""


class Replica:
    __slots__ = ("engine", "name", "down_until", "seen")

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.name = _engines.safe_url(engine.url)
        self.down_until = 0.0
        self.seen: str | None = None
        """The highest position this replica is known to have replayed."""


class Route:
    """A primary engine (one bind key of one app) and its replicas."""

    __slots__ = ("primary", "bind_key", "replicas", "policy", "turn", "latest")

    def __init__(
        self,
        primary: sa.Engine,
        bind_key: str | None,
        replicas: Sequence[sa.Engine],
        policy: ReplicaPolicy,
    ) -> None:
        self.primary = primary
        self.bind_key = bind_key
        self.replicas = tuple(Replica(e) for e in replicas)
        self.policy = policy
        self.turn = itertools.count()
        self.latest: str | None = None
        """The latest position committed through this process."""
        for replica in self.replicas:
            sa_event.listen(replica.engine, "handle_error", _on_error(self, replica))
            _forgive_end_of_transaction(self, replica)


class Replicas:
    """The replica configuration of one extension instance, across its apps."""

    def __init__(self) -> None:
        self.routes: dict[sa.Engine, Route] = {}
        self.replica_of: dict[sa.Engine, tuple[Route, Replica]] = {}
        self.by_app: WeakKeyDictionary[Flask, dict[str | None, tuple[sa.Engine, ...]]]
        self.by_app = WeakKeyDictionary()
        self.primary_reads = False
        """The test-isolation switch: every read uses the primary engine (so that it
        goes through the test's pinned connection); no positions are tracked."""

    def route(
        self, session: sa_orm.Session, engine: sa.Engine, clause: object
    ) -> sa.Engine:
        """The engine that runs a statement whose bind key resolved to the primary
        ``engine``: called by ``Session.get_bind``."""
        return route(self, session, engine, clause)


class _State:
    """Routing state of one session."""

    __slots__ = (
        "used",
        "read_primary",
        "wrote",
        "conns",
        "replica_conns",
        "chosen",
        "tokens",
        "cookie",
    )

    def __init__(self) -> None:
        self.used: set[sa.Engine] = set()  # primaries with a connection in this txn
        self.read_primary: set[sa.Engine] = set()  # primaries handed out for reads
        self.wrote: set[sa.Engine] = set()  # primaries written in this txn
        self.conns: dict[sa.Engine, sa.Connection] = {}
        self.replica_conns: list[sa.Connection] = []  # in this txn
        self.chosen: dict[sa.Engine, sa.Engine] = {}  # primary -> engine reads use
        self.tokens: dict[sa.Engine, str] = {}  # committed positions, outside app ctx
        self.cookie: dict[str | None, str] | None = None  # loaded on first read

    def end_transaction(self) -> None:
        self.used.clear()
        self.read_primary.clear()
        self.wrote.clear()
        self.conns.clear()
        self.replica_conns.clear()
        self.chosen.clear()


def _tokens(state: _State) -> dict[sa.Engine, str]:
    """The positions committed in the current app context (a request), by any of
    its sessions; those of the session outside an app context."""
    if not has_app_context():
        return state.tokens
    tokens = g.get(_STATE_KEY)
    if tokens is None:
        tokens = {}
        setattr(g, _STATE_KEY, tokens)
    return t.cast("dict[sa.Engine, str]", tokens)


def replicas_of(session: sa_orm.Session) -> Replicas | None:
    """The routing of the session's extension, ``None`` for a session of another
    extension instance without replicas, or of no extension (the listeners see
    every session of the class)."""
    state: ExtensionState | None = getattr(session, "_db_state", None)
    return None if state is None else state.replicas


def session_state(session: sa_orm.Session) -> _State:
    """The routing state of ``session``, created on first use."""
    state = session.info.get(_STATE_KEY)
    if state is None:
        state = session.info[_STATE_KEY] = _State()
    return t.cast(_State, state)


# --- statement classification ------------------------------------------------------

_READ, _WRITE, _UNKNOWN = "read", "write", "unknown"

_TEXT_READ = re.compile(
    r"^\s*(?:(?:/\*.*?\*/|--[^\n]*(?:\n|$))\s*)*(?:SELECT|WITH|SHOW|VALUES|TABLE|EXPLAIN)\b",
    re.IGNORECASE | re.DOTALL,
)
# Anything in a "read" that writes, locks or bumps a sequence: such text goes to the
# primary. A false positive (the word in a string literal) only costs a replica read.
_TEXT_WRITES = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT|INTO|LOCK|SHARE|CREATE|DROP"
    r"|ALTER|TRUNCATE|GRANT|REVOKE|CALL|NEXTVAL|SETVAL|LASTVAL|SET_CONFIG"
    r"|\w*ADVISORY\w*|GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|ANALYZE)\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def _text_kind(text: str) -> str:
    if _TEXT_READ.match(text) and not _TEXT_WRITES.search(text):
        return _READ
    return _WRITE


def _classify(session: sa_orm.Session, clause: object) -> tuple[str, str]:
    """``(kind, what)``: whether a statement reads, writes (or locks), or is unknown."""
    if session._flushing:  # pyright: ignore[reportPrivateUsage]
        return _WRITE, "a flush"
    if isinstance(clause, sa.Select):  # the common case first
        if clause._for_update_arg is not None:  # pyright: ignore[reportPrivateUsage]
            return _WRITE, "a SELECT ... FOR UPDATE / FOR SHARE"
        return _READ, "a SELECT"
    if clause is None:
        return _UNKNOWN, "a statement"
    if isinstance(clause, UpdateBase):
        if isinstance(clause, sa.Insert):
            return _WRITE, "an INSERT"
        if isinstance(clause, sa.Update):
            return _WRITE, "an UPDATE"
        if isinstance(clause, sa.Delete):
            return _WRITE, "a DELETE"
        return _WRITE, "a DML statement"
    if isinstance(clause, sa.TextClause):
        return _text_kind(clause.text), "a text() statement that is not a plain read"
    if isinstance(clause, TextualSelect):
        text = t.cast(sa.TextClause, clause.element).text
        return _text_kind(text), "a text() statement that is not a plain read"
    if isinstance(clause, sa.CompoundSelect):
        if clause._for_update_arg is not None:  # pyright: ignore[reportPrivateUsage]
            return _WRITE, "a SELECT ... FOR UPDATE / FOR SHARE"
        return _READ, "a SELECT"
    if isinstance(clause, ExecutableDDLElement):
        return _WRITE, "a DDL statement"
    return _UNKNOWN, "a statement"


# --- routing -------------------------------------------------------------------------


def route(
    replicas: Replicas, session: sa_orm.Session, engine: sa.Engine, clause: object
) -> sa.Engine:
    """The engine that runs a statement whose bind key resolved to ``engine``."""
    mode = current_mode()
    kind, what = _classify(session, clause)
    if mode == "strict" and kind == _WRITE:
        raise ReadOnlyRouteError(
            f"db.use_replica(strict=True) makes this block read-only, but {what} writes"
            " or locks rows; nothing was sent. Move the write out of the block, or wrap"
            " it in db.use_primary()."
        )
    found = replicas.routes.get(engine)
    if found is None:
        return engine
    state = session_state(session)
    if kind == _WRITE or (kind == _UNKNOWN and mode not in ("replica", "strict")):
        state.wrote.add(engine)
        return engine
    if replicas.primary_reads or mode == "primary" or engine in state.used:
        state.read_primary.add(engine)
        return engine
    chosen = state.chosen.get(engine)
    if chosen is None:
        chosen = _choose(session, found, state)
        state.chosen[engine] = chosen
        if chosen is engine:
            state.read_primary.add(engine)
    return chosen


def _candidates(found: Route) -> list[Replica]:
    """The healthy replicas, in the order to try them."""
    now = time.monotonic()
    healthy = [r for r in found.replicas if r.down_until <= now]
    if len(healthy) < 2:
        return healthy
    choose = found.policy.choose
    if choose is None:
        start = next(found.turn) % len(healthy)
        return healthy[start:] + healthy[:start]
    picked = choose(tuple(r.engine for r in healthy))
    first = [r for r in healthy if r.engine is picked]
    if not first:
        raise RuntimeError(
            f"ReplicaPolicy(choose=...) returned {picked!r}, which is not one of the"
            " healthy replica engines it was given. Return one of them."
        )
    return first + [r for r in healthy if r.engine is not picked]


def _needed(found: Route, state: _State) -> list[str]:
    """The positions a read of this session must see on a replica."""
    mode = found.policy.read_your_writes
    if mode == "off":
        return []
    tokens = _tokens(state)
    need = [tokens[found.primary]] if found.primary in tokens else []
    process_wide = mode == "process"
    if mode == "client" and has_request_context():
        if isinstance(flask_session._get_current_object(), NullSession):  # type: ignore[attr-defined]
            process_wide = True  # no secret key: no cookie
        else:
            if state.cookie is None:
                state.cookie = _read_cookie()
            if found.bind_key in state.cookie:
                need.append(state.cookie[found.bind_key])
    if process_wide and found.latest is not None:
        need.append(found.latest)
    return need


def _choose(session: sa_orm.Session, found: Route, state: _State) -> sa.Engine:
    """A replica connected in ``session``'s transaction that has every position the
    session must see; the primary if none is healthy or the chosen one lags."""
    need = _needed(found, state)
    for replica in _candidates(found):
        try:
            conn = session.connection(bind_arguments={"bind": replica.engine})
        except sa_exc.TimeoutError:
            logger.debug(
                "replica %s: pool exhausted, reading on the primary", replica.name
            )
            return found.primary
        except sa_exc.DBAPIError as e:
            mark_down(found, replica, e)
            continue
        if replica.down_until:
            replica.down_until = 0.0
            logger.info("replica %s of bind %r is back", replica.name, found.bind_key)
        if not need:
            return replica.engine
        positions = _positions.for_dialect(conn.dialect)
        target: str | None = None
        for position in need:
            try:
                target = positions.merge(target, position)
            except ValueError:  # not a position of this backend (an old cookie)
                continue
        if target is None or positions.covers(replica.seen, target):
            return replica.engine
        try:
            reached, seen = positions.wait(conn, target, found.policy.max_wait)
        except sa_exc.DBAPIError as e:
            mark_down(found, replica, e)
            return found.primary
        if seen is not None:
            replica.seen = positions.merge(replica.seen, seen)
        if reached:
            return replica.engine
        logger.debug(
            "replica %s has not replayed %s after %.3f s: reading on the primary",
            replica.name,
            target,
            found.policy.max_wait,
        )
        return found.primary
    return found.primary


def mark_down(found: Route, replica: Replica, error: BaseException) -> None:
    """Skip ``replica`` for the policy's ``down_for`` seconds."""
    down_for = found.policy.down_for
    now = time.monotonic()
    was_down = replica.down_until > now
    replica.down_until = now + down_for
    if was_down:
        return
    message = _engines.hide_password(
        f"{type(error).__name__}: {error}", replica.engine.url
    )
    logger.warning(
        "replica %s of bind %r is skipped for %g s: %s",
        replica.name,
        found.bind_key,
        down_for,
        message.splitlines()[0],
    )


# --- read-your-writes: positions after commits ------------------------------------


def _read_cookie() -> dict[str | None, str]:
    value = flask_session.get(COOKIE_KEY)
    found: dict[str | None, str] = {}
    if isinstance(value, list):
        for item in t.cast("list[object]", value):
            if isinstance(item, list) and len(t.cast("list[object]", item)) == 2:
                key, position = t.cast("list[object]", item)
                if (key is None or isinstance(key, str)) and isinstance(position, str):
                    found[key] = position
    return found


def _write_cookie(
    bind_key: str | None, position: str, positions: _positions.Positions
) -> None:
    if not has_request_context():
        return
    if isinstance(flask_session._get_current_object(), NullSession):  # type: ignore[attr-defined]
        return
    current = _read_cookie()
    try:
        merged = positions.merge(current.get(bind_key), position)
    except ValueError:  # an old cookie's value: replace it
        merged = position
    if merged is None or current.get(bind_key) == merged:
        return
    current[bind_key] = merged
    flask_session[COOKIE_KEY] = [[k, v] for k, v in current.items()]


def _after_begin(
    session: sa_orm.Session,
    transaction: sa_orm.SessionTransaction,
    connection: sa.Connection,
) -> None:
    replicas = replicas_of(session)
    if replicas is None:
        return
    engine = connection.engine
    if engine not in replicas.routes:
        if engine in replicas.replica_of:
            session_state(session).replica_conns.append(connection)
        return
    state = session_state(session)
    state.used.add(engine)
    state.conns[engine] = connection
    if engine not in state.read_primary:
        state.wrote.add(engine)  # an explicit bind: it may write


def _after_commit(session: sa_orm.Session) -> None:
    state: _State | None = session.info.get(_STATE_KEY)
    if state is None or not state.wrote:
        return
    replicas = replicas_of(session)
    if replicas is None or replicas.primary_reads:
        return
    for engine in state.wrote:
        found = replicas.routes[engine]
        conn = state.conns.get(engine)
        if conn is None or conn.closed or found.policy.read_your_writes == "off":
            continue
        positions = _positions.for_dialect(conn.dialect)
        try:
            position = _positions.read_primary_position(positions, conn)
        except Exception as e:  # the commit succeeded: never fail it afterwards
            logger.warning(
                "could not read the position of %s after a commit: %s",
                _engines.safe_url(engine.url),
                _engines.hide_password(str(e), engine.url),
            )
            continue
        if position is None:
            continue
        tokens = _tokens(state)
        tokens[engine] = t.cast(str, positions.merge(tokens.get(engine), position))
        found.latest = positions.merge(found.latest, position)
        if found.policy.read_your_writes == "client":
            _write_cookie(found.bind_key, position, positions)
    state.wrote.clear()


def _after_transaction_end(
    session: sa_orm.Session, transaction: sa_orm.SessionTransaction
) -> None:
    if transaction.parent is not None:
        return
    state: _State | None = session.info.get(_STATE_KEY)
    if state is not None:
        state.end_transaction()


def use_replica(db: SQLAlchemy[t.Any], *, strict: bool) -> RouteContext:
    """``db.use_replica()``. Without ``SQLALCHEMY_REPLICAS``, a strict block still
    needs the session's ``get_bind`` to classify statements: routing is turned on."""
    if strict:
        install(db)
    return RouteContext("strict" if strict else "replica")


def install(db: SQLAlchemy[t.Any]) -> Replicas:
    """The routing of ``db``, created with the session listeners on first use."""
    state = _state.of(db)
    replicas = state.replicas
    if replicas is None:
        from . import _failover

        replicas = state.replicas = Replicas()
        target = db.session
        listeners: tuple[tuple[str, t.Callable[..., t.Any]], ...] = (
            ("after_begin", _after_begin),
            ("after_commit", _after_commit),
            ("after_transaction_end", _after_transaction_end),
            ("do_orm_execute", _failover.retry_on_primary),
        )
        for name, fn in listeners:
            if not sa_event.contains(target, name, fn):
                sa_event.listen(target, name, fn)
    return replicas


def _forgive_end_of_transaction(found: Route, replica: Replica) -> None:
    """A replica transaction only read: if the replica died, its COMMIT (or
    ROLLBACK) failing loses nothing, and must not fail the session's commit of the
    primary's writes. The replica engine's own dialect swallows the error."""
    dialect = replica.engine.dialect
    commit = dialect.do_commit
    rollback = dialect.do_rollback

    def do_commit(dbapi_connection: t.Any) -> None:
        try:
            commit(dbapi_connection)
        except dialect.loaded_dbapi.Error as e:
            mark_down(found, replica, e)

    def do_rollback(dbapi_connection: t.Any) -> None:
        try:
            rollback(dbapi_connection)
        except dialect.loaded_dbapi.Error as e:
            mark_down(found, replica, e)

    setattr(dialect, "do_commit", do_commit)  # noqa: B010
    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010


def _on_error(
    found: Route, replica: Replica
) -> t.Callable[[sa.engine.ExceptionContext], None]:
    def handle_error(context: sa.engine.ExceptionContext) -> None:
        # A failed pre-ping is followed by a reconnect, which decides.
        if context.is_disconnect and not context.is_pre_ping:
            mark_down(found, replica, context.original_exception)

    return handle_error


def text_is_read(text: str) -> bool:
    """Whether a ``text()`` statement is a plain read."""
    return _text_kind(text) == _READ
