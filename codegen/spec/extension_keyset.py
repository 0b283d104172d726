"""``SQLAlchemy``: ``keyset_paginate`` and ``keyset_paginate_rows``."""

from __future__ import annotations

from ..model import Code
from ..model import doc
from ..model import keyword
from ..model import Method
from ..model import param
from ..model import SELF

KEYSET_KW = (
    keyword("after", "str | None", "None"),
    keyword("before", "str | None", "None"),
    keyword("per_page", "int | None", "None"),
    keyword("max_per_page", "int | None", "None"),
    keyword("error_out", "bool", "True"),
    keyword("count", "bool", "False"),
)

_KEYSET_PARAMS_DOC = """
    :param after: A page's :attr:`~.KeysetPage.next_cursor`: give the rows after
        it. Defaults to the ``after`` query argument during a request.
    :param before: A page's :attr:`~.KeysetPage.prev_cursor`: give the rows
        before it. Defaults to the ``before`` query argument during a
        request.
    :param per_page: The maximum number of items on a page. Defaults to the
        ``per_page`` query argument during a request, or 20 otherwise, with
        the rules of :meth:`paginate`.
    :param max_per_page: The maximum allowed value for ``per_page``. When
        ``None``, a ``per_page`` taken from the query string is capped at 100.
    :param error_out: Abort with ``400 Bad Request`` when the cursor is not
        valid for this order: changed, made for another order, signed with
        another key, or both ``after`` and ``before`` given. Abort with
        ``404 Not Found`` for a bad ``per_page``, as :meth:`paginate` does.
        Otherwise a bad cursor gives the first page.
    :param count: Also count the rows of the select into
        :attr:`~.KeysetPage.total`, with an extra query.
    :raises ValueError: The select has no ``ORDER BY``, orders by something
        other than column expressions, or has ``GROUP BY``, ``HAVING``,
        ``LIMIT`` or ``OFFSET``.
    :raises RuntimeError: The app has no ``SECRET_KEY`` to sign cursors.
    """


KEYSET_METHODS = (
    Method(
        name="keyset_paginate",
        params=(
            SELF,
            param("select", "Select[_T, Unpack[tuple[Any, ...]]]"),
            *KEYSET_KW,
        ),
        returns="KeysetPage[_T]",
        doc=doc(
            """
            Page an ordered select by position ("keyset" or "seek" pagination),
            returning a :class:`.KeysetPage`: the rows after the ``after`` cursor,
            or before the ``before`` cursor, or the first page.

            The order is the select's ``ORDER BY``, ascending, descending and NULL
            placement (``nulls_first()``, ``nulls_last()`` or the database's
            default) included; the primary key is appended when the order does not
            end in a unique key. Each page costs one query of ``per_page + 1`` rows
            that an index on the order's columns answers at any depth. Rows inserted
            or deleted between two requests never make a page repeat or skip a row.

            The items are the first column of each row, as with :meth:`paginate`:
            ``select(User)`` gives ``KeysetPage[User]``. For whole rows, use
            :meth:`keyset_paginate_rows`.

            :param select: The ordered ``select`` statement to paginate.
            """,
            _KEYSET_PARAMS_DOC,
            "",
            """
            .. versionadded:: 0.1
            """,
        ),
        body=Code("keyset_paginate"),
    ),
    Method(
        name="keyset_paginate_rows",
        params=(SELF, param("select", "Select[Unpack[_Ts]]"), *KEYSET_KW),
        returns="KeysetPage[Row[Unpack[_Ts]]]",
        doc=doc(
            """
            Like :meth:`keyset_paginate`, but the items are whole rows,
            :class:`~sqlalchemy.engine.Row` objects typed ``Row[User, Post]``.

            :param select: The ordered ``select`` statement to paginate.
            """,
            _KEYSET_PARAMS_DOC,
            "",
            """
            .. versionadded:: 0.1
            """,
        ),
        body=Code("keyset_paginate_rows"),
    ),
)
