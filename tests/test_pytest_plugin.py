"""The pytest plugin, run in pytest's own ``pytester`` sandbox on a SQLite file."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Mapped, mapped_column

from flask_sqlalchemy_typed import SQLAlchemy

db = SQLAlchemy()


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


@pytest.fixture(scope="session")
def {app_fixture}(tmp_path_factory):
    app = Flask(__name__)
    path = tmp_path_factory.mktemp("db") / "app.db"
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{{path}}"
    db.init_app(app)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Todo.id)))
"""

TESTS = """
import pytest
from conftest import Todo, count, db
from flask_sqlalchemy_typed.testing import Isolation


@pytest.mark.parametrize("run", [1, 2])
def test_commit(fsqt_isolation: Isolation, run: int) -> None:
    app = fsqt_isolation.app
    with app.app_context():
        assert count(app) == 0
        db.session.add(Todo(name="a"))
        db.session.commit()
        assert count(app) == 1
    assert fsqt_isolation.mode == "savepoint"


@pytest.mark.fsqt_isolation(mode="delete")
def test_delete_mode(fsqt_isolation: Isolation) -> None:
    app = fsqt_isolation.app
    assert fsqt_isolation.mode == "delete"
    with app.app_context():
        db.session.add(Todo(name="b"))
        db.session.commit()


def test_nothing_left(APP) -> None:
    assert count(APP) == 0
"""


def test_fixture_isolates_each_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.format(app_fixture="app"))
    pytester.makepyfile(test_app=TESTS.replace("APP", "app"))
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_fsqt_app_overrides_the_app_fixture(pytester: pytest.Pytester) -> None:
    conftest = CONFTEST.format(app_fixture="my_app") + (
        "\n\n@pytest.fixture\ndef fsqt_app(my_app):\n    return my_app\n"
    )
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_app=TESTS.replace("APP", "my_app"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_missing_app_fixture_says_what_to_do(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_app="def test_x(fsqt_isolation):\n    pass\n",
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*define an 'app' fixture, or override the 'fsqt_app' fixture*"]
    )


def test_app_without_the_extension(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_app=(
            "import pytest\nfrom flask import Flask\n\n"
            "@pytest.fixture\ndef app():\n    return Flask('bare')\n\n"
            "def test_x(fsqt_isolation):\n    pass\n"
        ),
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*has no SQLAlchemy extension: call db.init_app(app)*"]
    )


def test_no_fixture_shadows_pytest_flask(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures", "-p", "no:cacheprovider")
    lines = result.stdout.lines
    start = next(
        i for i, line in enumerate(lines) if "from flask_sqlalchemy_typed" in line
    )
    section: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("-") or line.startswith("="):
            break
        if line and not line.startswith(" "):
            section.append(line.split()[0])
    assert section == ["fsqt_app", "fsqt_isolation"]


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.fsqt_isolation(*"])


def test_p_no_turns_the_plugin_off(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.format(app_fixture="app"))
    pytester.makepyfile(test_app=TESTS.replace("APP", "app"))
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:flask_sqlalchemy_typed"
    )
    result.assert_outcomes(passed=1, errors=3)
    result.stdout.fnmatch_lines(["*fixture 'fsqt_isolation' not found*"])


def test_xdist_workers_get_their_own_database(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_app=(
            "import os\n"
            "import pytest\n"
            "from flask_sqlalchemy_typed.testing import worker_database_url\n\n"
            "@pytest.mark.parametrize('n', range(4))\n"
            "def test_url(n):\n"
            "    worker = os.environ['PYTEST_XDIST_WORKER']\n"
            "    url = worker_database_url('postgresql+psycopg://u@h/app_test')\n"
            "    assert url.database == f'app_test_{worker}'\n"
        ),
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=4)
