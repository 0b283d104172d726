"""Exact stub members for the names ``SQLAlchemy.__getattr__`` proxies.

Flask-SQLAlchemy resolves any public name of :mod:`sqlalchemy`, then of
:mod:`sqlalchemy.orm`, on the extension at runtime. This module introspects the
installed SQLAlchemy and writes one class-body block per name:

- a class or type alias becomes a class-level alias, ``Column = _sa_sql_schema_Column``;
- a function becomes its complete overload set, re-emitted from SQLAlchemy's
  source as ``@staticmethod`` defs: ``staticmethod(f)`` keeps one overload and
  a plain ``f = sa.f`` alias is bound to ``self`` by both checkers;
- a module becomes a nested namespace class holding the module's static public
  names, because mypy types a module stored on a class as ``ModuleType``;
- an enum member becomes ``Literal[Enum.MEMBER]``, another object its declared
  annotation, else its runtime class.

Every name is imported from the module that defines it, under a private alias
such as ``_sa_sql_schema_Column``: the blocks cannot collide with the extension
stub's own names and satisfy ``no_implicit_reexport``. Defs stay on one line so
that ``type: ignore`` and ``pyright: ignore`` comments stay on the reported line.
"""

from __future__ import annotations

import ast
import copy
import enum
import importlib
import inspect
import json
import subprocess
import sys
import types
import typing as t
from dataclasses import dataclass
from functools import cache

from codegen._sa_source import Def
from codegen._sa_source import has_source
from codegen._sa_source import ignore_codes
from codegen._sa_source import index
from codegen._sa_source import is_sqlalchemy
from codegen._sa_source import ModuleIndex
from codegen._sa_source import resolve
from codegen._sa_source import Rewriter

#: Modules searched by ``__getattr__``, in precedence order.
_ROOTS = ("sqlalchemy", "sqlalchemy.orm")
#: What ``import flask_sqlalchemy`` imports. A submodule becomes an attribute of
#: its package only once imported, so this fixes the set of proxied modules.
_BASELINE = ("sqlalchemy", "sqlalchemy.event", "sqlalchemy.exc", "sqlalchemy.orm")
#: ``db.relation`` is the extension's ``relationship`` wrapper under an old name.
_METHOD_ALIASES = {"relation": "sqlalchemy.orm.relationship"}
#: SQLAlchemy functions whose TypeVars pyright strict rejects ("appears only
#: once", "may go unsolved"); pyright reports a stale entry as unnecessary.
_PYRIGHT_TYPEVAR_USE = frozenset(
    {
        "sqlalchemy.orm._orm_constructors.query_expression",
        "sqlalchemy.orm.mapped_collection.keyfunc_mapping",
        "sqlalchemy.sql._elements_constructors.bindparam",
        "sqlalchemy.sql._elements_constructors.column",
        "sqlalchemy.sql._elements_constructors.outparam",
        "sqlalchemy.sql.elements.literal_column",
    }
)
#: ``typing`` generics spelled as builtins or ``collections.abc`` (ruff UP006/UP035).
_BUILTIN_GENERICS = {"Dict": "dict", "FrozenSet": "frozenset", "List": "list"}
_BUILTIN_GENERICS |= {"Set": "set", "Tuple": "tuple", "Type": "type"}
_ABC = {"AbstractSet": "Set", "Callable": "Callable", "Collection": "Collection"}
_ABC |= {
    n: n for n in ("Iterable", "Iterator", "Mapping", "MutableMapping", "Sequence")
}


@dataclass(frozen=True)
class ProxyStub:
    """Stub source for the proxied names, ready to insert into the class body."""

    #: Sorted, deduplicated import lines for the module top of the stub.
    imports: list[str]
    #: One block per proxied name, sorted by name, indented by four spaces.
    members: list[str]
    #: Every proxied public name, sorted.
    names: list[str]


def public_names() -> list[str]:
    """Return every name the anchor's ``__getattr__`` resolves, sorted.

    These are the attribute names of :mod:`sqlalchemy` and :mod:`sqlalchemy.orm`
    not starting with ``_``, plus ``relation`` and ``event``. Dunder and private
    names are left out: ``__getattr__`` raises ``AttributeError`` for any name
    starting with ``_``, and real dunders never reach it. Leaked imports such as
    ``annotations`` and ``Any`` are kept, since the runtime resolves them. The
    names come from a fresh interpreter importing what Flask-SQLAlchemy imports,
    so submodules the calling process loaded cannot change the output.
    """
    return sorted(_runtime_names())


