"""db.<name>: SQLAlchemy's names at runtime, and the stub listing every one of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.event as sa_event
import sqlalchemy.orm as sa_orm

from codegen.sa_proxies import public_names
from flask_sqlalchemy_typed import SQLAlchemy

STUB = Path(__file__).parents[1] / "stubs" / "flask_sqlalchemy_typed" / "extension.pyi"


def _stub_members() -> set[str]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    cls = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "SQLAlchemy"
    )
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_stub_lists_every_public_sqlalchemy_name() -> None:
    # Fails after a SQLAlchemy upgrade that adds names: run `python -m codegen`.
    missing = set(public_names()) - _stub_members()
    assert not missing, (
        f"regenerate the stubs; missing from extension.pyi: {sorted(missing)}"
    )


def test_stub_has_no_getattr() -> None:
    assert "__getattr__" not in _stub_members()


def test_runtime_resolves_every_name() -> None:
    db = SQLAlchemy()
    real = set(dir(SQLAlchemy)) | set(vars(db))
    for name in public_names():
        if name in real:
            continue  # real members of the extension win (engine, session, ...)
        value = getattr(db, name)
        if name == "relation":
            assert value == db._relation
        elif name == "event":
            assert value is sa_event
        else:
            expected = getattr(sa, name, None) or getattr(sa_orm, name)
            assert value is expected, name


def test_real_members_take_precedence() -> None:
    db = SQLAlchemy()
    assert db.Table is not sa.Table and issubclass(db.Table, sa.Table)
    assert db.relationship.__self__ is db  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["_private", "__nope__", "Colum"])
def test_unknown_and_private_names(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(SQLAlchemy(), name)


def test_relationship_sets_query_class() -> None:
    db = SQLAlchemy()
    prop = db.relationship("User", lazy="dynamic", backref="posts")
    assert prop.query_class is db.Query
    assert prop.backref == ("posts", {"query_class": db.Query})
