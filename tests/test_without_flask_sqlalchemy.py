"""What works where the ``flask-sqlalchemy`` distribution is not installed, with
and without ``install_as_flask_sqlalchemy()``.

The interpreter is a venv built from this one (``--without-pip``) whose
site-packages links every installed distribution but Flask-SQLAlchemy: the same
releases, no download, and no ``flask_sqlalchemy`` module or metadata to find.
Building it takes well under a second; each scenario is one interpreter run.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parent / "ecosystem" / "_no_fsa.py"


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv's interpreter that sees every distribution installed here but
    Flask-SQLAlchemy."""
    root = tmp_path_factory.mktemp("no_fsa_venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root)], check=True
    )
    exe = root / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(exe), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    here = Path(sysconfig.get_path("purelib"))
    linked: set[str] = set()
    for dist in importlib.metadata.distributions():
        if dist.metadata["Name"].lower().replace("_", "-") == "flask-sqlalchemy":
            continue
        for file in dist.files or ():
            top = file.parts[0]
            if top == ".." or top in linked or not (here / top).exists():
                continue
            (site / top).symlink_to(here / top)
            linked.add(top)
    return exe


def run(python: Path, mode: str) -> dict[str, str]:
    out = subprocess.run(
        [
            str(python),
            "-W",
            "error",
            "-W",
            "ignore:Yielding raw tuples",
            str(SCENARIOS),
            mode,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)


@pytest.fixture(scope="module")
def plain(python: Path) -> dict[str, str]:
    return run(python, "plain")


@pytest.fixture(scope="module")
def aliased(python: Path) -> dict[str, str]:
    return run(python, "alias")


def test_flask_sqlalchemy_is_absent(plain: dict[str, str]) -> None:
    found = plain
    assert (
        found["distribution"]
        == "PackageNotFoundError: No package metadata was found for flask-sqlalchemy"
    )
    assert found["flask_sqlalchemy"].startswith("ModuleNotFoundError")


def test_without_the_call(plain: dict[str, str]) -> None:
    found = plain
    assert found["app"] == "ok 1"
    # the extensions that look for Flask-SQLAlchemy by name do not find it
    assert found["marshmallow"].startswith(
        "AttributeError: 'Marshmallow' object has no attribute 'SQLAlchemyAutoSchema'"
    )
    assert found["marshmallow_direct"] == "ok True"
    assert found["admin"].startswith("ImportError: cannot import name 'T_SESSION'")
    assert found["session"] == "ModuleNotFoundError: No module named 'flask_sqlalchemy'"
    assert found["msearch"].startswith("PackageNotFoundError")


def test_with_the_call(aliased: dict[str, str]) -> None:
    found = aliased
    assert found["distribution"].startswith("PackageNotFoundError")
    assert found["flask_sqlalchemy"] == "ok flask_sqlalchemy_typed"
    assert found["app"] == "ok 1"
    assert found["marshmallow"] == "ok {'id': 1, 'name': 'ann'}"
    assert found["marshmallow_direct"] == "ok True"
    assert found["admin"] == "ok 200"
    assert found["session"] == "ok ['1', '2']"
    # Flask-MSearch reads the flask-sqlalchemy distribution's version at import:
    # the alias provides the modules, not the distribution (see the README).
    assert (
        found["msearch"]
        == "PackageNotFoundError: No package metadata was found for flask-sqlalchemy"
    )
