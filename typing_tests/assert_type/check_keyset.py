"""db.keyset_paginate, keyset_paginate_rows, Query.keyset_paginate and KeysetPage."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Row
from typing_extensions import assert_type

from flask_sqlalchemy_typed.pagination import KeysetPage

from ._paging_models import db
from ._paging_models import Post
from ._paging_models import User

# one entity: its instances
page = db.keyset_paginate(sa.select(User).order_by(User.name))
assert_type(page, KeysetPage[User])
assert_type(page.items, list[User])
assert_type(page.per_page, int)
assert_type(page.max_per_page, int | None)
assert_type(page.has_next, bool)
assert_type(page.has_prev, bool)
assert_type(page.next_cursor, str | None)
assert_type(page.prev_cursor, str | None)
assert_type(page.total, int | None)
assert_type(len(page), int)
assert_type(iter(page), Iterator[User])
for user in page:
    assert_type(user, User)
page.items[0].nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]

# the cursors feed the next call
after = db.keyset_paginate(
    sa.select(User).order_by(User.name), after=page.next_cursor, per_page=10
)
assert_type(after, KeysetPage[User])
assert_type(
    db.keyset_paginate(
        sa.select(User).order_by(User.id),
        before=page.prev_cursor,
        max_per_page=50,
        error_out=False,
        count=True,
    ),
    KeysetPage[User],
)

# a column select: the column's type; several columns: the first one
assert_type(db.keyset_paginate(sa.select(User.nickname)), KeysetPage[str | None])
assert_type(db.keyset_paginate(sa.select(User.name, User.id)), KeysetPage[str])

# whole rows
rows = db.keyset_paginate_rows(sa.select(User, Post).join(Post).order_by(Post.id))
assert_type(rows, KeysetPage[Row[User, Post]])
user, post = rows.items[0]
assert_type(user, User)
assert_type(post, Post)
assert_type(db.keyset_paginate_rows(sa.select(User.id)).items, list[Row[int]])

# the legacy query
assert_type(User.query.order_by(User.id).keyset_paginate(), KeysetPage[User])
assert_type(
    User.query.order_by(User.id).keyset_paginate(after=page.next_cursor).items,
    list[User],
)

# negative cases: a cursor is a string, per_page an int, no page number, no rows flag
db.keyset_paginate(sa.select(User), after=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.keyset_paginate(sa.select(User), per_page="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.keyset_paginate(sa.select(User), page=2)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
db.keyset_paginate(sa.select(User), rows=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
db.keyset_paginate(sa.select(User), "cursor")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
User.query.keyset_paginate(after=b"x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
page.next_cursor = 1  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
