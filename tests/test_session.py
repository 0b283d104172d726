"""db.session: scope, teardown, and bind routing."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.session import Session

from ._matrix import Database


def _id(db: SQLAlchemy[t.Any], *args: t.Any) -> t.Any:
    extra: t.Any = (
        {"init": False} if issubclass(db.Model, sa_orm.MappedAsDataclass) else {}
    )
    return sa_orm.mapped_column(*args, primary_key=True, **extra)


def test_scoped_to_app_context(app: Flask) -> None:
    db = SQLAlchemy(app)
    with app.app_context():
        first = db.session()
        assert first is db.session()
        assert isinstance(first, Session)
    with app.app_context():
        assert db.session() is not first


def test_removed_at_teardown(app: Flask) -> None:
    db = SQLAlchemy(app)
    with app.app_context():
        session = db.session()
        session.execute(sa.text("SELECT 1"))
        assert session.in_transaction()
    assert not session.in_transaction()
    with app.app_context():
        assert not db.session.registry.has()


def test_scopefunc_overrides(app: Flask) -> None:
    db = SQLAlchemy(app, session_options={"scopefunc": lambda: "fixed"})
    assert db.session() is db.session()  # no app context needed for the scope


def test_session_options_passed(app: Flask) -> None:
    db = SQLAlchemy(app, session_options={"expire_on_commit": False})
    with app.app_context():
        assert db.session().expire_on_commit is False


@pytest.fixture
def two_binds(app: Flask, database: Database, model_class: t.Any) -> SQLAlchemy[t.Any]:
    app.config["SQLALCHEMY_BINDS"] = {
        "a": database.bind_url("a"),
        "b": database.bind_url("b"),
    }
    return SQLAlchemy(app, model_class=model_class)


@pytest.mark.usefixtures("app_ctx")
def test_routing(two_binds: SQLAlchemy[t.Any]) -> None:
    db = two_binds

    class Plain(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = _id(db)

    class OnA(db.Model):  # type: ignore[name-defined, misc]
        __bind_key__ = "a"
        id: sa_orm.Mapped[int] = _id(db)

    table_b = db.Table(
        "on_b", sa.Column("id", sa.Integer, primary_key=True), bind_key="b"
    )
    session = db.session
    assert session.get_bind(mapper=Plain) is db.engine
    assert session.get_bind(mapper=OnA) is db.engines["a"]
    assert session.get_bind(clause=table_b) is db.engines["b"]
    assert session.get_bind(clause=sa.insert(table_b)) is db.engines["b"]
    assert session.get_bind(clause=sa.update(OnA.__table__)) is db.engines["a"]
    assert session.get_bind(clause=sa.delete(table_b)) is db.engines["b"]
    assert session.get_bind(clause=sa.select(table_b)) is db.engine
    explicit = db.engines["b"]
    assert session.get_bind(mapper=OnA, bind=explicit) is explicit

    db.create_all()
    session.execute(sa.insert(table_b).values(id=7))
    session.add(OnA())
    session.commit()
    # a Core select is not routed by its tables (as in Flask-SQLAlchemy): bind it
    on_b = {"bind": db.engines["b"]}
    assert (
        session.execute(sa.select(table_b.c.id), bind_arguments=on_b).scalar_one() == 7
    )
    assert session.scalars(sa.select(OnA)).one().id == 1


@pytest.mark.usefixtures("app_ctx")
def test_joined_inheritance_routing(two_binds: SQLAlchemy[t.Any]) -> None:
    db = two_binds

    class Person(db.Model):  # type: ignore[name-defined, misc]
        __bind_key__ = "a"
        id: sa_orm.Mapped[int] = _id(db)

    class Staff(Person):
        id: sa_orm.Mapped[int] = _id(db, sa.ForeignKey(Person.id))

    assert db.session.get_bind(mapper=Staff) is db.engines["a"]


@pytest.mark.usefixtures("app_ctx")
def test_unmapped_class(two_binds: SQLAlchemy[t.Any]) -> None:
    class NotAModel:
        pass

    with pytest.raises(sa_orm.exc.UnmappedClassError):
        two_binds.session.get_bind(mapper=NotAModel)


def test_missing_bind_key(app: Flask) -> None:
    db = SQLAlchemy(app)
    table = db.Table("t", sa.Column("id", sa.Integer), bind_key="nope")
    with app.app_context():
        with pytest.raises(sa.exc.UnboundExecutionError) as info:
            db.session.get_bind(clause=table)
        assert str(info.value) == "Bind key 'nope' is not in 'SQLALCHEMY_BINDS' config."
        with pytest.raises(sa.exc.UnboundExecutionError) as info:
            db.create_all(bind_key="nope")
        assert str(info.value) == "Bind key 'nope' is not in 'SQLALCHEMY_BINDS' config."


def test_no_default_engine(app: Flask) -> None:
    del app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_BINDS"] = {"a": "sqlite://"}
    db = SQLAlchemy(app)
    with app.app_context():
        assert None not in db.engines
        with pytest.raises(sa.exc.UnboundExecutionError) as info:
            db.create_all(bind_key=None)
        assert str(info.value) == (
            "'SQLALCHEMY_DATABASE_URI' config is not set. Bind key 'None' is not in"
            " 'SQLALCHEMY_BINDS' config."
        )


@pytest.mark.usefixtures("app_ctx")
@pytest.mark.parametrize(
    ("bind_key", "created"),
    [
        ("__all__", {None, "a", "b"}),
        (None, {None}),
        ("a", {"a"}),
        (["a", None], {"a", None}),
    ],
)
def test_create_drop_all(
    two_binds: SQLAlchemy[t.Any], bind_key: t.Any, created: set[str | None]
) -> None:
    db = two_binds
    for key in (None, "a", "b"):
        db.Table(
            f"t_{key}", sa.Column("id", sa.Integer, primary_key=True), bind_key=key
        )

    def existing() -> set[str | None]:
        return {
            key
            for key in (None, "a", "b")
            if sa.inspect(db.engines[key]).has_table(f"t_{key}")
        }

    db.create_all(bind_key)
    assert existing() == created
    db.drop_all(bind_key)
    assert existing() == set()


@pytest.mark.usefixtures("app_ctx")
def test_reflect(app: Flask, database: Database) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"a": database.bind_url("a")}
    db = SQLAlchemy(app)
    with db.engines["a"].begin() as conn:
        conn.execute(sa.text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
    db.reflect(bind_key="a")
    assert "legacy" in db.metadatas["a"].tables
    assert "legacy" not in db.metadata.tables


def _clauses() -> dict[str, tuple[t.Any, str | None]]:
    """Clauses, and the bind key ``_clause_to_engine`` finds for each (or None)."""
    keyed = sa.MetaData(info={"bind_key": "a"})
    default = sa.MetaData(info={"bind_key": None})
    plain = sa.MetaData()
    a = sa.Table("a", keyed, sa.Column("id", sa.Integer, primary_key=True))
    d = sa.Table("d", default, sa.Column("id", sa.Integer, primary_key=True))
    p = sa.Table("p", plain, sa.Column("id", sa.Integer, primary_key=True))
    return {
        "table": (a, "a"),
        "default table": (d, None),
        "insert": (sa.insert(a), "a"),
        "update": (sa.update(a).values(id=1), "a"),
        "delete": (sa.delete(a), "a"),
        "select": (sa.select(a), "-"),
        "text": (sa.text("SELECT 1"), "-"),
        "no bind_key info": (p, "-"),
        "none": (None, "-"),
    }


@pytest.mark.parametrize("name", list(_clauses()))
def test_clause_to_engine(name: str) -> None:
    # Flask-SQLAlchemy 3.1's helper, where it keeps it: apps and their tests import it.
    from flask_sqlalchemy_typed.session import _clause_to_engine

    clause, key = _clauses()[name]
    engines = {None: sa.create_engine("sqlite://"), "a": sa.create_engine("sqlite://")}
    expected = None if key == "-" else engines[key]
    assert _clause_to_engine(clause, engines) is expected
    flask_sqlalchemy_session = pytest.importorskip("flask_sqlalchemy.session")
    theirs = flask_sqlalchemy_session._clause_to_engine(clause, engines)
    assert theirs is expected


def test_clause_to_engine_missing_bind() -> None:
    from flask_sqlalchemy_typed.session import _clause_to_engine

    clause, _ = _clauses()["table"]
    with pytest.raises(sa.exc.UnboundExecutionError) as info:
        _clause_to_engine(clause, {None: sa.create_engine("sqlite://")})
    assert str(info.value) == "Bind key 'a' is not in 'SQLALCHEMY_BINDS' config."


def test_app_ctx_id(app: Flask) -> None:
    # As apps' fixtures use it: `from flask_sqlalchemy.session import _app_ctx_id`.
    from flask.globals import app_ctx

    from flask_sqlalchemy_typed import extension
    from flask_sqlalchemy_typed.session import _app_ctx_id

    assert extension._app_ctx_id is _app_ctx_id
    with app.app_context():
        first = _app_ctx_id()
        assert first == id(app_ctx._get_current_object())  # type: ignore[attr-defined]
        with app.app_context():
            assert _app_ctx_id() != first
        assert _app_ctx_id() == first
    with pytest.raises(RuntimeError, match="application context"):
        _app_ctx_id()


def test_session_scope_is_app_ctx_id(app: Flask) -> None:
    from flask_sqlalchemy_typed.session import _app_ctx_id

    db = SQLAlchemy(app)
    with app.app_context():
        session = db.session()
        assert db.session.registry.registry[_app_ctx_id()] is session
