"""Stubs of the hand-written modules, and the proxy members of the extension stub.

The hand-written modules' stubs are templates with little or no variable content;
they are listed here so that one command renders and checks every stub.
"""

from __future__ import annotations

from .model import Module

PKG = "flask_sqlalchemy_typed"

STATIC_STUBS = (
    "__init__",
    "_options",
    "cli",
    "model",
    "query",
    "record_queries",
    "table",
    "track_modifications",
)

TABLE_KWARGS = (
    "schema: str | Literal[SchemaConst.BLANK_SCHEMA] | None = None,",
    "quote: bool | None = None,",
    "quote_schema: bool | None = None,",
    "autoload_with: sa.Engine | sa.Connection | None = None,",
    "autoload_replace: bool = True,",
    "keep_existing: bool = False,",
    "extend_existing: bool = False,",
    "resolve_fks: bool = True,",
    "include_columns: Collection[str] | None = None,",
    "implicit_returning: bool = True,",
    "comment: str | None = None,",
    "info: dict[Any, Any] | None = None,",
    "listeners: Sequence[tuple[str, Callable[..., Any]]] | None = None,",
    "prefixes: Sequence[str] | None = None,",
    "**kw: Any,",
)


def _extra(name: str) -> dict[str, object]:
    """The template context of one static stub."""
    if name == "table":
        return {"table_kwargs": TABLE_KWARGS}
    if name == "_options":
        from .options import options_context

        return options_context()
    return {}


def static_stub_modules() -> list[Module]:
    """One module per hand-written public module's stub, plus the runtime
    ``_options`` module (its TypedDicts are generated like its stub's)."""
    from .options import options_context

    runtime_options = Module(
        template="src/_options.py.jinja",
        output=f"src/{PKG}/_options.py",
        extra=options_context(),
    )
    return [runtime_options] + [
        Module(
            template=f"stubs/{name}.pyi.jinja",
            output=f"stubs/{PKG}/{name}.pyi",
            extra=_extra(name),
        )
        for name in STATIC_STUBS
    ]


def proxy_context() -> dict[str, list[str]]:
    """Imports and class-body blocks of the SQLAlchemy names proxied on ``db``."""
    return {"proxy_imports": [], "proxy_members": []}
