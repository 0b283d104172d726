"""Flask-SQLAlchemy 3.1's API on SQLAlchemy 2.1, exactly typed."""

from __future__ import annotations

import typing as t

from .extension import SQLAlchemy

if t.TYPE_CHECKING:
    from .compat import install_as_flask_sqlalchemy

__all__ = ["SQLAlchemy", "install_as_flask_sqlalchemy"]


def __getattr__(name: str) -> t.Any:
    if name == "pagination":
        # Flask-SQLAlchemy's package has it loaded; here it loads on first use.
        import importlib

        return importlib.import_module(f"{__name__}.pagination")
    if name == "install_as_flask_sqlalchemy":
        # Imported on first use: an app that never calls it never loads compat.
        from .compat import install_as_flask_sqlalchemy

        return install_as_flask_sqlalchemy
    if name == "__version__":
        import importlib.metadata
        import warnings

        warnings.warn(
            "The '__version__' attribute is deprecated, as in Flask-SQLAlchemy. Use"
            " feature detection or"
            " 'importlib.metadata.version(\"flask-sqlalchemy-typed\")' instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.metadata.version("flask-sqlalchemy-typed")
    raise AttributeError(name)
