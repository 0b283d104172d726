"""``SQLAlchemy``: ``create_all`` & co., relationships and the name proxies."""

from __future__ import annotations

from ..model import dedent as d
from ..model import Method

_CALL_BINDS_DOC = """
    :param bind_key: A bind key or list of keys. Defaults to all binds.
    """


def _binds_method(name: str, summary: str) -> Method:
    return Method(
        name=name,
        params='self, bind_key: str | None | list[str | None] = "__all__"',
        returns="None",
        doc=d(summary)
        + "\n\n"
        + d(_CALL_BINDS_DOC)
        + "\n\nRequires an active application context.",
        body=f'self._call_for_binds(bind_key, "{name}")',
    )


SCHEMA_METHODS = (
    Method(
        name="_call_for_binds",
        params="self, bind_key: str | None | list[str | None], op_name: str",
        returns="None",
        doc="Call a metadata method for each selected bind.\n\n:meta private:",
        body="_binds.call_for_binds(self, bind_key, op_name)",
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
        params="self, kwargs: dict[str, Any]",
        returns="None",
        doc="Default ``query_class`` of relationships and backrefs.\n\n:meta private:",
        body="_sa_names.set_rel_query(self.Query, kwargs)",
    ),
    Method(
        name="relationship",
        params="self, *args: Any, **kwargs: Any",
        returns="_RelationshipDeclared[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.relationship`, with this extension's :attr:`Query`
            as the default ``query_class`` of dynamic relationships and backrefs.
            """
        ),
        body="self._set_rel_query(kwargs)\nreturn sa_orm.relationship(*args, **kwargs)",
    ),
    Method(
        name="dynamic_loader",
        params="self, argument: Any = None, **kwargs: Any",
        returns="RelationshipProperty[Any]",
        doc=d(
            """
            :func:`sqlalchemy.orm.dynamic_loader`, with this extension's
            :attr:`Query` as the default ``query_class``.
            """
        ),
        body="self._set_rel_query(kwargs)\nreturn sa_orm.dynamic_loader(argument, **kwargs)",
    ),
    Method(
        name="_relation",
        params="self, *args: Any, **kwargs: Any",
        returns="_RelationshipDeclared[Any]",
        doc="``db.relation``: an old name of :meth:`relationship`.\n\n:meta private:",
        body="self._set_rel_query(kwargs)\nreturn sa_orm.relationship(*args, **kwargs)",
    ),
    Method(
        name="__getattr__",
        params="self, name: str",
        returns="Any",
        doc=d(
            """
            Resolve the other names of ``sqlalchemy`` and ``sqlalchemy.orm``, plus
            ``relation`` and ``event``. The stub lists each of them with its exact
            type instead.
            """
        ),
        body="return _sa_names.resolve(self, name)",
    ),
)
