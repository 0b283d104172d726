"""Names a module has without importing their module up front: for a module-level
``__getattr__``, as PEP 562 describes.

:meta private:
"""

from __future__ import annotations

import importlib
import sys
import typing as t


def load(module: str, name: str, lazy: t.Mapping[str, str]) -> t.Any:
    """``module.name``, imported from the module ``lazy[name]`` on first access and
    kept in ``module``, so the next access finds it directly.

    :raises AttributeError: ``name`` is not one of ``lazy``.
    """
    source = lazy.get(name)
    if source is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    setattr(sys.modules[module], name, value)
    return value
