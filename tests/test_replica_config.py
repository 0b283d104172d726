"""``SQLALCHEMY_REPLICAS`` and ``SQLALCHEMY_REPLICA_POLICY``: bad input fails in
``init_app`` with an error naming the key, and leaves the app as it was."""

from __future__ import annotations

import subprocess
import sys
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import _state
from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.replicas import ReplicaPolicy

REPLICA = "sqlite:///file:app.db?mode=ro&uri=true"


def _init_fails(app: Flask, match: str) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    db: SQLAlchemy[t.Any] = SQLAlchemy()
    with pytest.raises(RuntimeError, match=match):
        db.init_app(app)
    assert "sqlalchemy" not in app.extensions  # nothing registered: fix and retry
    assert _state.of(db).replicas is None


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_not_a_dict(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = [REPLICA]
    _init_fails(
        app, r"^SQLALCHEMY_REPLICAS: expected a dict mapping bind keys .* got list"
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_unknown_bind_key(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {"users": [REPLICA]}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\['users'\]: no engine has the bind key 'users'"
        r" \(configured: None\)\. Use a key of SQLALCHEMY_BINDS",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_a_url_instead_of_a_list(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: REPLICA}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]: expected a list of replicas, got str\."
        r" Write \[replica\], even for one\.",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_replica_of_the_wrong_type(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: [42]}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: expected a dict of engine options, got int",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_dict_without_url(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: [{"pool_size": 5}]}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: the engine options dict needs a 'url' key",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_unparsable_url_hides_the_password(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    app.config["SQLALCHEMY_REPLICAS"] = {None: ["postgresql://u:s3cret@h:port/db"]}
    with pytest.raises(
        RuntimeError, match=r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: could not parse"
    ) as info:
        SQLAlchemy(app)
    assert "s3cret" not in str(info.value)
    assert "sqlalchemy" not in app.extensions


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_bad_option_type(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {
        None: [{"url": REPLICA, "pool_pre_ping": "maybe"}]
    }
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: engine option 'pool_pre_ping' must be"
        r" True or False, got 'maybe'",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_other_backend_than_the_primary(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: ["postgresql+psycopg://u:pw@h/db"]}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: a replica of a 'sqlite' primary must be a"
        r" 'sqlite' database, got postgresql\+psycopg://u:\*\*\*@h/db",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_engine_creation_error_names_the_replica(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: [{"url": REPLICA, "no_such_option": 1}]}
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICAS\[None\]\[0\]: could not create the engine for sqlite:///.*"
        r"no_such_option",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_policy_of_the_wrong_type(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: [REPLICA]}
    app.config["SQLALCHEMY_REPLICA_POLICY"] = 0.1
    _init_fails(
        app,
        r"^SQLALCHEMY_REPLICA_POLICY: expected a flask_sqlalchemy_typed\.replicas"
        r"\.ReplicaPolicy \(or a dict of its fields\), got float",
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_policy_dict_with_a_bad_field(app: Flask) -> None:
    app.config["SQLALCHEMY_REPLICAS"] = {None: [REPLICA]}
    app.config["SQLALCHEMY_REPLICA_POLICY"] = {"max_wiat": 0.1}
    _init_fails(
        app, r"^SQLALCHEMY_REPLICA_POLICY: .*unexpected keyword argument 'max_wiat'"
    )


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_policy_dict_works(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    app.config["SQLALCHEMY_REPLICAS"] = {None: [REPLICA]}
    app.config["SQLALCHEMY_REPLICA_POLICY"] = {"max_wait": 0.2, "down_for": 1}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    with app.app_context():
        replicas = _state.of(db).replicas
        assert replicas is not None
        route = replicas.routes[db.engine]
        assert route.policy == ReplicaPolicy(max_wait=0.2, down_for=1)
        for engine in db.replica_engines[None]:
            engine.dispose()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_wait": -1}, r"max_wait=\.\.\.\) must be >= 0, got -1"),
        ({"down_for": "30"}, r"down_for=\.\.\.\) must be seconds, got '30'"),
        (
            {"connect_timeout": 0},
            r"connect_timeout=\.\.\.\) must be seconds > 0 or None",
        ),
        (
            {"read_your_writes": "always"},
            r"must be 'client', 'process' or 'off', got 'always'",
        ),
        ({"choose": "first"}, r"choose=\.\.\.\) must be a function"),
    ],
)
def test_policy_values(kwargs: dict[str, t.Any], match: str) -> None:
    with pytest.raises((TypeError, ValueError), match=match):
        ReplicaPolicy(**kwargs)


@pytest.mark.databases("sqlite")  # config checks: no server is contacted
def test_primaries_disposed_on_error(app: Flask) -> None:
    """All engines or none: a bad replica disposes the primaries created before it."""
    disposed: list[sa.Engine] = []
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    app.config["SQLALCHEMY_REPLICAS"] = {None: [REPLICA, {"url": REPLICA, "bad": 1}]}

    class Recording(SQLAlchemy[t.Any]):
        def _make_engine(
            self, bind_key: str | None, options: dict[str, t.Any], app: Flask
        ) -> sa.Engine:
            engine = super()._make_engine(bind_key, options, app)
            sa.event.listen(engine, "engine_disposed", disposed.append)
            return engine

    db = Recording()
    with pytest.raises(RuntimeError, match=r"SQLALCHEMY_REPLICAS\[None\]\[1\]"):
        db.init_app(app)
    assert len(disposed) == 2  # the primary and the first replica


def test_off_by_default_imports_nothing() -> None:
    """Without SQLALCHEMY_REPLICAS, queries never import the replica modules."""
    code = (
        "import sys\n"
        "from flask import Flask\n"
        "from flask_sqlalchemy_typed import SQLAlchemy\n"
        "app = Flask('x')\n"
        "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
        "db = SQLAlchemy(app)\n"
        "with app.app_context():\n"
        "    db.session.execute(db.select(1)).all()\n"
        "    assert db.replica_engines == {}\n"
        "print(sorted(m for m in sys.modules if 'replica' in m or '_positions' in m))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]"
