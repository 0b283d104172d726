"""The data model the spec is written in, and the templates read.

A signature is a tuple of :class:`Param` (name, annotation, default, kind), never
concatenated text. A method body is a :class:`Call` (one call into a hand-written
module, its arguments forwarded by name) or a :class:`Code` (real code text: a macro
of the module's ``templates/src/bodies/`` template). Annotations, defaults and
docstrings are the only Python text the spec holds.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib.util
import textwrap
from pathlib import Path

PKG = "flask_sqlalchemy_typed"
SRC = Path(__file__).resolve().parent.parent / "src"


def dedent(text: str) -> str:
    """Dedent a triple-quoted spec string and strip its surrounding blank lines."""
    return textwrap.dedent(text).strip("\n")


def doc(*blocks: str) -> str:
    """A docstring assembled from blocks, each dedented and stripped of its
    surrounding blank lines, joined line after line: a shared ``:param:`` list
    follows a method's own lines with no indentation tricks. ``""`` is a blank line.
    """
    return "\n".join(dedent(block) for block in blocks)


class Kind(enum.Enum):
    """How a parameter is passed, as :class:`inspect.Parameter` names it."""

    POSITIONAL_ONLY = "positional only"
    POSITIONAL = "positional or keyword"
    VAR_POSITIONAL = "*args"
    KEYWORD = "keyword only"
    VAR_KEYWORD = "**kwargs"


@dataclasses.dataclass(frozen=True)
class Param:
    """One parameter of a signature."""

    name: str
    annotation: str | None = None
    default: str | None = None
    """The default value's source text, ``None`` for a required parameter."""
    kind: Kind = Kind.POSITIONAL

    def render(self) -> str:
        star = {Kind.VAR_POSITIONAL: "*", Kind.VAR_KEYWORD: "**"}.get(self.kind, "")
        text = star + self.name
        if self.annotation is not None:
            text += f": {self.annotation}"
        if self.default is not None:
            text += f" = {self.default}" if self.annotation else f"={self.default}"
        return text


SELF = Param("self")


def param(
    name: str, annotation: str | None = None, default: str | None = None
) -> Param:
    """A positional-or-keyword parameter."""
    return Param(name, annotation, default)


def keyword(name: str, annotation: str, default: str | None = None) -> Param:
    """A keyword-only parameter."""
    return Param(name, annotation, default, Kind.KEYWORD)


def var_positional(name: str, annotation: str) -> Param:
    return Param(name, annotation, kind=Kind.VAR_POSITIONAL)


def var_keyword(name: str, annotation: str) -> Param:
    return Param(name, annotation, kind=Kind.VAR_KEYWORD)


def render_params(params: tuple[Param, ...]) -> str:
    """``self, app: Flask | None = None, *, metadata: ...``: the ``/`` and ``*``
    markers placed from the parameters' kinds."""
    parts: list[str] = []
    kinds = [p.kind for p in params]
    for i, p in enumerate(params):
        if p.kind is Kind.KEYWORD and Kind.VAR_POSITIONAL not in kinds[:i]:
            if i == 0 or params[i - 1].kind is not Kind.KEYWORD:
                parts.append("*")
        parts.append(p.render())
        following = params[i + 1].kind if i + 1 < len(params) else None
        if p.kind is Kind.POSITIONAL_ONLY and following is not Kind.POSITIONAL_ONLY:
            parts.append("/")
    return ", ".join(parts)


@dataclasses.dataclass(frozen=True)
class Attr:
    """``self.<name>``: an attribute or bound method of the instance, handed to the
    called function (the facade owns its protected members, the function does not
    reach for them)."""

    name: str
    keyword: str | None = None
    """Pass it as this keyword argument instead of positionally."""


@dataclasses.dataclass(frozen=True)
class Const:
    """A literal argument (its ``repr``)."""

    value: str | int | bool | None
    keyword: str | None = None


Arg = str | Attr | Const
"""A call argument: a parameter name (``"self"`` included), forwarded as the method
received it (keyword-only parameters as keywords), an :class:`Attr` or a
:class:`Const`."""


