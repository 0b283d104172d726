"""The ``Session`` class (session.py)."""

from __future__ import annotations

from ..model import Attribute
from ..model import Class
from ..model import Code
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import param
from ..model import SELF
from ..model import var_keyword

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
            "_db_state",
            "ExtensionState",
            "The extension's state that ``get_bind`` consults.",
            stub=False,
        ),
        Attribute(
            "_model_changes",
            "dict[object, tuple[Any, str]]",
            "Changes recorded for ``SQLALCHEMY_TRACK_MODIFICATIONS``.",
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params=(SELF, param("db", "SQLAlchemy[Any]"), var_keyword("kwargs", "Any")),
            returns="None",
            doc=d(
                """
                :param db: The extension instance whose engines this session uses.
                :param kwargs: Arguments of :class:`sqlalchemy.orm.Session`.
                """
            ),
            body=Code("init"),
        ),
        Method(
            name="get_bind",
            params=(
                SELF,
                param("mapper", "_EntityBindKey[_O] | None", "None"),
                keyword("clause", "ClauseElement | None", "None"),
                keyword("bind", "_SessionBind | None", "None"),
                keyword("_sa_skip_events", "bool | None", "None"),
                keyword("_sa_skip_for_implicit_returning", "bool", "False"),
                var_keyword("kw", "Any"),
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
            body=Code("get_bind"),
        ),
    ),
)

SESSION_IMPORTS = (
    "from typing import Any",
    "from typing import TYPE_CHECKING",
    "from typing import TypeVar",
    "import sqlalchemy as sa",
    "import sqlalchemy.orm as sa_orm",
    "from collections.abc import Mapping",
)

SESSION_TYPE_IMPORTS = (
    "from sqlalchemy.orm.session import _EntityBindKey",
    "from sqlalchemy.orm.session import _SessionBind",
    "from sqlalchemy.sql.elements import ClauseElement",
)
