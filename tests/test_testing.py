"""db.test_isolation(): every behaviour on SQLite (file and in-memory), PostgreSQL and
MariaDB, with two binds. After each isolated block the rows are counted through a
fresh engine (the app's own StaticPool connection for in-memory SQLite): 0 left."""

from __future__ import annotations

import subprocess
import sys
import threading
import typing as t
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import Flask
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import _state
from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.testing import Isolation
from flask_sqlalchemy_typed.testing import IsolationError
from flask_sqlalchemy_typed.testing import worker_database_url
from flask_sqlalchemy_typed.track_modifications import models_committed

from ._matrix import Database

# Isolation on SQLite in a file and in memory (its own pool), and on the servers.
pytestmark = pytest.mark.databases("sqlite-file", "sqlite", "postgresql", "mariadb")


@dataclass
class Env:
    """An app with two binds (default: ``todo`` and ``child``; ``other``: ``note``)."""

    kind: str
    app: Flask
    db: SQLAlchemy[t.Any]
    todo: type[t.Any]
    child: type[t.Any]
    note: type[t.Any]
    urls: dict[str | None, str]

    def count(self) -> dict[str, int]:
        """Rows of each table, read through connections of a fresh engine."""
        tables = {None: ["todo", "child"], "other": ["note"]}
        counts: dict[str, int] = {}
        for key, names in tables.items():
            if self.kind == "sqlite":
                with self.app.app_context():
                    engine = self.db.engines[key]
                    with engine.connect() as conn:
                        for name in names:
                            counts[name] = _count(conn, name)
                continue
            engine = sa.create_engine(self.urls[key], poolclass=sa.pool.NullPool)
            try:
                with engine.connect() as conn:
                    for name in names:
                        counts[name] = _count(conn, name)
            finally:
                engine.dispose()
        return counts

    def server_sessions_in_transaction(self) -> int:
        """Server connections to the test's databases left inside a transaction."""
        if self.kind.startswith("sqlite"):
            return 0
        names = [t.cast(str, sa.make_url(u).database) for u in self.urls.values()]
        engine = sa.create_engine(self.urls[None], poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                if self.kind == "postgresql":
                    sql = (
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY(:n)"
                        " AND state LIKE 'idle in transaction%%'"
                        " AND pid <> pg_backend_pid()"
                    )
                    return int(conn.execute(sa.text(sql), {"n": names}).scalar_one())
                sql = (
                    "SELECT count(*) FROM information_schema.innodb_trx t"
                    " JOIN information_schema.processlist p"
                    " ON p.id = t.trx_mysql_thread_id"
                    " WHERE p.db IN :n AND p.id <> connection_id()"
                )
                stmt = sa.text(sql).bindparams(sa.bindparam("n", expanding=True))
                return int(conn.execute(stmt, {"n": names}).scalar_one())
        finally:
            engine.dispose()

    def assert_clean(self) -> None:
        assert self.count() == {"todo": 0, "child": 0, "note": 0}
        assert self.server_sessions_in_transaction() == 0
        with self.app.app_context():
            for engine in self.db.engines.values():
                checkedout = getattr(engine.pool, "checkedout", None)
                assert checkedout is None or checkedout() == 0
                assert "connect" not in vars(engine)
        assert _state.of(self.db).isolation is None
        kw = self.db.session.session_factory.kw
        assert "join_transaction_mode" not in kw and "twophase" not in kw


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


@pytest.fixture
def env(database: Database) -> Iterator[Env]:
    urls: dict[str | None, str] = {
        None: database.url,
        "other": database.bind_url("other"),
    }

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = urls[None]
    app.config["SQLALCHEMY_BINDS"] = {"other": urls["other"]}
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = True
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class Todo(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "todo"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(sa.String(40), unique=True)

    class Child(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "child"
        id: Mapped[int] = mapped_column(primary_key=True)
        todo_id: Mapped[int] = mapped_column(sa.ForeignKey("todo.id"))

    class Note(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "note"
        __bind_key__ = "other"
        id: Mapped[int] = mapped_column(primary_key=True)

    with app.app_context():
        db.create_all()
    yield Env(database.name, app, db, Todo, Child, Note, urls)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def _names(env: Env) -> list[str]:
    return list(
        env.db.session.scalars(sa.select(env.todo.name).order_by(env.todo.name))
    )


def test_commit_on_two_binds_is_rolled_back(env: Env) -> None:
    for _ in range(2):  # two consecutive isolated tests
        with env.app.app_context(), env.db.test_isolation(env.app):
            env.db.session.add_all([env.todo(name="a"), env.note()])
            env.db.session.commit()
            assert _names(env) == ["a"]
            assert env.db.session.scalar(sa.select(sa.func.count(env.note.id))) == 1
        env.assert_clean()


def test_flask_sqlalchemy_lite_recursion_error_after_commit(env: Env) -> None:
    """Flask-SQLAlchemy-Lite 0.2.1 on SQLAlchemy 2.1: the first session use after a
    commit raises RecursionError and the commit is real. Here: neither."""
    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="a"))
        env.db.session.commit()
        assert env.db.session.scalar(sa.select(env.todo.name)) == "a"
        env.db.session.add(env.todo(name="b"))
        env.db.session.commit()
        assert _names(env) == ["a", "b"]
    env.assert_clean()


def test_rollback_after_integrity_error_keeps_earlier_commits(env: Env) -> None:
    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="seed"))
        env.db.session.commit()
        env.db.session.add(env.todo(name="seed"))
        with pytest.raises(sa_exc.IntegrityError):
            env.db.session.commit()
        env.db.session.rollback()
        env.db.session.add(env.todo(name="keep"))
        env.db.session.commit()
        assert _names(env) == ["keep", "seed"]
    env.assert_clean()


