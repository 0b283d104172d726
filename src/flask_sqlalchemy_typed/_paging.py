"""Pagination arithmetic and page argument parsing, shared by the generated
:mod:`.pagination` classes.

Query string rules (``?page=`` and ``?per_page=``): a value is a non-empty run of
ASCII digits ``[0-9]+``, nothing else. Signs, spaces, underscores, decimal points,
exponents and non-ASCII digits (``int()`` accepts ``" 2"``, ``"+1"``, ``"1_000"``,
``"٣"`` and ``"３"``) are invalid. An invalid value aborts with ``404`` when
``error_out`` is true, otherwise falls back to the default (page 1, 20 per page).
Then, for values from the query string and arguments alike: a page or ``per_page``
below 1, a value above :data:`MAX_SQL_INT`, or a page whose offset would not fit
:data:`MAX_SQL_INT` aborts with ``404``, or falls back to page 1 / 20 per page.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import sqlalchemy as sa
from flask import abort
from flask import has_request_context
from flask import request
from sqlalchemy.sql import visitors
from sqlalchemy.sql.functions import FunctionElement

DEFAULT_PER_PAGE = 20
QUERY_STRING_MAX_PER_PAGE = 100
"""Cap for a ``per_page`` taken from the query string when ``max_per_page`` is
``None``, as Flask-SQLAlchemy documents (its code applies no cap)."""

MAX_SQL_INT = 2**63 - 1
"""The largest ``LIMIT`` and ``OFFSET`` sent to the database: a signed 64-bit
integer, the limit of SQLite and PostgreSQL (``bigint``)."""

_MAX_DIGITS = len(str(MAX_SQL_INT))


def parse_arg(raw: str) -> int | None:
    """The int of a query string value made of ASCII digits only, else ``None``.

    Values above :data:`MAX_SQL_INT` are ``None`` too; overlong strings are
    rejected before ``int()`` is asked to convert them.
    """
    if not raw.isascii() or not raw.isdigit():
        return None
    if len(raw.lstrip("0")) > _MAX_DIGITS:
        return None
    value = int(raw)
    return value if value <= MAX_SQL_INT else None


def _arg(args: t.Mapping[str, str], name: str, default: int, error_out: bool) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    value = parse_arg(raw)
    if value is None:
        if error_out:
            abort(404)
        return default
    return value


def prepare_page_args(
    *,
    page: int | None,
    per_page: int | None,
    max_per_page: int | None,
    error_out: bool,
) -> tuple[int, int]:
    """Resolve ``page`` and ``per_page`` from the arguments or the query string.

    See the module docstring for the rules.
    """
    per_page_from_request = False
    if (page is None or per_page is None) and has_request_context():
        args = request.args
        if page is None:
            page = _arg(args, "page", 1, error_out)
        if per_page is None:
            per_page_from_request = "per_page" in args
            per_page = _arg(args, "per_page", DEFAULT_PER_PAGE, error_out)
    if page is None:
        page = 1
    if per_page is None:
        per_page = DEFAULT_PER_PAGE
    if max_per_page is not None:
        per_page = min(per_page, max_per_page)
    elif per_page_from_request:
        per_page = min(per_page, QUERY_STRING_MAX_PER_PAGE)
    if page < 1:
        if error_out:
            abort(404)
        page = 1
    if per_page < 1 or per_page > MAX_SQL_INT:
        if error_out:
            abort(404)
        per_page = DEFAULT_PER_PAGE
    if (page - 1) * per_page > MAX_SQL_INT:
        if error_out:
            abort(404)
        page = 1
    return page, per_page


def count_total(
    items: list[t.Any],
    *,
    fetched: int | None,
    offset: int,
    page: int,
    per_page: int,
    query_count: t.Callable[[], int],
) -> int:
    """The total number of items: proven by a short page (at ``offset``) when the
    rows the database returned for it (``fetched``) are all in ``items``, otherwise
    ``query_count()``.
    """
    if fetched is not None and fetched == len(items):
        if 0 < fetched < per_page:
            return offset + fetched
        if fetched == 0 and page == 1:
            return 0
    return query_count()


def select_items(
    query_args: t.Mapping[str, t.Any], *, limit: int, offset: int
) -> tuple[list[t.Any], int]:
    """The items of a select's page, and the number of rows the database returned
    for it: the first column of each row, or whole rows with a true ``rows``
    argument, de-duplicated."""
    select = query_args["select"].limit(limit).offset(offset)
    result = query_args["session"].execute(select)
    counter = UniqueCounter()
    if query_args.get("rows", False):
        items: list[t.Any] = result.unique(counter.row()).all()
    else:
        items = result.scalars().unique(counter.scalar()).all()
    return items, counter.seen


def pages(total: int | None, per_page: int) -> int:
    """The number of pages for ``total`` items, 0 when unknown or empty."""
    if not total:
        return 0
    return -(-total // per_page)


def iter_pages(
    page: int,
    pages: int,
    *,
    left_edge: int,
    left_current: int,
    right_current: int,
    right_edge: int,
) -> Iterator[int | None]:
    """Page numbers for a pagination widget, ``None`` where pages are skipped.

    Shown: the left edge, the window around ``page``, and the right edge pages
    after the window. Each run of hidden pages is one ``None``. Flask-SQLAlchemy
    3.1 yields a ``None`` hiding nothing, or repeats pages, when the window ends
    inside the left edge (``left_edge=2, right_current=0, right_edge=1`` on page
    1 of 3 gives ``1, 2, None, 3``); this does not.
    """
    end = pages + 1
    shown = min(1 + left_edge, end)
    yield from range(1, shown)
    window_start = max(shown, page - left_current)
    window_stop = min(page + right_current + 1, end)
    if window_start < window_stop:
        if window_start > shown:
            yield None
        yield from range(window_start, window_stop)
        shown = window_stop
    right_start = max(shown, window_stop, end - right_edge)
    if right_start > shown:
        yield None
    yield from range(right_start, end)


class UniqueCounter:
    """``Result.unique()`` strategies that count the rows they see.

    ORM instances are unique by identity (as SQLAlchemy's own ORM strategy does:
    a mapped dataclass may be unhashable), anything else by value, or by identity
    when unhashable; a row by its elements. :attr:`seen` is the number of rows
    before de-duplication, which tells whether a short page proves the total.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: list[None] = []

    @property
    def seen(self) -> int:
        return len(self._seen)

    def scalar(self) -> t.Callable[[t.Any], t.Hashable]:
        """The strategy for ``Result.scalars().unique()``."""
        mark = self._seen.append

        def key(value: t.Any) -> t.Hashable:
            mark(None)
            if hasattr(value, "_sa_instance_state"):
                return id(value)
            return _key(value)

        return key

    def row(self) -> t.Callable[[t.Any], t.Hashable]:
        """The strategy for ``Result.unique()`` of whole rows."""
        mark = self._seen.append

        def key(row: t.Any) -> t.Hashable:
            mark(None)
            return tuple(map(_key, row))

        return key


