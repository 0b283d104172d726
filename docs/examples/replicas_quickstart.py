"""Read replicas on SQLite alone: the "replica" is the same file opened read-only.

Run: python docs/examples/replicas_quickstart.py
"""

from __future__ import annotations

import tempfile

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.record_queries import get_recorded_queries
from flask_sqlalchemy_typed.replicas import ReadOnlyRouteError
from flask_sqlalchemy_typed.replicas import ReplicaPolicy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))


# [config-start]
app = Flask(__name__, instance_path=tempfile.mkdtemp())
app.secret_key = "change me"  # read-your-writes across requests uses the session cookie
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
app.config["SQLALCHEMY_REPLICAS"] = {
    # bind key None: replicas of the default engine; URLs or dicts of engine options
    None: ["sqlite:///file:app.db?mode=ro&uri=true"],
}
app.config["SQLALCHEMY_REPLICA_POLICY"] = ReplicaPolicy(max_wait=0.05, down_for=30)
app.config["SQLALCHEMY_RECORD_QUERIES"] = True
db.init_app(app)
# [config-end]


# [views-start]
@app.post("/users/<name>")
def create(name: str) -> str:
    user = User(name=name)
    db.session.add(user)  # the flush and the commit: the primary
    db.session.commit()
    return str(user.id)  # the refresh after the commit still sees the row


@app.get("/users/<int:ident>")
@db.use_replica(strict=True)  # a read-only view: a write here raises, nothing is sent
def show(ident: int) -> str:
    return db.get_or_404(User, ident).name  # a replica (the primary if it lags)


@app.get("/users/<int:ident>/fresh")
@db.use_primary()  # everything on the primary, reads included
def show_fresh(ident: int) -> str:
    return db.get_or_404(User, ident).name


# [views-end]


def main() -> None:
    with app.app_context():
        db.create_all()
        (replica,) = db.replica_engines[None]
    client = app.test_client()
    assert client.post("/users/ada").text == "1"
    assert client.get("/users/1").text == "ada"
    assert client.get("/users/1/fresh").text == "ada"

    # [engines-start]
    with app.test_request_context():
        db.session.scalars(sa.select(User)).all()
        with db.use_primary():
            db.session.scalars(sa.select(User)).all()
        engines = [query.engine for query in get_recorded_queries()]
        assert engines == [replica, db.engine]
    # [engines-end]

    # [strict-start]
    with app.app_context(), db.use_replica(strict=True):
        db.session.add(User(name="bob"))
        try:
            db.session.commit()
        except ReadOnlyRouteError as e:
            assert "nothing was sent" in str(e)
        else:
            raise AssertionError("a write in a strict replica block must raise")
    # [strict-end]

    with app.app_context():
        db.session.remove()
        for engine in [db.engine, *db.replica_engines[None]]:
            engine.dispose()
    print("ok")


if __name__ == "__main__":
    main()