def test_begin_nested_rolls_back_to_its_own_savepoint(env: Env) -> None:
    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="outer"))
        with env.db.session.begin_nested():
            env.db.session.add(env.todo(name="kept"))
        nested = env.db.session.begin_nested()
        env.db.session.add(env.todo(name="dropped"))
        nested.rollback()
        env.db.session.commit()
        assert _names(env) == ["kept", "outer"]
    env.assert_clean()


def test_requests_and_teardown_remove(env: Env) -> None:
    app, db = env.app, env.db

    @app.post("/todo/<name>")
    def create(name: str) -> str:
        db.session.add(env.todo(name=name))
        db.session.add(env.note())
        db.session.commit()
        return "ok"

    @app.get("/todo")
    def names() -> list[str]:
        return _names(env)

    with db.test_isolation(app):
        client = app.test_client()
        assert client.post("/todo/a").status_code == 200
        assert client.post("/todo/b").status_code == 200
        assert client.get("/todo").json == ["a", "b"]
    env.assert_clean()


def test_core_connect_begin_commit(env: Env) -> None:
    todo = env.todo.__table__
    with env.app.app_context(), env.db.test_isolation(env.app):
        with env.db.engine.begin() as conn:
            conn.execute(sa.insert(todo).values(name="begin"))
        with env.db.engine.connect() as conn:
            conn.execute(sa.insert(todo).values(name="commit"))
            conn.commit()
            conn.execute(sa.insert(todo).values(name="rolled-back"))
            conn.rollback()
            conn.execute(sa.insert(todo).values(name="commit-2"))
            conn.commit()
        with env.db.engine.connect() as conn:
            conn.execute(sa.insert(todo).values(name="closed-uncommitted"))
        with env.db.engines["other"].begin() as conn:
            conn.execute(sa.insert(env.note.__table__))
        assert _names(env) == ["begin", "commit", "commit-2"]
        with env.db.engine.connect() as conn:
            assert _count(conn, "todo") == 3
    env.assert_clean()


def test_core_commit_under_an_open_session_transaction_raises(env: Env) -> None:
    todo = env.todo.__table__
    with env.app.app_context(), env.db.test_isolation(env.app):
        with env.db.engine.connect() as conn:
            conn.execute(sa.insert(todo).values(name="core"))
            env.db.session.add(env.todo(name="orm"))
            env.db.session.flush()  # the session's savepoint is inside the Core one
            with pytest.raises(IsolationError, match="Commit or close that one first"):
                conn.commit()
            env.db.session.commit()
            conn.commit()
        assert _names(env) == ["core", "orm"]
    env.assert_clean()


