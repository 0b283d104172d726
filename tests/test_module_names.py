"""Flask-SQLAlchemy 3.1's module-level names are importable from our same modules.

Code written for Flask-SQLAlchemy imports names from its submodules, not only from
the package: ``from flask_sqlalchemy.extension import Model``, ``from
flask_sqlalchemy.query import QueryPagination``, and in test fixtures the private
``from flask_sqlalchemy.session import _app_ctx_id``. After renaming the import,
each must resolve here, to this package's object of the same name.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import subprocess
import sys

import pytest

OURS = "flask_sqlalchemy_typed"
MODULES = (
    "",
    ".extension",
    ".model",
    ".session",
    ".query",
    ".table",
    ".pagination",
    ".record_queries",
    ".track_modifications",
    ".cli",
)
# Private names that apps and their test fixtures are seen importing.
PRIVATE = {
    ".session": ("_app_ctx_id", "_clause_to_engine"),
    ".extension": ("_app_ctx_id",),
    ".model": ("_QueryProperty",),
}


def _defined_names(module: str) -> list[str]:
    """The public names a Flask-SQLAlchemy 3.1 module defines or imports from the
    package itself (its re-exports), read from its source: not what it imports from
    Flask, SQLAlchemy or the standard library."""
    theirs = importlib.import_module(f"flask_sqlalchemy{module}")
    names: set[str] = set()
    for node in ast.parse(inspect.getsource(theirs)).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.update(alias.asname or alias.name for alias in node.names)
    return sorted(n for n in names if not n.startswith("_"))


def _expected() -> list[tuple[str, str]]:
    assert importlib.metadata.version("flask-sqlalchemy").startswith("3.1.")
    found = [(m, name) for m in MODULES for name in _defined_names(m)]
    found += [(m, name) for m, names in PRIVATE.items() for name in names]
    return found


def test_the_list_is_not_empty() -> None:
    expected = _expected()
    assert (".extension", "Model") in expected
    assert (".query", "QueryPagination") in expected
    assert len(expected) > 25


@pytest.mark.parametrize("module", MODULES)
def test_module_has_flask_sqlalchemy_names(module: str) -> None:
    ours = importlib.import_module(f"{OURS}{module}")
    missing = [
        name for m, name in _expected() if m == module and not hasattr(ours, name)
    ]
    assert not missing, f"{OURS}{module} lacks {missing}"


def test_reexports_are_our_own_objects() -> None:
    from flask_sqlalchemy_typed import extension
    from flask_sqlalchemy_typed import model
    from flask_sqlalchemy_typed import pagination
    from flask_sqlalchemy_typed import query
    from flask_sqlalchemy_typed import session

    assert extension.Model is model.Model
    assert extension.Query is query.Query
    assert extension.Session is session.Session
    assert extension.Pagination is pagination.Pagination
    assert extension.SelectPagination is pagination.SelectPagination
    assert query.QueryPagination is pagination.QueryPagination
    assert extension._app_ctx_id is session._app_ctx_id


def test_deferred_names_load_their_module_on_first_use() -> None:
    # The pagination module stays unloaded until one of its names is asked for.
    code = (
        "import sys\n"
        f"import {OURS}.extension, {OURS}.query\n"
        f"assert '{OURS}.pagination' not in sys.modules\n"
        f"from {OURS}.extension import SelectPagination\n"
        f"from {OURS}.pagination import SelectPagination as real\n"
        "assert SelectPagination is real\n"
        f"from {OURS}.query import QueryPagination\n"
        f"import {OURS}\n"
        f"assert {OURS}.pagination.QueryPagination is QueryPagination\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_name_is_an_attribute_error() -> None:
    from flask_sqlalchemy_typed import extension
    from flask_sqlalchemy_typed import query

    for module in (extension, query):
        with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
            module.Nope  # noqa: B018