_BY_ID = object()


def _key(value: t.Any) -> t.Hashable:
    if hasattr(value, "_sa_instance_state"):
        return id(value)
    try:
        hash(value)
    except TypeError:
        return (_BY_ID, id(value))
    return t.cast(t.Hashable, value)


def count_select(session: t.Any, select: sa.Select[t.Any]) -> int:
    """Count the rows ``select`` returns, with its ``ORDER BY`` removed.

    ``SELECT count(*) FROM <its FROM> WHERE <its WHERE>`` when that counts the
    same rows (see :func:`_plain_count`), otherwise ``SELECT count(*)`` of the
    select as a subquery.
    """
    if _plain_count(select):
        s: t.Any = select
        if s._setup_joins or s._from_obj or s._independent_ctes:
            stmt = select.with_only_columns(
                sa.func.count(), maintain_column_froms=True
            ).order_by(None)
        else:  # a new statement executes faster than a trimmed copy
            stmt = sa.select(sa.func.count()).select_from(*select.columns_clause_froms)
            if s._where_criteria:
                stmt = stmt.where(*s._where_criteria)
            if s._execution_options:
                stmt = stmt.execution_options(**s._execution_options)
    else:
        stmt = sa.select(sa.func.count()).select_from(select.order_by(None).subquery())
    total: int = session.execute(stmt).scalar_one()
    return total


def _plain_count(select: sa.Select[t.Any]) -> bool:
    """Whether replacing the select's columns by ``count(*)`` counts its rows.

    True only when nothing but the FROM, joins and WHERE decide the rows: no
    DISTINCT (ON), GROUP BY, HAVING, LIMIT, OFFSET, FETCH, FOR UPDATE, prefixes
    or suffixes; the selected columns hold no function call (an aggregate makes
    one row, a set-returning function several; a window function would be fine,
    but telling it apart costs more than it saves), no textual SQL, and no
    entity of an inheritance hierarchy (single-table inheritance adds its
    discriminator to the WHERE only for the entity selected). Joins count alike
    either way: both forms count the rows of the join.
    """
    s: t.Any = select
    if (
        s._distinct
        or s._distinct_on
        or s._group_by_clauses
        or s._having_criteria
        or s._limit_clause is not None
        or s._offset_clause is not None
        or s._fetch_clause is not None
        or s._for_update_arg is not None
        or s._prefixes
        or s._suffixes
        or s._statement_hints
        or s._hints
        or s._with_options
    ):
        return False
    froms = bool(s._from_obj) or bool(s._setup_joins)
    column: t.Any
    for column in s._raw_columns:
        if _is_from(column):
            if _inherits(column):
                return False
            froms = True
            continue
        element: t.Any
        for element in visitors.iterate(column):
            if (
                isinstance(
                    element,
                    (FunctionElement, sa.TextClause, sa.ScalarSelect),
                )
                or getattr(element, "is_literal", False)
                or _inherits(element)
            ):
                return False
            if isinstance(element, sa.ColumnClause) and element.table is not None:
                froms = True
    return froms


def _is_from(element: object) -> bool:
    """A FROM clause in the columns (an entity, a table), not a function."""
    return isinstance(element, sa.FromClause) and not isinstance(
        element, FunctionElement
    )


def _inherits(element: t.Any) -> bool:
    """Whether an ORM-annotated element belongs to an inheritance hierarchy."""
    mapper = getattr(element, "_annotations", {}).get("parentmapper")
    return mapper is not None and (
        mapper.inherits is not None
        or mapper.polymorphic_on is not None
        or bool(mapper.with_polymorphic)
    )
