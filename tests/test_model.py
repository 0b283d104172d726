"""db.Model for every model_class kind: naming, bind keys, repr, query, no copy."""

from __future__ import annotations

import re
import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import camel_to_snake_case
from flask_sqlalchemy_typed.model import DefaultMeta
from flask_sqlalchemy_typed.model import Model
from flask_sqlalchemy_typed.query import Query

from ._matrix import Database
from .conftest import make_model_class

KINDS_2X = ["declarative", "dataclass", "nometa", "dataclass_nometa"]


def _no_init(db: SQLAlchemy[t.Any]) -> t.Any:
    """``init=False`` for dataclass bases, nothing otherwise."""
    return {"init": False} if issubclass(db.Model, sa_orm.MappedAsDataclass) else {}


def _id_column(db: SQLAlchemy[t.Any]) -> t.Any:
    if issubclass(db.Model, sa_orm.MappedAsDataclass):
        return sa_orm.mapped_column(sa.Integer, primary_key=True, init=False)
    return sa_orm.mapped_column(sa.Integer, primary_key=True)


@pytest.mark.parametrize("kind", KINDS_2X)
def test_2x_base_is_not_copied(app: Flask, kind: str) -> None:
    base = make_model_class(kind)
    db = SQLAlchemy(app, model_class=base)
    assert db.Model is base
    assert db.metadata is base.metadata

    class UserAccount(base):  # type: ignore[valid-type, misc]
        id: sa_orm.Mapped[int] = _id_column(db)

    # subclassing the user's base directly gets the extension's features
    assert UserAccount.__tablename__ == "user_account"
    assert UserAccount.query_class is db.Query
    with app.app_context():
        assert isinstance(UserAccount.query, Query)


def test_type_annotation_map_kept(app: Flask) -> None:
    class Base(sa_orm.DeclarativeBase):
        type_annotation_map = {str: sa.String(37)}

    db = SQLAlchemy(app, model_class=Base)

    class Item(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str]

    assert Item.__table__.c.name.type.length == 37


def test_dataclass_init_kept(app: Flask) -> None:
    class Base(sa_orm.MappedAsDataclass, sa_orm.DeclarativeBase):
        pass

    db = SQLAlchemy(app, model_class=Base)

    class Pet(Base):
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True, init=False)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(20))

    pet = Pet(name="Rex")
    assert repr(pet) == "test_dataclass_init_kept.<locals>.Pet(id=None, name='Rex')"
    with pytest.raises(TypeError):
        Pet(nme="Rex")  # type: ignore[call-arg]
    with app.app_context():
        db.create_all()
        db.session.add(pet)
        db.session.commit()
        assert db.session.get(Pet, 1) is pet


def test_one_base_two_extensions(app: Flask) -> None:
    class Base(sa_orm.DeclarativeBase):
        pass

    SQLAlchemy(model_class=Base)
    with pytest.raises(RuntimeError, match="already the 'Model' of another"):
        SQLAlchemy(model_class=Base)


def test_default_model(app: Flask) -> None:
    db = SQLAlchemy(app)
    assert issubclass(db.Model, Model)
    assert isinstance(db.Model, DefaultMeta)
    assert db.Model.metadata is db.metadata
    other = SQLAlchemy()
    assert other.Model is not db.Model


def test_model_class_must_be_a_class() -> None:
    with pytest.raises(TypeError, match="'model_class' must be a class"):
        SQLAlchemy(model_class=42)  # type: ignore[call-overload]


def test_too_many_bases() -> None:
    class Base(sa_orm.DeclarativeBase, sa_orm.DeclarativeBaseNoMeta):
        pass

    with pytest.raises(ValueError, match="Only one declarative base"):
        SQLAlchemy(model_class=Base)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("User", "user"),
        ("UserAccount", "user_account"),
        ("HTTPResponse", "http_response"),
        ("HTTPResponseCode", "http_response_code"),
        ("ResponseHTTP", "response_http"),
        ("ResponseHTTP1", "response_http1"),
        ("Response2HTTP", "response2_http"),
        ("_Private", "private"),
        ("lower", "lower"),
        ("ABC", "abc"),
        ("ABCd", "ab_cd"),
    ],
)
def test_camel_to_snake_case(name: str, expected: str) -> None:
    assert camel_to_snake_case(name) == expected


