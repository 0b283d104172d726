"""The ``Pagination`` classes (pagination.py)."""

from __future__ import annotations

from ..model import Attr
from ..model import Attribute
from ..model import Call
from ..model import Class
from ..model import Code
from ..model import dedent as d
from ..model import doc
from ..model import keyword
from ..model import Method
from ..model import param
from ..model import SELF
from ..model import var_keyword
from ._common import PKG
from ._common import readonly_property

_PAGE_PARAMS_DOC = d(
    """
    :param page: The current page. Defaults to the ``page`` query argument during a
        request, or 1 otherwise.
    :param per_page: The maximum number of items on a page. Defaults to the
        ``per_page`` query argument during a request, or 20 otherwise.
    :param max_per_page: The maximum allowed value for ``per_page``. When ``None``, a
        ``per_page`` from the query string is still capped at 100.
    :param error_out: Abort with ``404 Not Found`` if no items are returned and
        ``page`` is not 1; if ``page`` or ``per_page`` is below 1; if a query
        argument is not ASCII digits ``[0-9]+``; or if a value or the page's offset
        exceeds ``2**63 - 1``. Otherwise bad values fall back to page 1 and 20 per
        page.
    :param count: Calculate the total number of items with an extra query, unless
        ``_query_items`` set ``_rows_fetched`` and a short page proves the total.
    """
)

_NEIGHBOUR_DOC = d(
    """
    Query the :class:`Pagination` object for the {which} page, of the same class and
    with the same ``per_page`` and ``max_per_page``.

    :param error_out: Abort with a ``404 Not Found`` error if no items are returned.
    """
)

PAGINATION_CLASS = Class(
    name="Pagination",
    bases="Generic[_T]",
    doc=doc(
        """
        Apply an offset and limit to the query based on the current page and number
        of items per page. Iterating over it iterates over :attr:`items`.

        Created by :meth:`.SQLAlchemy.paginate` and :meth:`.Query.paginate`. This is a
        base class: a subclass implements :meth:`_query_items` and
        :meth:`_query_count`, using the keyword arguments stored in ``_query_args``.
        The work is done eagerly in ``__init__`` and needs no request context.
        """,
        "",
        _PAGE_PARAMS_DOC,
        """
        :param query_args: Information about the query to paginate, per subclass.

        .. versionchanged:: 0.1
            Generic in the item type; :meth:`prev` keeps ``max_per_page``; a
            subclass may set ``_rows_fetched`` to let a short page stand in for the
            count query.
        """,
    ),
    attributes=(
        Attribute("page", "int", "The current page."),
        Attribute("per_page", "int", "The maximum number of items on a page."),
        Attribute(
            "max_per_page", "int | None", "The maximum allowed value for ``per_page``."
        ),
        Attribute("items", "list[_T]", "The items on the current page."),
        Attribute(
            "total", "int | None", "The total number of items, ``None`` if not counted."
        ),
        Attribute(
            "_query_args",
            "dict[str, Any]",
            "The keyword arguments describing the query.",
        ),
        Attribute(
            "_rows_fetched",
            "int | None",
            d(
                """
                Set by :meth:`_query_items` to the number of rows the database
                returned for the page, before any de-duplication, or left ``None``.
                When it equals ``len(items)``, a page shorter than ``per_page`` (or
                an empty first page) proves the total and :meth:`_query_count` is
                not called.
                """
            ),
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params=(
                SELF,
                param("page", "int | None", "None"),
                param("per_page", "int | None", "None"),
                param("max_per_page", "int | None", "100"),
                param("error_out", "bool", "True"),
                param("count", "bool", "True"),
                var_keyword("query_args", "Any"),
            ),
            returns="None",
            doc="Resolve the page arguments and run the queries.",
            body=Code("pagination_init"),
        ),
        Method(
            name="_prepare_page_args",
            decorators=("staticmethod",),
            params=(
                keyword("page", "int | None", "None"),
                keyword("per_page", "int | None", "None"),
                keyword("max_per_page", "int | None", "None"),
                keyword("error_out", "bool", "True"),
            ),
            returns="tuple[int, int]",
            doc="Resolve ``page`` and ``per_page``.\n\n:meta private:",
            body=Call("_paging.prepare_page_args"),
        ),
        readonly_property(
            name="_query_offset",
            returns="int",
            doc="The index of the first item to query, passed to ``offset()``.",
            body=Code("query_offset"),
        ),
        Method(
            name="_query_items",
            params=(SELF,),
            returns="list[_T]",
            doc="Execute the query to get the items on the current page.",
            body=Code("not_implemented"),
        ),
        Method(
            name="_query_count",
            params=(SELF,),
            returns="int",
            doc="Execute the query to get the total number of items.",
            body=Code("not_implemented"),
        ),
        Method(
            name="_count_total",
            params=(SELF, param("items", "list[_T]")),
            returns="int",
            doc=d(
                """
                The total: derived from a short page where the page proves it,
                otherwise from :meth:`_query_count`.

                :meta private:
                """
            ),
            body=Call(
                "_paging.count_total",
                (
                    "items",
                    Attr("_rows_fetched", "fetched"),
                    Attr("_query_offset", "offset"),
                    Attr("page", "page"),
                    Attr("per_page", "per_page"),
                    Attr("_query_count", "query_count"),
                ),
            ),
        ),
        readonly_property(
            name="first",
            returns="int",
            doc="The number of the first item on the page, from 1, or 0 if there are none.",
            body=Code("first"),
        ),
        readonly_property(
            name="last",
            returns="int",
            doc="The number of the last item on the page, inclusive, or 0 if there are none.",
            body=Code("last"),
        ),
        readonly_property(
            name="pages",
            returns="int",
            doc="The total number of pages.",
            body=Call("_paging.pages", (Attr("total"), Attr("per_page"))),
        ),
        readonly_property(
            name="has_prev",
            returns="bool",
            doc="``True`` if this is not the first page.",
            body=Code("has_prev"),
        ),
        readonly_property(
            name="prev_num",
            returns="int | None",
            doc="The previous page number, or ``None`` if this is the first page.",
            body=Code("prev_num"),
        ),
        Method(
            name="prev",
            params=(SELF, keyword("error_out", "bool", "False")),
            returns="Self",
            doc=_NEIGHBOUR_DOC.format(which="previous"),
            body=Code("prev"),
        ),
        readonly_property(
            name="has_next",
            returns="bool",
            doc="``True`` if this is not the last page.",
            body=Code("has_next"),
        ),
        readonly_property(
            name="next_num",
            returns="int | None",
            doc="The next page number, or ``None`` if this is the last page.",
            body=Code("next_num"),
        ),
        Method(
            name="next",
            params=(SELF, keyword("error_out", "bool", "False")),
            returns="Self",
            doc=_NEIGHBOUR_DOC.format(which="next"),
            body=Code("next"),
        ),
        Method(
            name="_neighbour",
            params=(SELF, param("page", "int"), param("error_out", "bool")),
            returns="Self",
            doc="The pagination of another page, keeping the total.\n\n:meta private:",
            body=Code("neighbour"),
        ),
        Method(
            name="iter_pages",
            params=(
                SELF,
                keyword("left_edge", "int", "2"),
                keyword("left_current", "int", "2"),
                keyword("right_current", "int", "4"),
                keyword("right_edge", "int", "2"),
            ),
            returns="Iterator[int | None]",
            doc=d(
                """
                Yield page numbers for a pagination widget. Skipped pages between the
                edges and the middle are represented by a ``None``::

                    1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 19, 20

                :param left_edge: How many pages to show from the first page.
                :param left_current: How many pages to show left of the current page.
                :param right_current: How many pages to show right of the current page.
                :param right_edge: How many pages to show from the last page.
                """
            ),
            body=Call(
                "_paging.iter_pages",
                (
                    Attr("page"),
                    Attr("pages"),
                    "left_edge",
                    "left_current",
                    "right_current",
                    "right_edge",
                ),
            ),
        ),
        Method(
            name="__iter__",
            params=(SELF,),
            returns="Iterator[_T]",
            doc="Iterate over the items on the current page.",
            body=Code("iter_items"),
        ),
    ),
)

