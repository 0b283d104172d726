"""The ``Session`` class (session.py)."""

from __future__ import annotations

from ..model import Attribute
from ..model import Class
from ..model import dedent as d
from ..model import Method
from ._common import PKG

SESSION_CLASS = Class(
    name="Session",
    bases="sa_orm.Session",
    doc=d(
        """
        A SQLAlchemy :class:`~sqlalchemy.orm.Session` that chooses the engine from the
        bind key of the metadata of the model or table being queried.

        To customize ``db.session``, subclass this and pass it as the ``class_`` key
        of ``session_options``.
        """
    ),
    attributes=(
        Attribute("_db", "SQLAlchemy[Any]", "The extension this session belongs to."),
        Attribute(
            "_model_changes",
            "dict[object, tuple[Any, str]]",
            "Changes recorded for ``SQLALCHEMY_TRACK_MODIFICATIONS``.",
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params="self, db: SQLAlchemy[Any], **kwargs: Any",
            returns="None",
            doc=d(
                """
                :param db: The extension instance whose engines this session uses.
                :param kwargs: Arguments of :class:`sqlalchemy.orm.Session`.
                """
            ),
            body=d(
                """
                super().__init__(**kwargs)
                self._db = db
                self._model_changes = {}
                """
            ),
        ),
        Method(
            name="get_bind",
            params=d(
                """
                self,
                mapper: _EntityBindKey[_O] | None = None,
                *,
                clause: ClauseElement | None = None,
                bind: _SessionBind | None = None,
                _sa_skip_events: bool | None = None,
                _sa_skip_for_implicit_returning: bool = False,
                **kw: Any,
                """
            ),
            returns="sa.engine.Engine | sa.engine.Connection",
            doc=d(
                """
                Select an engine: an explicit ``bind`` wins; then the bind key of the
                mapper's local table (joined inheritance included); then that of a
                ``Table`` clause or an insert/update/delete's table; then the default
                engine; then SQLAlchemy's own lookup. With ``SQLALCHEMY_REPLICAS``, a
                read may then be sent to a replica of that engine. Inside
                :meth:`.SQLAlchemy.test_isolation`, the engine found is replaced by
                the connection the test is pinned to.

                :raises sqlalchemy.exc.UnboundExecutionError: The bind key is not
                    configured.
                """
            ),
            body=d(
                """
                if bind is None:
                    engines = self._db.engines
                    engine = None
                    if mapper is not None:
                        engine = _binds.mapper_to_engine(mapper, engines)
                    if engine is None and clause is not None:
                        engine = _binds.clause_to_engine(clause, engines)
                    if engine is None:
                        engine = engines.get(None)
                    if engine is None:
                        bind = super().get_bind(
                            mapper,
                            clause=clause,
                            _sa_skip_events=_sa_skip_events,
                            _sa_skip_for_implicit_returning=_sa_skip_for_implicit_returning,
                            **kw,
                        )
                    else:
                        bind = engine
                        replicas = self._db._replicas  # pyright: ignore[reportPrivateUsage]
                        if replicas is not None:
                            # The primary engine is known; with SQLALCHEMY_REPLICAS, route it.
                            routed: sa.engine.Engine = replicas.route(self, engine, clause)
                            bind = routed
                if self._db._isolation is not None:  # pyright: ignore[reportPrivateUsage]
                    # db.test_isolation(): the engine's pinned connection, last.
                    bind = self._db._isolation.bind(bind)  # pyright: ignore[reportPrivateUsage]
                return bind
                """
            ),
        ),
    ),
)

SESSION_IMPORTS = (
    "from typing import Any",
    "from typing import TYPE_CHECKING",
    "from typing import TypeVar",
    "import sqlalchemy as sa",
    "import sqlalchemy.orm as sa_orm",
    f"from {PKG} import _binds",
)

SESSION_TYPE_IMPORTS = (
    "from sqlalchemy.orm.session import _EntityBindKey",
    "from sqlalchemy.orm.session import _SessionBind",
    "from sqlalchemy.sql.elements import ClauseElement",
)
