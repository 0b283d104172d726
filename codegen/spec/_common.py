"""What every spec module shares: the package name and small builders."""

from __future__ import annotations

from ..model import Method

PKG = "flask_sqlalchemy_typed"


def readonly_property(name: str, returns: str, doc: str, body: str) -> Method:
    """A read-only property of a generated class."""
    return Method(
        name=name,
        decorators=("property",),
        params="self",
        returns=returns,
        doc=doc,
        body=body,
    )
