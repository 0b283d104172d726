"""Per-request overhead of flask_sqlalchemy_typed against hand-written Flask +
SQLAlchemy and, when it is importable, Flask-SQLAlchemy 3.1.

A script, not a test. Every implementation serves the same five requests through
``app.test_client()`` on its own in-memory SQLite databases; the requests are
interleaved in rounds so that drift hits all of them alike. It prints the median
time of each request and its ratio to the hand-written version.

Run it where Flask-SQLAlchemy 3.1.1 is installed to include it::

    python3 -m venv /work/benchvenv
    /work/benchvenv/bin/pip install flask sqlalchemy==2.1.9 flask-sqlalchemy==3.1.1 \
        typing-extensions
    PYTHONPATH=src /work/benchvenv/bin/python bench/requests.py

Options: ``--rounds`` (default 40) and ``--per-round`` (default 50) requests of
each kind per implementation per round.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import typing as t
from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import abort
from flask import Flask
from flask import request
from flask.globals import app_ctx

ROWS = 10_000
MISSING = 10_000_000

REQUESTS: dict[str, tuple[str, str]] = {
    "get_or_404": ("GET", "/users/4321"),
    "missing id (404)": ("GET", f"/users/{MISSING}"),
    "paginate page 3": ("GET", "/users?page=3"),
    "insert + commit": ("POST", "/events"),
    "two binds": ("GET", "/binds"),
}
TARGETS = {"paginate page 3": 1.03}
DEFAULT_TARGET = 1.02


def make_models(base: type[t.Any]) -> tuple[t.Any, t.Any, t.Any]:
    class User(base):  # type: ignore[misc]
        __tablename__ = "user"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str]

    class Event(base):  # type: ignore[misc]
        __tablename__ = "event"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str]

    class Item(base):  # type: ignore[misc]
        __tablename__ = "item"
        __bind_key__ = "other"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str]

    return User, Event, Item


def seed(session: sa_orm.Session, User: t.Any, Item: t.Any) -> None:
    session.execute(
        sa.insert(User), [{"id": i, "name": f"user {i}"} for i in range(1, ROWS + 1)]
    )
    session.add(Item(id=1, name="item"))
    session.commit()


def configure(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config["SQLALCHEMY_BINDS"] = {"other": "sqlite://"}
    app.config["SQLALCHEMY_RECORD_QUERIES"] = False
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False


def extension_app(extension: t.Any) -> Flask:
    """The app of an extension with Flask-SQLAlchemy's API (typed or the anchor)."""

    class Base(sa_orm.DeclarativeBase):
        pass

    app = Flask("bench")
    configure(app)
    db = extension(app, model_class=Base)
    User, Event, Item = make_models(db.Model)

    @app.get("/users/<int:ident>")
    def user(ident: int) -> str:
        return db.get_or_404(User, ident).name  # type: ignore[no-any-return]

    @app.get("/users")
    def users() -> dict[str, t.Any]:
        page = db.paginate(sa.select(User).order_by(User.id))
        return {"names": [u.name for u in page.items], "total": page.total}

    @app.post("/events")
    def events() -> str:
        event = Event(name="event")
        db.session.add(event)
        db.session.commit()
        return str(event.id)

    @app.get("/binds")
    def binds() -> str:
        user = db.session.get(User, 1)
        item = db.session.get(Item, 1)
        return f"{user.name} {item.name}"

    with app.app_context():
        db.create_all()
        seed(db.session, User, Item)
    return app


def hand_app() -> Flask:
    """Plain Flask and SQLAlchemy, written the short way."""

    class Base(sa_orm.DeclarativeBase):
        pass

    User, Event, Item = make_models(Base)
    app = Flask("bench")
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    other = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine, tables=[User.__table__, Event.__table__])
    Base.metadata.create_all(other, tables=[Item.__table__])
    session = sa_orm.scoped_session(
        sa_orm.sessionmaker(binds={User: engine, Event: engine, Item: other}),
        scopefunc=lambda: id(app_ctx._get_current_object()),  # type: ignore[attr-defined]
    )

    @app.teardown_appcontext
    def remove(exc: BaseException | None) -> None:
        session.remove()

    @app.get("/users/<int:ident>")
    def user(ident: int) -> str:
        found = session.get(User, ident)
        if found is None:
            abort(404)
        return found.name  # type: ignore[no-any-return]

    @app.get("/users")
    def users() -> dict[str, t.Any]:
        page = request.args.get("page", 1, type=int)
        per_page = request.args.get("per_page", 20, type=int)
        select = sa.select(User).order_by(User.id)
        items = session.scalars(
            select.limit(per_page).offset((page - 1) * per_page)
        ).all()
        total = session.scalar(sa.select(sa.func.count()).select_from(User))
        return {"names": [u.name for u in items], "total": total}

    @app.post("/events")
    def events() -> str:
        event = Event(name="event")
        session.add(event)
        session.commit()
        return str(event.id)

    @app.get("/binds")
    def binds() -> str:
        user: t.Any = session.get(User, 1)
        item: t.Any = session.get(Item, 1)
        return f"{user.name} {item.name}"

    with app.app_context():
        seed(session(), User, Item)
    return app


def check(name: str, call: Callable[[], t.Any]) -> None:
    expect = {
        "get_or_404": 200,
        "missing id (404)": 404,
        "paginate page 3": 200,
        "insert + commit": 200,
        "two binds": 200,
    }[name]
    response = call()
    if response.status_code != expect:
        raise SystemExit(f"{name}: status {response.status_code}, expected {expect}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--per-round", type=int, default=50)
    args = parser.parse_args()

    from flask_sqlalchemy_typed import SQLAlchemy as Typed

    apps = {"hand-written": hand_app(), "typed": extension_app(Typed)}
    try:
        from flask_sqlalchemy import SQLAlchemy as Anchor
    except ImportError:
        print("flask_sqlalchemy is not importable: comparing with hand-written only")
    else:
        apps["flask-sqlalchemy 3.1"] = extension_app(Anchor)
    clients = {name: app.test_client() for name, app in apps.items()}
    calls = {
        (impl, kind): (lambda c=client, m=method, p=path: c.open(p, method=m))
        for impl, client in clients.items()
        for kind, (method, path) in REQUESTS.items()
    }
    for (_impl, kind), call in calls.items():
        for _ in range(20):
            check(kind, call)
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in calls}
    gc.collect()
    gc.disable()
    try:
        for _ in range(args.rounds):
            for key, call in calls.items():
                times = samples[key]
                for _ in range(args.per_round):
                    start = time.perf_counter_ns()
                    call()
                    times.append(time.perf_counter_ns() - start)
            gc.collect()
    finally:
        gc.enable()

    names = list(apps)
    header = f"{'request':<20}" + "".join(f"{n:>22}" for n in names)
    print(f"median µs per request, ratio to hand-written ({sa.__version__=})")
    print(header)
    misses: list[str] = []
    for kind in REQUESTS:
        base = statistics.median(samples[("hand-written", kind)]) / 1000
        cells = []
        for impl in names:
            med = statistics.median(samples[(impl, kind)]) / 1000
            ratio = med / base
            cells.append(f"{med:>10.1f} ({ratio:5.3f}x)")
            target = TARGETS.get(kind, DEFAULT_TARGET)
            if impl == "typed" and ratio > target:
                misses.append(f"{kind}: {ratio:.3f}x > {target}x")
        print(f"{kind:<20}" + "".join(f"{c:>22}" for c in cells))
    if misses:
        print("typed misses its target:", "; ".join(misses))


if __name__ == "__main__":
    main()
