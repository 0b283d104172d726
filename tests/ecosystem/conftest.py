"""The alias, installed before any test module here imports an extension."""

from __future__ import annotations

from ._mode import ALIASED

if ALIASED:
    from flask_sqlalchemy_typed import install_as_flask_sqlalchemy

    install_as_flask_sqlalchemy()
