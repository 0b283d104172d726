"""``repr(db)``, never showing a password.

:meta private:
"""

from __future__ import annotations

import typing as t

from flask import has_app_context

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy


def extension_repr(db: SQLAlchemy[t.Any]) -> str:
    """``<SQLAlchemy URL>``, ``<SQLAlchemy URL +N engines>``, or without an app
    context ``<SQLAlchemy>``."""
    name = type(db).__name__
    if not has_app_context():
        return f"<{name}>"
    try:
        engines = db.engines
    except RuntimeError:
        return f"<{name}>"
    default = engines.get(None)
    message = name
    message += " (No default engine)" if default is None else f" {default.url!r}"
    others = len(engines) - (default is not None)
    if others:
        message += f" +{others} engines"
    return f"<{message}>"
