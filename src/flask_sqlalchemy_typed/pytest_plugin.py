"""pytest fixtures for :mod:`flask_sqlalchemy_typed.testing`, loaded through the
``pytest11`` entry point ``flask_sqlalchemy_typed``; ``-p no:flask_sqlalchemy_typed``
turns the plugin off.

The fixture names start with ``fsqt_`` so that they never shadow pytest-flask's
(``app``, ``client``) or a project's own. A test that requests
:func:`fsqt_isolation` runs inside ``db.test_isolation(app)``; the
``fsqt_isolation`` marker passes it options::

    @pytest.mark.fsqt_isolation(mode="delete", bind_key=[None, "users"])
    def test_live_server(fsqt_isolation: Isolation) -> None: ...
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import pytest

if t.TYPE_CHECKING:
    from flask import Flask

    from .testing import Isolation


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``fsqt_isolation`` marker."""
    config.addinivalue_line(
        "markers",
        "fsqt_isolation(mode='savepoint', bind_key='__all__'): options of the"
        " fsqt_isolation fixture (flask_sqlalchemy_typed)",
    )


@pytest.fixture
def fsqt_app(request: pytest.FixtureRequest) -> Flask:
    """The application whose database work :func:`fsqt_isolation` undoes. It is the
    ``app`` fixture (pytest-flask's name, or your own); override ``fsqt_app`` in a
    ``conftest.py`` to pick another."""
    try:
        return t.cast("Flask", request.getfixturevalue("app"))
    except pytest.FixtureLookupError:
        raise pytest.UsageError(
            "fsqt_isolation needs the Flask app: define an 'app' fixture, or override"
            " the 'fsqt_app' fixture in conftest.py."
        ) from None


@pytest.fixture
def fsqt_isolation(
    request: pytest.FixtureRequest, fsqt_app: Flask
) -> Iterator[Isolation]:
    """Run the test inside ``db.test_isolation(fsqt_app)``, where ``db`` is the app's
    ``SQLAlchemy`` extension; the ``fsqt_isolation`` marker's keywords (``mode``,
    ``bind_key``) are passed on."""
    db = fsqt_app.extensions.get("sqlalchemy")
    if db is None:
        raise pytest.UsageError(
            f"The app {fsqt_app.name!r} has no SQLAlchemy extension: call db.init_app(app)."
        )
    marker = request.node.get_closest_marker("fsqt_isolation")
    options: dict[str, t.Any] = dict(marker.kwargs) if marker is not None else {}
    with db.test_isolation(fsqt_app, **options) as isolation:
        yield isolation
