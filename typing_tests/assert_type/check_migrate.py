"""Flask-Migrate with this package's extension: the one documented import line.

Flask-Migrate's own ``Migrate`` rejects our ``db`` under pyright (its bundled stub
says ``flask_sqlalchemy.SQLAlchemy``) and has no types for mypy; both cases below
are errors without ``flask_sqlalchemy_typed.migrate``, and none with it.
"""

from __future__ import annotations

from typing import Any

import flask_migrate  # type: ignore[import-untyped]
from alembic.config import Config
from flask import Flask
from typing_extensions import assert_type

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.migrate import Migrate

from ._models import db
from ._models import default_db

app = Flask(__name__)

# the documented line: Migrate(app, db) with any extension instance
migrate = Migrate(app, db)
assert_type(migrate.db, SQLAlchemy[Any] | None)
Migrate(app, default_db, directory="migrations", compare_type=False)
factory = Migrate()
factory.init_app(app, db, render_as_batch=False)


@migrate.configure
def configure(config: Config) -> Config:
    return config


assert_type(migrate.get_config(), Config)

# without it: Flask-Migrate's class (mypy sees Any, pyright rejects the argument)
flask_migrate.Migrate(app, db)  # pyright: ignore[reportArgumentType]

# negative cases: not an extension, an unknown option type
Migrate(app, app)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
Migrate(app, db, directory=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
