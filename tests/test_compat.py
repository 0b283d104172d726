"""``install_as_flask_sqlalchemy()``: aliasing, idempotence, and the refusal to
alias over an imported Flask-SQLAlchemy.

The call only writes ``sys.modules`` entries named ``flask_sqlalchemy`` or
``flask_sqlalchemy.*``, so the ``fresh_modules`` fixture saving and restoring exactly
those keys undoes it. The tests that import extensions under the alias run in a
subprocess instead (``test_ecosystem_aliased.py``): an extension module imported
there keeps references to our classes, which no restore could take back.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import flask_sqlalchemy_typed
from flask_sqlalchemy_typed import install_as_flask_sqlalchemy

SUBMODULES = (
    "cli",
    "extension",
    "model",
    "pagination",
    "query",
    "record_queries",
    "session",
    "table",
    "track_modifications",
)


def _fsa_keys() -> dict[str, types.ModuleType]:
    return {
        key: module
        for key, module in sys.modules.items()
        if key == "flask_sqlalchemy" or key.startswith("flask_sqlalchemy.")
    }


@pytest.fixture
def fresh_modules() -> Iterator[None]:
    """No ``flask_sqlalchemy*`` module imported during the test; the entries as they
    were afterwards."""
    saved = _fsa_keys()
    for key in saved:
        del sys.modules[key]
    yield
    for key in _fsa_keys():
        del sys.modules[key]
    sys.modules.update(saved)


@pytest.mark.usefixtures("fresh_modules")
def test_every_submodule_is_ours() -> None:
    install_as_flask_sqlalchemy()
    import flask_sqlalchemy

    assert flask_sqlalchemy is flask_sqlalchemy_typed
    for name in SUBMODULES:
        ours = importlib.import_module(f"flask_sqlalchemy_typed.{name}")
        assert importlib.import_module(f"flask_sqlalchemy.{name}") is ours

    # importlib: a checker resolves the names of real Flask-SQLAlchemy statically
    def attr_of(module: str, attr: str) -> object:
        return getattr(importlib.import_module(module), attr)

    assert (
        attr_of("flask_sqlalchemy", "SQLAlchemy") is flask_sqlalchemy_typed.SQLAlchemy
    )
    assert (
        attr_of("flask_sqlalchemy.session", "Session")
        is flask_sqlalchemy_typed.session.Session
    )
    assert (
        attr_of("flask_sqlalchemy.track_modifications", "models_committed")
        is flask_sqlalchemy_typed.track_modifications.models_committed
    )


@pytest.mark.usefixtures("fresh_modules")
def test_idempotent() -> None:
    install_as_flask_sqlalchemy()
    first = _fsa_keys()
    install_as_flask_sqlalchemy()
    flask_sqlalchemy_typed.install_as_flask_sqlalchemy()
    assert _fsa_keys() == first
    assert len(first) == 1 + len(SUBMODULES)


@pytest.fixture
def importer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module that imports the real Flask-SQLAlchemy, as an extension would."""
    name = "eco_fsa_importer"
    (tmp_path / f"{name}.py").write_text("from flask_sqlalchemy import SQLAlchemy\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


@pytest.mark.usefixtures("fresh_modules")
def test_refuses_when_flask_sqlalchemy_is_imported(importer: str) -> None:
    module = importlib.import_module(importer)
    real = sys.modules["flask_sqlalchemy"]
    assert module.SQLAlchemy is not flask_sqlalchemy_typed.SQLAlchemy
    before = _fsa_keys()
    with pytest.raises(RuntimeError) as info:
        install_as_flask_sqlalchemy()
    message = str(info.value)
    assert message.startswith("'flask_sqlalchemy' is already imported (")
    assert str(real.__file__) in message
    # (modules that other tests imported may be named too)
    assert re.search(rf"; in use by [^)]*'{importer}'", message)
    assert (
        "Call 'flask_sqlalchemy_typed.install_as_flask_sqlalchemy()' before" in message
    )
    # nothing aliased, nothing removed
    assert _fsa_keys() == before


@pytest.mark.usefixtures("fresh_modules")
def test_refuses_a_half_imported_flask_sqlalchemy() -> None:
    # A failed import of the package leaves the submodules it had imported.
    importlib.import_module("flask_sqlalchemy")
    del sys.modules["flask_sqlalchemy"]
    before = _fsa_keys()
    assert before
    with pytest.raises(RuntimeError, match=r"^'flask_sqlalchemy\.\w+' is already"):
        install_as_flask_sqlalchemy()
    assert _fsa_keys() == before


@pytest.mark.usefixtures("fresh_modules")
def test_refuses_a_replaced_alias() -> None:
    install_as_flask_sqlalchemy()
    stranger = types.ModuleType("flask_sqlalchemy.cli")
    sys.modules["flask_sqlalchemy.cli"] = stranger
    with pytest.raises(RuntimeError, match=r"^'flask_sqlalchemy\.cli' is already"):
        install_as_flask_sqlalchemy()
    assert sys.modules["flask_sqlalchemy.cli"] is stranger


NO_CALL = """
import sys
import flask
import flask_sqlalchemy_typed
from flask_sqlalchemy_typed import SQLAlchemy

app = flask.Flask("app")
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = True
db = SQLAlchemy(app)
with app.app_context():
    db.create_all()
    db.paginate(db.select(db.literal(1)))
# Without the call: no alias, and the compat module is not even loaded.
assert not [k for k in sys.modules if k.split(".")[0] == "flask_sqlalchemy"], sys.modules
assert "flask_sqlalchemy_typed.compat" not in sys.modules

def load():  # keeps no module-level reference
    import importlib
    importlib.import_module("flask_sqlalchemy")

load()
try:
    flask_sqlalchemy_typed.install_as_flask_sqlalchemy()
except RuntimeError as e:
    print(e)
else:
    raise AssertionError("no error")
"""


def test_without_the_call_nothing_is_aliased() -> None:
    # A fresh interpreter: this process's sys.modules holds what other tests imported.
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(NO_CALL)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "imported by code that kept no module-level reference to it" in out
