"""``SQLAlchemy``: read replicas (``SQLALCHEMY_REPLICAS``): routing blocks, engines."""

from __future__ import annotations

from ..model import Call
from ..model import Const
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import SELF
from ._common import readonly_property

REPLICA_METHODS = (
    Method(
        name="use_primary",
        params=(SELF,),
        returns="RouteContext",
        doc=d(
            """
            Send every statement of a block to the primary engines, reads included:
            a context manager, and a decorator that keeps the decorated view's
            signature. Without ``SQLALCHEMY_REPLICAS`` it changes nothing.

            .. code-block:: text

                with db.use_primary():          @app.get("/balance")
                    ...                         @db.use_primary()
                                                def balance() -> str: ...

            .. versionadded:: 0.1
            """
        ),
        body=Call("replicas.RouteContext", (Const("primary"),), lazy=True),
    ),
    Method(
        name="use_replica",
        params=(SELF, keyword("strict", "bool", "False")),
        returns="RouteContext",
        doc=d(
            """
            Send the reads of a block to replicas: a context manager, and a decorator
            that keeps the decorated view's signature. Reads still see the client's
            own writes (they wait for the replica, or use the primary). Statements
            that cannot be classified, such as ``db.session.connection()``, go to a
            replica too.

            :param strict: Make the block read-only: a statement that writes or locks
                (a flush, ``insert``/``update``/``delete``, a ``text()`` that is not a
                plain read, ``with_for_update()``) raises
                :exc:`~flask_sqlalchemy_typed.replicas.ReadOnlyRouteError` before
                anything is sent. Applies to every bind, with or without replicas.

            .. versionadded:: 0.1
            """
        ),
        body=Call("replicas._routing.use_replica", ("self", "strict"), lazy=True),
    ),
    readonly_property(
        name="replica_engines",
        returns="Mapping[str | None, _Sequence[sa.engine.Engine]]",
        doc=d(
            """
            Map of bind keys to the replica engines of ``SQLALCHEMY_REPLICAS`` for the
            current application, in config order; empty without replicas. Requires
            an active application context.

            .. versionadded:: 0.1
            """
        ),
        body=Call("self._state.replica_engines", ()),
    ),
)
