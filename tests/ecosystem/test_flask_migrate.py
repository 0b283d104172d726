"""Flask-Migrate under the alias: ``tests/test_flask_migrate.py``'s test, again."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from .. import test_flask_migrate as plain
from ._mode import needs_alias

_restore_logging = plain._restore_logging  # its autouse fixture, for this module too


@needs_alias
@pytest.mark.parametrize("multidb", [False, True])
def test_init_migrate_upgrade(app: Flask, tmp_path: Path, multidb: bool) -> None:
    plain.test_init_migrate_upgrade(app, tmp_path, multidb)
