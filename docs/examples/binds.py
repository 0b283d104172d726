"""Several databases: bind keys, routing, and what a commit across them does."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import UnboundExecutionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


# [start models]
class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __bind_key__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(unique=True)


class Metric(Base):
    __tablename__ = "metric"
    __bind_key__ = "metrics"  # not configured below
    id: Mapped[int] = mapped_column(primary_key=True)


# [end models]


# [start config]
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_BINDS"] = {"audit": "sqlite://"}
db.init_app(app)
# [end config]

with app.app_context():
    # [start create]
    try:
        db.create_all()  # every bind key a model or table uses...
    except UnboundExecutionError as e:  # ...and "metrics" has no engine
        assert str(e) == "Bind key 'metrics' is not in 'SQLALCHEMY_BINDS' config."
    else:
        raise AssertionError("create_all needs an engine for every bind key")
    db.create_all(bind_key=[None, "audit"])  # the default database and "audit"
    # [end create]

    # [start routing]
    session = db.session()
    assert session.get_bind(User) is db.engine
    assert session.get_bind(AuditEntry) is db.engines["audit"]
    audit_table = AuditEntry.metadata.tables["audit_entry"]
    assert session.get_bind(clause=sa.delete(audit_table)) is db.engines["audit"]
    assert session.get_bind(clause=sa.text("SELECT 1")) is db.engine
    try:
        session.get_bind(Metric)
    except UnboundExecutionError as e:
        assert str(e) == "Bind key 'metrics' is not in 'SQLALCHEMY_BINDS' config."
    else:
        raise AssertionError("a model of an unknown bind key has no engine")
    # [end routing]

    # [start commit]
    db.session.add(User(name="ada"))
    db.session.add(AuditEntry(message="ada signed up"))
    db.session.commit()  # one commit per database, in turn

    db.session.add(User(name="bob"))
    db.session.add(AuditEntry(message="ada signed up"))  # violates unique
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    # The flush failed, so neither database has anything of the second commit.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1
    # [end commit]

    # [start core]
    # A Core select names no mapper and is not a Table: it goes to the default
    # engine. Name the engine of another bind's table yourself.
    entries = db.session.execute(
        sa.select(audit_table), bind_arguments={"bind": db.engines["audit"]}
    ).all()
    assert len(entries) == 1
    # [end core]


# [start scope]
with app.app_context():
    first = db.session()
    assert db.session() is first  # one session per application context
with app.app_context():
    assert db.session() is not first  # a new context, a new session
# [end scope]

# [start twophase]
xa_db = SQLAlchemy(session_options={"twophase": True})
# [end twophase]
xa_app = Flask(__name__)
xa_app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
xa_db.init_app(xa_app)
with xa_app.app_context():
    assert xa_db.session().twophase is True
