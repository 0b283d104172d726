"""What ``import flask_sqlalchemy_typed`` loads: ``bench/import_time.py`` measures
the cost, this pins which modules are deferred to first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

PKG = "flask_sqlalchemy_typed"


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys\n{code}\n"
            f"print(' '.join(m for m in sys.modules if m.startswith('{PKG}')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


# Loaded when used: the TypedDicts only type arguments (creating them costs
# more than the rest of the package), the others serve one method each.
DEFERRED = (
    f"{PKG}._options",
    f"{PKG}.pagination",
    f"{PKG}._paging",
    f"{PKG}._repr",
    f"{PKG}.cli",
    f"{PKG}.record_queries",
    f"{PKG}.track_modifications",
    f"{PKG}.migrate",
)


def test_import_defers_optional_modules() -> None:
    loaded = _loaded_after(f"import {PKG}")
    assert f"{PKG}.extension" in loaded
    assert loaded.isdisjoint(DEFERRED), sorted(loaded & set(DEFERRED))


def test_constructing_the_extension_loads_no_more() -> None:
    loaded = _loaded_after(
        f"from {PKG} import SQLAlchemy\n"
        "SQLAlchemy(engine_options={'echo': False}, session_options={})"
    )
    assert loaded.isdisjoint(DEFERRED), sorted(loaded & set(DEFERRED))


@pytest.mark.parametrize(
    ("code", "module"),
    [
        ("db.paginate(sa.select(sa.literal(1)), page=1, per_page=1)", "pagination"),
        ("repr(db)", "_repr"),
    ],
)
def test_first_use_loads_the_module(code: str, module: str) -> None:
    loaded = _loaded_after(
        "import flask, sqlalchemy as sa\n"
        f"from {PKG} import SQLAlchemy\n"
        "app = flask.Flask('a')\n"
        "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
        "db = SQLAlchemy(app)\n"
        "with app.app_context():\n"
        f"    {code}\n"
    )
    assert f"{PKG}.{module}" in loaded
