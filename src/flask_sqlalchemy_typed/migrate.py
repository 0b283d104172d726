"""Flask-Migrate's :class:`~flask_migrate.Migrate`, typed for this package.

``from flask_sqlalchemy_typed.migrate import Migrate`` gives Flask-Migrate's own
class, unchanged at runtime. Its stub types ``db`` as this package's
:class:`.SQLAlchemy`: Flask-Migrate's stub (bundled with pyright, and in
``types-Flask-Migrate``) types it as Flask-SQLAlchemy's, so ``Migrate(app, db)``
is an error there, and mypy finds no types in Flask-Migrate itself.
"""

from __future__ import annotations

try:
    from flask_migrate import Migrate  # type: ignore[import-untyped]
except ModuleNotFoundError as error:
    if error.name != "flask_migrate":
        raise
    raise ModuleNotFoundError(
        "'flask_sqlalchemy_typed.migrate' needs Flask-Migrate, which is not"
        " installed: install it with 'pip install Flask-Migrate'.",
        name=error.name,
    ) from None

__all__ = ["Migrate"]
