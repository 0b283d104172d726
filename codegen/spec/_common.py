"""What every spec module shares: the package name and small builders."""

from __future__ import annotations

from ..model import Call
from ..model import Code
from ..model import Method
from ..model import PKG
from ..model import SELF

__all__ = ["PKG", "readonly_property"]


def readonly_property(name: str, returns: str, doc: str, body: Call | Code) -> Method:
    """A read-only property of a generated class."""
    return Method(
        name=name,
        decorators=("property",),
        params=(SELF,),
        returns=returns,
        doc=doc,
        body=body,
    )