@pytest.mark.usefixtures("app_ctx")
def test_naming_inheritance(db: SQLAlchemy[t.Any]) -> None:
    class Parent(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = _id_column(db)
        kind: sa_orm.Mapped[str] = sa_orm.mapped_column(
            sa.String,
            **_no_init(db),
        )
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "p"}

    class Single(Parent):
        __mapper_args__ = {"polymorphic_identity": "s"}

    class Joined(Parent):
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(
            sa.ForeignKey(Parent.id),
            primary_key=True,
            **_no_init(db),
        )
        __mapper_args__ = {"polymorphic_identity": "j"}

    assert Parent.__tablename__ == "parent"
    assert Single.__table__ is Parent.__table__
    assert "__tablename__" not in Single.__dict__
    assert Joined.__tablename__ == "joined"
    assert Joined.__table__ is not Parent.__table__


@pytest.mark.usefixtures("app_ctx")
def test_abstract_and_declared_attr(db: SQLAlchemy[t.Any]) -> None:
    class Abstract(db.Model):  # type: ignore[name-defined, misc]
        __abstract__ = True

        @sa_orm.declared_attr.directive
        def __tablename__(cls) -> str:
            return f"t_{cls.__name__.lower()}"

    class Thing(Abstract):
        id: sa_orm.Mapped[int] = _id_column(db)

    assert not hasattr(Abstract, "__table__")
    assert Thing.__tablename__ == "t_thing"


@pytest.mark.usefixtures("app_ctx")
def test_bind_key_inherited_from_abstract(
    app: Flask, database: Database, model_class: t.Any
) -> None:
    app.config["SQLALCHEMY_BINDS"] = {"other": database.bind_url("other")}
    db = SQLAlchemy(app, model_class=model_class)

    class OtherBase(db.Model):  # type: ignore[name-defined, misc]
        __abstract__ = True
        __bind_key__ = "other"

    class Thing(OtherBase):
        id: sa_orm.Mapped[int] = _id_column(db)

    assert Thing.metadata is db.metadatas["other"]
    assert db.metadatas["other"].info["bind_key"] == "other"
    db.create_all()
    assert db.session.get_bind(mapper=Thing) is db.engines["other"]
    assert sa.inspect(db.engines["other"]).has_table("thing")
    assert not sa.inspect(db.engine).has_table("thing")


def test_disable_autonaming(app: Flask, model_class: t.Any) -> None:
    db = SQLAlchemy(app, model_class=model_class, disable_autonaming=True)
    with pytest.raises(sa.exc.InvalidRequestError):

        class Nameless(db.Model):  # type: ignore[name-defined, misc]
            id: sa_orm.Mapped[int] = _id_column(db)


@pytest.mark.usefixtures("app_ctx")
def test_repr(db: SQLAlchemy[t.Any]) -> None:
    class Item(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = _id_column(db)

    db.create_all()
    item = Item()
    if issubclass(db.Model, sa_orm.MappedAsDataclass):
        assert repr(item).endswith("Item(id=None)")
        return
    assert repr(item) == f"<Item (transient {id(item)})>"
    db.session.add(item)
    assert repr(item) == f"<Item (pending {id(item)})>"
    db.session.flush()
    assert repr(item) == "<Item 1>"


def test_custom_repr_kept(app: Flask) -> None:
    class Base(sa_orm.DeclarativeBase):
        def __repr__(self) -> str:
            return "mine"

    db = SQLAlchemy(app, model_class=Base)

    class Item(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    assert repr(Item()) == "mine"


@pytest.mark.usefixtures("app_ctx")
def test_query_class_per_model(db: SQLAlchemy[t.Any]) -> None:
    class MyQuery(Query[t.Any]):
        pass

    class Item(db.Model):  # type: ignore[name-defined, misc]
        query_class = MyQuery
        id: sa_orm.Mapped[int] = _id_column(db)

    assert type(Item.query) is MyQuery
    assert Item.__fsa__ is db


def test_query_outside_app_context(db: SQLAlchemy[t.Any]) -> None:
    class Item(db.Model):  # type: ignore[name-defined, misc]
        id: sa_orm.Mapped[int] = _id_column(db)

    with pytest.raises(RuntimeError, match="application context"):
        _ = Item.query


_RULE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<!^)(?=[A-Z][a-z])")


@given(st.text(alphabet="aAbB0_zZ", max_size=12))
def test_camel_to_snake_case_rule(name: str) -> None:
    # the documented rule as a regex: "_" before a capital that follows a lower-case
    # letter or digit, or that (not first) precedes a lower-case letter
    assert camel_to_snake_case(name) == _RULE.sub("_", name).lower().lstrip("_")
