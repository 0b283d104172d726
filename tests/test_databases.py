"""Engines, binds, session routing and schema operations on SQLite, PostgreSQL and
MariaDB (the server ones skip without TEST_POSTGRES_URL / TEST_MARIADB_URL)."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

from ._matrix import Database

# Each server's engine and its failure modes; SQLite in a file, as apps use it.
pytestmark = pytest.mark.databases("sqlite-file", "postgresql", "mariadb")


@pytest.fixture
def server_url(database: Database) -> sa.URL:
    return sa.make_url(database.url)


def dispose(app: Flask, db: SQLAlchemy[t.Any]) -> None:
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_engine_round_trip(app: Flask, server_url: sa.URL) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = server_url
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    # CamelCase class name: the generated table name is lower case, which every
    # database, MariaDB's case-sensitive file names included, resolves the same.
    class RobustDbItem(db.Model):  # type: ignore[name-defined,misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)
        name: sa_orm.Mapped[str] = sa_orm.mapped_column(sa.String(50))

    assert RobustDbItem.__tablename__ == "robust_db_item"
    try:
        with app.app_context():
            assert db.engine.dialect.name == server_url.get_dialect().name
            db.create_all()
            assert sa.inspect(db.engine).has_table("robust_db_item")
            item = RobustDbItem(name="a")
            db.session.add(item)
            db.session.flush()
            assert item.id is not None  # RETURNING or lastrowid, per dialect
            db.session.commit()
            assert db.session.get(RobustDbItem, item.id) is item
            db.session.rollback()
            db.session.add(RobustDbItem(name="b"))
            db.session.rollback()
            assert db.session.scalars(sa.select(RobustDbItem.name)).all() == ["a"]
            assert db.get_or_404(RobustDbItem, item.id).name == "a"
            db.session.close()
            db.drop_all()
            assert not sa.inspect(db.engine).has_table("robust_db_item")
    finally:
        dispose(app, db)


@pytest.mark.databases("sqlite-file")  # the default bind; the others on the servers
def test_binds_on_three_databases(app: Flask, database: Database) -> None:
    app.config["SQLALCHEMY_BINDS"] = {
        "pg": database.on("postgresql").bind_url("pg"),
        "maria": {"url": database.on("mariadb").bind_url("maria"), "pool_size": 2},
    }
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class Local(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "robust_bind_local"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    class OnPg(db.Model):  # type: ignore[name-defined,misc]
        __bind_key__ = "pg"
        __tablename__ = "robust_bind_pg"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    class OnMaria(db.Model):  # type: ignore[name-defined,misc]
        __bind_key__ = "maria"
        __tablename__ = "robust_bind_maria"
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    maria_table = db.Table(
        "robust_bind_maria_t", sa.Column("x", sa.Integer), bind_key="maria"
    )
    models: dict[str | None, t.Any] = {None: Local, "pg": OnPg, "maria": OnMaria}
    try:
        with app.app_context():
            engines = db.engines
            assert {k: e.dialect.name for k, e in engines.items()} == {
                None: "sqlite",
                "pg": "postgresql",
                "maria": "mysql",
            }
            assert engines["maria"].pool.size() == 2  # type: ignore[attr-defined]
            # Defaults: pre-ping on the servers, not on SQLite.
            assert engines["pg"].pool._pre_ping
            assert engines["maria"].pool._pre_ping
            assert not engines[None].pool._pre_ping

            # create_all per bind key: tables only where they belong.
            db.create_all(bind_key="pg")
            assert sa.inspect(engines["pg"]).has_table("robust_bind_pg")
            assert not sa.inspect(engines["maria"]).has_table("robust_bind_maria")
            assert not sa.inspect(engines[None]).has_table("robust_bind_local")
            db.create_all(bind_key=[None, "maria"])
            assert sa.inspect(engines["maria"]).has_table("robust_bind_maria_t")
            assert not sa.inspect(engines["pg"]).has_table("robust_bind_maria")
            assert not sa.inspect(engines[None]).has_table("robust_bind_pg")

            # Session routing, by mapper, by Table and by DML statement.
            for key, model in models.items():
                assert db.session.get_bind(mapper=model) is engines[key]
            assert db.session.get_bind(clause=maria_table) is engines["maria"]
            assert db.session.get_bind(clause=sa.insert(OnPg)) is engines["pg"]
            db.session.add_all([Local(id=1), OnPg(id=2), OnMaria(id=3)])
            db.session.execute(sa.insert(maria_table).values(x=4))
            db.session.commit()
            db.session.close()
            expected = {None: 1, "pg": 2, "maria": 3}
            for key, model in models.items():
                with engines[key].connect() as conn:
                    found = conn.execute(sa.select(model.__table__.c.id)).scalars()
                    assert list(found) == [expected[key]]
            with engines["maria"].connect() as conn:
                assert conn.execute(sa.select(maria_table.c.x)).scalar_one() == 4

        # reflect per bind key, with a second instance on the same config.
        app2 = Flask(__name__, instance_path=app.instance_path)
        app2.config.update(
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            SQLALCHEMY_BINDS=app.config["SQLALCHEMY_BINDS"],
        )
        db2: SQLAlchemy[t.Any] = SQLAlchemy(app2)
        try:
            with app2.app_context():
                db2.reflect(bind_key="maria")
                assert set(db2.metadatas["maria"].tables) == {
                    "robust_bind_maria",
                    "robust_bind_maria_t",
                }
                assert not db2.metadatas["pg"].tables
                db2.reflect(bind_key=["pg", None])
                assert set(db2.metadatas["pg"].tables) == {"robust_bind_pg"}
                assert "robust_bind_local" in db2.metadatas[None].tables
                table = db2.metadatas["pg"].tables["robust_bind_pg"]
                # As in Flask-SQLAlchemy, a SELECT of a Table is not routed by the
                # table's bind key (only mappers, Tables and DML are): name the bind.
                result = db2.session.execute(
                    sa.select(table.c.id), bind_arguments={"bind": db2.engines["pg"]}
                )
                assert result.scalars().all() == [2]
                db2.session.close()
        finally:
            dispose(app2, db2)

        with app.app_context():
            # drop_all per bind key: the other binds keep their tables.
            db.drop_all(bind_key="maria")
            assert not sa.inspect(engines["maria"]).has_table("robust_bind_maria")
            assert sa.inspect(engines["pg"]).has_table("robust_bind_pg")
            assert sa.inspect(engines[None]).has_table("robust_bind_local")
            db.drop_all()
            assert not sa.inspect(engines["pg"]).has_table("robust_bind_pg")
            assert not sa.inspect(engines[None]).has_table("robust_bind_local")
    finally:
        dispose(app, db)


def test_pre_ping_can_be_turned_off(app: Flask, server_url: sa.URL) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = server_url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)
    try:
        with app.app_context():
            assert not db.engine.pool._pre_ping
    finally:
        dispose(app, db)


@pytest.mark.parametrize("ident", ["abc", 10**25, 2**40, "9" * 30, "1e3"])
def test_get_or_404_bad_identity(app: Flask, server_url: sa.URL, ident: object) -> None:
    """An identity the integer key cannot hold is a 404 on every database, and the
    request keeps working: pending and flushed work of the session survives."""
    app.config["SQLALCHEMY_DATABASE_URI"] = server_url
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    class RobustKeyed(db.Model):  # type: ignore[name-defined,misc]
        id: sa_orm.Mapped[int] = sa_orm.mapped_column(primary_key=True)

    @app.route("/<path:ident>")
    def show(ident: str) -> str:
        return str(db.get_or_404(RobustKeyed, ident).id)

    try:
        with app.app_context():
            db.create_all()
            db.session.add(RobustKeyed(id=1))
            db.session.commit()
        client = app.test_client()
        assert client.get(f"/{ident}").status_code == 404
        assert client.get("/1").text == "1"
        with app.test_request_context():
            # Direct call with the raw value (a 10**25 int, not its string).
            with pytest.raises(Exception) as info:
                db.get_or_404(RobustKeyed, ident)
            assert getattr(info.value, "code", None) == 404
            assert db.get_or_404(RobustKeyed, 1).id == 1
            # With work in progress: flushed and pending rows survive the miss.
            db.session.add(RobustKeyed(id=2))
            db.session.flush()
            db.session.add(RobustKeyed(id=3))
            with pytest.raises(Exception) as info:
                db.get_or_404(RobustKeyed, ident)
            assert getattr(info.value, "code", None) == 404
            db.session.commit()
            ids = db.session.scalars(sa.select(RobustKeyed.id).order_by(RobustKeyed.id))
            assert ids.all() == [1, 2, 3]
            db.session.close()
            db.drop_all()
    finally:
        dispose(app, db)
