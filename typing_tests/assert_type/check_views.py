"""db.get_or_404, db.first_or_404 and db.one_or_404."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from typing_extensions import assert_type

from ._paging_models import db
from ._paging_models import Post
from ._paging_models import User

# get_or_404: the entity type; Session.get's own keywords, typed
assert_type(db.get_or_404(User, 1), User)
assert_type(db.get_or_404(User, (1,), description="no such user"), User)
assert_type(
    db.get_or_404(
        User,
        1,
        options=[sa_orm.selectinload(User.__mapper__.attrs["id"].class_attribute)],
        populate_existing=True,
        with_for_update={"nowait": True},
        identity_token=None,
        execution_options={"populate_existing": True},
        bind_arguments={"mapper": User},
    ),
    User,
)
db.get_or_404(User, 1, nosuch=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
db.get_or_404(User, 1, populate_existing="yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.get_or_404(User, 1, "description")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
# execution_options: any Mapping[str, Any], as SQLAlchemy's own union with
# Mapping[str, Any] accepts; not a list
db.get_or_404(User, 1, execution_options=["populate_existing"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.get_or_404(User, 1).nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]

# first_or_404: the first column, None removed
assert_type(db.first_or_404(sa.select(User)), User)
assert_type(db.first_or_404(sa.select(User.nickname)), str)
assert_type(db.first_or_404(sa.select(User.id, User.name)), int)
assert_type(db.first_or_404(sa.select(User, Post).join(Post)), User)
built = sa.select(User).where(User.id == 1).order_by(User.name)
assert_type(db.first_or_404(built), User)
nicknames = sa.select(User.nickname).where(User.id > 1)
assert_type(db.first_or_404(nicknames), str)
db.first_or_404(sa.select(User)).nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
db.first_or_404(sa.select(User), "description")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]

# one_or_404: the first column, as it is
assert_type(db.one_or_404(sa.select(User)), User)
assert_type(db.one_or_404(sa.select(User.nickname)), str | None)
assert_type(db.one_or_404(sa.select(User.name, User.id)), str)
assert_type(db.one_or_404(built, description="gone"), User)
db.one_or_404(sa.select(User)).nmae = "x"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
