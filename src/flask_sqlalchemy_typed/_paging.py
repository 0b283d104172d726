"""Pagination arithmetic and page argument parsing, shared by the generated
:mod:`.pagination` classes.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import sqlalchemy as sa
from flask import abort
from flask import request

DEFAULT_PER_PAGE = 20
QUERY_STRING_MAX_PER_PAGE = 100
"""Cap for a ``per_page`` taken from the query string when ``max_per_page`` is
``None``, as Flask-SQLAlchemy documents (its code applies no cap)."""


def _arg(name: str, default: int, error_out: bool) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        if error_out:
            abort(404)
        return default


def prepare_page_args(
    *,
    page: int | None,
    per_page: int | None,
    max_per_page: int | None,
    error_out: bool,
) -> tuple[int, int]:
    """Resolve ``page`` and ``per_page`` from the arguments or the query string.

    A value that is not an int, or is below 1, aborts with ``404`` when
    ``error_out`` is true; otherwise it falls back to 1 (``page``) or 20
    (``per_page``).
    """
    per_page_from_request = False
    if request:
        if page is None:
            page = _arg("page", 1, error_out)
        if per_page is None:
            per_page_from_request = "per_page" in request.args
            per_page = _arg("per_page", DEFAULT_PER_PAGE, error_out)
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
    if per_page < 1:
        if error_out:
            abort(404)
        per_page = DEFAULT_PER_PAGE
    return page, per_page


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
    """Page numbers for a pagination widget, ``None`` where pages are skipped."""
    end = pages + 1
    if end == 1:
        return
    left_stop = min(1 + left_edge, end)
    yield from range(1, left_stop)
    if left_stop == end:
        return
    middle_start = max(left_stop, page - left_current)
    middle_stop = min(page + right_current + 1, end)
    if middle_start > left_stop:
        yield None
    yield from range(middle_start, middle_stop)
    if middle_stop == end:
        return
    right_start = max(middle_stop, end - right_edge)
    if right_start > middle_stop:
        yield None
    yield from range(right_start, end)


def count_select(session: t.Any, select: sa.Select[t.Any]) -> int:
    """Count the rows ``select`` returns, with its ``ORDER BY`` removed."""
    sub = select.order_by(None).subquery()
    total: int = session.execute(
        sa.select(sa.func.count()).select_from(sub)
    ).scalar_one()
    return total
