"""``SQLALCHEMY_TRACK_MODIFICATIONS`` and the commit signals."""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.track_modifications import before_models_committed
from flask_sqlalchemy_typed.track_modifications import models_committed

Changes = list[tuple[t.Any, str]]


def _models() -> tuple[type[sa_orm.DeclarativeBase], t.Any]:
    """A fresh base (one per extension instance) and its ``Item`` model."""

    class Base(sa_orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "track_item"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        title: sa_orm.Mapped[str | None] = sa_orm.mapped_column(
            sa.String(20), default=None
        )

    return Base, Item


@pytest.fixture
def models() -> tuple[type[sa_orm.DeclarativeBase], t.Any]:
    return _models()


@pytest.fixture(name="Item")
def item_model(models: tuple[type[sa_orm.DeclarativeBase], t.Any]) -> t.Any:
    return models[1]


@pytest.fixture
def tracking_db(
    app: Flask, models: tuple[type[sa_orm.DeclarativeBase], t.Any]
) -> Iterator[SQLAlchemy[t.Any]]:
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = True
    db = SQLAlchemy(app, model_class=models[0])
    with app.app_context():
        db.create_all()
        yield db
        db.session.remove()
        db.engine.dispose()


class Recorder:
    """Both signals' calls, as ``(signal name, sender, changes)``."""

    def __init__(self, app: Flask) -> None:
        self.calls: list[tuple[str, object, Changes]] = []
        self.app = app

    def before(self, sender: Flask, changes: Changes) -> None:
        self.calls.append(("before", sender, list(changes)))

    def after(self, sender: Flask, changes: Changes) -> None:
        self.calls.append(("after", sender, list(changes)))


@pytest.fixture
def recorder(app: Flask) -> Iterator[Recorder]:
    rec = Recorder(app)
    with before_models_committed.connected_to(rec.before, app):
        with models_committed.connected_to(rec.after, app):
            yield rec


def test_insert_update_delete(
    app: Flask, tracking_db: SQLAlchemy[t.Any], Item: t.Any, recorder: Recorder
) -> None:
    db = tracking_db
    item = Item(title="a")
    db.session.add(item)
    assert recorder.calls == []
    db.session.commit()
    assert recorder.calls == [
        ("before", app, [(item, "insert")]),
        ("after", app, [(item, "insert")]),
    ]
    recorder.calls.clear()
    item.title = "b"
    db.session.commit()
    assert recorder.calls == [
        ("before", app, [(item, "update")]),
        ("after", app, [(item, "update")]),
    ]
    recorder.calls.clear()
    db.session.delete(item)
    db.session.commit()
    assert recorder.calls == [
        ("before", app, [(item, "delete")]),
        ("after", app, [(item, "delete")]),
    ]


def test_sender_is_the_app_not_the_proxy(
    app: Flask, tracking_db: SQLAlchemy[t.Any], Item: t.Any, recorder: Recorder
) -> None:
    tracking_db.session.add(Item())
    tracking_db.session.commit()
    assert [type(sender) for _, sender, _ in recorder.calls] == [Flask, Flask]
    assert all(sender is app for _, sender, _ in recorder.calls)


def test_flushed_changes_are_sent_at_commit(
    tracking_db: SQLAlchemy[t.Any], Item: t.Any, recorder: Recorder
) -> None:
    a, b = Item(title="a"), Item(title="b")
    tracking_db.session.add(a)
    tracking_db.session.flush()
    tracking_db.session.add(b)
    tracking_db.session.commit()
    assert recorder.calls[-1][2] == [(a, "insert"), (b, "insert")]


def test_rollback_forgets_changes(
    tracking_db: SQLAlchemy[t.Any], Item: t.Any, recorder: Recorder
) -> None:
    tracking_db.session.add(Item(title="gone"))
    tracking_db.session.flush()
    tracking_db.session.rollback()
    kept = Item(title="kept")
    tracking_db.session.add(kept)
    tracking_db.session.commit()
    assert [changes for _, _, changes in recorder.calls] == [
        [(kept, "insert")],
        [(kept, "insert")],
    ]


def test_commit_without_changes_sends_nothing(
    tracking_db: SQLAlchemy[t.Any], Item: t.Any, recorder: Recorder
) -> None:
    tracking_db.session.execute(sa.select(Item)).all()
    tracking_db.session.commit()
    assert recorder.calls == []


def test_disabled_sends_nothing(app: Flask) -> None:
    base, Item = _models()
    db = SQLAlchemy(app, model_class=base)
    assert app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] is False
    rec = Recorder(app)
    with models_committed.connected_to(rec.after, app), app.app_context():
        db.create_all()
        db.session.add(Item())
        db.session.commit()
        db.engine.dispose()
    assert rec.calls == []


def test_other_apps_receivers_are_not_called(
    tracking_db: SQLAlchemy[t.Any], Item: t.Any, tmp_path: t.Any
) -> None:
    other = Flask("other", instance_path=str(tmp_path))
    rec = Recorder(other)
    with models_committed.connected_to(rec.after, other):
        tracking_db.session.add(Item())
        tracking_db.session.commit()
    assert rec.calls == []


def test_connect_via_decorator(
    app: Flask, tracking_db: SQLAlchemy[t.Any], Item: t.Any
) -> None:
    received: list[Changes] = []

    @models_committed.connect_via(app)
    def on_commit(sender: Flask, changes: Changes) -> None:
        received.append(changes)

    try:
        item = Item()
        tracking_db.session.add(item)
        tracking_db.session.commit()
    finally:
        models_committed.disconnect(on_commit, app)
    assert received == [[(item, "insert")]]


def test_two_apps_one_extension_send_once(tmp_path: t.Any) -> None:
    base, Item = _models()
    db = SQLAlchemy(model_class=base)
    apps = [Flask(f"app{i}", instance_path=str(tmp_path)) for i in range(2)]
    for app in apps:
        app.config.update(
            SQLALCHEMY_DATABASE_URI="sqlite://", SQLALCHEMY_TRACK_MODIFICATIONS=True
        )
        db.init_app(app)
    for app in apps:
        rec = Recorder(app)
        with models_committed.connected_to(rec.after, app), app.app_context():
            db.create_all()
            db.session.add(Item())
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        assert [(name, sender) for name, sender, _ in rec.calls] == [("after", app)]
