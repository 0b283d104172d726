"""Page argument parsing and the pagination arithmetic, without a database."""

from __future__ import annotations

import math
import re
import typing as t
from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound

from flask_sqlalchemy_typed._paging import MAX_SQL_INT
from flask_sqlalchemy_typed._paging import parse_arg
from flask_sqlalchemy_typed._paging import prepare_page_args
from flask_sqlalchemy_typed.pagination import Pagination

INVALID = [
    "",
    "abc",
    "-1",
    "1.5",
    "1e3",
    " 2",
    "2 ",
    "+1",
    "1_000",
    "٣",  # ARABIC-INDIC DIGIT THREE: int() accepts it
    "３",  # FULLWIDTH DIGIT THREE: int() accepts it
    "²",
    "\x00",
    "1\x00",
    "9" * 5000,  # beyond int()'s digit limit
    str(10**25),
    str(2**63),
    "0x10",
]


class RangePagination(Pagination[int]):
    """Paginates ``range(total)``; counts its queries."""

    queries: list[str]

    def _query_items(self) -> list[int]:
        self.queries = getattr(self, "queries", [])
        self.queries.append("items")
        total: int = self._query_args["total"]
        start = min(self._query_offset, total)
        return list(range(start, min(start + self.per_page, total)))

    def _query_count(self) -> int:
        self.queries.append("count")
        total: int = self._query_args["total"]
        return total


def resolve(app: Flask, query: str, **kwargs: t.Any) -> tuple[int, int]:
    options: dict[str, t.Any] = {
        "page": None,
        "per_page": None,
        "max_per_page": None,
        "error_out": True,
    }
    options.update(kwargs)
    with app.test_request_context(f"/?{query}"):
        return prepare_page_args(**options)


@pytest.mark.parametrize("raw", INVALID)
@pytest.mark.parametrize("name", ["page", "per_page"])
def test_invalid_value_404s(app: Flask, raw: str, name: str) -> None:
    with app.test_request_context("/", query_string={name: raw}):
        with pytest.raises(NotFound):
            prepare_page_args(
                page=None, per_page=None, max_per_page=None, error_out=True
            )


@pytest.mark.parametrize("raw", INVALID)
def test_invalid_value_falls_back(app: Flask, raw: str) -> None:
    with app.test_request_context("/", query_string={"page": raw, "per_page": raw}):
        got = prepare_page_args(
            page=None, per_page=None, max_per_page=None, error_out=False
        )
    assert got == (1, 20)


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("page=2&per_page=5", (2, 5)),
        ("page=007", (7, 20)),
        ("per_page=100", (1, 100)),
        ("", (1, 20)),
        (f"page={2**62}&per_page=2", (2**62, 2)),
    ],
)
def test_valid_values(app: Flask, query: str, expect: tuple[int, int]) -> None:
    assert resolve(app, query) == expect


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "page=00"])
def test_below_one(app: Flask, query: str) -> None:
    with pytest.raises(NotFound):
        resolve(app, query)
    assert resolve(app, query, error_out=False) == (1, 20)


def test_query_string_per_page_capped_at_100(app: Flask) -> None:
    assert resolve(app, "per_page=5000") == (1, 100)
    assert resolve(app, "per_page=5000", max_per_page=250) == (1, 250)
    assert resolve(app, "per_page=50", max_per_page=10) == (1, 10)


def test_argument_per_page_is_not_capped(app: Flask) -> None:
    assert resolve(app, "", per_page=5000) == (1, 5000)
    assert resolve(app, "per_page=7", per_page=5000) == (1, 5000)


def test_offset_must_fit_64_bits(app: Flask) -> None:
    # (page - 1) * per_page == 2**63 - 1 is the last valid offset
    assert resolve(app, "", page=2**63, per_page=1) == (2**63, 1)
    with pytest.raises(NotFound):
        resolve(app, "", page=2**63 + 1, per_page=1)
    with pytest.raises(NotFound):
        resolve(app, f"page={2**62}&per_page=3")
    assert resolve(app, f"page={2**62}&per_page=3", error_out=False) == (1, 3)
    with pytest.raises(NotFound):
        resolve(app, "", per_page=2**63)
    assert resolve(app, "", per_page=2**63, error_out=False) == (1, 20)


def test_no_request_context() -> None:
    assert prepare_page_args(
        page=None, per_page=None, max_per_page=None, error_out=True
    ) == (1, 20)
    with pytest.raises(NotFound):
        prepare_page_args(page=0, per_page=None, max_per_page=None, error_out=True)


_DIGITS = re.compile("[0-9]+", re.ASCII)


@settings(max_examples=300, deadline=None)
@given(raw=st.text() | st.from_regex(r"\A[0-9]{1,25}\Z") | st.integers().map(str))
def test_parse_arg_model(raw: str) -> None:
    got = parse_arg(raw)
    if _DIGITS.fullmatch(raw) is None or int(raw) > MAX_SQL_INT:
        assert got is None
    else:
        assert got == int(raw)


