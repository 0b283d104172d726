"""Static view of SQLAlchemy's source: bindings, import chains, annotations.

Checkers see what the source declares, not what the runtime holds, so the
generator follows imports in the parsed source (``if TYPE_CHECKING:`` branches
first) to the module that defines each name.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import re
import typing as t
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from pathlib import Path

Def = ast.FunctionDef | ast.AsyncFunctionDef
_IGNORE_RE = re.compile(r"#\s*type:\s*ignore\[([^\]]+)\]")


@dataclass(frozen=True)
class _Binding:
    """A static binding: ``def`` (node), ``from`` (module, name) or ``module``."""

    kind: str
    node: ast.stmt | None = None
    module: str = ""
    name: str = ""


@dataclass
class ModuleIndex:
    """The top-level bindings of one SQLAlchemy module's source."""

    name: str
    lines: list[str]
    bindings: dict[str, _Binding] = field(default_factory=dict)
    functions: dict[str, list[Def]] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)


@cache
def index(modname: str) -> ModuleIndex:
    """Parse a module's source and record its top-level bindings."""
    spec = importlib.util.find_spec(modname)
    if spec is None or spec.origin is None:
        raise LookupError(f"no source for {modname}")
    path = Path(spec.origin)
    if path.suffix != ".py":  # a compiled (Cython) module ships its .py beside it
        path = path.with_name(path.name.partition(".")[0] + ".py")
    source = path.read_text(encoding="utf-8")
    idx = ModuleIndex(modname, source.splitlines())
    is_package = path.name == "__init__.py"
    package = modname if is_package else modname.rpartition(".")[0]
    _collect(idx, ast.parse(source).body, package, preferred=False, versioned=False)
    return idx


