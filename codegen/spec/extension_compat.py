"""``SQLAlchemy``: what other extensions call that Flask-SQLAlchemy 3.1 deprecates."""

from __future__ import annotations

from ..model import Call
from ..model import dedent as d
from ..model import keyword
from ..model import Method
from ..model import Overload
from ..model import param
from ..model import SELF

# Flask-SQLAlchemy 3.1 deprecates it; for type checkers only (category=None).
_DEPRECATED = (
    "deprecated(\"Use 'db.engine' or 'db.engines[key]'; 'get_engine' is deprecated"
    ' as in Flask-SQLAlchemy 3.1.", category=None)'
)

_APP = keyword("app", "Flask | None", "None")

COMPAT_METHODS = (
    Method(
        name="get_engine",
        params=(
            SELF,
            param("bind_key", "str | Flask | None", "None"),
            keyword("bind", "str | None", "None"),
            _APP,
        ),
        returns="sa.engine.Engine",
        decorators=(_DEPRECATED,),
        doc=d(
            """
            The engine of a bind key: ``db.engines[bind_key]``.

            Kept for the extensions that still call it, such as Flask-Session
            (``get_engine(app, bind=key)``) and the ``env.py`` that Flask-Migrate
            generates (``get_engine()``, ``get_engine(bind=key)``). It raises no
            warning at runtime; type checkers report a call as deprecated.

            :param bind_key: The bind key, ``None`` for the default engine. A Flask
                application here is Flask-SQLAlchemy 2's ``app`` argument.
            :param bind: Flask-SQLAlchemy 2's name of ``bind_key``.
            :param app: The application whose engine to return; defaults to the
                current application, which then requires an application context.
            :raises KeyError: The bind key has no engine, as in Flask-SQLAlchemy.
            :raises TypeError: Both ``bind_key`` and ``bind`` are given.

            .. deprecated:: 0.1
                As in Flask-SQLAlchemy 3.0, but for type checkers only. Use
                :attr:`engine` or :attr:`engines` instead.

            .. versionchanged:: 0.1
                No runtime ``DeprecationWarning``. ``app`` (keyword, or positional
                in place of ``bind_key``) selects that application's engines, as in
                Flask-SQLAlchemy 2, where Flask-SQLAlchemy 3.1 ignores it. Any other
                keyword is a ``TypeError``.
            """
        ),
        overloads=(
            Overload(
                "db.get_engine() or db.get_engine('key'): a bind key's engine",
                (SELF, param("bind_key", "str | None", "None"), _APP),
                "sa.engine.Engine",
            ),
            Overload(
                "db.get_engine(bind='key'): Flask-SQLAlchemy 2's keyword",
                (
                    SELF,
                    param("bind_key", "None", "None"),
                    keyword("bind", "str | None"),
                    _APP,
                ),
                "sa.engine.Engine",
            ),
            Overload(
                "db.get_engine(app, bind='key') (Flask-Session): Flask-SQLAlchemy 2's"
                " positional app",
                (
                    SELF,
                    param("bind_key", "Flask"),
                    keyword("bind", "str | None", "None"),
                ),
                "sa.engine.Engine",
            ),
        ),
        body=Call("self._state.get_engine", ("bind_key", "bind", "app")),
    ),
)
