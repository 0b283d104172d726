"""``flask shell`` integration."""

from __future__ import annotations

import typing as t

from flask import current_app


def add_models_to_shell() -> dict[str, t.Any]:
    """Registered with :meth:`~flask.Flask.shell_context_processor` when
    ``add_models_to_shell`` is enabled. Adds the ``db`` instance and every mapped
    model class, by class name, to ``flask shell``.
    """
    db = current_app.extensions["sqlalchemy"]
    out: dict[str, t.Any] = {
        mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers
    }
    out["db"] = db
    return out