@dataclasses.dataclass(frozen=True)
class Call:
    """A body that is one call into a hand-written module, returning its result.

    :param function: ``module.name`` with ``module`` a module of the package, dotted
        from it (``_or_404.get_or_404``, ``replicas._routing.use_replica``), or
        ``self.name`` for a method of the instance.
    :param args: What to pass; ``None`` forwards ``self`` and every parameter.
    :param lazy: Import the module inside the method: an app that never calls it
        never loads the module.
    """

    function: str
    args: tuple[Arg, ...] | None = None
    lazy: bool = False

    @property
    def module(self) -> str | None:
        """The called module, dotted from the package; ``None`` for ``self.name``."""
        if self.function.startswith("self."):
            return None
        return self.function.rpartition(".")[0]

    @property
    def import_line(self) -> str | None:
        """``from flask_sqlalchemy_typed.replicas import _routing``, or ``None``."""
        if self.module is None:
            return None
        parent, _, name = f"{PKG}.{self.module}".rpartition(".")
        return f"from {parent} import {name}"

    def callee(self) -> str:
        """The called name as the body spells it: ``_routing.use_replica``."""
        if self.module is None:
            return self.function
        return f"{self.module.rpartition('.')[2]}.{self.function.rpartition('.')[2]}"

    def arguments(self, params: tuple[Param, ...]) -> str:
        """The argument list, forwarding parameters by the kind they have."""
        by_name = {p.name: p for p in params}
        chosen: tuple[Arg, ...] = (
            tuple(p.name for p in params) if self.args is None else self.args
        )
        out: list[str] = []
        for arg in chosen:
            if isinstance(arg, Attr):
                value = f"self.{arg.name}"
                out.append(value if arg.keyword is None else f"{arg.keyword}={value}")
            elif isinstance(arg, Const):
                value = repr(arg.value)
                out.append(value if arg.keyword is None else f"{arg.keyword}={value}")
            else:
                p = by_name.get(arg)
                if p is None:
                    raise ValueError(f"{self.function}: no parameter named {arg!r}")
                out.append(
                    {
                        Kind.VAR_POSITIONAL: f"*{arg}",
                        Kind.VAR_KEYWORD: f"**{arg}",
                        Kind.KEYWORD: f"{arg}={arg}",
                    }.get(p.kind, arg)
                )
        return ", ".join(out)


@dataclasses.dataclass(frozen=True)
class Code:
    """A body of real code text: the macro ``name`` of the module's bodies template
    (``templates/src/bodies/<module>.jinja``). For what only the class itself may
    do: set its own attributes, call its own overridable hooks, construct a page."""

    macro: str


@dataclasses.dataclass(frozen=True)
class Overload:
    """One ``@overload`` of a method: the call form it catches, and its signature."""

    comment: str
    params: tuple[Param, ...]
    returns: str
    ignore: str = ""
    """A mypy error code to ignore on this overload's ``def`` line, e.g.
    ``overload-cannot-match`` for an overload only pyright needs."""

    @property
    def signature(self) -> str:
        return render_params(self.params)


@dataclasses.dataclass(frozen=True)
class Method:
    """A method rendered into the runtime class and its stub.

    ``params`` and ``returns`` are the implementation's; ``overloads`` are rendered
    before it in both files. A method without a ``body`` exists in the stub alone
    (its runtime comes from elsewhere, e.g. ``__getattr__``).
    """

    name: str
    params: tuple[Param, ...]
    returns: str
    doc: str
    body: Call | Code | None = None
    decorators: tuple[str, ...] = ()
    overloads: tuple[Overload, ...] = ()

    @property
    def signature(self) -> str:
        return render_params(self.params)

    @property
    def stub_only(self) -> bool:
        return self.body is None

    @property
    def code(self) -> str | None:
        """The bodies-template macro of a :class:`Code` method, else ``None``."""
        return self.body.macro if isinstance(self.body, Code) else None

    @property
    def call(self) -> str:
        """The body of a :class:`Call` method, as code."""
        assert isinstance(self.body, Call), self.name
        call = f"{self.body.callee()}({self.body.arguments(self.params)})"
        if self.returns != "None":
            call = f"return {call}"
        if self.body.lazy and self.body.import_line is not None:
            return f"{self.body.import_line}\n\n{call}"
        return call


