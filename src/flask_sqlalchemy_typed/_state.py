"""What the features share with one extension instance, behind one typed interface.

Read replicas, test isolation and ``Session.get_bind`` need more of a
:class:`.SQLAlchemy` than its public API: each app's engines, and two hooks that
``get_bind`` consults once it resolved a bind key's engine. An
:class:`ExtensionState` holds them; :func:`of` is the one way to reach it, so no
feature reads the extension's protected attributes.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping
from collections.abc import MutableMapping
from collections.abc import Sequence

import sqlalchemy as sa
from flask import current_app
from flask import Flask

if t.TYPE_CHECKING:
    from ._pinned_connection import Pins
    from .extension import SQLAlchemy
    from .replicas._routing import Replicas

AppEngines = MutableMapping[Flask, dict[str | None, sa.engine.Engine]]


class ExtensionState:
    """The state of one :class:`.SQLAlchemy` that its features share.

    :param app_engines: The engines of each app: the extension's ``_app_engines``
        (Flask-SQLAlchemy's name, which apps' tests use), the same object.
    """

    __slots__ = ("app_engines", "replicas", "isolation")

    def __init__(self, app_engines: AppEngines) -> None:
        self.app_engines = app_engines
        self.replicas: Replicas | None = None
        """The read-replica routing, ``None`` until an app configures
        ``SQLALCHEMY_REPLICAS`` or a strict replica block needs it. ``get_bind``
        routes a resolved engine through it."""
        self.isolation: Pins | None = None
        """The pinned connections while ``db.test_isolation()`` is active, else
        ``None``. ``get_bind`` replaces a pinned engine by its connection, last."""

    def apps(self) -> list[Flask]:
        """The apps registered with the extension (that are still alive)."""
        return list(self.app_engines)

    def engines_of(self, app: Flask) -> dict[str | None, sa.engine.Engine]:
        """The engines of ``app``.

        :raises RuntimeError: ``app`` is not registered with the extension.
        """
        try:
            return self.app_engines[app]
        except KeyError:
            raise RuntimeError(
                f"The Flask app {app.name!r} is not registered with this 'SQLAlchemy'"
                " instance. Did you forget to call 'init_app'?"
            ) from None

    def current_engines(self) -> dict[str | None, sa.engine.Engine]:
        """The engines of the current app: ``db.engines``."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        try:
            return self.app_engines[app]
        except KeyError:
            raise RuntimeError(
                "The current Flask app is not registered with this 'SQLAlchemy'"
                " instance. Did you forget to call 'init_app', or did you create"
                " multiple 'SQLAlchemy' instances?"
            ) from None

    def get_engine(
        self, bind_key: str | Flask | None, *, bind: str | None, app: Flask | None
    ) -> sa.engine.Engine:
        """``db.get_engine``: Flask-SQLAlchemy 3.1's call forms and 2.x's ``app`` and
        ``bind``."""
        if isinstance(bind_key, Flask):
            if app is not None:
                raise TypeError(
                    "get_engine() got an application twice, positionally and as 'app'."
                )
            app, bind_key = bind_key, None
        if bind is not None:
            if bind_key is not None:
                raise TypeError(
                    "get_engine() got both 'bind_key' and 'bind': pass one ('bind' is"
                    " Flask-SQLAlchemy 2's name of 'bind_key')."
                )
            bind_key = bind
        engines = self.current_engines() if app is None else self.engines_of(app)
        try:
            return engines[bind_key]
        except KeyError:
            raise KeyError(
                f"Bind key '{bind_key}' is not in 'SQLALCHEMY_BINDS' config."
            ) from None

    def replica_engines(self) -> Mapping[str | None, Sequence[sa.engine.Engine]]:
        """``db.replica_engines``: the current app's, which must be registered."""
        engines = self.current_engines()
        if self.replicas is None or not engines:
            return {}
        app = t.cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
        return self.replicas.by_app.get(app, {})


def of(db: SQLAlchemy[t.Any]) -> ExtensionState:
    """The state of ``db``."""
    return db._state  # pyright: ignore[reportPrivateUsage]
