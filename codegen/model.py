"""The data model the spec is written in, and the templates read."""

from __future__ import annotations

import dataclasses
import importlib.util
import textwrap
from pathlib import Path

PKG = "flask_sqlalchemy_typed"
SRC = Path(__file__).resolve().parent.parent / "src"


def dedent(text: str) -> str:
    """Dedent a triple-quoted spec string and strip its surrounding blank lines."""
    return textwrap.dedent(text).strip("\n")


@dataclasses.dataclass(frozen=True)
class Overload:
    """One ``@overload`` of a method: the call form it catches, and its signature."""

    comment: str
    params: str
    returns: str
    ignore: str = ""
    """A mypy error code to ignore on this overload's ``def`` line, e.g.
    ``overload-cannot-match`` for an overload only pyright needs."""


@dataclasses.dataclass(frozen=True)
class Method:
    """A method rendered into the runtime class and its stub.

    ``params`` and ``returns`` are the implementation's; ``overloads`` are rendered
    before it in both files. ``stub_only`` methods exist in the stub alone (their
    runtime comes from elsewhere, e.g. ``__getattr__``).
    """

    name: str
    params: str
    returns: str
    doc: str
    body: str = ""
    decorators: tuple[str, ...] = ()
    overloads: tuple[Overload, ...] = ()
    stub_only: bool = False


@dataclasses.dataclass(frozen=True)
class Attribute:
    """A class attribute: annotated in the class body of both files."""

    name: str
    annotation: str
    doc: str
    value: str | None = None


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


PRIVATE_IMPORT_IGNORE = "  # pyright: ignore[reportPrivateUsage]"


def py_import(line: str) -> str:
    """An import line for a ``.py`` file: the import of a private name carries a
    line-level ``reportPrivateUsage`` ignore.

    Only annotations use such names (SQLAlchemy's private aliases, the exact types
    of its own parameters, and our private ``_Table``). Stubs are exempt from the
    rule, so ``.pyi`` files get the line unchanged (an ignore there would be
    reported as unnecessary).
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

    @property
    def is_stub(self) -> bool:
        return self.output.endswith(".pyi")

    @property
    def py_imports(self) -> tuple[str, ...]:
        """:attr:`imports` as written in a ``.py`` file (see :func:`py_import`)."""
        return tuple(py_import(line) for line in self.imports)

    @property
    def py_type_imports(self) -> tuple[str, ...]:
        """:attr:`type_imports` as written in a ``.py`` file."""
        return tuple(py_import(line) for line in self.type_imports)
