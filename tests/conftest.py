"""Shared fixtures: an app per test, the five model base kinds, the databases each
test's ``databases`` marker names (``_matrix.py``), and the skip summary."""

from __future__ import annotations

import types
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy.orm as sa_orm
from flask import Flask
from flask.ctx import AppContext

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.model import Model

from ._matrix import Database
from ._matrix import database_fixture
from ._matrix import NAMES
from ._matrix import parametrize
from ._matrix import Servers
from ._matrix import summarize_skips

# The model_class kinds every model test runs with. Bases are built per test so each
# test gets a fresh registry and metadata.
MODEL_KINDS: dict[str, tuple[type, ...] | None] = {
    "model": None,
    "declarative": (sa_orm.DeclarativeBase,),
    "dataclass": (sa_orm.MappedAsDataclass, sa_orm.DeclarativeBase),
    "nometa": (sa_orm.DeclarativeBaseNoMeta,),
    "dataclass_nometa": (sa_orm.MappedAsDataclass, sa_orm.DeclarativeBaseNoMeta),
}


def make_model_class(kind: str) -> t.Any:
    """A fresh ``model_class`` argument of the given kind."""
    bases = MODEL_KINDS[kind]
    if bases is None:
        return Model
    return types.new_class(f"Base_{kind}", bases, {"metaclass": type(bases[-1])})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"databases(*names): the databases the test runs on, one of {', '.join(NAMES)};"
        " without it sqlite, postgresql and mariadb (tests/_matrix.py)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize(metafunc)


def pytest_terminal_summary(terminalreporter: t.Any) -> None:
    """One short block: how many tests skipped, and why."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = [
        str(r.longrepr[2]).removeprefix("Skipped: ")
        if isinstance(r.longrepr, tuple)
        else str(r.longrepr)
        for r in skipped
    ]
    collected = sum(
        len(terminalreporter.stats.get(k, []))
        for k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
    )
    terminalreporter.section("skipped", sep="-")
    for line in summarize_skips(reasons, collected):
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    """The database servers and replica pairs, reached on first use."""
    found = Servers()
    yield found
    found.close()


@pytest.fixture
def database(
    request: pytest.FixtureRequest, servers: Servers, tmp_path: Path
) -> Iterator[Database]:
    """The database of this call of the test (its ``databases`` marker); whatever
    the test created there is dropped afterwards."""
    yield from database_fixture(request, servers, tmp_path)


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, database: Database
) -> Iterator[Flask]:
    app = Flask(request.module.__name__, instance_path=str(tmp_path / "instance"))
    app.config["SQLALCHEMY_DATABASE_URI"] = database.url
    app.config["SQLALCHEMY_RECORD_QUERIES"] = False
    yield app
    # After every app context of the test ended (app_ctx depends on app): no session
    # holds a connection, so disposing closes them all and the database can be
    # cleaned. Disposing earlier would strand a checked-out connection in the old pool.
    db = app.extensions.get("sqlalchemy")
    if db is not None:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[AppContext]:
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture(params=list(MODEL_KINDS))
def model_class(request: pytest.FixtureRequest) -> t.Any:
    return make_model_class(request.param)


@pytest.fixture
def db(app: Flask, model_class: t.Any) -> SQLAlchemy[t.Any]:
    db: SQLAlchemy[t.Any] = SQLAlchemy(app, model_class=model_class)
    return db
