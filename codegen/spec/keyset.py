"""The ``KeysetPage`` class (in pagination.py): one page of keyset pagination."""

from __future__ import annotations

from ..model import Attribute
from ..model import Call
from ..model import Class
from ..model import Code
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import SELF
from .extension_keyset import KEYSET_KW

KEYSET_PAGE_CLASS = Class(
    name="KeysetPage",
    bases="Generic[_T]",
    doc=d(
        """
        One page of keyset ("seek") pagination: the rows after (or before) a cursor
        in the select's order. Iterating over it iterates over :attr:`items`.

        Created by :meth:`.SQLAlchemy.keyset_paginate`,
        :meth:`.SQLAlchemy.keyset_paginate_rows` and :meth:`.Query.keyset_paginate`.
        The work is done eagerly in ``__init__``, in one query of ``per_page + 1``
        rows (and a count query with ``count=True``); cursors are signed with the
        app's secret key, so it needs an application context.

        :param select: The ordered ``select`` statement to paginate.
        :param session: The session to execute it with.
        :param after: A :attr:`next_cursor`: the page of rows after it. Defaults to
            the ``after`` query argument during a request.
        :param before: A :attr:`prev_cursor`: the page of rows before it. Defaults
            to the ``before`` query argument during a request.
        :param per_page: The maximum number of items on a page. Defaults to the
            ``per_page`` query argument during a request, or 20 otherwise.
        :param max_per_page: The maximum allowed value for ``per_page``. When
            ``None``, a ``per_page`` from the query string is capped at 100.
        :param error_out: Abort with ``400 Bad Request`` for a cursor that is not
            valid for this order (changed, made for another order, signed with
            another key, or both ``after`` and ``before``), and with ``404 Not
            Found`` for a bad ``per_page``, as :meth:`.SQLAlchemy.paginate` does.
            Otherwise a bad cursor gives the first page and a bad ``per_page`` 20.
        :param count: Also count the rows of the select, into :attr:`total`.
        :param rows: The items are whole rows, not the first column of each row.
        :raises ValueError: The select has no ``ORDER BY``, orders by something
            other than column expressions, or has ``GROUP BY``, ``HAVING``,
            ``LIMIT`` or ``OFFSET``.
        :raises RuntimeError: The app has no ``SECRET_KEY``.

        .. versionadded:: 0.1
        """
    ),
    attributes=(
        Attribute("items", "list[_T]", "The items on the current page."),
        Attribute("per_page", "int", "The maximum number of items on a page."),
        Attribute(
            "max_per_page", "int | None", "The maximum allowed value for ``per_page``."
        ),
        Attribute(
            "has_next",
            "bool",
            d(
                """
                Whether a page follows: exact when paging forward; when paging
                backward, ``True`` (a cursor was followed to get here).
                """
            ),
        ),
        Attribute(
            "has_prev",
            "bool",
            d(
                """
                Whether a page precedes: exact when paging backward; when paging
                forward, ``True`` after a cursor and ``False`` on the first page.
                """
            ),
        ),
        Attribute(
            "next_cursor",
            "str | None",
            d(
                """
                The opaque cursor to pass as ``after`` for the next page, ``None``
                when :attr:`has_next` is false.
                """
            ),
        ),
        Attribute(
            "prev_cursor",
            "str | None",
            d(
                """
                The opaque cursor to pass as ``before`` for the previous page,
                ``None`` when :attr:`has_prev` is false.
                """
            ),
        ),
        Attribute(
            "total",
            "int | None",
            "The number of rows of the select, counted only with ``count=True``.",
        ),
    ),
    methods=(
        Method(
            name="__init__",
            params=(
                SELF,
                keyword("select", "Select[Unpack[tuple[Any, ...]]]"),
                keyword("session", "Any"),
                *KEYSET_KW,
                keyword("rows", "bool", "False"),
            ),
            returns="None",
            doc="Resolve the arguments and run the query.",
            body=Call("_keyset.paginate", lazy=True),
        ),
        Method(
            name="__iter__",
            params=(SELF,),
            returns="Iterator[_T]",
            doc="Iterate over the items on the current page.",
            body=Code("iter_items"),
        ),
        Method(
            name="__len__",
            params=(SELF,),
            returns="int",
            doc="The number of items on the current page.",
            body=Code("len_items"),
        ),
    ),
)

KEYSET_IMPORTS = (
    "from sqlalchemy.sql.selectable import Select",
    "from typing_extensions import Unpack",
)