@cache
def _runtime_names() -> frozenset[str]:
    script = (
        f"import importlib, json\nfor m in {_BASELINE!r}: importlib.import_module(m)\n"
        f"mods = [importlib.import_module(m) for m in {_ROOTS!r}]\n"
        "print(json.dumps([n for m in mods for n in dir(m)]))"
    )
    argv = [sys.executable, "-I", "-c", script]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    names = {n for n in json.loads(out) if not n.startswith("_")}
    return frozenset(names | {"event", *_METHOD_ALIASES})


def build_proxy_stub(exclude: frozenset[str]) -> ProxyStub:
    """Build the class-body members for every proxied name not in ``exclude``.

    :param exclude: Names the extension class defines itself; real members win
        over ``__getattr__`` at runtime, so they are not emitted.
    """
    names = [n for n in public_names() if n not in exclude]
    emitter = _Emitter()
    members = [emitter.member(n, *_proxied(n), indent="    ") for n in names]
    return ProxyStub(sorted(emitter.imports), members, names)


def build_method_stub(
    func_path: str, method_name: str, indent: str = "    "
) -> tuple[list[str], str]:
    """Return the imports and the stub block of a method copying a function.

    :param func_path: Dotted path of the SQLAlchemy function whose signature,
        complete overload set included, the method gets, with ``self`` added,
        e.g. ``"sqlalchemy.orm.relationship"``.
    :param method_name: Name of the method in the extension class.
    :param indent: Indentation of the ``def`` lines.
    """
    emitter = _Emitter()
    block = emitter.function(method_name, _function(func_path), indent, method=True)
    return sorted(emitter.imports), block


def _function(path: str) -> t.Callable[..., object]:
    module, _, attr = path.rpartition(".")
    return t.cast(
        "t.Callable[..., object]", getattr(importlib.import_module(module), attr)
    )


def _proxied(name: str) -> tuple[object, str]:
    """Return what ``db.<name>`` resolves to, and the module it is found in."""
    if name == "event":
        return importlib.import_module("sqlalchemy.event"), "sqlalchemy"
    if name in _METHOD_ALIASES:
        return _function(_METHOD_ALIASES[name]), ""
    for modname in _BASELINE:  # then this process has loaded what the baseline has
        importlib.import_module(modname)
    for root in _ROOTS:
        if hasattr(mod := importlib.import_module(root), name):
            return getattr(mod, name), root
    raise LookupError(f"{name} is not an attribute of {' or '.join(_ROOTS)}")


def _alias(modname: str, name: str) -> str:
    """Return the private name a stub imports ``modname.name`` as."""
    key = "_".join(
        p.strip("_") for p in modname.replace("sqlalchemy", "sa", 1).split(".")
    )
    return f"_{key}_{name}"


