"""The built wheel carries the stubs, and type checkers read them from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PKG = "flask_sqlalchemy_typed"

APP = textwrap.dedent(
    """
    from sqlalchemy import select
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    from flask_sqlalchemy_typed import SQLAlchemy


    class Base(DeclarativeBase):
        pass


    db = SQLAlchemy(model_class=Base)


    class User(Base):
        __tablename__ = "user"
        id: Mapped[int] = mapped_column(primary_key=True)


    reveal_type(db.get_or_404(User, 1))
    reveal_type(db.paginate(select(User)).items)
    db.Colum
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("*.whl")
    return path


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert f"{PKG}/py.typed" in names
    sources = {n for n in names if n.startswith(f"{PKG}/") and n.endswith(".py")}
    public = {s for s in sources if not Path(s).name.startswith("_")} | {
        f"{PKG}/__init__.py"
    }
    for source in public:
        assert f"{source}i" in names, f"{source} has no stub in the wheel"
    stubs = sorted(
        p.relative_to(ROOT / "stubs").as_posix()
        for p in (ROOT / "stubs").rglob("*.pyi")
    )
    assert sorted(n for n in names if n.endswith(".pyi")) == stubs


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies come from ours."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Our site-packages provides flask and sqlalchemy; a directory added by a .pth
    # file does not run its own .pth files, so our editable install stays out.
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [str(python), "-c", f"import {PKG}; print({PKG}.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert found.startswith(site), found
    return python


def _app(tmp_path: Path) -> Path:
    path = tmp_path / "app.py"
    path.write_text(APP)
    return path


def test_mypy_reads_the_wheel_stubs(installed: Path, tmp_path: Path) -> None:
    app = _app(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(installed),
            "--config-file",
            os.devnull,
            str(app),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": ""},
    )
    out = proc.stdout
    assert 'Revealed type is "app.User"' in out, out
    assert 'Revealed type is "list[app.User]"' in out, out
    assert '"SQLAlchemy[Base]" has no attribute "Colum"' in out, out


def test_pyright_reads_the_wheel_stubs(installed: Path, tmp_path: Path) -> None:
    app = _app(tmp_path)
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyright"),
            "--pythonpath",
            str(installed),
            str(app),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    out = proc.stdout
    assert 'Type of "db.get_or_404(User, 1)" is "User"' in out, out
    assert 'Type of "db.paginate(select(User)).items" is "list[User]"' in out, out
    assert 'Cannot access attribute "Colum"' in out, out


def test_verifytypes_complete(installed: Path, tmp_path: Path) -> None:
    """``pyright --verifytypes`` on the installed wheel: 100 % type completeness."""
    env_dir = installed.parent.parent
    env = {
        **os.environ,
        "VIRTUAL_ENV": str(env_dir),
        "PATH": f"{installed.parent}{os.pathsep}{os.environ['PATH']}",
    }
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyright"),
            "--verifytypes",
            PKG,
            "--ignoreexternal",
            "--outputjson",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    report = json.loads(proc.stdout)["typeCompleteness"]
    assert report["exportedSymbolCounts"]["withKnownType"] > 1000
    assert report["completenessScore"] == 1.0, [
        (s["name"], s["diagnostics"]) for s in report["symbols"] if not s["isTypeKnown"]
    ]