def test_engines_stay_real_engines(env: Env) -> None:
    with env.app.app_context():
        before = dict(env.db.engines)
        with env.db.test_isolation() as iso:
            assert dict(env.db.engines) == before
            assert type(env.db.engine) is sa.Engine
            assert type(env.db.engines["other"]) is sa.Engine
            assert env.db.session.connection() is iso.connection()
            note = env.db.session.connection(bind_arguments={"mapper": env.note})
            assert note is iso.connection("other")
            assert isinstance(iso, Isolation)
            assert iso.bind_keys == (None, "other")


def test_models_committed_per_commit(env: Env) -> None:
    seen: list[list[str]] = []

    def record(sender: Flask, changes: list[tuple[t.Any, str]]) -> None:
        seen.append([op for _, op in changes])

    models_committed.connect(record, weak=False)
    try:
        with env.app.app_context(), env.db.test_isolation(env.app):
            env.db.session.add(env.todo(name="a"))
            env.db.session.commit()
            todo = env.db.session.scalars(sa.select(env.todo)).one()
            todo.name = "b"
            env.db.session.commit()
            env.db.session.delete(todo)
            env.db.session.commit()
    finally:
        models_committed.disconnect(record)
    assert seen == [["insert"], ["update"], ["delete"]]
    env.assert_clean()


def test_other_thread_raises_and_leaves_the_connection_intact(env: Env) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with env.app.app_context():
                env.db.session.add(env.todo(name="thread"))
                env.db.session.commit()
        except BaseException as e:
            errors.append(e)
        try:
            with env.app.app_context(), env.db.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except BaseException as e:
            errors.append(e)

    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="main"))
        env.db.session.commit()
        thread = threading.Thread(target=work, name="worker")
        thread.start()
        thread.join()
        assert [type(e) for e in errors] == [IsolationError, IsolationError]
        assert "'worker'" in str(errors[0]) and "mode='delete'" in str(errors[0])
        env.db.session.add(env.todo(name="after"))
        env.db.session.commit()
        assert _names(env) == ["after", "main"]
    env.assert_clean()


@pytest.mark.parametrize(
    "statement",
    ["CREATE TABLE extra (id INTEGER)", "TRUNCATE TABLE child", "DROP TABLE child"],
)
def test_ddl(env: Env, statement: str) -> None:
    if env.kind.startswith("sqlite") and statement.startswith("TRUNCATE"):
        pytest.skip("SQLite has no TRUNCATE")
    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="a"))
        env.db.session.commit()
        if env.kind == "mariadb":
            # An implicit COMMIT would make "a" permanent: refused before it runs.
            with pytest.raises(IsolationError, match="commit implicitly"):
                env.db.session.execute(sa.text(statement))
            env.db.session.rollback()
        else:
            env.db.session.execute(sa.text(statement))
            env.db.session.commit()
        assert _names(env) == ["a"]
    env.assert_clean()
    with env.app.app_context():
        names = sa.inspect(env.db.engine).get_table_names()
    assert sorted(names) == ["child", "todo"]


def test_create_all_inside(env: Env) -> None:
    extra = sa.Table(
        "extra", env.db.metadata, sa.Column("id", sa.Integer, primary_key=True)
    )
    try:
        with env.app.app_context(), env.db.test_isolation(env.app):
            if env.kind == "mariadb":
                with pytest.raises(IsolationError, match="session-scoped fixture"):
                    env.db.create_all()
            else:
                env.db.create_all()
                env.db.session.execute(sa.insert(extra))
        env.assert_clean()
        with env.app.app_context():
            assert "extra" not in sa.inspect(env.db.engine).get_table_names()
    finally:
        env.db.metadata.remove(extra)


