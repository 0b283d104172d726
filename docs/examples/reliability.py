"""A failed request leaves nothing behind; mistakes get errors that say what to do."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Job(Base):
    __tablename__ = "job"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


# [start pre-ping]
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
# For a server database, pool_pre_ping is on unless you turn it off:
# app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
db.init_app(app)
# [end pre-ping]


# [start handler]
@app.errorhandler(OperationalError)
def database_unavailable(error: OperationalError) -> tuple[dict[str, str], int]:
    return {"error": "The database is unavailable, try again shortly."}, 503


@app.post("/jobs/<name>")
def add_job(name: str) -> tuple[dict[str, int], int]:
    job = Job(name=name)
    db.session.add(job)
    if name == "fail":
        db.session.flush()
        db.session.execute(text("SELECT * FROM table_that_is_gone"))
    db.session.commit()
    return {"id": job.id}, 201


# [end handler]


with app.app_context():
    db.create_all()

# [start failure]
client = app.test_client()
failed = client.post("/jobs/fail")
assert failed.status_code == 503  # the error handler saw the OperationalError
assert client.post("/jobs/ok").status_code == 201  # the next request is fine
with app.app_context():
    # The failed request's job was rolled back with its session at teardown.
    assert db.session.scalars(select(Job.name)).all() == ["ok"]
# [end failure]

# [start misuse]
other = Flask(__name__)
with other.app_context():
    try:
        _ = db.engine
    except RuntimeError as e:
        assert str(e) == (
            "The current Flask app is not registered with this 'SQLAlchemy'"
            " instance. Did you forget to call 'init_app', or did you create"
            " multiple 'SQLAlchemy' instances?"
        )
    else:
        raise AssertionError("an app without init_app has no engine")
try:
    db.init_app(app)
except RuntimeError as e:
    assert str(e).startswith("A 'SQLAlchemy' instance has already been registered")
else:
    raise AssertionError("init_app twice on one app")
# [end misuse]
