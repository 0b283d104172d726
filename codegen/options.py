"""The ``EngineOptions`` and ``SessionOptions`` TypedDicts, read from SQLAlchemy.

Keys and value types come from the installed SQLAlchemy's own signatures:

* ``EngineOptions``: the keyword arguments of the typed ``create_engine`` overload,
  plus ``url`` (Flask-SQLAlchemy takes the URL from the options), plus the keyword
  arguments that the bundled dialects' ``__init__`` methods accept (``create_engine``
  forwards its ``**kwargs`` to the dialect; those are typed ``Any``, since they
  differ per dialect).
* ``SessionOptions``: the keyword arguments of ``Session.__init__``, plus
  ``sessionmaker``'s ``class_`` (narrowed to our ``Session``, which takes ``db``),
  plus ``scopefunc`` (given to the scoped session). ``db`` is left out: the
  extension passes it itself.

Annotations are read with :mod:`ast` from SQLAlchemy's source. SQLAlchemy's private
type aliases (``_EchoFlagType``, ``IsolationLevel``, ...) are expanded to their
definitions, down to ``Literal``\\ s, builtins and classes, and written in today's
spelling (``X | None``, ``dict``). This keeps the stub readable, independent of
SQLAlchemy's private names, and cheap: pyright evaluates every entry of a TypedDict
used as a parameter type, and resolving the aliases' modules cost it ~0.4 s per run.
Classes are imported from the most public SQLAlchemy package that exports them.
Anything else (an attribute access, an unknown name) fails the generation.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import importlib.util
import inspect
import pkgutil
from pathlib import Path

import sqlalchemy
import sqlalchemy.dialects
import sqlalchemy.engine.default

from codegen.model import py_import

# Where SQLAlchemy's typed signature is narrower than what it accepts, or spells a
# sentinel: create_engine's execution_options are typed ``immutabledict`` (its
# ``**kwargs: Any`` fallback overload lets a dict through; a TypedDict has none),
# Session's are ``immutabledict | Mapping`` (any mapping is copied), and
# close_resets_only's ``_NoArg`` is the "not given" default.
_ENGINE_OVERRIDES = {"execution_options": "Mapping[str, Any]"}
_SESSION_OVERRIDES = {
    "execution_options": "Mapping[str, Any]",
    "close_resets_only": "bool",
}

_TYPING_TO_BUILTIN = {"Dict": "dict", "List": "list", "Type": "type", "Tuple": "tuple"}
_BUILTINS = {"None", "bool", "dict", "float", "int", "list", "str", "tuple", "type"}
_TYPING = {"Any": "typing", "Literal": "typing", "Optional": "", "Union": ""}
_ABC = {"Callable", "Mapping", "Sequence"}
# Packages whose re-exports are preferred for a class, most public first.
_PUBLIC = ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.engine", "sqlalchemy.pool")


@dataclasses.dataclass(frozen=True)
class Key:
    """One optional key of a TypedDict."""

    name: str
    annotation: str
    comment: str = ""


@functools.cache
def _source(module: str) -> ast.Module:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise LookupError(f"no source for {module}")
    return ast.parse(Path(spec.origin).read_text(encoding="utf-8"))


def _is_package(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    return spec is not None and spec.submodule_search_locations is not None


@functools.cache
def _names(module: str) -> dict[str, tuple[str, ast.expr | None]]:
    """Each module-level name: ``(defining module, alias value or None)``; a class
    has no value; an import points at the module it comes from."""
    out: dict[str, tuple[str, ast.expr | None]] = {}
    package = module if _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(_source(module)):
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, source] if source else base)
            for alias in node.names:
                out.setdefault(alias.asname or alias.name, (source, None))
    for stmt in _source(module).body:
        if isinstance(stmt, ast.ClassDef):
            out[stmt.name] = (module, None)
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                out[target.id] = (module, stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            out[stmt.target.id] = (module, stmt.value)
    return out


def _resolve(name: str, module: str) -> tuple[str, ast.expr | None]:
    """Follow imports to where ``name`` is defined."""
    for _ in range(10):
        if name not in _names(module):
            raise LookupError(f"{name!r} is not defined in {module}")
        source, value = _names(module)[name]
        if source == module:
            return module, value
        module = source
    raise LookupError(f"import cycle for {name!r}")


class _Expand(ast.NodeTransformer):
    """Expand SQLAlchemy's type aliases in one annotation, recording imports."""

    def __init__(self, module: str, imports: dict[str, set[str]]) -> None:
        self.module = module
        self.imports = imports

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if not isinstance(node.value, str):
            return node
        result: ast.AST = self.visit(ast.parse(node.value, mode="eval").body)
        return result

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        raise LookupError(f"cannot expand {ast.unparse(node)!r} in {self.module}")

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Literal":
            self.imports.setdefault("typing", set()).add("Literal")
            return node
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        name = _TYPING_TO_BUILTIN.get(node.id, node.id)
        if name in _BUILTINS:
            return ast.Name(name)
        if name in _TYPING:
            if _TYPING[name]:
                self.imports.setdefault(_TYPING[name], set()).add(name)
            return node
        if name in _ABC:
            self.imports.setdefault("collections.abc", set()).add(name)
            return node
        module, value = _resolve(name, self.module)
        if value is not None:
            result: ast.AST = _Expand(module, self.imports).visit(value)
            return result
        self.imports.setdefault(_public_module(name, module), set()).add(name)
        return node