@pytest.mark.parametrize(
    "statement", ["COMMIT", "  /* x */ commit", "BEGIN", "ROLLBACK"]
)
def test_transaction_control_statements_raise(env: Env, statement: str) -> None:
    with env.app.app_context(), env.db.test_isolation(env.app):
        env.db.session.add(env.todo(name="a"))
        env.db.session.flush()
        with pytest.raises(IsolationError, match="would end the test's transaction"):
            env.db.session.execute(sa.text(statement))
        env.db.session.rollback()
    env.assert_clean()


def test_exit_on_exception(env: Env) -> None:
    with pytest.raises(ZeroDivisionError):
        with env.app.app_context(), env.db.test_isolation(env.app):
            env.db.session.add_all([env.todo(name="a"), env.note()])
            env.db.session.commit()
            env.db.session.add(env.todo(name="pending"))
            env.db.session.flush()
            with env.db.engine.connect() as conn:
                conn.execute(sa.insert(env.todo.__table__).values(name="core"))
                1 / 0  # noqa: B018
    env.assert_clean()


def test_foreign_session_commit_raises(env: Env) -> None:
    with env.app.app_context(), env.db.test_isolation(env.app):
        with sa_orm.Session(env.db.engine) as session:
            session.add(env.todo(name="foreign"))
            with pytest.raises(IsolationError, match="Use db.session"):
                session.commit()
    env.assert_clean()


def test_root_transaction_ended_is_reported(env: Env) -> None:
    with pytest.raises(IsolationError, match="was broken during the test"):
        with env.app.app_context(), env.db.test_isolation(env.app) as iso:
            env.db.session.add(env.todo(name="a"))
            env.db.session.commit()
            transaction = iso.connection().get_transaction()
            assert transaction is not None
            transaction.rollback()
            with pytest.raises(IsolationError, match="outer transaction has ended"):
                env.db.session.scalar(sa.select(env.todo))
    env.assert_clean()


def test_bind_key_selects_binds(env: Env) -> None:
    with env.app.app_context():
        with env.db.test_isolation(bind_key="other") as iso:
            assert iso.bind_keys == ("other",)
            env.db.session.add_all([env.note(), env.todo(name="real")])
            env.db.session.commit()
        assert env.count() == {"todo": 1, "child": 0, "note": 0}
        env.db.session.execute(sa.delete(env.todo))
        env.db.session.commit()
        with env.db.test_isolation(bind_key=[None]) as iso:
            assert iso.bind_keys == (None,)
            with pytest.raises(IsolationError, match="not isolated"):
                iso.connection("other")
        with pytest.raises(sa_exc.UnboundExecutionError, match="'nope' is not in"):
            env.db.test_isolation(bind_key=["nope"])
    env.assert_clean()


def test_delete_mode(env: Env) -> None:
    with env.app.app_context(), env.db.test_isolation(env.app, mode="delete") as iso:
        todo = env.todo(name="a")
        env.db.session.add_all([todo, env.note()])
        env.db.session.flush()
        env.db.session.add(env.child(todo_id=todo.id))
        env.db.session.commit()
        assert env.count() == {"todo": 1, "child": 1, "note": 1}  # really committed

        def work() -> None:  # a live server's thread shares nothing
            with env.app.app_context():
                env.db.session.add(env.todo(name="thread"))
                env.db.session.commit()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert _names(env) == ["a", "thread"]
        with pytest.raises(IsolationError, match="pins no connection"):
            iso.connection()
    env.assert_clean()


def test_outside_app_context_and_default_app(env: Env) -> None:
    with env.db.test_isolation() as iso:
        assert iso.app is env.app
        with env.app.app_context():
            env.db.session.add(env.todo(name="a"))
            env.db.session.commit()
        with env.app.app_context():
            assert _names(env) == ["a"]
    env.assert_clean()


