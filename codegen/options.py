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

Annotations are read with :mod:`ast` from SQLAlchemy's source, modernised
(``Optional[X]`` to ``X | None`` ...), and each name they use is imported from the
module SQLAlchemy imports it from. An unknown name fails the generation.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import pkgutil
from pathlib import Path

import sqlalchemy
import sqlalchemy.dialects
import sqlalchemy.engine.create
import sqlalchemy.engine.default
import sqlalchemy.orm.session

from codegen.model import py_import

_TYPING_TO_BUILTIN = {"Dict": "dict", "List": "list", "Type": "type", "Tuple": "tuple"}
# Where SQLAlchemy's typed overload is narrower than what create_engine accepts (its
# ``**kwargs: Any`` fallback overload lets a plain dict through; a TypedDict has no
# fallback): the engine's execution_options are typed ``immutabledict`` but any
# mapping is copied into one.
_ENGINE_OVERRIDES = {"execution_options": "Mapping[str, Any]"}

_BUILTINS = {"bool", "dict", "float", "int", "list", "str", "tuple", "type"}
_TYPING_NAMES = {"Any", "Callable", "Literal", "Mapping", "Sequence"}


@dataclasses.dataclass(frozen=True)
class Key:
    """One ``NotRequired`` key of a TypedDict."""

    name: str
    annotation: str
    comment: str = ""


class _Modernise(ast.NodeTransformer):
    """``Optional[X]`` to ``X | None``, ``Union[A, B]`` to ``A | B``, ``Dict`` to
    ``dict``; strips string quotes of forward references."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return node
            out: ast.AST = self.visit(parsed)
            return out
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Literal":
            return node
        self.generic_visit(node)
        if isinstance(node.value, ast.Name):
            name = node.value.id
            if name == "Optional":
                return ast.BinOp(node.slice, ast.BitOr(), ast.Constant(None))
            if name == "Union":
                items = (
                    node.slice.elts
                    if isinstance(node.slice, ast.Tuple)
                    else [node.slice]
                )
                out = items[0]
                for item in items[1:]:
                    out = ast.BinOp(out, ast.BitOr(), item)
                return out
            if name in _TYPING_TO_BUILTIN:
                node.value = ast.Name(_TYPING_TO_BUILTIN[name])
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _TYPING_TO_BUILTIN:
            return ast.Name(_TYPING_TO_BUILTIN[node.id])
        return node


def _module_imports(path: Path, package: str) -> dict[str, str]:
    """Name to absolute module, for every ``from x import y`` in a source file and
    every name it defines at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for stmt in tree.body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        elif isinstance(stmt, ast.ClassDef):
            out[stmt.name] = package
        out.update((n.id, package) for n in targets if isinstance(n, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level]
                module = ".".join([*base, module] if module else base)
            for alias in node.names:
                out[alias.asname or alias.name] = module
    return out


def _function(path: Path, qualname: str, pick: str | None = None) -> ast.FunctionDef:
    """A function by ``name`` or ``Class.name``; with ``pick``, the overload having
    a parameter of that name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scope: list[ast.stmt] = tree.body
    *owners, name = qualname.split(".")
    for owner in owners:
        scope = next(
            n.body for n in scope if isinstance(n, ast.ClassDef) and n.name == owner
        )
    for node in scope:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            args = [a.arg for a in node.args.kwonlyargs]
            if pick is None or pick in args:
                return node
    raise LookupError(f"{qualname} not found in {path}")


def _keys(
    func: ast.FunctionDef, names: dict[str, str], imports: dict[str, set[str]]
) -> list[Key]:
    """The keyword parameters of a function as keys, recording their imports."""
    params = [*func.args.args, *func.args.kwonlyargs]
    out: list[Key] = []
    for arg in params:
        if arg.arg in {"self", "url"} or arg.annotation is None:
            continue
        annotation = _Modernise().visit(arg.annotation)
        for node in ast.walk(annotation):
            if isinstance(node, ast.Name) and node.id not in _BUILTINS:
                _record_import(node.id, names, imports)
        out.append(Key(arg.arg, ast.unparse(annotation)))
    return out


def _record_import(
    name: str, names: dict[str, str], imports: dict[str, set[str]]
) -> None:
    if name in _TYPING_NAMES:
        module = "typing"
    elif name in names:
        module = names[name]
    else:
        raise LookupError(f"no import for {name!r} in SQLAlchemy's source")
    if module in {"typing", "typing_extensions", "collections.abc"}:
        module = "collections.abc" if name in {"Callable", "Mapping"} else "typing"
    imports.setdefault(module, set()).add(name)


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
    names -= known | {"self", "dbapi", "compiler_linting", "_json_serializer"}
    return [
        Key(name, "Any", "dialect-specific")
        for name in sorted(names)
        if not name.startswith("_")
    ]


def _render_imports(imports: dict[str, set[str]]) -> list[str]:
    return [
        f"from {module} import {name}"
        for module in sorted(imports)
        for name in sorted(imports[module])
    ]


@functools.cache
def options_context() -> dict[str, object]:
    """The context of ``templates/stubs/_options.pyi.jinja``."""
    imports: dict[str, set[str]] = {"typing": {"Any"}}

    create_py = Path(inspect.getfile(sqlalchemy.engine.create))
    engine_names = _module_imports(create_py, "sqlalchemy.engine.create")
    engine = [
        dataclasses.replace(key, annotation=_ENGINE_OVERRIDES[key.name])
        if key.name in _ENGINE_OVERRIDES
        else key
        for key in _keys(
            _function(create_py, "create_engine", pick="future"), engine_names, imports
        )
    ]
    _record_import("Mapping", engine_names, imports)
    engine.append(Key("url", "str | URL"))
    _record_import("URL", engine_names, imports)
    engine += _dialect_kwargs({k.name for k in engine})

    session_py = Path(inspect.getfile(sqlalchemy.orm.session))
    session_names = _module_imports(session_py, "sqlalchemy.orm.session")
    session_names.update(
        Session="flask_sqlalchemy_typed.session",
        Query="sqlalchemy.orm.query",
    )
    session = _keys(_function(session_py, "Session.__init__"), session_names, imports)
    session.append(Key("class_", "type[Session]"))
    session.append(Key("scopefunc", "Callable[[], Any]"))
    _record_import("Session", session_names, imports)
    _record_import("Callable", session_names, imports)

    return {
        "option_imports": _render_imports(imports),
        "option_imports_py": [py_import(line) for line in _render_imports(imports)],
        "engine_keys": sorted(engine, key=lambda k: k.name),
        "session_keys": sorted(session, key=lambda k: k.name),
    }