def _public_module(name: str, module: str) -> str:
    """The most public package exporting the class defined in ``module``."""
    obj = getattr(importlib.import_module(module), name)
    for package in _PUBLIC:
        if getattr(importlib.import_module(package), name, None) is obj:
            return package
    return module


class _Modernise(ast.NodeTransformer):
    """``Optional[X]`` to ``X | None``, ``Union[A, B]`` to ``A | B``."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Literal":
            return node
        self.generic_visit(node)
        if isinstance(node.value, ast.Name):
            if node.value.id == "Optional":
                return ast.BinOp(node.slice, ast.BitOr(), ast.Constant(None))
            if node.value.id == "Union":
                items = (
                    node.slice.elts
                    if isinstance(node.slice, ast.Tuple)
                    else [node.slice]
                )
                out = items[0]
                for item in items[1:]:
                    out = ast.BinOp(out, ast.BitOr(), item)
                return out
        return node


def _function(module: str, qualname: str, pick: str | None = None) -> ast.FunctionDef:
    """A function by ``name`` or ``Class.name``; with ``pick``, the overload having
    a keyword-only parameter of that name."""
    scope: list[ast.stmt] = _source(module).body
    *owners, name = qualname.split(".")
    for owner in owners:
        scope = next(
            n.body for n in scope if isinstance(n, ast.ClassDef) and n.name == owner
        )
    for node in scope:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            if pick is None or pick in [a.arg for a in node.args.kwonlyargs]:
                return node
    raise LookupError(f"{qualname} not found in {module}")


def _keys(
    module: str,
    func: ast.FunctionDef,
    overrides: dict[str, str],
    imports: dict[str, set[str]],
) -> list[Key]:
    """The keyword parameters of a function as keys, recording their imports."""
    out: list[Key] = []
    for arg in [*func.args.args, *func.args.kwonlyargs]:
        if arg.arg in {"self", "url"} or arg.annotation is None:
            continue
        if arg.arg in overrides:
            out.append(Key(arg.arg, overrides[arg.arg]))
            continue
        annotation = _Expand(module, imports).visit(arg.annotation)
        annotation = _Modernise().visit(annotation)
        out.append(Key(arg.arg, ast.unparse(annotation)))
    return out


def _dialect_kwargs(known: set[str]) -> list[Key]:
    """Keyword arguments of the bundled dialects' ``__init__`` methods."""
    names: set[str] = set()
    for info in pkgutil.walk_packages(
        sqlalchemy.dialects.__path__, "sqlalchemy.dialects."
    ):
        if ".provision" in info.name or info.name.endswith("_testing"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for obj in vars(module).values():
            if not (
                inspect.isclass(obj)
                and issubclass(obj, sqlalchemy.engine.default.DefaultDialect)
            ):
                continue
            for cls in obj.__mro__:
                init = cls.__dict__.get("__init__")
                if init is None or not cls.__module__.startswith("sqlalchemy."):
                    continue
                for param in inspect.signature(init).parameters.values():
                    if param.kind in (param.KEYWORD_ONLY, param.POSITIONAL_OR_KEYWORD):
                        names.add(param.name)
    names -= known | {"self", "dbapi", "compiler_linting"}
    return [
        Key(name, "Any", "dialect-specific")
        for name in sorted(names)
        if not name.startswith("_")
    ]


@functools.cache
def options_context() -> dict[str, object]:
    """The context of the ``_options`` templates (stub and runtime)."""
    imports: dict[str, set[str]] = {"typing": {"Any"}, "collections.abc": {"Mapping"}}

    create = "sqlalchemy.engine.create"
    engine = _keys(
        create,
        _function(create, "create_engine", pick="future"),
        _ENGINE_OVERRIDES,
        imports,
    )
    engine.append(Key("url", "str | URL"))
    imports.setdefault("sqlalchemy", set()).add("URL")
    engine += _dialect_kwargs({k.name for k in engine})

    session_module = "sqlalchemy.orm.session"
    session = _keys(
        session_module,
        _function(session_module, "Session.__init__"),
        _SESSION_OVERRIDES,
        imports,
    )
    session.append(Key("class_", "type[Session]"))
    session.append(Key("scopefunc", "Callable[[], Any]"))
    imports.setdefault("flask_sqlalchemy_typed.session", set()).add("Session")
    imports["collections.abc"].add("Callable")

    option_imports = [
        f"from {module} import {name}"
        for module in sorted(imports)
        for name in sorted(imports[module])
    ]
    return {
        "option_imports": option_imports,
        "option_imports_py": [py_import(line) for line in option_imports],
        "engine_keys": sorted(engine, key=lambda k: k.name),
        "session_keys": sorted(session, key=lambda k: k.name),
    }