SELECT_PAGINATION_CLASS = Class(
    name="SelectPagination",
    bases="Pagination[_T]",
    doc=d(
        """
        Returned by :meth:`.SQLAlchemy.paginate`. Takes ``select`` and ``session``
        arguments in addition to the :class:`Pagination` arguments.
        """
    ),
    methods=(
        Method(
            name="_query_items",
            params=(SELF,),
            returns="list[_T]",
            doc=d(
                """
                Execute the select with ``limit`` and ``offset``: the first column of
                each row, or whole rows with a true ``rows`` argument, de-duplicated.
                """
            ),
            body=Code("select_items"),
        ),
        Method(
            name="_query_count",
            params=(SELF,),
            returns="int",
            doc="Count the rows of the select, without its ordering.",
            body=Code("select_count"),
        ),
    ),
)

QUERY_PAGINATION_CLASS = Class(
    name="QueryPagination",
    bases="Pagination[_T]",
    doc=d(
        """
        Returned by :meth:`.Query.paginate`. Takes a ``query`` argument in addition to
        the :class:`Pagination` arguments.
        """
    ),
    methods=(
        Method(
            name="_query_items",
            params=(SELF,),
            returns="list[_T]",
            doc=d(
                """
                Execute the query with ``limit`` and ``offset``. The legacy query
                de-duplicates entities out of sight, so only an empty page (nothing
                to de-duplicate) counts as fetched rows.
                """
            ),
            body=Code("query_items"),
        ),
        Method(
            name="_query_count",
            params=(SELF,),
            returns="int",
            doc="Count the rows of the query, without its ordering.",
            body=Code("query_count"),
        ),
    ),
)

PAGINATION_IMPORTS = (
    "from collections.abc import Iterator",
    "from typing import Any",
    "from typing import Generic",
    "from typing import TypeVar",
    "from flask import abort",
    "from typing_extensions import Self",
    f"from {PKG} import _paging",
)