def test_usage_errors() -> None:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    with pytest.raises(ValueError, match="mode must be 'savepoint' or 'delete'"):
        db.test_isolation(app, mode="rollback")  # type: ignore[arg-type]
    iso = db.test_isolation(app)
    with pytest.raises(IsolationError, match="not active"):
        iso.connection()
    with iso:
        with pytest.raises(IsolationError, match="already active"):
            db.test_isolation(app).__enter__()
        with pytest.raises(IsolationError, match="entered once"):
            iso.__enter__()
    with pytest.raises(IsolationError, match="entered once"):
        iso.__enter__()
    other = Flask("other")
    other.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(other)
    with pytest.raises(RuntimeError, match=r"call db.test_isolation\(app\)"):
        db.test_isolation()
    with pytest.raises(RuntimeError, match="not registered"):
        db.test_isolation(Flask("third"))
    autocommit = Flask("autocommit")
    autocommit.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    autocommit.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"isolation_level": "AUTOCOMMIT"}
    db.init_app(autocommit)
    with pytest.raises(IsolationError, match="AUTOCOMMIT"):
        db.test_isolation(autocommit).__enter__()
    with autocommit.app_context():
        assert _state.of(db).isolation is None
    for each in (app, other, autocommit):
        with each.app_context():
            db.engine.dispose()


def test_session_options_are_restored() -> None:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    options: t.Any = {"twophase": True, "join_transaction_mode": "rollback_only"}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app, session_options=options)
    before = dict(db.session.session_factory.kw)
    with app.app_context():
        with db.test_isolation():
            kw = db.session.session_factory.kw
            assert kw["twophase"] is False
            assert kw["join_transaction_mode"] == "create_savepoint"
            db.session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            db.session.commit()  # no two-phase commit on the pinned connection
        assert db.session.session_factory.kw == before
        assert sa.inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_sqlite_connection_is_restored(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path}/x.db"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 1}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    with app.app_context():
        with db.engine.connect() as conn:
            before = conn.connection.driver_connection.isolation_level  # type: ignore[union-attr]
        with db.test_isolation() as iso:
            driver = iso.connection().connection.driver_connection
            assert driver.isolation_level is None  # type: ignore[union-attr]
        with db.engine.connect() as conn:
            assert conn.connection.driver_connection is driver
            assert driver.isolation_level == before  # type: ignore[union-attr]
        db.engine.dispose()


def test_not_imported_until_used() -> None:
    code = (
        "import sys, sqlalchemy as sa\n"
        "from flask import Flask\n"
        "from flask_sqlalchemy_typed import SQLAlchemy\n"
        "app = Flask('a'); app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
        "db = SQLAlchemy(app)\n"
        "with app.app_context(): db.session.execute(sa.text('SELECT 1'))\n"
        "assert 'flask_sqlalchemy_typed.testing' not in sys.modules\n"
        "assert 'flask_sqlalchemy_typed._pinned_connection' not in sys.modules\n"
        "with db.test_isolation(app): pass\n"
        "assert 'flask_sqlalchemy_typed.testing' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("postgresql+psycopg://u@h/app", "gw1", "postgresql+psycopg://u@h/app_gw1"),
        (
            "mysql+pymysql://u@h/app?charset=utf8mb4",
            "gw0",
            "mysql+pymysql://u@h/app_gw0?charset=utf8mb4",
        ),
        ("sqlite:///tests/app.db", "gw2", "sqlite:///tests/app_gw2.db"),
        ("sqlite://", "gw2", "sqlite://"),
        ("postgresql://u@h/app", "master", "postgresql://u@h/app"),
        ("postgresql://u@h/app", "", "postgresql://u@h/app"),
    ],
)
def test_worker_database_url(url: str, worker: str, expected: str) -> None:
    assert worker_database_url(url, worker).render_as_string() == expected


def test_worker_database_url_reads_xdist_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert worker_database_url(sa.make_url("postgresql://h/app")).database == "app_gw3"
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert worker_database_url("postgresql://h/app").database == "app"
    with pytest.raises(ValueError, match="names no database"):
        worker_database_url("postgresql://h", "gw0")


@pytest.mark.parametrize("name", ["testing_pytest.py", "testing_unittest.py"])
def test_docs_example_runs(name: str, tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "docs" / "examples" / name
    result = subprocess.run(
        [sys.executable, "-W", "error", str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (example.parent / "__pycache__").exists()