def _collect(
    idx: ModuleIndex,
    body: list[ast.stmt],
    package: str,
    *,
    preferred: bool,
    versioned: bool,
) -> None:
    """Record bindings; those under ``if TYPE_CHECKING:`` win over runtime ones.

    A name bound under an ``if sys.version_info`` test counts as defined in this
    module, since the branch a checker takes depends on its Python version.
    """

    def bind(name: str, binding: _Binding, exported: bool) -> None:
        if versioned:
            binding = _Binding("def", binding.node)
        if preferred or name not in idx.bindings:
            idx.bindings[name] = binding
        if exported:
            idx.exported.add(name)

    for stmt in body:
        if isinstance(stmt, ast.If):
            test = ast.unparse(stmt.test)
            checking = test in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
            ver = versioned or "version_info" in test
            _collect(
                idx, stmt.body, package, preferred=preferred or checking, versioned=ver
            )
            _collect(
                idx,
                stmt.orelse,
                package,
                preferred=preferred and not checking,
                versioned=ver,
            )
        elif isinstance(stmt, ast.Try):
            for part in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                _collect(idx, part, package, preferred=preferred, versioned=versioned)
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                parent = package.rsplit(".", stmt.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            for a in stmt.names:
                local = a.asname or a.name
                bind(
                    local,
                    _Binding("from", module=base, name=a.name),
                    a.asname == a.name,
                )
        elif isinstance(stmt, ast.Import):
            for a in stmt.names:
                local = a.asname or a.name.partition(".")[0]
                module = a.name if a.asname else local
                bind(local, _Binding("module", module=module), a.asname == local)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if not isinstance(stmt, ast.ClassDef):
                idx.functions.setdefault(stmt.name, []).append(stmt)
            bind(stmt.name, _Binding("def", stmt), True)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for n in (n for target in targets for n in ast.walk(target)):
                if isinstance(n, ast.Name):
                    bind(n.id, _Binding("def", stmt), True)
            if ast.unparse(targets[0]) == "__all__" and isinstance(
                stmt.value, ast.List
            ):
                idx.exported |= {
                    str(e.value) for e in stmt.value.elts if isinstance(e, ast.Constant)
                }


def is_sqlalchemy(modname: str) -> bool:
    return modname == "sqlalchemy" or modname.startswith("sqlalchemy.")


def _is_module(modname: str) -> bool:
    try:
        return importlib.util.find_spec(modname) is not None
    except ModuleNotFoundError:
        return False


def resolve(modname: str, name: str) -> tuple[str, str]:
    """Follow imports to where ``modname.name`` is defined.

    :return: ``(module, name)`` of the definition, or ``(module, "")`` when the
        name is a module; outside SQLAlchemy the import is taken at its word.
    """
    for _ in range(50):
        binding = index(modname).bindings.get(name) if is_sqlalchemy(modname) else None
        if binding is None:
            if _is_module(f"{modname}.{name}"):
                return f"{modname}.{name}", ""
            if not is_sqlalchemy(modname):
                return modname, name
            if hasattr(builtins, name):
                return "builtins", name
            raise LookupError(f"{modname}.{name} is not statically defined")
        if binding.kind != "from":
            return (modname, name) if binding.kind == "def" else (binding.module, "")
        modname, name = binding.module, binding.name
    raise LookupError(f"import cycle at {modname}.{name}")


def ignore_codes(lines: list[str]) -> list[str]:
    """Return the ``type: ignore`` codes on a signature's source lines.

    ``empty-body`` is dropped: a stub never has that error.
    """
    found = (
        c.strip()
        for ln in lines
        for m in _IGNORE_RE.finditer(ln)
        for c in m[1].split(",")
    )
    return sorted(set(found) - {"empty-body"})


def has_source(obj: object) -> bool:
    """Tell a compiled (Cython) SQLAlchemy function, whose ``.py`` source ships too."""
    modname, name = getattr(obj, "__module__", None), getattr(obj, "__name__", None)
    if not (callable(obj) and isinstance(modname, str) and isinstance(name, str)):
        return False
    return is_sqlalchemy(modname) and name in index(modname).functions


class Rewriter(ast.NodeTransformer):
    """Rewrite an annotation to the private aliases of its definitions."""

    def __init__(self, ref: t.Callable[[str, str], str], modname: str) -> None:
        self.ref = ref  # imports ``(module, name)`` and returns the name to write
        self.modname = modname
        self.literal = False  # inside ``Literal[...]``: strings are values
        self.subscripted = False  # visiting the ``X`` of ``X[...]``

    def _target(self, node: ast.expr) -> tuple[str, str] | None:
        """Resolve a ``Name`` or a dotted ``Attribute`` chain, else ``None``."""
        if isinstance(node, ast.Name):
            return resolve(self.modname, node.id)
        if isinstance(node, ast.Attribute) and (base := self._target(node.value)):
            return resolve(base[0], node.attr) if base[1] == "" else None
        return None

    def _ref(self, node: ast.expr) -> ast.expr | None:
        if (target := self._target(node)) is None or target[1] == "":
            return None
        name = self.ref(*target)
        if self.subscripted or not (params := _type_params(*target)):
            return ast.Name(name)
        any_ = self.ref("typing", "Any")  # a bare generic means Any arguments
        unpack = f"{self.ref('typing_extensions', 'Unpack')}[tuple[{any_}, ...]]"
        args = [unpack if type(p).__name__ == "TypeVarTuple" else any_ for p in params]
        return ast.parse(f"{name}[{', '.join(args)}]", mode="eval").body

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self._ref(node) or node

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        return self._ref(node) or t.cast(ast.expr, self.generic_visit(node))

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        if isinstance(node.value, str) and not self.literal:  # stubs need no quotes
            return t.cast(ast.expr, self.visit(ast.parse(node.value, mode="eval").body))
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        kind = (self._target(node.value) or ("", ""))[1]
        if kind in {"Optional", "Union"}:  # X | Y, as ruff UP007 and UP045 want
            elts = (
                node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            )
            parts = [t.cast(ast.expr, self.visit(e)) for e in elts]
            if kind == "Optional":
                parts.append(ast.Constant(None))
            union = parts[0]
            for part in parts[1:]:
                union = ast.BinOp(union, ast.BitOr(), part)
            return union
        if kind == "Annotated" and isinstance(node.slice, ast.Tuple):
            return t.cast(ast.expr, self.visit(node.slice.elts[0]))
        self.subscripted = True
        node.value = t.cast(ast.expr, self.visit(node.value))
        self.subscripted, literal = False, self.literal
        self.literal = literal or kind == "Literal"
        node.slice = t.cast(ast.expr, self.visit(node.slice))
        self.literal = literal
        return node


def _type_params(modname: str, name: str) -> tuple[object, ...]:
    """Return the type parameters of a SQLAlchemy generic class, else ``()``."""
    obj = (
        getattr(importlib.import_module(modname), name, None)
        if is_sqlalchemy(modname)
        else None
    )
    return tuple(getattr(obj, "__parameters__", ())) if isinstance(obj, type) else ()
