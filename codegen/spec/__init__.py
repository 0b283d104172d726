"""THE spec: every generated file, assembled from one module per generated class.

Templates only loop over what this package returns; content and order live here.
A method's signature and docstring are written once and rendered into both the
runtime module in ``src/`` and its stub in ``stubs/``. Change ``paginate`` in
:mod:`.extension_views`, the session in :mod:`.session`, and so on."""

from __future__ import annotations

from ..model import Module
from ._common import PKG
from .extension import EXTENSION_ATTRIBUTES
from .extension import extension_class
from .extension import EXTENSION_LAZY
from .extension import EXTENSION_METHODS
from .extension import EXTENSION_PREAMBLE
from .extension import EXTENSION_PY_IMPORTS
from .extension import EXTENSION_TYPE_IMPORTS
from .keyset import KEYSET_IMPORTS
from .keyset import KEYSET_PAGE_CLASS
from .pagination import PAGINATION_CLASS
from .pagination import PAGINATION_IMPORTS
from .pagination import QUERY_PAGINATION_CLASS
from .pagination import SELECT_PAGINATION_CLASS
from .session import SESSION_CLASS
from .session import SESSION_IMPORTS
from .session import SESSION_TYPE_IMPORTS

__all__ = ["PKG", "modules"]


def modules() -> list[Module]:
    """Every generated file, sorted by output path."""
    from .. import stubs_static

    pagination_classes = (
        PAGINATION_CLASS,
        SELECT_PAGINATION_CLASS,
        QUERY_PAGINATION_CLASS,
        KEYSET_PAGE_CLASS,
    )
    real = {a.name for a in EXTENSION_ATTRIBUTES} | {m.name for m in EXTENSION_METHODS}
    proxies = stubs_static.proxy_context(frozenset(real))
    out: list[Module] = []
    for stub in (False, True):
        ext = "pyi" if stub else "py"
        root = "stubs" if stub else "src"
        out.append(
            Module(
                template=f"{root}/extension.{ext}.jinja",
                output=f"{root}/{PKG}/extension.{ext}",
                doc="The :class:`SQLAlchemy` extension class.",
                imports=EXTENSION_PY_IMPORTS,
                type_imports=EXTENSION_TYPE_IMPORTS,
                preamble=EXTENSION_PREAMBLE,
                classes=(extension_class(stub, tuple(proxies["proxy_members"])),),
                lazy=EXTENSION_LAZY,
                extra=dict(proxies) if stub else {"proxy_imports": []},
            )
        )
        out.append(
            Module(
                template=f"{root}/session.{ext}.jinja",
                output=f"{root}/{PKG}/session.{ext}",
                doc="The :class:`Session` class used by ``db.session``.",
                imports=SESSION_IMPORTS,
                type_imports=SESSION_TYPE_IMPORTS
                + (f"from {PKG}.extension import SQLAlchemy",),
                preamble='_O = TypeVar("_O")',
                classes=(SESSION_CLASS,),
                region=None if stub else "CLASS Session",
            )
        )
        out.append(
            Module(
                template=f"{root}/pagination.{ext}.jinja",
                output=f"{root}/{PKG}/pagination.{ext}",
                doc="Pagination of select statements and legacy queries.",
                imports=PAGINATION_IMPORTS + KEYSET_IMPORTS,
                preamble='_T = TypeVar("_T")',
                classes=pagination_classes,
            )
        )
    out.extend(stubs_static.static_stub_modules())
    out.append(
        Module(
            template="typing_tests/stubtest_allowlist.txt.jinja",
            output="typing_tests/stubtest_allowlist.txt",
            extra={"proxy_stubtest": proxies["proxy_stubtest"]},
        )
    )
    return sorted(out, key=lambda m: m.output)
