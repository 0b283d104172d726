"""Type-checking cost of an app using this package, next to Flask-SQLAlchemy 3.1.1.

Generates one app of ``--models`` models and ``--views`` views (each view calls
``db.get_or_404`` and ``db.paginate``), once importing ``flask_sqlalchemy_typed``
and once importing ``flask_sqlalchemy``, then times cold ``mypy --strict`` (a fresh
cache directory each run) and pyright strict on each. Prints the median and
minimum CPU time (and the median wall time) of ``--runs`` runs, side by side; the
runs are interleaved between the two apps. On a shared, loaded machine the
minimum is the steadier figure; use ``--runs 9`` or more. Exits 1 if a checker
reported errors.

Both packages are checked as a user has them: installed in one virtualenv, this
package from a wheel built from the checkout (its stubs beside the modules, with
``py.typed``). The script makes that virtualenv itself under ``--venv`` (default
``bench/.venv-typecheck``, reused on later runs): Flask, the SQLAlchemy and the
mypy and pyright versions this project pins, Flask-SQLAlchemy 3.1.1, and the wheel,
reinstalled on every run. ``--package-stubs DIR`` puts a stub directory first on
the search paths (``MYPYPATH``, pyright's ``stubPath``) instead, to measure an
experimental variant of the stubs.

Usage: ``python bench/typecheck_cost.py [--runs 5] [--package-stubs DIR]``.
Models subclass a ``DeclarativeBase`` passed as ``model_class``: mypy cannot
subclass ``db.Model`` (a variable).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANCHOR = "flask-sqlalchemy==3.1.1"


def pinned(name: str) -> str:
    """The exact pin of ``name`` in pyproject.toml: ``mypy==2.4.1``."""
    match = re.search(rf'"({name}==[^"]+)"', (ROOT / "pyproject.toml").read_text())
    if match is None:
        raise LookupError(f"no exact pin of {name} in pyproject.toml")
    return match.group(1)


def prepare_venv(venv: Path) -> None:
    """Make ``venv`` (once) with the checkers and both packages; reinstall the
    wheel of this checkout every time, so that the stubs measured are current."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    import sqlalchemy

    requirements = [
        "flask",
        f"sqlalchemy=={sqlalchemy.__version__}",
        ANCHOR,
        pinned("mypy"),
        pinned("pyright"),
    ]
    pip = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, *requirements], check=True)
    with tempfile.TemporaryDirectory() as wheels:
        subprocess.run(
            [*pip[:3], "wheel", "--quiet", "--no-deps", "-w", wheels, str(ROOT)],
            check=True,
        )
        (wheel,) = Path(wheels).glob("*.whl")
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(wheel)], check=True)


MODELS_HEADER = """\
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from {package} import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
"""

MODEL = """

class Model{i}(Base):
    __tablename__ = "model_{i}"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    score: Mapped[float | None]
"""

VIEWS_HEADER = """\
from __future__ import annotations

import sqlalchemy as sa

from .models import db
"""

VIEW = """


def view_{i}(ident: int, page: int) -> dict[str, object]:
    from .models import Model{m}

    obj = db.get_or_404(Model{m}, ident, description="no such row")
    pagination = db.paginate(
        sa.select(Model{m}).order_by(Model{m}.name), page=page, per_page=20
    )
    names = [row.name for row in pagination.items]
    return {{"name": obj.name, "names": names, "pages": pagination.pages}}
"""

# The same view with the select bound to a variable first (--bound-select).
VIEW_BOUND = """


def view_{i}(ident: int, page: int) -> dict[str, object]:
    from .models import Model{m}

    obj = db.get_or_404(Model{m}, ident, description="no such row")
    select = sa.select(Model{m}).order_by(Model{m}.name)
    pagination = db.paginate(select, page=page, per_page=20)
    names = [row.name for row in pagination.items]
    return {{"name": obj.name, "names": names, "pages": pagination.pages}}
"""


