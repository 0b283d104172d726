"""The data model the spec is written in, and the templates read."""

from __future__ import annotations

import dataclasses
import textwrap


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
