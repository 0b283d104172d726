"""Whether this run has ``install_as_flask_sqlalchemy()`` installed.

``tests/ecosystem`` runs twice: in the main pytest run, with Flask-SQLAlchemy 3.1.1
installed beside this package and no call (what an app gets by renaming its imports
only); and in a pytest subprocess started by ``tests/test_ecosystem_aliased.py``
with ``FSQT_ECOSYSTEM_ALIAS=1``, whose ``conftest.py`` makes the call before any
extension is imported. A subprocess because the alias is process-global: extension
modules imported under it keep references to our classes, which restoring
``sys.modules`` cannot take back.
"""

from __future__ import annotations

import os

import pytest

ALIASED = os.environ.get("FSQT_ECOSYSTEM_ALIAS") == "1"

needs_alias = pytest.mark.skipif(
    not ALIASED,
    reason="needs install_as_flask_sqlalchemy(); runs in test_ecosystem_aliased.py",
)