def write_app(
    folder: Path, package: str, models: int, views: int, view: str = VIEW
) -> None:
    """Write the app package ``folder/app``."""
    app = folder / "app"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(
        MODELS_HEADER.format(package=package)
        + "".join(MODEL.format(i=i) for i in range(models))
    )
    (app / "views.py").write_text(
        VIEWS_HEADER + "".join(view.format(i=i, m=i % models) for i in range(views))
    )


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """CPU and wall seconds, exit status and last output line of one command.

    CPU time (user + system, the checker and its children) is what the comparison
    uses: wall time swings with the machine's load.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return Sample(cpu, wall, proc.returncode, lines[-1] if lines else "")


@dataclasses.dataclass
class Sample:
    cpu: float
    wall: float
    status: int
    summary: str


@dataclasses.dataclass
class Variant:
    """One generated app and how to check it."""

    label: str
    package: str
    folder: Path
    stubs: Path | None
    samples: dict[str, list[Sample]] = dataclasses.field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k not in {"MYPYPATH", "PYTHONPATH"}
        }
        if self.stubs is not None:
            env["MYPYPATH"] = str(self.stubs)
        return env

    def write_pyright_config(self) -> None:
        config: dict[str, object] = {
            "include": ["app"],
            "typeCheckingMode": "strict",
            "pythonVersion": "3.11",
            "reportMissingModuleSource": "none",
        }
        if self.stubs is not None:
            config["stubPath"] = str(self.stubs)
        (self.folder / "pyrightconfig.json").write_text(json.dumps(config, indent=2))

    def command(self, checker: str, venv: Path, n: int) -> list[str]:
        python = str(venv / "bin" / "python")
        if checker == "mypy":
            cache = self.folder / f".mypy_cache_{n}"
            shutil.rmtree(cache, ignore_errors=True)
            return [
                str(venv / "bin" / "mypy"),
                "--strict",
                "--cache-dir",
                str(cache),
                "--python-executable",
                python,
                "app",
            ]
        return [
            str(venv / "bin" / "pyright"),
            "--pythonpath",
            python,
            "-p",
            str(self.folder / "pyrightconfig.json"),
        ]


CHECKERS = ("mypy", "pyright")


def measure(variants: list[Variant], venv: Path, runs: int) -> None:
    """Run every checker on every variant, interleaved so that a change in the
    machine's load hits both variants alike."""
    for variant in variants:
        variant.write_pyright_config()
    for n in range(runs):
        for checker in CHECKERS:
            for variant in variants:
                sample = run(
                    variant.command(checker, venv, n), variant.folder, variant.env()
                )
                variant.samples.setdefault(checker, []).append(sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--package-stubs",
        type=Path,
        help="check against flask_sqlalchemy_typed/*.pyi in this directory instead"
        " of the installed wheel",
    )
    parser.add_argument("--venv", type=Path, default=ROOT / "bench" / ".venv-typecheck")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument(
        "--bound-select",
        action="store_true",
        help="bind each view's select to a variable before paginate(select)",
    )
    parser.add_argument("--keep", type=Path, help="write the apps here and keep them")
    args = parser.parse_args(argv)

    stubs = args.package_stubs.resolve() if args.package_stubs else None
    if stubs and not (stubs / "flask_sqlalchemy_typed" / "__init__.pyi").exists():
        parser.error(f"no flask_sqlalchemy_typed/__init__.pyi under {stubs}")
    args.venv = args.venv.resolve()
    prepare_venv(args.venv)

    base = args.keep or Path(tempfile.mkdtemp(prefix="typecheck_cost_"))
    variants = [
        Variant(
            "flask_sqlalchemy_typed", "flask_sqlalchemy_typed", base / "ours", stubs
        ),
        Variant("flask_sqlalchemy 3.1.1", "flask_sqlalchemy", base / "anchor", None),
    ]
    try:
        for variant in variants:
            shutil.rmtree(variant.folder, ignore_errors=True)
            write_app(
                variant.folder,
                variant.package,
                args.models,
                args.views,
                VIEW_BOUND if args.bound_select else VIEW,
            )
        measure(variants, args.venv, args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)

    ours, anchor = variants
    print(
        f"{args.models} models, {args.views} views; {args.runs} cold runs each;"
        f" CPU seconds, median (min) [median wall];"
        f" stubs: {stubs or 'the installed wheel'}"
    )
    print(f"{'checker':<9}{ours.label:>30}{anchor.label:>30}  ratio (median, min)")
    for checker in CHECKERS:
        cells = []
        for variant in variants:
            cpus = [x.cpu for x in variant.samples[checker]]
            wall = statistics.median(x.wall for x in variant.samples[checker])
            cpu, low = statistics.median(cpus), min(cpus)
            cells.append((cpu, low, f"{cpu:.2f}s ({low:.2f}s) [{wall:.2f}s]"))
        ratio = f"{cells[0][0] / cells[1][0]:.2f}x, {cells[0][1] / cells[1][1]:.2f}x"
        print(f"{checker:<9}{cells[0][2]:>30}{cells[1][2]:>30}  {ratio}")
    print()
    failed = False
    for variant in variants:
        for checker in CHECKERS:
            samples = variant.samples[checker]
            listed = ", ".join(f"{x.cpu:.2f}" for x in samples)
            last = samples[-1]
            failed |= any(x.status != 0 for x in samples)
            print(
                f"{variant.label} {checker}: CPU [{listed}] exit {last.status}:"
                f" {last.summary}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
