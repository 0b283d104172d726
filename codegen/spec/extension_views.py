"""``SQLAlchemy``: the view helpers (``get_or_404`` & co.) and ``paginate``."""

from __future__ import annotations

from ..model import Call
from ..model import Code
from ..model import doc
from ..model import keyword
from ..model import Method
from ..model import Overload
from ..model import param
from ..model import SELF

_VIEW_DESCRIPTION = ":param description: A custom message to show on the error page."

_DESCRIPTION = keyword("description", "str | None", "None")
_GET_KWARGS = (
    keyword("options", "_Sequence[ORMOption] | None", "None"),
    keyword("populate_existing", "bool | None", "None"),
    keyword("with_for_update", "ForUpdateParameter", "None"),
    keyword("identity_token", "Any | None", "None"),
    keyword("execution_options", "Mapping[str, Any] | None", "None"),
    keyword("bind_arguments", "_BindArguments | None", "None"),
)

_SELECT_T = param("statement", "Select[_T, Unpack[tuple[Any, ...]]]")

_PAGINATE_KW = (
    keyword("page", "int | None", "None"),
    keyword("per_page", "int | None", "None"),
    keyword("max_per_page", "int | None", "None"),
    keyword("error_out", "bool", "True"),
    keyword("count", "bool", "True"),
)

_PAGINATE_PARAMS_DOC = """
    :param page: The current page. Defaults to the ``page`` query argument
        during a request, or 1 otherwise.
    :param per_page: The maximum number of items on a page. Defaults to the
        ``per_page`` query argument during a request, or 20 otherwise.
    :param max_per_page: The maximum allowed value for ``per_page``. When
        ``None``, a ``per_page`` taken from the query string is capped at 100.
    :param error_out: Abort with ``404 Not Found`` if no items are returned
        and ``page`` is not 1; if ``page`` or ``per_page`` is below 1; if a
        query argument is not ASCII digits ``[0-9]+`` (``" 2"``, ``"+1"``,
        ``"1_000"`` and ``"３"`` are not); or if a value or the page's offset
        exceeds ``2**63 - 1``. Otherwise bad values fall back to page 1 and
        20 per page.
    :param count: Calculate the total number of items with an extra query,
        skipped when the page itself proves the total.
    """


VIEW_METHODS = (
    Method(
        name="get_or_404",
        params=(
            SELF,
            param("entity", "type[_O]"),
            param("ident", "_PKIdentityArgument"),
            _DESCRIPTION,
            *_GET_KWARGS,
        ),
        returns="_O",
        doc=doc(
            """
            Like :meth:`session.get() <sqlalchemy.orm.Session.get>` but aborts with a
            ``404 Not Found`` error instead of returning ``None``.

            :param entity: The model class to query.
            :param ident: The primary key to query.
            """,
            _VIEW_DESCRIPTION,
            """
            :param options: ... and the other keyword arguments are passed to
                ``session.get()``.
            """,
        ),
        body=Call("_or_404.get_or_404"),
    ),
    Method(
        name="first_or_404",
        params=(
            SELF,
            param("statement", "Select[Unpack[tuple[Any, ...]]]"),
            _DESCRIPTION,
        ),
        returns="Any",
        overloads=(
            Overload(
                "select(User.nickname) of str | None: None aborts, so str",
                (
                    SELF,
                    param("statement", "Select[_T | None, Unpack[tuple[Any, ...]]]"),
                    _DESCRIPTION,
                ),
                "_T",
            ),
            Overload(
                "a built Select[User]: pyright cannot solve _T | None against User"
                " (invariant); mypy never gets here",
                (SELF, _SELECT_T, _DESCRIPTION),
                "_T",
                ignore="overload-cannot-match",
            ),
        ),
        doc=doc(
            """
            Like :meth:`Result.scalar() <sqlalchemy.engine.Result.scalar>`, but aborts
            with a ``404 Not Found`` error instead of returning ``None``.

            :param statement: The ``select`` statement to execute.
            """,
            _VIEW_DESCRIPTION,
        ),
        body=Call("_or_404.first_or_404"),
    ),
    Method(
        name="one_or_404",
        params=(SELF, _SELECT_T, _DESCRIPTION),
        returns="_T",
        doc=doc(
            """
            Like :meth:`Result.scalar_one() <sqlalchemy.engine.Result.scalar_one>`,
            but aborts with a ``404 Not Found`` error instead of raising
            ``NoResultFound`` or ``MultipleResultsFound``.

            :param statement: The ``select`` statement to execute.
            """,
            _VIEW_DESCRIPTION,
        ),
        body=Call("_or_404.one_or_404"),
    ),
    Method(
        name="paginate",
        params=(
            SELF,
            param("select", "Select[_T, Unpack[tuple[Any, ...]]]"),
            *_PAGINATE_KW,
        ),
        returns="SelectPagination[_T]",
        doc=doc(
            """
            Apply an offset and limit to a select statement based on the current page
            and number of items per page, returning a :class:`.Pagination` object.

            The items are the first column of each row (``scalars()``), de-duplicated
            with ``unique()``: ``select(User)`` gives ``Pagination[User]``. For whole
            rows, use :meth:`paginate_rows`.

            :param select: The ``select`` statement to paginate.
            """,
            _PAGINATE_PARAMS_DOC,
            "",
            """
            .. versionchanged:: 0.1
                A ``per_page`` from the query string is capped at 100 by default.
                ``page`` and ``per_page`` query arguments must be ASCII digits. The
                count query is skipped when a short page proves the total.
            """,
        ),
        body=Code("paginate"),
    ),
    Method(
        name="paginate_rows",
        params=(SELF, param("select", "Select[Unpack[_Ts]]"), *_PAGINATE_KW),
        returns="SelectPagination[Row[Unpack[_Ts]]]",
        doc=doc(
            """
            Like :meth:`paginate`, but the items are whole rows,
            :class:`~sqlalchemy.engine.Row` objects typed ``Row[User, Post]``, instead
            of the first column: to paginate a select of several entities or columns.
            Rows are de-duplicated with ``unique()``.

            :param select: The ``select`` statement to paginate.
            """,
            _PAGINATE_PARAMS_DOC,
            "",
            """
            .. versionadded:: 0.1
            """,
        ),
        body=Code("paginate_rows"),
    ),
)
