"""db.paginate and the Pagination classes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from typing_extensions import assert_type

from flask_sqlalchemy_typed.pagination import Pagination
from flask_sqlalchemy_typed.pagination import QueryPagination
from flask_sqlalchemy_typed.pagination import SelectPagination

from ._paging_models import db
from ._paging_models import Post
from ._paging_models import User

# one entity: its instances
page = db.paginate(sa.select(User))
assert_type(page, SelectPagination[User])
assert_type(page.items, list[User])
assert_type(page.total, int | None)
assert_type(page.page, int)
assert_type(page.per_page, int)
assert_type(page.max_per_page, int | None)
assert_type(page.first, int)
assert_type(page.last, int)
assert_type(page.pages, int)
assert_type(page.has_prev, bool)
assert_type(page.prev_num, int | None)
assert_type(page.has_next, bool)
assert_type(page.next_num, int | None)
assert_type(page.prev(), SelectPagination[User])
assert_type(page.next(error_out=True), SelectPagination[User])
assert_type(page.iter_pages(left_edge=1, right_edge=1), Iterator[int | None])
assert_type(iter(page), Iterator[User])
for user in page:
    assert_type(user, User)
page.items[0].nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
page.iter_pages(1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]

# several columns: the first one, as the anchor does (scalars())
assert_type(db.paginate(sa.select(User.name, User.id)), SelectPagination[str])
assert_type(
    db.paginate(sa.select(User, Post).join(Post), page=2, per_page=5),
    SelectPagination[User],
)

# paginate_rows: whole rows
rows = db.paginate_rows(sa.select(User, Post).join(Post))
assert_type(rows, SelectPagination[Row[User, Post]])
user, post = rows.items[0]
assert_type(user, User)
assert_type(post, Post)
assert_type(db.paginate_rows(sa.select(User.id), page=2).items, list[Row[int]])


# page arguments are ints
db.paginate(sa.select(User), page="2")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.paginate(sa.select(User), nosuch=1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
# rows are not an option of paginate: paginate_rows returns them
db.paginate(sa.select(User), rows=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
db.paginate_rows(sa.select(User), per_page="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# the subclassing protocol
class ListPagination(Pagination[int]):
    def _query_items(self) -> list[int]:
        data: list[int] = self._query_args["data"]
        return data[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["data"])


numbers = ListPagination(page=2, per_page=10, data=list(range(100)))
assert_type(numbers.items, list[int])
assert_type(numbers.next(), ListPagination)
numbers.items = [1, 2]
numbers.total = None
numbers.items = ["a"]  # type: ignore[list-item]  # pyright: ignore[reportAttributeAccessIssue]


def generic(p: Pagination[Any]) -> None:
    assert_type(p.items, list[Any])


def from_query(q: QueryPagination[User]) -> None:
    assert_type(q.items, list[User])
    assert_type(q.next(), QueryPagination[User])
