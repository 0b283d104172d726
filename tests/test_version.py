"""The deprecated ``__version__`` attribute, as in Flask-SQLAlchemy 3.1."""

from __future__ import annotations

import importlib.metadata

import pytest

import flask_sqlalchemy_typed


def test_version_is_deprecated() -> None:
    with pytest.deprecated_call(match="importlib.metadata.version"):
        version = flask_sqlalchemy_typed.__version__
    assert version == importlib.metadata.version("flask-sqlalchemy-typed")


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="nosuch"):
        flask_sqlalchemy_typed.nosuch  # noqa: B018