@dataclasses.dataclass(frozen=True)
class Attribute:
    """A class attribute: annotated in the class body of both files (``stub=False``:
    the runtime class alone, for its private state)."""

    name: str
    annotation: str
    doc: str
    value: str | None = None
    stub: bool = True


@dataclasses.dataclass(frozen=True)
class Class:
    """A generated class."""

    name: str
    bases: str
    doc: str
    attributes: tuple[Attribute, ...] = ()
    methods: tuple[Method, ...] = ()
    stub_extra: tuple[str, ...] = ()
    """Extra stub-only class body blocks (already indented), e.g. proxies."""

    @property
    def eager_imports(self) -> tuple[str, ...]:
        """The imports of the modules the methods' bodies call at import time."""
        lines = {
            m.body.import_line
            for m in self.methods
            if isinstance(m.body, Call) and not m.body.lazy
        }
        return tuple(sorted(line for line in lines if line is not None))


PRIVATE_IMPORT_IGNORE = "  # pyright: ignore[reportPrivateUsage]"


def py_import(line: str) -> str:
    """An import line for a ``.py`` file: the import of a private name carries a
    line-level ``reportPrivateUsage`` ignore.

    Only annotations use such names (SQLAlchemy's private aliases, the exact types
    of its own parameters). Stubs are exempt from the rule, so ``.pyi`` files get
    the line unchanged (an ignore there would be reported as unnecessary).
    """
    module, _, rest = line.removeprefix("from ").partition(" import ")
    name = rest.split(" as ")[0]
    if not name.startswith("_") or name.startswith("__"):
        return line
    if _is_module(f"{module}.{name}"):
        return line  # a private module: importing one is allowed
    return line + PRIVATE_IMPORT_IGNORE


def _is_module(dotted: str) -> bool:
    """Whether ``dotted`` names a module. This package's own modules are looked up
    on disk, never imported: the generator must run when a generated file is broken.
    """
    if dotted == PKG or dotted.startswith(f"{PKG}."):
        path = SRC.joinpath(*dotted.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:  # the parent is a module, not a package
        return False


@dataclasses.dataclass(frozen=True)
class Module:
    """One generated file: which template, where to, and what goes in."""

    template: str
    output: str
    doc: str = ""
    imports: tuple[str, ...] = ()
    type_imports: tuple[str, ...] = ()
    """Imports needed by annotations only: under ``TYPE_CHECKING`` in ``.py``."""
    preamble: str = ""
    classes: tuple[Class, ...] = ()
    extra: dict[str, object] = dataclasses.field(default_factory=dict)
    lazy: dict[str, str] = dataclasses.field(default_factory=dict)
    """Module attributes the ``.py`` imports on first access, name to module: a
    module ``__getattr__`` (the stub imports them, as ``type_imports``)."""
    region: str | None = None
    """For a hand-written ``.py``: the name of the ``# START GENERATED <region>``
    block the rendering replaces; ``None`` renders the whole file."""

    @property
    def is_stub(self) -> bool:
        return self.output.endswith(".pyi")

    @property
    def py_imports(self) -> tuple[str, ...]:
        """:attr:`imports` as written in a ``.py`` file (see :func:`py_import`), with
        the modules the methods call."""
        calls = tuple(line for c in self.classes for line in c.eager_imports)
        if self.lazy:
            calls += (f"from {PKG} import _lazy",)
        lines = dict.fromkeys(self.imports + calls)
        return tuple(py_import(line) for line in lines)

    @property
    def py_type_imports(self) -> tuple[str, ...]:
        """:attr:`type_imports` as written in a ``.py`` file."""
        return tuple(py_import(line) for line in self.type_imports)