class _Emitter:
    """Render members while collecting the imports they need."""

    def __init__(self) -> None:
        self.imports: set[str] = set()
        self.owners: dict[str, tuple[str, str]] = {}
        self.current = ""  # dotted path of the function being rendered

    def ref(self, modname: str, name: str) -> str:
        """Import ``modname.name`` under a private alias and return that alias."""
        if modname in {"typing", "typing_extensions"} and name in _BUILTIN_GENERICS:
            modname, name = "builtins", _BUILTIN_GENERICS[name]
        elif modname in {"typing", "typing_extensions"} and name in _ABC:
            modname, name = "collections.abc", _ABC[name]
        if modname == "builtins":
            if name in _runtime_names():
                raise ValueError(f"builtin {name!r} is shadowed by a proxied name")
            return name
        local = _alias(modname, name)
        if self.owners.setdefault(local, (modname, name)) != (modname, name):
            raise ValueError(f"alias {local} collides for {modname}.{name}")
        pragma = (
            "  # pyright: ignore[reportPrivateUsage]" if name.startswith("_") else ""
        )
        self.imports.add(f"from {modname} import {name} as {local}{pragma}")
        return local

    def any(self) -> ast.expr:
        """Return ``Any`` for what SQLAlchemy leaves unannotated."""
        return ast.Name(self.ref("typing", "Any"))

    def member(self, name: str, obj: object, container: str, *, indent: str) -> str:
        """Render the block for ``name``, found as ``container.name``.

        :param container: Module holding ``obj``; ``""`` for a bound method of
            the extension, which keeps ``self``.
        """
        if isinstance(obj, types.ModuleType):
            return self.module(name, obj, indent, nested=indent != "    ")
        if inspect.isfunction(obj) or has_source(obj):
            func = t.cast("t.Callable[..., object]", obj)
            return self.function(name, func, indent, method=not container)
        if isinstance(obj, enum.Enum):
            cls = type(obj)
            ref = self.ref(*resolve(cls.__module__, cls.__qualname__))
            return (
                f"{indent}{name}: {self.ref('typing', 'Literal')}[{ref}.{obj.name}]\n"
            )
        static = resolve(container, name) if name in index(container).bindings else None
        if isinstance(obj, type) or type(obj).__module__ in {
            "typing",
            "typing_extensions",
        }:
            if static is None:  # a leaked runtime import such as ``Any``
                static = resolve(
                    getattr(obj, "__module__", ""), getattr(obj, "__qualname__", name)
                )
            return f"{indent}{name} = {self.ref(*static)}\n"
        return self.instance(name, obj, indent, static)

    def instance(
        self, name: str, obj: object, indent: str, static: tuple[str, str] | None
    ) -> str:
        """Render an object as its declared annotation, else its runtime class."""
        cls = type(obj)
        if (
            cls.__module__ == "__future__"
        ):  # ``from __future__ import _Feature`` is not an import
            self.imports.add("import __future__ as _future")
            ignore = "# pyright: ignore[reportPrivateUsage]"
            return f"{indent}{name}: _future._Feature  {ignore}\n"
        node = index(static[0]).bindings[static[1]].node if static else None
        if isinstance(node, ast.AnnAssign) and isinstance(
            ann := node.annotation, ast.expr
        ):
            if isinstance(ann, ast.Subscript) and ast.unparse(ann.value).endswith(
                ("Final", "ClassVar")
            ):
                ann = ann.slice
            if not ast.unparse(ann).endswith("Final"):
                rewritten = Rewriter(self.ref, static[0] if static else "").visit(
                    copy.deepcopy(ann)
                )
                return f"{indent}{name}: {ast.unparse(rewritten)}\n"
        if (
            cls.__name__ in {"bool", "bytes", "float", "int", "str"}
            and cls.__module__ == "builtins"
        ):
            return f"{indent}{name}: {cls.__name__}\n"
        if is_sqlalchemy(cls.__module__) and not getattr(cls, "__parameters__", ()):
            ref = self.ref(*resolve(cls.__module__, cls.__qualname__))
            return f"{indent}{name}: {ref}\n"
        where = f"{static[0]}.{static[1]}" if static else name
        what = f"{cls.__module__}.{cls.__qualname__}"
        fixme = f"{indent}# FIXME: {where} is an unannotated {what}\n"
        return f"{fixme}{indent}{name}: {self.ref('typing', 'Any')}\n"

    def module(
        self, name: str, mod: types.ModuleType, indent: str, *, nested: bool
    ) -> str:
        """Render a module as a namespace class; one level deep, then an alias."""
        if nested:
            self.imports.add(f"import {mod.__name__} as {_alias(mod.__name__, '')}")
            return (
                f"{indent}# FIXME: mypy types a module on a class as ModuleType\n"
                f"{indent}{name} = {_alias(mod.__name__, '')}\n"
            )
        body = [f'{indent}class {name}:\n{indent}    """:mod:`{mod.__name__}`."""\n\n']
        for attr in sorted(index(mod.__name__).exported):
            if attr.startswith("_") or not hasattr(mod, attr):
                continue  # private, or bound only under ``if TYPE_CHECKING:``
            value = getattr(mod, attr)
            if isinstance(value, types.ModuleType) and not value.__name__.startswith(
                f"{mod.__name__}."
            ):
                continue  # an imported module such as ``typing``, not a submodule
            body.append(self.member(attr, value, mod.__name__, indent=indent + "    "))
        return "".join(body)

    def function(
        self, name: str, func: t.Callable[..., object], indent: str, *, method: bool
    ) -> str:
        """Render a function's overloads, or its one signature, as class members."""
        func = inspect.unwrap(func)
        if not is_sqlalchemy(func.__module__) and not method:  # typeshed types it
            ref = self.ref(*resolve(func.__module__, func.__name__))
            return f"{indent}{name} = staticmethod({ref})\n"
        idx = index(func.__module__)
        self.current = f"{func.__module__}.{func.__name__}"
        defs = idx.functions.get(func.__name__, [])
        overloads = [
            d
            for d in defs
            if any(ast.unparse(x).endswith("overload") for x in d.decorator_list)
        ]
        binding = idx.bindings.get(func.__name__)
        if binding is not None and isinstance(binding.node, Def):
            defs = [*defs, binding.node]  # the TYPE_CHECKING definition, if any
        if not (chosen := overloads or defs[-1:]):
            raise LookupError(f"no source for {self.current}")
        decorators = [f"@{self.ref('typing', 'overload')}"] if overloads else []
        decorators += [] if method else ["@staticmethod"]
        return "".join(
            self.signature(idx, d, name, decorators, indent, method=method)
            for d in chosen
        )

    def signature(
        self,
        idx: ModuleIndex,
        node: Def,
        name: str,
        decorators: list[str],
        indent: str,
        *,
        method: bool,
    ) -> str:
        """Render one ``def`` with rewritten annotations and ``...`` defaults."""
        rewriter = Rewriter(self.ref, idx.name)
        args = copy.deepcopy(node.args)  # the parsed tree is cached and shared
        while args.args and args.args[0].arg.startswith(
            "__"
        ):  # PEP 484 positional-only
            args.posonlyargs.append(args.args.pop(0))
        fixme = (
            ""
            if node.returns
            else f"{indent}# FIXME: {self.current} has no return annotation\n"
        )
        for a in [
            *args.posonlyargs,
            *args.args,
            *args.kwonlyargs,
            args.vararg,
            args.kwarg,
        ]:
            if a is not None and a.annotation is None:
                fixme = (
                    f"{indent}# FIXME: {self.current} leaves {a.arg!r} unannotated\n"
                )
            if a is not None:
                a.annotation = (
                    rewriter.visit(a.annotation) if a.annotation else self.any()
                )
        for a in args.posonlyargs:
            a.arg = a.arg.lstrip("_") or a.arg  # names are not part of the API
        args.defaults = [ast.Constant(...) for _ in args.defaults]
        args.kw_defaults = [
            None if d is None else ast.Constant(...) for d in args.kw_defaults
        ]
        if method:
            (args.posonlyargs or args.args).insert(0, ast.arg("self"))
        returns = (
            rewriter.visit(copy.deepcopy(node.returns)) if node.returns else self.any()
        )
        keyword = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
        head = f"{keyword} {name}({ast.unparse(args)}) -> {ast.unparse(returns)}: ..."
        codes = ignore_codes(idx.lines[node.lineno - 1 : node.body[0].lineno])
        if codes:
            head += f"  # type: ignore[{', '.join(codes)}]"
        if rules := self.pyright_rules(args, codes, method=method):
            head += f"  # pyright: ignore[{', '.join(rules)}]"
        return (
            fixme + "".join(f"{indent}{d}\n" for d in decorators) + f"{indent}{head}\n"
        )

    def pyright_rules(
        self, args: ast.arguments, codes: list[str], *, method: bool
    ) -> list[str]:
        """Return the pyright strict rules that SQLAlchemy's signature breaks."""
        rules = {"reportInvalidTypeArguments"} if "type-var" in codes else set()
        positional = [*args.posonlyargs, *args.args]
        if not method and positional and positional[0].arg in {"self", "cls"}:
            rules.add("reportSelfClsParameterName")
        if self.current in _PYRIGHT_TYPEVAR_USE:
            rules.add("reportInvalidTypeVarUse")
        return sorted(rules)
