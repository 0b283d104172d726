"""``SQLAlchemy``: ``create_all`` & co., relationships and the name proxies."""

from __future__ import annotations

from ..model import Attr
from ..model import Call
from ..model import Code
from ..model import Const
from ..model import dedent as d
from ..model import Method
from ..model import param
from ..model import SELF
from ..model import var_keyword
from ..model import var_positional

_BIND_KEY = param("bind_key", "str | None | list[str | None]", '"__all__"')
_ARGS = var_positional("args", "Any")
_KWARGS = var_keyword("kwargs", "Any")


def _binds_method(name: str, summary: str) -> Method:
    return Method(
        name=name,
        params=(SELF, _BIND_KEY),
        returns="None",
        doc=d(summary)
        + "\n\n:param bind_key: A bind key or list of keys. Defaults to all binds."
        + "\n\nRequires an active application context.",
        body=Call("self._call_for_binds", ("bind_key", Const(name))),
    )


SCHEMA_METHODS = (
    Method(
        name="_call_for_binds",
        params=(
            SELF,
            param("bind_key", "str | None | list[str | None]"),
            param("op_name", "str"),
        ),
        returns="None",
        doc="Call a metadata method for each selected bind.\n\n:meta private:",
        body=Call("_schema.call_for_binds"),
    ),
    _binds_method(
        "create_all",
        """
        Create tables that do not exist, for all or some bind keys. This does not
        update existing tables: use a migration tool for that.
        """,
    ),
    _binds_method("drop_all", "Drop tables, for all or some bind keys."),
    _binds_method(
        "reflect",
        "Load table definitions from the database, for all or some bind keys.",
    ),
    Method(
        name="_set_rel_query",
        params=(SELF, param("kwargs", "dict[str, Any]")),
        returns="None",
        doc="Default ``query_class`` of relationships and backrefs.\n\n:meta private:",
        body=Call("_sa_names.set_rel_query", (Attr("Query"), "kwargs")),
    ),
    Method(
        name="relationship",
        params=(SELF, _ARGS, _KWARGS),
        returns="_RelationshipDeclared[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.relationship`, with this extension's :attr:`Query`
            as the default ``query_class`` of dynamic relationships and backrefs.
            """
        ),
        body=Code("relationship"),
    ),
    Method(
        name="dynamic_loader",
        params=(SELF, param("argument", "Any", "None"), _KWARGS),
        returns="RelationshipProperty[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.dynamic_loader`, with this extension's
            :attr:`Query` as the default ``query_class``.
            """
        ),
        body=Code("dynamic_loader"),
    ),
    Method(
        name="_relation",
        params=(SELF, _ARGS, _KWARGS),
        returns="_RelationshipDeclared[Any]",
        doc="``db.relation``: an old name of :meth:`relationship`.\n\n:meta private:",
        body=Code("relationship"),
    ),
    Method(
        name="__getattr__",
        params=(SELF, param("name", "str")),
        returns="Any",
        doc=d(
            """
            Resolve the other names of ``sqlalchemy`` and ``sqlalchemy.orm``, plus
            ``relation`` and ``event``. The stub lists each of them with its exact
            type instead.
            """
        ),
        body=Call("_sa_names.resolve"),
    ),
)
