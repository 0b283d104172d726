"""db.paginate, Query.paginate and the view helpers on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from werkzeug.exceptions import NotFound

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.pagination import SelectPagination


class Models(t.NamedTuple):
    db: SQLAlchemy[t.Any]
    User: t.Any
    Post: t.Any
    statements: list[str]


@pytest.fixture
def models(app: Flask) -> Iterator[Models]:
    """25 users (ids 1..25, names u01..u25); users 1..3 have posts 3, 2, 1."""

    class Base(sa_orm.DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "pgn_user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(20))
        nickname: sa_orm.Mapped[str | None] = sa_orm.mapped_column(sa.String(20))
        posts: sa_orm.Mapped[list[Post]] = sa_orm.relationship(order_by="Post.id")

    class Post(Base):
        __tablename__ = "pgn_post"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        user_id: sa_orm.Mapped[int] = sa_orm.mapped_column(sa.ForeignKey(User.id))

    db = SQLAlchemy(app, model_class=Base)
    statements: list[str] = []
    with app.app_context():
        db.create_all()
        db.session.add_all(
            User(id=i, name=f"u{i:02}", nickname=None if i % 2 else f"n{i}")
            for i in range(1, 26)
        )
        db.session.add_all(
            Post(id=p, user_id=u) for p, u in enumerate([1, 1, 1, 2, 2, 3], 1)
        )
        db.session.commit()
        sa.event.listen(
            db.engine,
            "before_cursor_execute",
            lambda *args: statements.append(args[2]),
        )
    yield Models(db, User, Post, statements)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def selects(m: Models) -> int:
    return sum(s.lstrip().upper().startswith("SELECT") for s in m.statements)


@pytest.fixture
def ctx(app: Flask, models: Models) -> Iterator[None]:
    with app.app_context():
        yield


pytestmark = pytest.mark.usefixtures("ctx")


def test_paginate_users(models: Models) -> None:
    db, User = models.db, models.User
    page = db.paginate(sa.select(User).order_by(User.id), page=2, per_page=10)
    assert isinstance(page, SelectPagination)
    assert [u.id for u in page.items] == list(range(11, 21))
    assert (page.total, page.pages, page.first, page.last) == (25, 3, 11, 20)
    assert [u.id for u in page.next().items] == list(range(21, 26))
    assert page.next().total == 25
    assert [u.id for u in page.prev()] == list(range(1, 11))


def test_full_page_counts_short_page_does_not(models: Models) -> None:
    db, User = models.db, models.User
    models.statements.clear()
    page = db.paginate(sa.select(User).order_by(User.id), page=1, per_page=10)
    assert (page.total, selects(models)) == (25, 2)
    models.statements.clear()
    page = db.paginate(sa.select(User).order_by(User.id), page=3, per_page=10)
    assert (len(page.items), page.total, selects(models)) == (5, 25, 1)
    models.statements.clear()
    page = db.paginate(sa.select(User).where(User.id > 100), page=1)
    assert (page.items, page.total, page.pages, selects(models)) == ([], 0, 0, 1)
    models.statements.clear()
    page = db.paginate(sa.select(User), page=9, per_page=10, error_out=False)
    assert (page.items, page.total, selects(models)) == ([], 25, 2)
    models.statements.clear()
    page = db.paginate(sa.select(User), page=1, per_page=10, count=False)
    assert (page.total, selects(models)) == (None, 1)


def test_deduplicated_page_is_counted(models: Models) -> None:
    """A join repeats users: unique() shortens the page, which proves nothing."""
    db, User, Post = models.db, models.User, models.Post
    select = sa.select(User).join(Post).order_by(User.id)
    models.statements.clear()
    page = db.paginate(select, page=1, per_page=10)
    assert [u.id for u in page.items] == [1, 2, 3]
    assert page.total == 6  # the rows of the select, as the anchor counts
    assert selects(models) == 2
    names = db.paginate(sa.select(User.nickname).where(User.id < 6), per_page=10)
    assert names.items == [None, "n2", "n4"]
    assert names.total == 5


def test_joined_eager_collections(models: Models) -> None:
    db, User = models.db, models.User
    select = sa.select(User).options(sa_orm.joinedload(User.posts)).order_by(User.id)
    page = db.paginate(select, page=1, per_page=2)
    assert [(u.id, len(u.posts)) for u in page] == [(1, 3), (2, 2)]
    assert page.total == 25
    last = db.paginate(select, page=13, per_page=2)
    assert ([u.id for u in last], last.total) == ([25], 25)


def test_rows(models: Models) -> None:
    db, User, Post = models.db, models.User, models.Post
    select = sa.select(User, Post).join(Post).order_by(Post.id)
    page = db.paginate_rows(select, per_page=4)
    assert [(u.id, p.id) for u, p in page.items] == [(1, 1), (1, 2), (1, 3), (2, 4)]
    assert isinstance(page.items[0], sa.Row)
    assert page.total == 6
    nxt = page.next()
    assert [(row.User.id, row.Post.id) for row in nxt] == [(2, 5), (3, 6)]
    assert nxt.total == 6
    columns = db.paginate_rows(sa.select(User.id, User.name).order_by(User.id))
    assert tuple(columns.items[0]) == (1, "u01")
    assert columns.total == 25
    first_column = db.paginate(sa.select(User.id, User.name).order_by(User.id))
    assert first_column.items[:2] == [1, 2]


def test_query_string(app: Flask, models: Models) -> None:
    db, User = models.db, models.User
    with app.test_request_context("/?page=2&per_page=5"):
        page = db.paginate(sa.select(User).order_by(User.id))
    assert ([u.id for u in page], page.total) == ([6, 7, 8, 9, 10], 25)
    with app.test_request_context("/?per_page=1000"):
        assert db.paginate(sa.select(User)).per_page == 100
    with app.test_request_context("/?per_page=1000"):
        assert db.paginate(sa.select(User), max_per_page=300).per_page == 300
    for bad in ["abc", "-1", "0", " 2", "+1", "1_000", "３", "\x00", str(10**25)]:
        with app.test_request_context("/", query_string={"page": bad}):
            with pytest.raises(NotFound):
                db.paginate(sa.select(User))
            assert db.paginate(sa.select(User), error_out=False).page == 1


@pytest.mark.parametrize(
    ("page", "per_page"),
    [(2**63, 1), (2**62, 2), ((2**63 - 1) // 100 + 1, 100)],
)
def test_largest_offset_is_no_error(models: Models, page: int, per_page: int) -> None:
    db, User = models.db, models.User
    select = sa.select(User).order_by(User.id)
    result = db.paginate(select, page=page, per_page=per_page, error_out=False)
    assert (result.items, result.page, result.total) == ([], page, 25)
    with pytest.raises(NotFound):
        db.paginate(select, page=page, per_page=per_page)


@pytest.mark.parametrize("page", [2**63 + 1, 2**64, 10**25])
def test_offset_overflow_is_404(app: Flask, models: Models, page: int) -> None:
    db, User = models.db, models.User
    with pytest.raises(NotFound):
        db.paginate(sa.select(User), page=page, per_page=1)
    assert (
        db.paginate(sa.select(User), page=page, per_page=1, error_out=False).page == 1
    )
    with app.test_request_context("/", query_string={"page": str(page)}):
        with pytest.raises(NotFound):
            db.paginate(sa.select(User))
    client = app.test_client()

    @app.route("/users")
    def users() -> str:
        return str(db.paginate(sa.select(User)).total)

    assert client.get(f"/users?page={page}").status_code == 404
    assert client.get(f"/users?page={2**63 // 20 + 1}").status_code == 404
    assert client.get("/users?page=2").status_code == 200


def test_query_paginate(models: Models) -> None:
    User = models.User
    query = models.db.session.query(User).order_by(User.id)
    models.statements.clear()
    page = query.paginate(page=3, per_page=10)
    assert [u.id for u in page] == list(range(21, 26))
    assert (page.total, selects(models)) == (25, 2)  # the legacy query is counted
    models.statements.clear()
    empty = query.filter(User.id > 100).paginate()
    assert (empty.items, empty.total, selects(models)) == ([], 0, 1)
    joined = models.db.session.query(User).join(User.posts).paginate(per_page=10)
    assert ([u.id for u in joined], joined.total) == ([1, 2, 3], 6)
    assert page.prev().page == 2


def test_get_or_404(models: Models) -> None:
    db, User = models.db, models.User
    assert db.get_or_404(User, 3).name == "u03"
    with pytest.raises(NotFound) as info:
        db.get_or_404(User, 100, description="no such user")
    assert info.value.description == "no such user"
    user = db.get_or_404(User, 4)  # held: the identity map is weak
    update = sa.update(User).where(User.id == 4).values(name="changed")
    db.session.execute(update.execution_options(synchronize_session=False))
    assert db.get_or_404(User, 4) is user
    assert user.name == "u04"
    assert db.get_or_404(User, 4, populate_existing=True).name == "changed"
    loaded = db.get_or_404(User, 1, options=[sa_orm.selectinload(User.posts)])
    assert "posts" in sa.inspect(loaded).dict
    assert db.get_or_404(User, 5, execution_options={"populate_existing": True})
    assert db.get_or_404(User, {"id": 6}, with_for_update=False).id == 6
    with pytest.raises(TypeError):
        db.get_or_404(User, 1, nosuch=True)  # type: ignore[call-arg]


def test_first_or_404(models: Models) -> None:
    db, User = models.db, models.User
    assert db.first_or_404(sa.select(User).order_by(User.id)).id == 1
    assert db.first_or_404(sa.select(User.id, User.name).order_by(User.id)) == 1
    with pytest.raises(NotFound) as info:
        db.first_or_404(sa.select(User).where(User.id > 100), description="none")
    assert info.value.description == "none"
    with pytest.raises(NotFound):  # a NULL first column is no result
        db.first_or_404(sa.select(User.nickname).where(User.id == 1))


def test_one_or_404(models: Models) -> None:
    db, User = models.db, models.User
    assert db.one_or_404(sa.select(User).where(User.id == 2)).id == 2
    assert db.one_or_404(sa.select(User.name, User.id).where(User.id == 2)) == "u02"
    assert db.one_or_404(sa.select(User.nickname).where(User.id == 1)) is None
    with pytest.raises(NotFound):
        db.one_or_404(sa.select(User).where(User.id > 100))
    with pytest.raises(NotFound) as info:
        db.one_or_404(sa.select(User), description="many")
    assert info.value.description == "many"


@pytest.mark.filterwarnings("ignore:The Query.get:sqlalchemy.exc.LegacyAPIWarning")
def test_legacy_query_views(models: Models) -> None:
    User = models.User
    query = models.db.session.query(User)
    assert query.get_or_404(2).id == 2
    assert query.filter_by(id=3).first_or_404().id == 3
    assert query.filter_by(id=3).one_or_404().id == 3
    calls: list[t.Callable[[], object]] = [
        lambda: query.get_or_404(100, description="x"),
        lambda: query.filter_by(id=100).first_or_404(description="x"),
        lambda: query.one_or_404(description="x"),
    ]
    for call in calls:
        with pytest.raises(NotFound) as info:
            call()
        assert info.value.description == "x"
