"""Read replicas: a replica that dies during a request does not fail the request.

A session listener, installed with the routing: ``do_orm_execute``: a read whose replica connection was lost (the server stopped
  or restarted mid-transaction) marks the replica down and runs again on the
  primary, which has everything the replica had.

(The replica engines' dialects also forgive a failed COMMIT or ROLLBACK: see
``_routing._forgive_end_of_transaction``.)

:meta private:
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm

from . import _routing


def retry_on_primary(state: sa_orm.ORMExecuteState) -> t.Any:
    """Run a read; if its replica connection is lost, run it on the primary."""
    statement = state.statement
    if not state.is_select and not (
        isinstance(statement, sa.TextClause) and _routing.text_is_read(statement.text)
    ):
        return None
    session = state.session
    replicas = _routing.replicas_of(session)
    if replicas is None or not replicas.replica_of:
        return None
    try:
        return state.invoke_statement()
    except sa_exc.DBAPIError as e:
        if not e.connection_invalidated:
            raise
        engine = session.get_bind(**state.bind_arguments)
        found = replicas.replica_of.get(t.cast(sa.Engine, engine))
        if found is None:
            raise  # the primary's connection: the error is the app's
        route, replica = found
        _routing.mark_down(route, replica, e)
        _forget_connection(session, replica.engine)
        routing = _routing.session_state(session)
        routing.chosen[route.primary] = route.primary
        routing.read_primary.add(route.primary)
        _routing.logger.warning(
            "replica %s lost its connection during a read: reading on the primary",
            replica.name,
        )
        return state.invoke_statement()


def _forget_connection(session: sa_orm.Session, engine: sa.Engine) -> None:
    """Take the lost replica connection out of the session's transaction and close
    it: its transaction only read, and committing an invalidated connection would
    fail the session's commit ("Can't reconnect until invalid transaction is rolled
    back"). Uses the private ``SessionTransaction._connections`` (stable from
    SQLAlchemy 1.4 to 2.1); inside a SAVEPOINT it does nothing."""
    transaction = session.get_transaction()
    if transaction is None or session.in_nested_transaction():
        return
    connections = t.cast(
        "dict[object, tuple[sa.Connection, object, bool, bool]] | None",
        getattr(transaction, "_connections", None),
    )
    if connections is None or engine not in connections:
        return
    conn = connections.pop(engine)[0]
    connections.pop(conn, None)
    try:
        conn.close()
    except sa_exc.DBAPIError:
        pass  # it is dead already
