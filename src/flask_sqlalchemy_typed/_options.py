"""Types and defensive copies of the ``engine_options`` and ``session_options``
arguments.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

EngineOptions = t.Mapping[str, t.Any]
"""Keyword arguments of :func:`sqlalchemy.create_engine`."""

SessionOptions = t.Mapping[str, t.Any]
"""Keyword arguments of :class:`sqlalchemy.orm.sessionmaker`, plus ``scopefunc``."""


def _copy(name: str, value: object) -> dict[str, t.Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"'{name}' must be a dict, got {type(value).__name__}.")
    return dict(value)


def copy_engine_options(value: object) -> dict[str, t.Any]:
    """A private copy of ``engine_options``: the caller's dict is never modified."""
    return _copy("engine_options", value)


def copy_session_options(value: object) -> dict[str, t.Any]:
    """A private copy of ``session_options``: the caller's dict is never modified."""
    return _copy("session_options", value)
