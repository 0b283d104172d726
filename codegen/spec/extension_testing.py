"""``SQLAlchemy``: ``test_isolation``, a facade over :mod:`flask_sqlalchemy_typed.testing`
(imported on first call, so an app that never isolates a test never loads it)."""

from __future__ import annotations

from ..model import Call
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import param
from ..model import SELF

TESTING_METHODS = (
    Method(
        name="test_isolation",
        params=(
            SELF,
            param("app", "Flask | None", "None"),
            keyword("bind_key", "str | None | list[str | None]", '"__all__"'),
            keyword("mode", "IsolationMode", '"savepoint"'),
        ),
        returns="Isolation",
        doc=d(
            """
            A context manager that undoes everything done through this extension
            inside it, on every selected bind, for a test.

            In ``"savepoint"`` mode (the default) each selected engine is pinned to
            one connection in a transaction that is rolled back at exit:
            ``db.session`` (commits, rollbacks, ``begin_nested()``, requests through
            ``app.test_client()``) and Core's ``engine.connect()`` and
            ``engine.begin()`` use it, their commits releasing savepoints. Signals
            such as ``models_committed`` fire for each commit. ``db.engines`` keeps
            returning the real engines. Another thread using a pinned connection,
            and a statement that would end the transaction (``COMMIT``; DDL or
            ``TRUNCATE`` on MySQL and MariaDB), raise
            :class:`~flask_sqlalchemy_typed.testing.IsolationError` before they run.

            In ``"delete"`` mode the test's commits are real, and every row of the
            selected metadatas' tables is deleted at exit, dependents first: for
            live servers and DDL-heavy tests.

            :param app: The application; defaults to the current one, else the only
                one registered with this extension. No app context is needed.
            :param bind_key: A bind key or list of keys. Defaults to all binds.
            :param mode: ``"savepoint"`` or ``"delete"``.

            .. versionadded:: 0.1
            """
        ),
        body=Call("testing.Isolation", lazy=True),
    ),
)
