"""Flask-SQLAlchemy 3.1's API on SQLAlchemy 2.1, exactly typed."""

from __future__ import annotations

import typing as t

from .extension import SQLAlchemy

__all__ = ["SQLAlchemy"]


def __getattr__(name: str) -> t.Any:
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
