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
    "compat",
    "migrate",
    "model",
    "pytest_plugin",
    "query",
    "record_queries",
    "replicas/__init__",
    "table",
    "testing",
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
)

# MySQL and MariaDB accept any ``mysql_*`` table option ("*" in SQLAlchemy's
# construct_arguments); these are the ones SQLAlchemy's MySQL documentation names.
MYSQL_TABLE_OPTIONS = (
    "auto_increment",
    "charset",
    "collate",
    "comment",
    "default_charset",
    "engine",
    "key_block_size",
    "partition_by",
    "partitions",
    "row_format",
)


def dialect_table_kwargs() -> list[str]:
    """Dialect-specific ``Table`` keywords, read from SQLAlchemy's dialects.

    Each dialect declares the ``<dialect>_<name>`` keywords its ``Table`` accepts in
    ``construct_arguments``; the values are passed through untouched, so they are
    typed ``Any``. ``db.Table`` has no ``**kw``: a misspelt keyword is an error.
    """
    import importlib

    import sqlalchemy as sa

    names: set[str] = set()
    for dialect in ("mssql", "mysql", "oracle", "postgresql", "sqlite"):
        module = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
        for cls, args in getattr(module.dialect, "construct_arguments", None) or ():
            if cls is not sa.Table:
                continue
            if "*" in args:
                for prefix in ("mysql", "mariadb"):
                    names.update(f"{prefix}_{opt}" for opt in MYSQL_TABLE_OPTIONS)
            else:
                names.update(f"{dialect}_{arg}" for arg in args)
    return [f"{name}: Any = ...," for name in sorted(names)]


def _extra(name: str) -> dict[str, object]:
    """The template context of one static stub."""
    if name == "table":
        return {"table_kwargs": [*TABLE_KWARGS, *dialect_table_kwargs()]}
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


# Real methods of the extension whose stub signature is a SQLAlchemy function's,
# complete overload set included (they only default ``query_class``).
METHOD_SIGNATURES = (
    ("dynamic_loader", "sqlalchemy.orm.dynamic_loader"),
    ("relation", "sqlalchemy.orm.relationship"),
    ("relationship", "sqlalchemy.orm.relationship"),
)


def proxy_context(real_members: frozenset[str]) -> dict[str, list[str]]:
    """Imports and class-body blocks of the SQLAlchemy names proxied on ``db``.

    :param real_members: Names the extension class defines itself; they win over
        the proxies at runtime, so they are not emitted as proxies.
    """
    from .sa_proxies import build_method_stub
    from .sa_proxies import build_proxy_stub

    methods = {name for name, _ in METHOD_SIGNATURES}
    proxy = build_proxy_stub(real_members | methods)
    imports = set(proxy.imports)
    members: list[str] = []
    for name, path in METHOD_SIGNATURES:
        method_imports, block = build_method_stub(path, name)
        imports.update(method_imports)
        members.append(block)
    members.extend(proxy.members)
    return {
        "proxy_imports": sorted(imports),
        "proxy_members": members,
        "proxy_stubtest": [
            name
            for name, block in zip(proxy.names, proxy.members, strict=True)
            if _is_def_or_class(block)
        ],
    }


def _is_def_or_class(block: str) -> bool:
    """Whether a proxy block declares a function or a namespace class.

    stubtest looks such members up on the runtime class, where they do not exist
    (``__getattr__`` resolves them on the instance); aliases it accepts.
    """
    for line in block.splitlines():
        code = line.strip()
        if code and not code.startswith("#"):
            return code.startswith(("@", "def ", "class "))
    return False