@settings(max_examples=200, deadline=None)
@given(raw=st.text() | st.from_regex(r"\A[0-9]{1,25}\Z"), error_out=st.booleans())
def test_page_query_string_model(raw: str, error_out: bool) -> None:
    app = Flask(__name__)
    valid = (
        _DIGITS.fullmatch(raw) is not None and 1 <= int(raw) <= MAX_SQL_INT // 20 + 1
    )
    with app.test_request_context("/", query_string={"page": raw}):
        if valid:
            got = prepare_page_args(
                page=None, per_page=None, max_per_page=None, error_out=error_out
            )
            assert got == (int(raw), 20)
        elif error_out:
            with pytest.raises(NotFound):
                prepare_page_args(
                    page=None, per_page=None, max_per_page=None, error_out=True
                )
        else:
            got = prepare_page_args(
                page=None, per_page=None, max_per_page=None, error_out=False
            )
            assert got == (1, 20)


def model_iter_pages(
    page: int,
    pages: int,
    left_edge: int,
    left_current: int,
    right_current: int,
    right_edge: int,
) -> Iterator[int | None]:
    """The widget, stated plainly: the edges and the window around the current page;
    each run of hidden pages, at the ends too, is one ``None``. As in Flask-SQLAlchemy,
    the right edge only adds pages after the window."""
    shown = [
        p
        for p in range(1, pages + 1)
        if p <= left_edge
        or page - left_current <= p <= page + right_current
        or page + right_current < p > pages - right_edge
    ]
    previous = 0
    for p in shown:
        if p != previous + 1:
            yield None
        yield p
        previous = p
    if previous != pages:
        yield None


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(0, 500),
    per_page=st.integers(1, 40),
    page_fraction=st.floats(0, 1),
    edges=st.tuples(*[st.integers(0, 5)] * 4),
)
def test_arithmetic_model(
    total: int, per_page: int, page_fraction: float, edges: tuple[int, int, int, int]
) -> None:
    pages = math.ceil(total / per_page)
    page = 1 + int(page_fraction * max(pages - 1, 0))
    p = RangePagination(page=page, per_page=per_page, total=total)
    offset = (page - 1) * per_page
    count = min(per_page, max(total - offset, 0))
    assert p.items == list(range(offset, offset + count))
    assert p.total == total
    assert p.pages == pages
    assert p.first == (offset + 1 if count else 0)
    assert p.last == (offset + count if count else 0)
    assert p.has_prev == (page > 1)
    assert p.has_next == (page < pages)
    assert p.prev_num == (page - 1 if page > 1 else None)
    assert p.next_num == (page + 1 if page < pages else None)
    assert list(p) == p.items
    le, lc, rc, re_ = edges
    got = list(
        p.iter_pages(left_edge=le, left_current=lc, right_current=rc, right_edge=re_)
    )
    assert got == list(model_iter_pages(page, pages, le, lc, rc, re_))


def test_subclass_protocol_without_app() -> None:
    p = RangePagination(page=2, per_page=10, total=35)
    assert p.items == list(range(10, 20))
    assert p.queries == ["items", "count"]  # a subclass is always counted
    nxt = p.next()
    assert isinstance(nxt, RangePagination)
    assert (nxt.page, nxt.total, nxt.queries) == (3, 35, ["items"])
    assert p.prev().items == list(range(10))
    with pytest.raises(NotFound):
        RangePagination(page=5, per_page=10, total=35)
    empty = RangePagination(page=5, per_page=10, total=35, error_out=False)
    assert (empty.items, empty.first, empty.last) == ([], 0, 0)
    uncounted = RangePagination(page=1, per_page=10, total=35, count=False)
    assert (uncounted.total, uncounted.pages, list(uncounted.iter_pages())) == (
        None,
        0,
        [],
    )
    p.items = [1]
    p.total = 1
    assert (p.items, p.total) == ([1], 1)


def test_neighbours_keep_max_per_page() -> None:
    p = RangePagination(page=3, per_page=10, max_per_page=5, total=100)
    assert (p.per_page, p.max_per_page) == (5, 5)
    for other in (p.prev(), p.next()):
        assert (other.per_page, other.max_per_page) == (5, 5)
    assert p.prev().page == 2
    assert p.next().page == 4


@pytest.mark.parametrize(
    ("pages", "page", "edges", "expect"),
    [
        # the anchor's example
        (20, 7, (2, 2, 4, 2), [1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 19, 20]),
        # Flask-SQLAlchemy 3.1 yields 1, 2, None, 3: a gap that hides nothing
        (3, 1, (2, 0, 0, 1), [1, 2, 3]),
        # Flask-SQLAlchemy 3.1 yields 1, 2, 3, 2, 3, 4, 5: repeated pages
        (5, 1, (3, 0, 0, 4), [1, 2, 3, 4, 5]),
        # hidden pages at either end are still marked
        (5, 3, (0, 0, 0, 0), [None, 3, None]),
    ],
)
def test_iter_pages(
    pages: int, page: int, edges: tuple[int, int, int, int], expect: list[int | None]
) -> None:
    p = RangePagination(page=page, per_page=1, total=pages)
    le, lc, rc, re_ = edges
    got = p.iter_pages(left_edge=le, left_current=lc, right_current=rc, right_edge=re_)
    assert list(got) == expect
