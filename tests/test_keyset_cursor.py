"""Keyset cursors: signed, bound to the order, exact for every column type; bad
cursors and bad calls answer clearly (400 or the first page, never a 500)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import typing as t
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import NotFound

from flask_sqlalchemy_typed import _cursor
from flask_sqlalchemy_typed import SQLAlchemy


class Base(sa_orm.DeclarativeBase):
    pass


class Color(enum.Enum):
    red = "r"
    green = "g"
    blue = "b"


class Thing(Base):
    __tablename__ = "ks_thing"
    id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
    name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(20))
    at: sa_orm.Mapped[dt.datetime | None] = sa_orm.mapped_column(
        sa.DateTime(timezone=True)
    )
    day: sa_orm.Mapped[dt.date | None]
    amount: sa_orm.Mapped[decimal.Decimal | None] = sa_orm.mapped_column(
        sa.Numeric(20, 6)
    )
    ratio: sa_orm.Mapped[float | None] = sa_orm.mapped_column(sa.Double)
    single: sa_orm.Mapped[float | None] = sa_orm.mapped_column(sa.Float)
    key: sa_orm.Mapped[uuid.UUID | None] = sa_orm.mapped_column(sa.Uuid)
    flag: sa_orm.Mapped[bool | None]
    blob: sa_orm.Mapped[bytes | None] = sa_orm.mapped_column(sa.LargeBinary(16))
    color: sa_orm.Mapped[Color | None] = sa_orm.mapped_column(sa.Enum(Color))


UTC2 = dt.timezone(dt.timedelta(hours=2))


def make_things() -> list[dict[str, t.Any]]:
    rows: list[dict[str, t.Any]] = []
    for i in range(1, 25):
        null = i % 5 == 0
        rows.append(
            {
                "id": i,
                "name": f"n{i % 7}",
                "at": None
                if null
                else dt.datetime(2024, 1, 1, 12, 0, i % 4, 123456 * (i % 3), UTC2),
                "day": None if null else dt.date(2024, 1, 1 + i % 3),
                "amount": None if null else decimal.Decimal(f"{i % 4}.00000{i % 2}"),
                "ratio": None if null else (i % 4) / 3,
                "single": None if null else (i % 4) / 3,
                "key": None if null else uuid.UUID(int=(i % 3) << 100),
                "flag": None if null else bool(i % 2),
                "blob": None if null else bytes([i % 3, 255, 0]),
                "color": None if null else list(Color)[i % 3],
            }
        )
    return rows


class Env(t.NamedTuple):
    db: SQLAlchemy[t.Any]
    app: Flask
    rows: list[dict[str, t.Any]]


@pytest.fixture
def env(app: Flask) -> Iterator[Env]:
    app.secret_key = "cursor tests"
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    rows = make_things()
    with app.app_context():
        Base.metadata.create_all(db.engine)
        db.session.execute(sa.insert(Thing), rows)
        db.session.commit()
        yield Env(db, app, rows)
        db.session.rollback()
        Base.metadata.drop_all(db.engine)


def ordered(
    db: SQLAlchemy[t.Any], select: sa.Select[t.Any], per_page: int
) -> list[int]:
    ids: list[int] = []
    page = db.keyset_paginate(select, per_page=per_page)
    ids += [x.id for x in page]
    while page.has_next:
        assert len(ids) <= 24, "a cursor repeats rows"
        page = db.keyset_paginate(select, per_page=per_page, after=page.next_cursor)
        ids += [x.id for x in page]
    back = [x.id for x in page]
    while page.has_prev:
        assert len(back) <= 24, "a cursor repeats rows"
        page = db.keyset_paginate(select, per_page=per_page, before=page.prev_cursor)
        back = [x.id for x in page] + back
    assert back == ids
    return ids


COLUMNS = ["at", "day", "amount", "ratio", "key", "flag", "blob", "color", "name"]


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("desc", [False, True])
def test_types_walk(env: Env, column: str, desc: bool) -> None:
    """Ordering by each type, ties and NULLs included: every row once, in order."""
    col: t.Any = getattr(Thing, column)
    if column == "color" and env.db.engine.dialect.name == "mysql":
        # a native ENUM sorts by declaration order and compares as text: refused
        with pytest.raises(ValueError, match="sort an ENUM column"):
            env.db.keyset_paginate(sa.select(Thing).order_by(col))
        col = sa.cast(col, sa.String(10))
    select = sa.select(Thing).order_by(col.desc() if desc else col, Thing.id)
    ids = ordered(env.db, select, 4)
    assert ids == list(env.db.session.scalars(select.with_only_columns(Thing.id)))
    assert sorted(ids) == list(range(1, 25))


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -(2**70),
        "ünï\x00code",
        1.0 / 3,
        float("inf"),
        -0.0,
        decimal.Decimal("1.500"),
        decimal.Decimal("-1E+30"),
        decimal.Decimal("NaN"),
        dt.datetime(2024, 2, 29, 23, 59, 59, 999999, UTC2),
        dt.datetime(2024, 2, 29, 23, 59, 59, 1),
        dt.date(1, 1, 1),
        dt.time(1, 2, 3, 4, tzinfo=dt.timezone.utc),
        dt.timedelta(days=-1, microseconds=5),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        b"\x00\xffbytes",
    ],
)
def test_values_round_trip(value: t.Any) -> None:
    signer = _cursor.serializer()
    token = _cursor.dumps(signer, "fp", [value])
    (back,) = _cursor.loads(signer, token, "fp", 1)
    assert type(back) is type(value)
    if isinstance(value, decimal.Decimal) and value.is_nan():
        assert back.is_nan()
    else:
        assert back == value
    if isinstance(value, dt.datetime):
        assert back.utcoffset() == value.utcoffset()
    if isinstance(value, decimal.Decimal):
        assert str(back) == str(value)


@pytest.mark.usefixtures("env")
def test_unsupported_value() -> None:
    with pytest.raises(TypeError, match="cannot put a object ORDER BY value"):
        _cursor.dumps(_cursor.serializer(), "fp", [object()])


def first_cursor(env: Env) -> tuple[sa.Select[t.Any], str]:
    select = sa.select(Thing).order_by(Thing.name, Thing.at.desc())
    page = env.db.keyset_paginate(select, per_page=5)
    assert page.next_cursor is not None
    return select, page.next_cursor


def flip(token: str, index: int) -> str:
    chars = list(token)
    chars[index] = "A" if chars[index] != "A" else "B"
    return "".join(chars)


def test_modified_cursor(env: Env) -> None:
    select, token = first_cursor(env)
    for index in (0, len(token) // 2, len(token) - 1):
        with pytest.raises(BadRequest) as info:
            env.db.keyset_paginate(select, after=flip(token, index))
        assert "cursor is invalid" in str(info.value.description)
        with pytest.raises(BadRequest):
            env.db.keyset_paginate(select, before=flip(token, index))


def test_forged_payload_with_valid_shape(env: Env) -> None:
    """A cursor re-encoded by hand with other values fails the signature."""
    select, token = first_cursor(env)
    payload, _, signature = token.partition(".")
    forged = base64.urlsafe_b64encode(b'[1,"x",["n6",null,2]]').decode().rstrip("=")
    with pytest.raises(BadRequest):
        env.db.keyset_paginate(select, after=f"{forged}.{signature}")
    with pytest.raises(BadRequest):
        env.db.keyset_paginate(select, after=payload)


def test_cursor_of_another_order(env: Env) -> None:
    select, token = first_cursor(env)
    high = env.db.engine.dialect.name == "postgresql"  # DESC puts NULLs first
    at: t.Any = Thing.at.desc()
    non_default = at.nulls_last() if high else at.nulls_first()
    default = at.nulls_first() if high else at.nulls_last()
    # the default NULL placement, spelled out, is the same order
    page = env.db.keyset_paginate(
        sa.select(Thing).order_by(Thing.name, default), after=token
    )
    assert page.has_prev
    others = [
        sa.select(Thing).order_by(Thing.name, Thing.at),  # other direction
        sa.select(Thing).order_by(Thing.name, non_default),
        sa.select(Thing).order_by(Thing.at.desc(), Thing.name),  # other order
        sa.select(Thing).order_by(Thing.name),  # fewer keys
        sa.select(Thing).order_by(Thing.name, Thing.day.desc()),  # same length
    ]
    for other in others:
        with pytest.raises(BadRequest):
            env.db.keyset_paginate(other, after=token)
    # the same order on another select of the same table is the same position
    ids = env.db.keyset_paginate(
        select.with_only_columns(Thing.id), after=token, per_page=3
    )
    assert len(ids.items) == 3


def test_cursor_of_another_key(env: Env) -> None:
    select, token = first_cursor(env)
    env.app.secret_key = "another key"
    with pytest.raises(BadRequest):
        env.db.keyset_paginate(select, after=token)
    # a rotated key stays valid while it is listed in SECRET_KEY_FALLBACKS
    env.app.config["SECRET_KEY_FALLBACKS"] = ["cursor tests"]
    assert env.db.keyset_paginate(select, after=token).has_prev


def test_bad_cursor_without_error_out_gives_first_page(env: Env) -> None:
    select, token = first_cursor(env)
    first = [x.id for x in env.db.keyset_paginate(select, per_page=5)]
    for bad in (flip(token, 3), "", "x" * 5000, "garbage", "a.b.c"):
        page = env.db.keyset_paginate(select, after=bad, per_page=5, error_out=False)
        assert [x.id for x in page] == first
        assert not page.has_prev
        page = env.db.keyset_paginate(select, before=bad, per_page=5, error_out=False)
        assert [x.id for x in page] == first


def test_after_and_before(env: Env) -> None:
    select, token = first_cursor(env)
    with pytest.raises(BadRequest):
        env.db.keyset_paginate(select, after=token, before=token)
    page = env.db.keyset_paginate(
        select, after=token, before=token, error_out=False, per_page=5
    )
    assert not page.has_prev


def test_query_string(env: Env) -> None:
    select, token = first_cursor(env)
    second = env.db.keyset_paginate(select, after=token, per_page=5)
    with env.app.test_request_context(f"/?after={token}&per_page=5"):
        page = env.db.keyset_paginate(select)
        assert page.items == second.items and page.per_page == 5
    with env.app.test_request_context(f"/?before={second.prev_cursor}&per_page=5"):
        page = env.db.keyset_paginate(select)
        assert [x.id for x in page] == [
            x.id for x in env.db.keyset_paginate(select, per_page=5)
        ]
    with env.app.test_request_context("/?per_page=1000"):
        assert env.db.keyset_paginate(select).per_page == 100
        assert env.db.keyset_paginate(select, max_per_page=7).per_page == 7
    with env.app.test_request_context("/?page=abc"):  # not a keyset argument
        assert env.db.keyset_paginate(select).per_page == 20
    for bad in ("+5", " 5", "5.0", "０", "0", ""):
        with env.app.test_request_context(f"/?per_page={bad}"):
            with pytest.raises(NotFound):
                env.db.keyset_paginate(select)
            assert env.db.keyset_paginate(select, error_out=False).per_page == 20
    with env.app.test_request_context(f"/?after={flip(token, 4)}"):
        with pytest.raises(BadRequest):
            env.db.keyset_paginate(select)
    with env.app.test_request_context(f"/?after={token}&before={token}"):
        with pytest.raises(BadRequest):
            env.db.keyset_paginate(select)


def test_bad_requests_are_400_in_a_view(env: Env) -> None:
    select, token = first_cursor(env)

    @env.app.get("/things")
    def things() -> dict[str, t.Any]:
        page = env.db.keyset_paginate(select, per_page=5)
        return {"ids": [x.id for x in page], "next": page.next_cursor}

    client = env.app.test_client()
    assert client.get(f"/things?after={token}").status_code == 200
    assert client.get(f"/things?after={flip(token, 5)}").status_code == 400
    assert client.get("/things?after=%FF%FE").status_code == 400
    assert client.get("/things?before=1").status_code == 400


def test_no_secret_key(env: Env) -> None:
    select = sa.select(Thing).order_by(Thing.id)
    env.app.secret_key = None
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        env.db.keyset_paginate(select)


def test_bad_selects(env: Env) -> None:
    with pytest.raises(ValueError, match=r"needs an ordered select: add \.order_by"):
        env.db.keyset_paginate(sa.select(Thing))
    with pytest.raises(ValueError, match="column expressions, not"):
        env.db.keyset_paginate(sa.select(Thing).order_by(sa.text("name")))
    with pytest.raises(ValueError, match="without GROUP BY, HAVING, LIMIT or OFFSET"):
        env.db.keyset_paginate(sa.select(Thing).order_by(Thing.id).limit(3))
    with pytest.raises(ValueError, match="without GROUP BY"):
        env.db.keyset_paginate(
            sa.select(Thing.name).group_by(Thing.name).order_by(Thing.name)
        )
    sub = sa.select(sa.literal_column("1").label("x")).subquery()
    with pytest.raises(ValueError, match="has no primary key"):
        env.db.keyset_paginate(sa.select(sub).order_by(sub.c.x))


def test_expression_order(env: Env) -> None:
    """An ORDER BY expression, not only columns, with the key appended."""
    select = sa.select(Thing).order_by(sa.func.lower(Thing.name).desc())
    ids = ordered(env.db, select, 5)
    assert ids == list(
        env.db.session.scalars(
            sa.select(Thing.id).order_by(sa.func.lower(Thing.name).desc(), Thing.id)
        )
    )


def test_single_precision_float_on_mariadb(env: Env) -> None:
    """MySQL/MariaDB FLOAT values come back rounded: refused, not paged forever."""
    select = sa.select(Thing).order_by(Thing.single)
    if env.db.engine.dialect.name != "mysql":
        assert env.db.keyset_paginate(select).items
        return
    with pytest.raises(ValueError, match="FLOAT column is single precision"):
        env.db.keyset_paginate(select)


def test_largest_per_page(env: Env) -> None:
    """per_page up to 2**63 - 1 is a valid LIMIT on every database, as in paginate."""
    select = sa.select(Thing).order_by(Thing.id)
    page = env.db.keyset_paginate(select, per_page=2**63 - 1)
    assert len(page) == 24 and not page.has_next
    with pytest.raises(NotFound):
        env.db.keyset_paginate(select, per_page=2**63)
