"""Let extensions that look for Flask-SQLAlchemy by import name find this package."""

from __future__ import annotations

import importlib
import sys
import types

__all__ = ["install_as_flask_sqlalchemy"]

_NAME = "flask_sqlalchemy"
_OURS = "flask_sqlalchemy_typed"
# Flask-SQLAlchemy 3.1's public submodules: every module it has.
_SUBMODULES = (
    "cli",
    "extension",
    "model",
    "pagination",
    "query",
    "record_queries",
    "session",
    "table",
    "track_modifications",
)


def install_as_flask_sqlalchemy() -> None:
    """Make ``import flask_sqlalchemy`` and its submodules give this package's.

    After the call, ``flask_sqlalchemy`` is :mod:`flask_sqlalchemy_typed`, and
    ``flask_sqlalchemy.extension``, ``.model``, ``.session``, ``.query``,
    ``.pagination``, ``.record_queries``, ``.track_modifications``, ``.cli`` and
    ``.table`` are this package's modules of the same name. Extensions that check
    ``isinstance(db, flask_sqlalchemy.SQLAlchemy)`` (Flask-Admin, Flask-Session),
    connect to ``flask_sqlalchemy.track_modifications.models_committed``
    (Flask-MSearch) or enable a feature when ``import flask_sqlalchemy`` succeeds
    (flask-marshmallow) then see this package, whether Flask-SQLAlchemy is
    installed or not.

    It only writes entries of ``sys.modules``, for the whole process. Call it
    first thing in your application package (and in ``conftest.py``), before any
    extension is imported. Calling it again does nothing. Without the call, this
    package never touches ``sys.modules["flask_sqlalchemy"]``.

    :raises RuntimeError: The real Flask-SQLAlchemy is already imported. The message
        names the modules that imported it. Nothing is changed.

    .. versionadded:: 0.1
        Following PyMySQL's ``install_as_MySQLdb()``.
    """
    ours: dict[str, types.ModuleType] = {_NAME: importlib.import_module(_OURS)}
    for name in _SUBMODULES:
        ours[f"{_NAME}.{name}"] = importlib.import_module(f"{_OURS}.{name}")
    modules = dict(sys.modules)
    if modules.get(_NAME) is ours[_NAME]:
        # Installed before: only the listed names can clash (a foreign module there
        # means someone replaced an entry by hand).
        found = [key for key in ours if modules.get(key, ours[key]) is not ours[key]]
    else:
        found = [key for key in modules if key == _NAME or key.startswith(_NAME + ".")]
    if found:
        raise RuntimeError(_already_imported_message(modules, found))
    sys.modules.update(ours)


def _already_imported_message(
    modules: dict[str, types.ModuleType], found: list[str]
) -> str:
    foreign = {modules[key] for key in found}
    first = _NAME if _NAME in found else found[0]
    where = getattr(modules[first], "__file__", None) or "a module without a file"
    importers = _importers(dict(modules), foreign)
    if importers:
        by = "in use by " + ", ".join(f"'{name}'" for name in importers)
    else:
        by = "imported by code that kept no module-level reference to it"
    return (
        f"'{first}' is already imported ({where}; {by}), so"
        " 'install_as_flask_sqlalchemy()' cannot make it this package without"
        " leaving two packages in use. Call"
        " 'flask_sqlalchemy_typed.install_as_flask_sqlalchemy()' before any of"
        " these modules is imported: first thing in your application package's"
        " '__init__.py' (and at the top of 'conftest.py'), before importing any"
        " Flask extension."
    )


def _importers(modules: dict[str, object], foreign: set[types.ModuleType]) -> list[str]:
    """Modules (in import order) holding, at module level, one of the ``foreign``
    modules or a class or function defined in one of them."""
    names = {getattr(m, "__name__", None) for m in foreign}
    found: list[str] = []
    for key, module in modules.items():
        # type(), not isinstance(): a proxy such as current_app would resolve.
        if not issubclass(type(module), types.ModuleType) or module in foreign:
            continue
        values: list[object] = list(vars(module).values())
        for value in values:
            kind = type(value)
            if kind is types.ModuleType:
                hit = value in foreign
            elif issubclass(kind, type) or kind is types.FunctionType:
                hit = getattr(value, "__module__", None) in names
            else:
                continue
            if hit:
                found.append(key)
                break
    return found
