"""The legacy Query and Model.query."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from flask_sqlalchemy_typed.pagination import QueryPagination
from flask_sqlalchemy_typed.query import Query

from ._paging_models import db
from ._paging_models import Post
from ._paging_models import User

assert_type(User.query, Query[User])
assert_type(Post.query, Query[Post])
assert_type(User.query.get_or_404(1), User)
assert_type(User.query.get_or_404(1, description="gone"), User)
assert_type(User.query.filter_by(name="a").first_or_404(), User)
assert_type(User.query.filter(User.id > 1).one_or_404(), User)
assert_type(
    User.query.order_by(User.id).paginate(page=1, per_page=5), QueryPagination[User]
)
assert_type(User.query.paginate().items, list[User])
assert_type(db.Query, type[Query[Any]])
User.query.first_or_404().nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
User.query.paginate(page="2")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
User.query.paginate(2)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


class MyQuery(Query[Any]):
    pass


class Tagged(User):
    query_class = MyQuery
