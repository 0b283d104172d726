"""Every public name of ``flask_sqlalchemy_typed`` appears in the API reference.

:func:`public_names` lists the package's public surface from its stubs (the typing
contract shipped in the wheel): each public module, each public name a module
defines (``__all__`` where a module has one), and each public member of a public
class. A member that the runtime class resolves through ``__getattr__`` (the
``db.Column``, ``db.select``, ... names of ``sqlalchemy`` and ``sqlalchemy.orm``)
is SQLAlchemy's own API: the reference describes those in one place instead.

As a Sphinx extension, this warns (an error under ``-W``) for each public name
the build did not document. ``tests/test_docs.py`` runs the same comparison
against a built ``objects.inv``.
"""

from __future__ import annotations

import ast
import importlib
import typing as t
from collections.abc import Iterable
from pathlib import Path

if t.TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

PACKAGE = "flask_sqlalchemy_typed"
STUBS = Path(__file__).resolve().parents[2] / "stubs" / PACKAGE


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def _targets(node: ast.stmt) -> list[str]:
    """The names a class or module body statement defines."""
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.Assign):
        return [n.id for n in node.targets if isinstance(n, ast.Name)]
    return []


def _dunder_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and "__all__" in _targets(node):
            value = ast.literal_eval(node.value)
            return [str(name) for name in value]
    return None


def _runtime_defines(cls: type, name: str) -> bool:
    """Whether the runtime class (or a base) defines or annotates ``name``."""
    for klass in cls.__mro__:
        if name in vars(klass) or name in vars(klass).get("__annotations__", {}):
            return True
    return False


def _class_members(module: str, node: ast.ClassDef) -> list[str]:
    runtime = getattr(importlib.import_module(module), node.name)
    proxies = "__getattr__" in vars(runtime)
    members: list[str] = []
    for item in node.body:
        for name in _targets(item):
            if not _is_public(name) or name in members:
                continue
            if proxies and not _runtime_defines(runtime, name):
                continue  # resolved by __getattr__: one of SQLAlchemy's names
            members.append(name)
    return members


def public_modules() -> list[str]:
    """The public modules, from the stub files."""
    names = []
    for path in sorted(STUBS.glob("*.pyi")):
        if path.stem == "__init__":
            names.append(PACKAGE)
        elif _is_public(path.stem):
            names.append(f"{PACKAGE}.{path.stem}")
    return names


def public_names() -> list[str]:
    """Every public name, fully qualified, modules included."""
    found: list[str] = []
    for module in public_modules():
        found.append(module)
        stem = "__init__" if module == PACKAGE else module.rpartition(".")[2]
        tree = ast.parse((STUBS / f"{stem}.pyi").read_text(encoding="utf-8"))
        exported = _dunder_all(tree)
        for node in tree.body:
            for name in _targets(node):
                if not _is_public(name) or name == "__all__":
                    continue
                if exported is not None and name not in exported:
                    continue
                found.append(f"{module}.{name}")
                if isinstance(node, ast.ClassDef):
                    found.extend(
                        f"{module}.{name}.{member}"
                        for member in _class_members(module, node)
                    )
        if exported is not None:
            defined = {n for node in tree.body for n in _targets(node)}
            found.extend(f"{module}.{name}" for name in exported if name not in defined)
    return sorted(set(found))


def _aliases() -> dict[str, str]:
    """Re-exported name -> where the object is defined, e.g.
    ``flask_sqlalchemy_typed.SQLAlchemy`` -> ``...extension.SQLAlchemy``."""
    package = importlib.import_module(PACKAGE)
    out: dict[str, str] = {}
    for name in getattr(package, "__all__", []):
        obj = getattr(package, name)
        home = f"{obj.__module__}.{obj.__qualname__}"
        if home != f"{PACKAGE}.{name}":
            out[f"{PACKAGE}.{name}"] = home
    return out


def missing(documented: Iterable[str]) -> list[str]:
    """The public names not in ``documented`` (qualified names, as in an
    ``objects.inv``). A re-exported class documented under either of its names,
    with its members under that name, counts."""
    have = set(documented)
    aliases = _aliases()
    out = []
    for name in public_names():
        spellings = {name}
        for alias, home in aliases.items():
            for a, b in ((alias, home), (home, alias)):
                if name == a or name.startswith(a + "."):
                    spellings.add(b + name[len(a) :])
        if not spellings & have:
            out.append(name)
    return out


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    from sphinx.util import logging

    domain = env.domains["py"]
    documented = {name for name, *_ in domain.get_objects()}
    logger = logging.getLogger(__name__)
    for name in missing(documented):
        logger.warning(
            "public name %s is not in the API reference: add it to docs/api.rst",
            name,
            type="public_api",
        )


def setup(app: Sphinx) -> dict[str, t.Any]:
    app.connect("env-check-consistency", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
